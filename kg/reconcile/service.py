"""The W3C Entity Reconciliation API v0.2 over the graph's organisations (what OpenRefine speaks).

One function per request of the protocol, each taking the request's parameters as given and
returning the JSON-ready answer; :func:`service` dispatches the service URL's three uses (no
parameter: the manifest; ``queries``: a batch of reconciliation queries; ``extend``: data
extension). The matching is :class:`kg.reconcile.OrgIndex` (one per backend, built on first
use); identifiers are organisation references as the rest of the API writes them (``lu-asti``,
:func:`kg.entities.profile.entity_ref`).

What the service declares
-------------------------
- Types: ``org:Organization`` (any organisation, the default) and each concept of the kind
  code list (``kind:cso``, ``kind:foundation``...). A kind is evidence shown in a candidate's
  description, not a filter (see :mod:`kg.reconcile.index`); a type the service does not know
  names no organisation here, so its queries get no candidates.
- Query properties: ``country`` (code or name), ``identifier`` (org-id or Wikidata QID: an
  exact identifier is the same organisation), ``kind``. Other properties are ignored: the
  specification lets clients send what other services declare.
- ``match: true`` only for an identifier match (verdict ``same``). A name, however close, is at
  most a proposal a person confirms: OpenRefine would otherwise accept it without a look.
- Data extension: ``country``, ``kind``, ``identifiers``, ``funders`` (named query
  ``funders-of``: the funders of awards to the organisation itself, "not stated" where an
  award's funder is not) and ``umbrellas`` (``memberships-of``, direct memberships).
- Cross-origin access: the specification requires CORS (JSONP was dropped in v0.2: see
  reconciliation-api/specs#19), so no callback parameter is honoured; the API layer adds
  ``Access-Control-Allow-Origin: *`` to these read-only answers.

Invalid requests raise :class:`~kg.exceptions.InvalidParameterError` naming the parameter and
the place in it (``parameter 'queries': q1: unknown key 'props'``).

References
----------
W3C Entity Reconciliation Community Group, *Reconciliation Service API v0.2* (2020),
https://reconciliation-api.github.io/specs/0.2/.

Examples
--------
>>> from kg.sparql.backend import open_backend
>>> answer = reconcile_batch('{"q0": {"query": "ASTI", "type": "org:Organization"}}',
...                          backend=open_backend())
>>> best = answer["q0"]["result"][0]
>>> best["id"], best["name"], best["match"]
('lu-asti', 'Association de Soutien aux Travailleurs Immigrés', False)
"""

from __future__ import annotations

import contextlib
import html
import json
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from kg import __version__
from kg.entities.profile import entity_ref, search_entities
from kg.entities.resolve import country_codes, name_index, normalise
from kg.exceptions import InvalidParameterError
from kg.namespaces import ID, MI, PREFIXES
from kg.reconcile.index import Candidate, Match, OrgIndex, OrgRecord, organisations
from kg.sparql.backend import Backend
from kg.sparql.named import expand_iri, rows_as_dicts, run_named

__all__ = [
    "GENERIC_TYPE",
    "MAX_BATCH",
    "MAX_LIMIT",
    "PREVIEW_SIZE",
    "extend",
    "manifest",
    "preview_html",
    "propose_properties",
    "reconcile_batch",
    "service",
    "suggest",
]

#: The type of every organisation (W3C ORG), the default type.
GENERIC_TYPE = {"id": "org:Organization", "name": "Organisation (any kind)"}
#: Queries in one batch (OpenRefine sends 10 by default).
MAX_BATCH = 1_000
#: Candidates per query.
MAX_LIMIT = 100
#: Width and height (pixels) of the preview in the client's frame.
PREVIEW_SIZE = (400, 220)

