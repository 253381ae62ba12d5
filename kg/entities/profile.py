"""Organisation profiles and name search for the explorer and ``/api/organisations``.

Conventions
-----------
- An entity is named by its *reference*: the bare slug for organisations (``lu-asti``), a CURIE
  for other nodes (``fund:amif``, ``group:cz-csos``) or, outside the project's namespaces, the
  full IRI. :func:`resolve_entity` accepts any of the three; :func:`entity_ref` goes back.
- A profile lists the statements of the ``org-profile`` named query (same branches), each with
  its verbatim quote, the title of the source document, the document's file name
  (``mi:fileName``) and the line, so that a reader can open it.
- Names keep their language tags; nothing is translated or merged here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from kg.exceptions import UnknownEntityError
from kg.namespaces import PREFIXES
from kg.sparql.backend import Backend
from kg.sparql.named import expand_iri, rows_as_dicts, run_named

__all__ = [
    "ORG_QUERIES",
    "UnknownEntityError",
    "entity_ref",
    "organisation_profile",
    "resolve_entity",
    "search_entities",
    "source_files",
    "vocab_labels",
]

#: Named queries about one organisation: query name -> its parameter that takes the entity.
ORG_QUERIES: dict[str, str] = {
    "org-profile": "org",
    "funders-of": "org",
    "funded-by": "funder",
    "umbrella-roster": "body",
    "assessments-of": "target",
    "provenance-audit": "node",
}


# Longest namespace first, so that ``…/id/org/`` wins over a shorter prefix of it.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def entity_ref(iri: str) -> str:
    """Return the short reference of ``iri``: a slug for organisations, else a CURIE or the IRI.

    Examples
    --------
    >>> entity_ref("https://w3id.org/integration-kg/id/org/lu-asti")
    'lu-asti'
    >>> entity_ref("https://w3id.org/integration-kg/id/programme/amif")
    'fund:amif'
    """
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns) and len(iri) > len(ns) and "/" not in iri[len(ns) :]:
            local = iri[len(ns) :]
            return local if prefix == "actor" else f"{prefix}:{local}"
    return iri


def resolve_entity(ref: str, *, backend: Backend) -> str:
    """Return the IRI of the node named by ``ref`` (slug, CURIE or IRI).

    Raises
    ------
    UnknownEntityError
        ``ref`` is malformed or no triple has that node as its subject.
    """
    ref = ref.strip()
    try:
        iri = expand_iri(ref, "actor")
    except ValueError as exc:
        raise UnknownEntityError(f"unknown organisation {ref!r}: {exc}") from None
    if not ref or any(c in iri for c in '<>" {}|\\^`'):
        raise UnknownEntityError(f"unknown organisation {ref!r}")
    try:
        node = ox.NamedNode(iri)
    except ValueError as exc:  # control characters and other code points an IRI cannot hold
        raise UnknownEntityError(f"unknown organisation {ref!r}: {exc}") from None
    res = run_named("entities/exists", {"node": node.value}, backend=backend)
    if not res.rows:
        raise UnknownEntityError(f"unknown organisation {ref!r} (no node {iri} in the graph)")
    return iri


def source_files(*, backend: Backend) -> dict[str, dict[str, str | None]]:
    """Return ``{title: {"iri": ..., "file": ...}}`` for every source document."""
    res = run_named("entities/source-documents", backend=backend)
    return {r["title"]: {"iri": r["source"], "file": r.get("file")} for r in rows_as_dicts(res)}


def vocab_labels(*, backend: Backend) -> dict[str, dict[str, str]]:
    """Return readable labels of the values the networks use as node attributes.

    Returns
    -------
    dict
        ``{"kind": {slug: label}, "country": {code: label}, "position": {slug: label}}``:
        the keys are the values of the projection's node attributes.
    """
    out: dict[str, dict[str, str]] = {"kind": {}, "country": {}, "position": {}}
    for r in rows_as_dicts(run_named("entities/vocab-labels", backend=backend)):
        scheme = r["scheme"].rsplit("/", 1)[-1]
        key = r.get("notation") if scheme == "country" else r["concept"].rsplit("/", 1)[-1]
        if key:
            out[scheme][str(key)] = r["label"]
    return out


def _concepts(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        if r["field"] == field:
            out.append({"id": r["value"], "ref": entity_ref(r["value"]), "label": r.get("label")})
    return sorted(out, key=lambda c: (str(c["label"] or ""), c["id"]))


def organisation_profile(
    ref: str, *, metrics: Mapping[str, Any] | None = None, backend: Backend
) -> dict[str, Any]:
    """Return everything the graph says about one organisation (or any named node).

    Parameters
    ----------
    ref : str
        Slug (``lu-asti``), CURIE (``fund:amif``) or full IRI.
    metrics : mapping, optional
        Network metrics of the node to include as they are (the API passes the node's
        values in the combined network).
    backend : Backend
        Where the graph is read from.

    Returns
    -------
    dict
        ``id``, ``ref``, ``label``, ``names`` (``{label, lang, type}`` with type ``pref``,
        ``alt`` or ``hidden``), ``types``, ``kinds``, ``country``, ``levels``, ``activities``,
        ``target_groups``, ``programme_types``, ``founded``, ``notes``, ``quotes`` (the node's
        own provenance), ``relations`` (one per statement and quote: ``relation``, ``node``,
        ``other``, ``other_ref``, ``other_label``, ``detail``, ``quote``, ``source``,
        ``source_file``, ``line``) and ``metrics``.

    Raises
    ------
    UnknownEntityError
        No such node.
    """
    be = backend
    iri = resolve_entity(ref, backend=be)
    facts = rows_as_dicts(run_named("entities/facts", {"node": iri}, backend=be))
    names = sorted(
        (
            {"label": r["value"], "lang": r.get("lang") or None, "type": r["field"]}
            for r in facts
            if r["field"] in ("pref", "alt", "hidden")
        ),
        key=lambda n: (("pref", "alt", "hidden").index(n["type"]), n["label"]),
    )
    rows = rows_as_dicts(run_named("org-profile", {"org": iri}, backend=be))
    quotes: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for r in rows:
        item = {
            "quote": r.get("quote"),
            "source": r.get("source"),
            "source_file": r.get("file"),
            "line": r.get("line"),
        }
        if r["relation"] == "self":
            if r.get("quote") and item not in quotes:  # one row per label language
                quotes.append(item)
            continue
        other = r.get("other")
        relations.append(
            {
                "relation": r["relation"],
                "node": r.get("node"),
                "other": other,
                "other_ref": entity_ref(other) if other else None,
                "other_label": r.get("other_label"),
                "detail": r.get("detail") or None,
                **item,
            }
        )
    kinds = _concepts(facts, "kind")
    countries = _concepts(facts, "country")
    label = next((n["label"] for n in names if n["type"] == "pref"), entity_ref(iri))
    short = entity_ref(iri)
    return {
        "id": iri,
        "ref": short,
        "label": label,
        "names": names,
        "types": sorted(r["value"] for r in facts if r["field"] == "type"),
        "kinds": kinds,
        "country": countries[0] if countries else None,
        "countries": countries,
        "levels": _concepts(facts, "level"),
        "activities": _concepts(facts, "activity"),
        "target_groups": _concepts(facts, "target"),
        "programme_types": _concepts(facts, "programme_type"),
        "founded": next((str(r["value"]) for r in facts if r["field"] == "founded"), None),
        "notes": sorted({str(r["value"]) for r in facts if r["field"] == "note"}),
        "quotes": quotes,
        "relations": relations,
        "metrics": dict(metrics) if metrics else None,
    }


def search_entities(text: str, *, limit: int = 20, backend: Backend) -> list[dict[str, Any]]:
    """Organisations whose name or alternative name contains ``text`` (``search`` query).

    Returns
    -------
    list of dict
        ``{id, ref, label, matched, country}``, shortest match first, at most ``limit``.
    """
    text = text.strip()
    if not text:
        return []
    rows = rows_as_dicts(run_named("search", {"text": text}, backend=backend))
    return [
        {
            "id": r["org"],
            "ref": entity_ref(r["org"]),
            "label": r.get("label"),
            "matched": r.get("matched"),
            "country": r.get("country"),
        }
        for r in rows[: max(limit, 0)]
    ]
