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
    "DEFAULT_EDGE_COLOUR",
    "MISSING_COLOUR",
    "MISSING_VALUES",
    "NODE_PALETTE",
    "OTHER_COLOUR",
    "PALETTE_FILE",
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


def group_colours(values: Iterable[str]) -> dict[str, str]:
    """Colour each value, most frequent first (ties by value), as the explorer does.

    Parameters
    ----------
    values : iterable of str
        One value per node; missing values get no entry (they are drawn in the missing colour).

    Returns
    -------
    dict
        Value to colour; values past the palette's length get :data:`OTHER_COLOUR`.
    """
    counts = Counter(v for v in values if v not in MISSING_VALUES)
    ordered = sorted(counts, key=lambda v: (-counts[v], v))
    return {
        v: NODE_PALETTE[i] if i < len(NODE_PALETTE) else OTHER_COLOUR for i, v in enumerate(ordered)
    }