_QUERY_KEYS = ("query", "type", "limit", "properties", "type_strict")
_QUERY_PROPERTIES = {
    "country": "Country (ISO code or name)",
    "identifier": "Identifier (org-id such as GB-CHC-1164883, or a Wikidata QID)",
    "kind": "Kind of organisation (kind:cso, foundation...)",
}
_EXTEND_PROPERTIES = {
    "country": ("Country", "ISO 3166-1 code of the organisation's country"),
    "kind": ("Kind", "Its kinds (SIRIUS typology and code list)"),
    "identifiers": ("Identifiers", "Register identifiers (org-id) and Wikidata QIDs"),
    "funders": ("Funders", "Funders of awards to the organisation itself (named query funders-of)"),
    "umbrellas": ("Umbrella bodies", "Bodies it is a direct member of (query memberships-of)"),
}  # fmt: skip
_ORG_TYPE = {"id": "org:Organization", "name": "Organisation"}


@dataclass
class _Graph:
    """What the service reads once per backend: the index, the organisations and the kinds."""

    index: OrgIndex
    records: dict[str, OrgRecord]
    kinds_of: dict[str, list[str]]
    kinds: dict[str, str]  # kind IRI → label
    countries: dict[str, str]  # normalised name or code → code


_GRAPHS: WeakKeyDictionary[Any, _Graph] = WeakKeyDictionary()


def _graph(backend: Backend) -> _Graph:
    with contextlib.suppress(KeyError, TypeError):
        return _GRAPHS[backend]
    records = organisations(backend)
    countries = country_codes(name_index(backend))
    kinds = {
        r["concept"]: str(r["label"])
        for r in rows_as_dicts(run_named("entities/vocab-labels", backend=backend))
        if str(r["concept"]).startswith(PREFIXES["kind"])
    }
    kinds_of: dict[str, list[str]] = defaultdict(list)
    for row in rows_as_dicts(run_named("reconcile/organisations", backend=backend)):
        if row["field"] == "kind":
            kinds_of[row["org"]].append(str(row["value"]))
    graph = _Graph(
        index=OrgIndex.from_records(records, country_names=countries),
        records={r.iri: r for r in records},
        kinds_of=dict(kinds_of),
        kinds=kinds,
        countries=countries,
    )
    with contextlib.suppress(TypeError):  # a backend without weak references: no cache
        _GRAPHS[backend] = graph
    return graph


def _iri(ref: str) -> str:
    """Return the IRI of an organisation reference (``lu-asti``, ``actor:lu-asti`` or an IRI)."""
    try:
        return expand_iri(ref.strip(), "actor")
    except ValueError:
        return ref


def _kind_ref(iri: str) -> str:
    return "kind:" + iri.removeprefix(PREFIXES["kind"])


# -- manifest ------------------------------------------------------------------------------------


def manifest(base: str) -> dict[str, Any]:
    """Return the service manifest, its URLs under ``base`` (the server's address).

    Parameters
    ----------
    base : str
        The server's base URL, without a trailing slash (``http://127.0.0.1:8000``).

    Returns
    -------
    dict
        The manifest (schema ``manifest.json`` of the specification).
    """
    root = base.rstrip("/")
    width, height = PREVIEW_SIZE
    return {
        "versions": ["0.2"],
        "name": "Integration knowledge graph: organisations",
        "identifierSpace": ID + "org/",
        "schemaSpace": MI,
        "documentation": f"{root}/handbook/how-to/reconcile/",
        "serviceVersion": __version__,
        "defaultTypes": [GENERIC_TYPE],
        "view": {"url": f"{root}/org/{{{{id}}}}"},
        "preview": {
            "url": f"{root}/reconcile/preview?id={{{{id}}}}",
            "width": width,
            "height": height,
        },  # fmt: skip
        "suggest": {
            what: {"service_url": root, "service_path": f"/reconcile/suggest/{what}"}
            for what in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/reconcile/properties"},
            "property_settings": [],
        },
    }


# -- reconciliation queries ----------------------------------------------------------------------


