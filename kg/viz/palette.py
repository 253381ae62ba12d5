"""The colours of every picture, read from ``palette.json`` (the explorer bundles the same file).

Node groups: Okabe & Ito (2008) without black, then Paul Tol's *muted* scheme, most frequent
group first; values past the sixteenth share :data:`OTHER_COLOUR`; missing values (``-``,
``unassessed``) are :data:`MISSING_COLOUR`. Relation types: Tol's *bright* scheme.

Examples
--------
>>> NODE_PALETTE[0], RELATION_COLOURS["funding"]
('#0072B2', '#4477AA')
>>> group_colours(["ngo", "ngo", "ministry", "-"])
{'ngo': '#0072B2', 'ministry': '#E69F00'}

A value listed in ``category_colours`` keeps its colour in every network; the others take the
colours left, most frequent first:

>>> group_colours(["ngo", "ngo", "municipality", "municipality", "municipality"], key="kind")
{'municipality': '#E69F00', 'ngo': '#0072B2'}
>>> group_colours(["LU"], key="country") == {"LU": CATEGORY_COLOURS["country"]["LU"]}
True

References
----------
.. [1] M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures and
   presentations that are friendly to colorblind people", 2008.
.. [2] P. Tol, "Colour Schemes", SRON technical note SRON/EPS/TN/09-002, 2021.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "CATEGORY_COLOURS",
    "DEFAULT_EDGE_COLOUR",
    "MISSING_COLOUR",
    "MISSING_VALUES",
    "NODE_PALETTE",
    "OTHER_COLOUR",
    "PALETTE_FILE",
    "POSITIONS",
    "RELATION_COLOURS",
    "group_colours",
]

#: The one palette file (``explorer/src/palette.js`` imports it at build time).
PALETTE_FILE = Path(__file__).with_name("palette.json")
_DATA = json.loads(PALETTE_FILE.read_text(encoding="utf-8"))

NODE_PALETTE: tuple[str, ...] = tuple(_DATA["node_palette"])
OTHER_COLOUR: str = _DATA["other_colour"]
MISSING_COLOUR: str = _DATA["missing_colour"]
MISSING_VALUES: frozenset[str] = frozenset(_DATA["missing_values"])
RELATION_COLOURS: dict[str, str] = dict(_DATA["relation_colours"])
DEFAULT_EDGE_COLOUR: str = _DATA["default_edge_colour"]
#: The one colour of each known value of ``kind``, ``country`` and ``position``.
CATEGORY_COLOURS: dict[str, dict[str, str]] = {
    k: dict(v) for k, v in _DATA["category_colours"].items()
}
#: The five SIRIUS typology positions, in the order the legends list them.
POSITIONS: tuple[str, ...] = tuple(_DATA["positions"])


def group_colours(values: Iterable[str], key: str | None = None) -> dict[str, str]:
    """Colour each value as the explorer does (``colourScale`` in ``explorer/src/palette.js``).

    Parameters
    ----------
    values : iterable of str
        One value per node; missing values get no entry (they are drawn in the missing colour).
    key : str, optional
        The attribute (``kind``, ``country``, ``position``): its values listed in
        :data:`CATEGORY_COLOURS` keep their colour; the others take the palette colours not
        taken, most frequent first (ties by value).

    Returns
    -------
    dict
        Value to colour; values past the palette's length get :data:`OTHER_COLOUR`.
    """
    fixed = CATEGORY_COLOURS.get(key or "", {})
    counts = Counter(v for v in values if v not in MISSING_VALUES)
    out = {v: fixed[v] for v in counts if v in fixed}
    free = [c for c in NODE_PALETTE if c not in set(out.values())]
    rest = sorted((v for v in counts if v not in out), key=lambda v: (-counts[v], v))
    for i, v in enumerate(rest):
        out[v] = free[i] if i < len(free) else OTHER_COLOUR
    return dict(sorted(out.items(), key=lambda kv: (-counts[kv[0]], kv[0])))
