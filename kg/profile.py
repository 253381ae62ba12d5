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
from urllib.parse import quote

import pyoxigraph as ox

from kg.exceptions import KGError
from kg.queries import PREFIXES, expand_iri, rows_as_dicts, run_named

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


class UnknownEntityError(KGError):
    """No node of the graph has the requested identifier."""


# Longest namespace first, so that ``…/id/org/`` wins over a shorter prefix of it.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

_DESCRIBE = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?field ?value ?label ?lang WHERE {
  {
    VALUES (?p ?field) { (skos:prefLabel "pref") (skos:altLabel "alt") (skos:hiddenLabel "hidden") }
    ?node ?p ?value . BIND(LANG(?value) AS ?lang)
  } UNION {
    VALUES (?p ?field) {
      (org:classification "kind") (mi:country "country") (mi:levelOfOperation "level")
      (org:purpose "activity") (mi:targetGroup "target") (mi:programmeType "programme_type")
      (rdf:type "type")
    }
    ?node ?p ?value .
    OPTIONAL { ?value skos:prefLabel ?l . FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) }
    OPTIONAL { ?value skos:notation ?notation }
    BIND(COALESCE(?notation, ?l) AS ?label)
  } UNION {
    VALUES (?p ?field) { (schema:foundingDate "founded") (skos:note "note") }
    ?node ?p ?value .
  }
}
"""

# The statements of ``queries/org-profile.rq`` with the label looked up inside each branch: a
# trailing ``OPTIONAL { ?other skos:prefLabel ?l }`` after a branch that left ``?other`` unbound
# (an award with no stated funder) would bind ``?other`` to every labelled node of the graph.
# Also returns the quote's file name and line, which the explorer shows next to the quote.
_RELATIONS = """
PREFIX mi:      <https://w3id.org/integration-kg/ontology#>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX oa:      <http://www.w3.org/ns/oa#>
PREFIX schema:  <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?relation ?node ?other ?other_label ?detail ?quote ?source ?file ?line WHERE {
  {
    ?org skos:prefLabel ?self_label . BIND("self" AS ?relation) BIND(?org AS ?node)
  } UNION {
    ?node a mi:FundingAward ; mi:recipient ?org . BIND("funded by" AS ?relation)
    OPTIONAL { ?node schema:funder ?other . OPTIONAL { ?other skos:prefLabel ?other_label } }
    OPTIONAL { ?node mi:awardedUnder/skos:prefLabel ?detail }
  } UNION {
    ?node a mi:FundingAward ; schema:funder ?org . BIND("funds" AS ?relation)
    OPTIONAL { ?node mi:recipient ?other . OPTIONAL { ?other skos:prefLabel ?other_label } }
    OPTIONAL { ?node mi:awardedUnder/skos:prefLabel ?detail }
  } UNION {
    ?node a org:Membership ; org:member ?org ; org:organization ?other .
    BIND("member of" AS ?relation) OPTIONAL { ?other skos:prefLabel ?other_label }
  } UNION {
    ?node a org:Membership ; org:organization ?org ; org:member ?other .
    BIND("has member" AS ?relation) OPTIONAL { ?other skos:prefLabel ?other_label }
  } UNION {
    ?node mi:party ?org . ?node mi:party ?other . FILTER(?other != ?org)
    BIND("partner of" AS ?relation) OPTIONAL { ?other skos:prefLabel ?other_label }
    OPTIONAL { ?node mi:aboutProject/skos:prefLabel ?detail }
  } UNION {
    ?node mi:party ?org ; mi:partnerKind/skos:prefLabel ?detail .
    BIND("partners with (unnamed)" AS ?relation)
  } UNION {
    ?node mi:fromParty ?org ; mi:toParty ?other ; a ?t . ?t rdfs:subClassOf mi:Relation .
    BIND(CONCAT(STRAFTER(STR(?t), "#"), " to") AS ?relation)
    OPTIONAL { ?other skos:prefLabel ?other_label }
  } UNION {
    ?node mi:toParty ?org ; mi:fromParty ?other ; a ?t . ?t rdfs:subClassOf mi:Relation .
    BIND(CONCAT(STRAFTER(STR(?t), "#"), " from") AS ?relation)
    OPTIONAL { ?other skos:prefLabel ?other_label }
  } UNION {
    ?node mi:runBy|mi:partner|mi:initiatedBy ?org ; skos:prefLabel ?detail .
    BIND("project" AS ?relation)
  } UNION {
    ?node a mi:PositionAssessment ; oa:hasTarget ?org ; oa:hasBody ?other .
    BIND("assessed as" AS ?relation) OPTIONAL { ?other skos:prefLabel ?other_label }
    OPTIONAL { ?node mi:negated ?neg }
    BIND(IF(COALESCE(?neg, false), "not this position", "") AS ?detail)
  }
  OPTIONAL {
    ?node prov:wasDerivedFrom ?q . ?q oa:hasSelector/oa:exact ?quote ; oa:hasSource ?src .
    ?src dcterms:title ?source .
    OPTIONAL { ?src mi:fileName ?file }
    OPTIONAL { ?q mi:line ?line }
  }
}
ORDER BY ?relation ?other_label ?node ?line
"""

_EXISTS = "SELECT ?p WHERE { ?node ?p ?o } LIMIT 1"

_SOURCES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mi: <https://w3id.org/integration-kg/ontology#>
SELECT ?source ?title ?file WHERE {
  ?source a mi:SourceDocument ; dcterms:title ?title .
  OPTIONAL { ?source mi:fileName ?file }
}
"""