def _json(text: str | Any, param: str) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameterError(
            param, f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:  # "[[[[..." thousands deep: Python's parser gives up
        raise InvalidParameterError(param, "JSON nested too deeply") from None


def _bad(where: str, message: str) -> InvalidParameterError:
    return InvalidParameterError("queries", f"{where}: {message}")


@dataclass(frozen=True)
class _Query:
    name: str
    country: str | None
    identifiers: tuple[str, ...]
    kind: str | None
    limit: int
    known_type: bool


def _values(key: str, pid: str, v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, dict):
            if not isinstance(item.get("id"), str):
                raise _bad(key, f"property {pid!r}: an entity value needs a string 'id'")
            out.append(item["id"])
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            out.append(str(item))
        else:
            raise _bad(key, f"property {pid!r}: a value must be a string, number or {{id}}")
    return out


def _country(key: str, value: str, graph: _Graph) -> str:
    code = graph.countries.get(normalise(value))
    if code is None:
        raise _bad(key, f"property 'country': no country matches {value!r}")
    return code


def _kind_of(value: str, graph: _Graph) -> str | None:
    """Return the kind IRI that ``value`` names (``kind:cso``, ``cso``, an IRI, a label)."""
    raw = value.strip()
    for iri in (raw, PREFIXES["kind"] + raw.removeprefix("kind:")):
        if iri in graph.kinds:
            return iri
    by_label = [i for i, label in graph.kinds.items() if normalise(label) == normalise(raw)]
    return by_label[0] if len(by_label) == 1 else None


def _parse_query(key: str, q: Any, graph: _Graph) -> _Query:
    if not isinstance(q, dict):
        raise _bad(key, "a query must be a JSON object")
    unknown = sorted(set(q) - set(_QUERY_KEYS))
    if unknown:
        raise _bad(key, f"unknown key {unknown[0]!r} (allowed: {', '.join(_QUERY_KEYS)})")
    name = q.get("query", "")
    if not isinstance(name, str):
        raise _bad(key, "'query' must be a string")
    props = q.get("properties", [])
    if not isinstance(props, list):
        raise _bad(key, "'properties' must be a list")
    if "query" not in q and not props:
        raise _bad(key, "needs a 'query' string or at least one property")
    limit = q.get("limit", 5)
    if (
        isinstance(limit, bool)
        or not isinstance(limit, (int, float))
        or not math.isfinite(limit)  # Python's JSON reads NaN and Infinity
        or limit < 0
    ):
        raise _bad(key, f"'limit' must be a number of candidates, 0 or more, got {limit!r}")
    strict = q.get("type_strict", "any")
    if strict not in ("any", "should", "all"):
        raise _bad(key, f"'type_strict' must be any, should or all, got {strict!r}")
    types = q.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise _bad(key, "'type' must be a type identifier or a list of them")
    kind, known_type = None, not types
    for t in types:
        if t in (GENERIC_TYPE["id"], "http://www.w3.org/ns/org#Organization"):
            known_type = True
        elif (k := _kind_of(t, graph)) is not None:
            known_type, kind = True, kind or k
    country, identifiers = None, []
    for i, prop in enumerate(props):
        if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str) or "v" not in prop:
            raise _bad(key, f"properties[{i}] must be an object with 'pid' and 'v'")
        pid, values = prop["pid"], _values(key, prop["pid"], prop["v"])
        if pid == "country" and values:
            country = _country(key, values[0], graph)
        elif pid == "identifier":
            identifiers += values
        elif pid == "kind" and values:
            kind = _kind_of(values[0], graph) or values[0]
    return _Query(name, country, tuple(identifiers), kind, min(int(limit), MAX_LIMIT), known_type)


