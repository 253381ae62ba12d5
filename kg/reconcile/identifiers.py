"""Organisation identifiers in one comparable form: org-id (``GB-CHC-1164883``) and Wikidata QIDs.

The project's identifier policy (design notes §1.5) stores register identifiers in the
org-id.guide form ``{list code}-{id}``, the form 360Giving and IATI use; a Wikidata item is
``XI-WIKIDATA-Q…`` in that form and ``owl:sameAs <http://www.wikidata.org/entity/Q…>`` in the
graph. :func:`normalise_identifier` brings every way of writing them to one key, so that an exact
identifier match can decide that two records are one organisation. A bare number without its
scheme (``1164883``) is no identifier here: numbers of different registers collide.

Written by hand: org-id.guide publishes the register of list codes, not a normaliser, and the
rules are three regular expressions.

Examples
--------
>>> normalise_identifier(" gb-chc-1164883 ")
'GB-CHC-1164883'
>>> normalise_identifier("http://www.wikidata.org/entity/Q42")
'XI-WIKIDATA-Q42'
>>> normalise_identifier("q42")
'XI-WIKIDATA-Q42'
>>> normalise_identifier("LU-RCS-F1234")
'LU-RCS-F1234'
>>> normalise_identifier("1164883") is None
True
"""

from __future__ import annotations

import re

__all__ = ["WIKIDATA_ENTITY", "normalise_identifier", "normalise_identifiers"]

#: Namespace of Wikidata items (the object of ``owl:sameAs`` in the graph).
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

_WIKIDATA = re.compile(
    r"^(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/|wd:|XI-WIKIDATA-)?(Q[1-9][0-9]*)$",
    re.IGNORECASE,
)
# ``{two-letter country or XI/XM}-{list code}-{id}``; list codes hold letters, digits and ``_``
# (``BE-BCE_KBO``), the id anything without spaces (``LU-RCS-F1234``, ``XI-IATI-EC-INTPA``).
_ORG_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9_]+-\S+$")
_DASHES = re.compile(r"\s*[-‐‑‒–—]\s*")


def normalise_identifier(value: str) -> str | None:
    """Return the comparable form of an identifier, or ``None`` if it names no scheme.

    Parameters
    ----------
    value : str
        An org-id identifier in any case and with spaces around its dashes, a Wikidata QID
        (``Q42``, ``wd:Q42``, an entity or wiki IRI, ``XI-WIKIDATA-Q42``).

    Returns
    -------
    str or None
        ``GB-CHC-1164883``, ``XI-WIKIDATA-Q42``; ``None`` for a value without a scheme.
    """
    raw = value.strip()
    wikidata = _WIKIDATA.match(raw)
    if wikidata:
        return "XI-WIKIDATA-" + wikidata.group(1).upper()
    compact = _DASHES.sub("-", raw).upper()
    return compact if _ORG_ID.match(compact) else None


def normalise_identifiers(values: object) -> tuple[str, ...]:
    """Return the comparable forms of ``values`` (a string or an iterable), unknown ones dropped.

    Examples
    --------
    >>> normalise_identifiers(["Q42", "no scheme", "gb-coh-123"])
    ('XI-WIKIDATA-Q42', 'GB-COH-123')
    """
    items = [values] if isinstance(values, str) else list(values or ())  # type: ignore[call-overload]
    out = (normalise_identifier(str(v)) for v in items if v is not None)
    return tuple(dict.fromkeys(v for v in out if v))
