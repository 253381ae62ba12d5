"""Write a projected network as JSON-LD: plain JSON for programs, RDF through its context.

The document reads as plain JSON (``nodes`` and ``edges`` lists, short keys) and as RDF
through its ``@context``: nodes are the graph's own IRIs with ``skos:prefLabel``,
``org:classification`` (kind concepts), ``mi:country`` (country concepts) and the typology
position (``net:position``, with ``net:positionLevel`` saying at which level it was assessed);
each edge is a node of type ``net:Edge`` with ``net:source``, ``net:target``,
``net:relation``, ``net:weight``, ``mi:startYear``/``mi:endYear`` where stated, and
``prov:wasDerivedFrom`` the qualified nodes (awards, memberships, partnerships) it stands for,
whose quotes and source titles follow as ordered lists. ``net:`` is
``https://w3id.org/integration-kg/network#``, a small export vocabulary for network structure
that keeps these statements apart from the curated graph's.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.namespaces import NETWORK as NET
from kg.namespaces import PREFIXES

__all__ = ["JSONLD_CONTEXT", "network_jsonld"]

_MISSING = {"", "-", "unassessed", "none", None}

# Prefixes named like a term ("kind", "country", "position") would be shadowed by the term:
# values of those terms are written as full IRIs instead.
_TERMS = ("kind", "country", "position")
JSONLD_CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    **{p: ns for p, ns in PREFIXES.items() if p not in _TERMS},
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "net": NET,
    "id": "@id",
    "type": "@type",
    "name": "dcterms:title",
    "directed": {"@id": "net:directed", "@type": "xsd:boolean"},
    "nodes": {"@id": "net:node", "@container": "@set"},
    "edges": {"@id": "net:edge", "@container": "@set"},
    "label": "skos:prefLabel",
    "kind": {"@id": "org:classification", "@type": "@id", "@container": "@set"},
    "country": {"@id": "mi:country", "@type": "@id"},
    "position": {"@id": "net:position", "@type": "@id", "@container": "@set"},
    "position_level": "net:positionLevel",
    "node_type": "net:nodeType",
    "source": {"@id": "net:source", "@type": "@id"},
    "target": {"@id": "net:target", "@type": "@id"},
    "relation": "net:relation",
    "weight": {"@id": "net:weight", "@type": "xsd:decimal"},
    "awards": {"@id": "net:awards", "@type": "xsd:integer"},
    "start": {"@id": "mi:startYear", "@type": "xsd:integer"},
    "end": {"@id": "mi:endYear", "@type": "xsd:integer"},
    "derived_from": {"@id": "prov:wasDerivedFrom", "@type": "@id", "@container": "@set"},
    "quotes": {"@id": "net:quote", "@container": "@list"},
    "sources": {"@id": "net:sourceTitle", "@container": "@list"},
}


def _compact(iri: str) -> str:
    """``actor:lu-asti`` for IRIs under a context prefix (shorter files), else the IRI."""
    best = max(
        (
            (p, ns)
            for p, ns in PREFIXES.items()
            if p not in _TERMS and iri.startswith(ns) and len(iri) > len(ns)
        ),
        key=lambda pn: len(pn[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def network_jsonld(g: nx.Graph, *, name: str | None = None) -> dict[str, Any]:
    """Return the network as a JSON-LD document with the project's context.

    Parameters
    ----------
    g : networkx.Graph
        A projection (any kind, multigraphs included).
    name : str, optional
        Network name; defaults to ``g.graph["name"]``.

    Returns
    -------
    dict
        ``{"@context", "id", "type", "name", "directed", "nodes", "edges"}`` (see the module
        docstring). Amounts become ``net:amount<CUR>`` decimals.
    """
    net_name = name or str(g.graph.get("name") or "network")
    context = dict(JSONLD_CONTEXT)
    nodes = []
    for v, d in g.nodes(data=True):
        node: dict[str, Any] = {"id": _compact(str(v)), "type": "net:Node"}
        if d.get("label"):
            node["label"] = d["label"]
        kinds = [k for k in str(d.get("kinds") or d.get("kind") or "").split() if k not in _MISSING]
        if kinds and d.get("type", "organisation") == "organisation":
            node["kind"] = [PREFIXES["kind"] + k for k in kinds]
        if d.get("country") not in _MISSING:
            node["country"] = PREFIXES["country"] + str(d["country"])
        if d.get("position") not in _MISSING:
            node["position"] = [PREFIXES["position"] + p for p in str(d["position"]).split("|")]
            node["position_level"] = d.get("position_level")
        if d.get("type"):
            node["node_type"] = d["type"]
        nodes.append(node)
    edges = []
    for u, v, d in g.edges(data=True):
        edge: dict[str, Any] = {
            "type": "net:Edge",
            "source": _compact(str(u)),
            "target": _compact(str(v)),
            "relation": d.get("relation"),
            "weight": d.get("weight", 1),
        }
        for key in ("awards", "start", "end"):
            if d.get(key) is not None:
                edge[key] = d[key]
        rels = [r for r in d.get("relations") or [] if r]
        if rels:
            edge["derived_from"] = [_compact(str(r)) for r in rels]
        if d.get("quotes"):
            edge["quotes"] = list(d["quotes"])
            edge["sources"] = list(d.get("sources") or [])
        for key, value in d.items():
            if key.startswith("amount_"):
                term = "amount" + key.removeprefix("amount_")
                context.setdefault(term, {"@id": f"net:{term}", "@type": "xsd:decimal"})
                edge[term] = value
        edges.append(edge)
    return {
        "@context": context,
        "id": f"{NET}{net_name}",
        "type": "net:Network",
        "name": net_name,
        "directed": g.is_directed(),
        "nodes": nodes,
        "edges": edges,
    }