def _result(match: Match, query: _Query, graph: _Graph) -> list[dict[str, Any]]:
    out = []
    for c in match.candidates:
        kinds = graph.kinds_of.get(c.iri, [])
        out.append(
            {
                "id": entity_ref(c.iri),
                "name": c.label,
                "description": _description(match, c),
                "score": c.score,
                "match": match.verdict == "same",
                "type": [{"id": _kind_ref(k), "name": graph.kinds.get(k, _kind_ref(k))}
                         for k in kinds] or [_ORG_TYPE],
                "features": [
                    {"id": "score", "value": c.score},
                    {"id": "identifier_match", "value": match.verdict == "same"
                     or any(r.startswith("identifier ") for r in c.reasons)},
                    {"id": "country_agrees", "value": query.country is not None
                     and c.country == query.country},
                ],
            }
        )  # fmt: skip
    return out


def _description(match: Match, c: Candidate) -> str:
    verdict = match.verdict if c is match.candidates[0] else "candidate"
    return f"{verdict} · {c.country or 'country not stated'} · " + "; ".join(c.reasons)


def reconcile_batch(queries: str | Mapping[str, Any], *, backend: Backend) -> dict[str, Any]:
    """Answer a batch of reconciliation queries (the ``queries`` parameter).

    Parameters
    ----------
    queries : str or mapping
        The batch as JSON text or already parsed: ``{"q0": {"query": "ASTI", "properties":
        [{"pid": "country", "v": "LU"}]}, ...}``.
    backend : Backend
        The graph.

    Returns
    -------
    dict
        ``{"q0": {"result": [candidate, ...]}, ...}`` (schema ``reconciliation-result-batch``).

    Raises
    ------
    InvalidParameterError
        The batch is not JSON, not an object of queries, too large, or a query is malformed
        (the message names the query key and the problem).
    """
    batch = _json(queries, "queries")
    if not isinstance(batch, dict):
        raise InvalidParameterError("queries", "must be a JSON object of queries")
    if len(batch) > MAX_BATCH:
        raise InvalidParameterError(
            "queries", f"{len(batch)} queries in one batch, at most {MAX_BATCH}"
        )
    graph = _graph(backend)
    parsed = {key: _parse_query(str(key), q, graph) for key, q in batch.items()}
    out: dict[str, Any] = {}
    for key, q in parsed.items():
        if not q.known_type:
            out[key] = {"result": []}
            continue
        m = graph.index.match(
            q.name, country=q.country, identifiers=q.identifiers, kind=q.kind, limit=q.limit
        )
        out[key] = {"result": _result(m, q, graph)}
    return out


# -- suggest -------------------------------------------------------------------------------------


def suggest(what: str, prefix: str, *, backend: Backend, limit: int = 10) -> dict[str, Any]:
    """Suggest entities, types or properties whose names contain ``prefix`` (autocomplete).

    Parameters
    ----------
    what : {"entity", "type", "property"}
        What to suggest.
    prefix : str
        What the user typed so far.
    backend : Backend
        The graph.
    limit : int
        At most this many suggestions.

    Returns
    -------
    dict
        ``{"result": [{"id", "name", "description"?}, ...]}``.
    """
    text = prefix.strip()
    if what == "entity":
        found = search_entities(text, limit=limit, backend=backend) if text else []
        result = [
            {"id": r["ref"], "name": r["label"] or r["ref"]}
            | ({"description": f"{r['country']} · matched {r['matched']}"} if r["country"] else {})
            for r in found
        ]
        return {"result": result}
    key = normalise(text)
    if what == "type":
        graph = _graph(backend)
        types = [GENERIC_TYPE] + [
            {"id": _kind_ref(iri), "name": label} for iri, label in sorted(graph.kinds.items())
        ]
        hits = [t for t in types if key in normalise(t["name"]) or key in normalise(t["id"])]
        return {"result": hits[:limit]}
    if what == "property":
        props = [{"id": p, "name": n} for p, n in _QUERY_PROPERTIES.items()] + [
            {"id": p, "name": n, "description": d}
            for p, (n, d) in _EXTEND_PROPERTIES.items()
            if p not in _QUERY_PROPERTIES
        ]
        hits = [p for p in props if key in normalise(p["name"]) or key in normalise(p["id"])]
        return {"result": hits[:limit]}
    raise InvalidParameterError(
        "what", f"nothing to suggest for {what!r}: entity, type or property"
    )