_VOCAB = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?scheme ?concept ?label ?notation WHERE {
  VALUES ?scheme {
    <https://w3id.org/integration-kg/vocab/kind> <https://w3id.org/integration-kg/vocab/country>
    <https://w3id.org/integration-kg/vocab/position>
  }
  ?concept skos:inScheme ?scheme ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))
  OPTIONAL { ?concept skos:notation ?notation }
}
"""


def _backend(backend: Any) -> Any:
    if backend is not None:
        return backend
    from kg.store import get_backend

    return get_backend()


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


def resolve_entity(ref: str, *, backend: Any = None) -> str:
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
    res = _backend(backend).select(_EXISTS, {"node": node})
    if not res.rows:
        raise UnknownEntityError(f"unknown organisation {ref!r} (no node {iri} in the graph)")
    return iri


def source_files(*, backend: Any = None) -> dict[str, dict[str, str | None]]:
    """Return ``{title: {"iri": ..., "file": ...}}`` for every source document."""
    res = _backend(backend).select(_SOURCES)
    return {r["title"]: {"iri": r["source"], "file": r.get("file")} for r in rows_as_dicts(res)}


def vocab_labels(*, backend: Any = None) -> dict[str, dict[str, str]]:
    """Return readable labels of the values the networks use as node attributes.

    Returns
    -------
    dict
        ``{"kind": {slug: label}, "country": {code: label}, "position": {slug: label}}``:
        the keys are the values of the projection's node attributes.
    """
    out: dict[str, dict[str, str]] = {"kind": {}, "country": {}, "position": {}}
    for r in rows_as_dicts(_backend(backend).select(_VOCAB)):
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


def _query_links(ref: str) -> dict[str, str]:
    # A CURIE works for every parameter, with or without a default prefix.
    curie = ref if ":" in ref else f"actor:{ref}"
    return {
        name: f"/api/queries/{name}?{param}={quote(curie, safe=':')}"
        for name, param in ORG_QUERIES.items()
    }


def organisation_profile(
    ref: str, *, metrics: Mapping[str, Any] | None = None, backend: Any = None
) -> dict[str, Any]:
    """Return everything the graph says about one organisation (or any named node).

    Parameters
    ----------
    ref : str
        Slug (``lu-asti``), CURIE (``fund:amif``) or full IRI.
    metrics : mapping, optional
        Network metrics of the node to include as they are (the API passes the node's
        values in the combined network).
    backend : optional
        A :mod:`kg.store` backend; the default one when omitted.

    Returns
    -------
    dict
        ``id``, ``ref``, ``label``, ``names`` (``{label, lang, type}`` with type ``pref``,
        ``alt`` or ``hidden``), ``types``, ``kinds``, ``country``, ``levels``, ``activities``,
        ``target_groups``, ``programme_types``, ``founded``, ``notes``, ``quotes`` (the node's
        own provenance), ``relations`` (one per statement and quote: ``relation``, ``node``,
        ``other``, ``other_ref``, ``other_label``, ``detail``, ``quote``, ``source``,
        ``source_file``, ``line``), ``metrics`` and ``links``.

    Raises
    ------
    UnknownEntityError
        No such node.
    """
    be = _backend(backend)
    iri = resolve_entity(ref, backend=be)
    node = ox.NamedNode(iri)
    facts = rows_as_dicts(be.select(_DESCRIBE, {"node": node}))
    names = sorted(
        (
            {"label": r["value"], "lang": r.get("lang") or None, "type": r["field"]}
            for r in facts
            if r["field"] in ("pref", "alt", "hidden")
        ),
        key=lambda n: (("pref", "alt", "hidden").index(n["type"]), n["label"]),
    )
    rows = rows_as_dicts(be.select(_RELATIONS, {"org": node}))
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
        "links": {
            "page": f"/org/{quote(short, safe=':')}",
            "api": f"/api/organisations/{quote(short, safe=':')}",
            "explorer": f"/?network=all&focus={quote(short, safe=':')}",
            "sparql": "/sparql?query=" + quote(f"DESCRIBE <{iri}>", safe=""),
            "queries": _query_links(short),
        },
    }


def search_entities(text: str, *, limit: int = 20, backend: Any = None) -> list[dict[str, Any]]:
    """Organisations whose name or alternative name contains ``text`` (``search`` query).

    Returns
    -------
    list of dict
        ``{id, ref, label, matched, country}``, shortest match first, at most ``limit``.
    """
    text = text.strip()
    if not text:
        return []
    rows = rows_as_dicts(run_named("search", {"text": text}, backend=_backend(backend)))
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