# -- preview -------------------------------------------------------------------------------------

#: The preview's only style, allowed by its hash in the page's Content-Security-Policy.
PREVIEW_STYLE = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:8px;color:#222}"
    "h1{font-size:16px;margin:0 0 4px}p,ul{margin:2px 0}ul{padding-left:18px}"
    ".muted{color:#666}"
)


def preview_html(ref: str, *, backend: Backend) -> str:
    """Return the preview of an organisation: a small HTML page for the client's frame.

    Parameters
    ----------
    ref : str
        The organisation's identifier as the service gives it (``lu-asti``).
    backend : Backend
        The graph.

    Returns
    -------
    str
        The page: label, other names, country, kinds and identifiers, escaped; no script, and
        nothing loaded from anywhere (its one style is inline, allowed by hash).

    Raises
    ------
    InvalidParameterError
        No organisation has that identifier (parameter ``id``).
    """
    graph = _graph(backend)
    record = graph.records.get(_iri(ref))
    if record is None:
        raise InvalidParameterError("id", f"no organisation {ref!r}")
    e = html.escape
    kinds = [graph.kinds.get(k, _kind_ref(k)) for k in graph.kinds_of.get(record.iri, [])]
    other = record.names[1:]
    country = record.country or "country not stated"
    rows = [
        f"<h1>{e(record.names[0])}</h1>",
        f"<p>{e(country)} · {e(', '.join(kinds) or 'kind not stated')}</p>",
    ]
    if other:
        rows.append(f"<p class=muted>Also: {e('; '.join(other))}</p>")
    if record.identifiers:
        rows.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in record.identifiers) + "</ul>")
    else:
        rows.append("<p class=muted>No register identifier stated.</p>")
    rows.append(f"<p class=muted>{e(record.iri)}</p>")
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{e(record.names[0])}</title><style>{PREVIEW_STYLE}</style></head>"
        f"<body>{''.join(rows)}</body></html>"
    )


# -- data extension ------------------------------------------------------------------------------


def propose_properties(type_id: str | None, limit: int | None, *, backend: Backend) -> dict:
    """Return the properties that data extension offers for a type.

    Raises
    ------
    InvalidParameterError
        ``type`` is missing or names no type of this service; ``limit`` is below 0.
    """
    if not type_id:
        raise InvalidParameterError("type", "required (org:Organization or a kind:...)")
    graph = _graph(backend)
    if type_id not in (GENERIC_TYPE["id"], "http://www.w3.org/ns/org#Organization") and (
        _kind_of(type_id, graph) is None
    ):
        raise InvalidParameterError(
            "type", f"no type {type_id!r} here (org:Organization or kind:cso, ...)"
        )
    if limit is not None and limit < 0:
        raise InvalidParameterError("limit", f"must be 0 or more, got {limit}")
    props = [{"id": p, "name": n, "description": d} for p, (n, d) in _EXTEND_PROPERTIES.items()]
    out: dict[str, Any] = {"type": type_id, "properties": props[:limit] if limit else props}
    if limit is not None:
        out["limit"] = limit
    return out


def _bad_extend(message: str) -> InvalidParameterError:
    return InvalidParameterError("extend", message)


def _extend_values(prop: str, iri: str, graph: _Graph, backend: Backend) -> list[dict]:
    record = graph.records.get(iri)
    if record is None:
        return []
    if prop == "country":
        return [{"str": record.country}] if record.country else []
    if prop == "kind":
        return [
            {"id": _kind_ref(k), "name": graph.kinds.get(k, _kind_ref(k))}
            for k in graph.kinds_of.get(iri, [])
        ]
    if prop == "identifiers":
        return [{"str": i} for i in record.identifiers]
    if prop == "funders":
        rows = rows_as_dicts(run_named("funders-of", {"org": iri}, backend=backend))
        seen: dict[str, dict] = {}
        for r in rows:
            if r.get("funder"):
                seen.setdefault(r["funder"], {"id": entity_ref(r["funder"]),
                                              "name": str(r["funder_label"])})  # fmt: skip
            else:
                seen.setdefault("", {"str": "not stated"})
        return list(seen.values())
    rows = rows_as_dicts(run_named("memberships-of", {"org": iri}, backend=backend))
    bodies = {r["body"]: str(r["body_label"]) for r in rows if r.get("depth") == "direct"}
    return [{"id": entity_ref(b), "name": label} for b, label in bodies.items()]


def extend(query: str | Mapping[str, Any], *, backend: Backend) -> dict[str, Any]:
    """Answer a data extension query (the ``extend`` parameter).

    Parameters
    ----------
    query : str or mapping
        ``{"ids": ["lu-asti", ...], "properties": [{"id": "country"}, {"id": "funders"}]}``.
    backend : Backend
        The graph.

    Returns
    -------
    dict
        ``{"meta": [...], "rows": {id: {property: [value, ...]}}}`` (schema
        ``data-extension-response``); an identifier of no organisation gets empty lists.

    Raises
    ------
    InvalidParameterError
        Not JSON, no ``ids`` or ``properties`` list, an unknown property.
    """
    q = _json(query, "extend")
    if not isinstance(q, dict):
        raise _bad_extend("must be a JSON object with 'ids' and 'properties'")
    ids, props = q.get("ids"), q.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _bad_extend("'ids' must be a list of identifiers")
    if not isinstance(props, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in props
    ):
        raise _bad_extend("'properties' must be a list of objects with an 'id'")
    if len(ids) > MAX_BATCH:
        raise _bad_extend(f"{len(ids)} ids in one query, at most {MAX_BATCH}")
    wanted = [p["id"] for p in props]
    unknown = [p for p in wanted if p not in _EXTEND_PROPERTIES]
    if unknown:
        raise _bad_extend(
            f"unknown property {unknown[0]!r} (known: {', '.join(_EXTEND_PROPERTIES)})"
        )
    for p in props:
        if "settings" in p and not isinstance(p["settings"], dict):
            raise _bad_extend(f"property {p['id']!r}: 'settings' must be an object")
    graph = _graph(backend)
    meta = []
    for p in wanted:
        entry: dict[str, Any] = {"id": p, "name": _EXTEND_PROPERTIES[p][0]}
        if p in ("funders", "umbrellas"):
            entry["type"] = _ORG_TYPE
        meta.append(entry)
    rows = {ref: {p: _extend_values(p, _iri(ref), graph, backend) for p in wanted} for ref in ids}
    return {"meta": meta, "rows": rows}


# -- the service URL -----------------------------------------------------------------------------


def service(params: Mapping[str, Any], base: str, *, backend: Backend) -> dict[str, Any]:
    """Answer a request to the service URL: manifest, reconciliation batch or data extension.

    Parameters
    ----------
    params : mapping
        The request's parameters (query string and form together): ``queries`` or ``extend``,
        or neither for the manifest. A ``query`` parameter (one query, the v0.1 form) is
        refused with a message saying to send ``queries``.
    base : str
        The server's base URL, for the manifest.
    backend : Backend
        The graph.

    Returns
    -------
    dict
        The answer's JSON.
    """
    if "queries" in params and "extend" in params:
        raise InvalidParameterError("queries", "send queries or extend, not both")
    if "queries" in params:
        return reconcile_batch(params["queries"], backend=backend)
    if "extend" in params:
        return extend(params["extend"], backend=backend)
    if "query" in params:
        raise InvalidParameterError(
            "query", 'send a batch as queries={"q0": {"query": ...}} (API v0.2)'
        )
    return manifest(base)
