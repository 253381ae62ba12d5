"""Project the graph's relations to NetworkX graphs, defined by ``queries/projections/*.rq``.

Conventions
-----------
- Node keys are IRI strings. Node attributes: ``label``, ``kind`` (the first kind slug),
  ``kinds`` (all, space-separated), ``country`` (ISO code or ``"-"``), ``type``
  (``organisation`` or ``programme``), ``position`` and ``position_level``.
- ``position`` is the SIRIUS typology position used as a node attribute, and
  ``position_level`` says where it comes from: ``organisation`` (an organisation-level, non-negated
  assessment of that organisation), ``kind`` or ``country`` (only on a *group* node: an assessment
  of that group, e.g. "some organisations in Denmark"), or ``none`` (``position`` is then
  ``"unassessed"``). ``position_quantifier`` keeps the source's quantifier ("some", "a number
  of", ...). A group's position is never given to the organisations of its country or kind:
  municipalities, ministries or companies are not CSOs, and "some organisations" are not each one.
- Edges carry ``relation`` (funding, membership, partnership, referral, placement, revenue),
  the IRIs of the qualified nodes behind them (``relations``), their ``quotes`` and ``sources``,
  and ``start``/``end`` years where stated. Funding edges add ``awards`` (count) and
  ``amount_<CUR>`` (sum per currency, never converted).
- Time slices (``year`` or ``start``/``end``) keep relations whose period overlaps the window;
  undated relations are kept unless ``dated_only`` (most source statements carry no dates).
- Bipartite graphs follow networkx's convention: node attribute ``bipartite`` 0 for
  organisations, 1 for programmes or umbrella bodies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.exceptions import InvalidParameterError, UnknownNetworkError
from kg.network.catalogue import NETWORK_INFO, NETWORKS, unknown_network_message
from kg.sparql.backend import Backend
from kg.sparql.named import get_query, run_query, term_value

__all__ = ["NETWORKS", "node_table", "project", "to_simple_digraph"]

_DIRECTED_LAYERS = ("membership", "referral", "placement", "revenue")


def _rows(name: str, backend: Any) -> list[dict[str, Any]]:
    q = get_query(f"projections/{name}")
    res = run_query(q, backend=backend)
    return [{c: term_value(r.get(c)) for c in res.columns} for r in res.rows]


def _overlaps(row: dict[str, Any], lo: int | None, hi: int | None, dated_only: bool) -> bool:
    s, e = row.get("start"), row.get("end")
    if s is None and e is None:
        return not dated_only
    if lo is not None and e is not None and e < lo:
        return False
    return not (hi is not None and s is not None and s > hi)


def node_table(backend: Any) -> dict[str, dict[str, Any]]:
    """Return node attributes for every organisation and programme (see module conventions)."""
    nodes: dict[str, dict[str, Any]] = {}
    for r in _rows("nodes", backend):
        kinds = sorted((r.get("kinds") or "").split())
        nodes[r["node"]] = {
            "label": r.get("label") or r["node"].rsplit("/", 1)[-1],
            "kind": kinds[0] if kinds else "-",
            "kinds": " ".join(kinds),
            "country": r.get("country") or "-",
            "type": r.get("type") or "organisation",
            "position": "unassessed",
            "position_level": "none",
        }
    org_pos: dict[str, set[str]] = {}
    group_pos: dict[str, tuple[set[str], str, set[str]]] = {}
    for r in _rows("positions", backend):
        if r.get("negated"):
            continue
        level, pos = r.get("level"), r["position"]
        if level == "organisation" and r["target"] in nodes:
            org_pos.setdefault(r["target"], set()).add(pos)
        elif r["target"] in nodes:
            # A group-level assessment belongs to the group node only (never fanned out).
            entry = group_pos.setdefault(r["target"], (set(), level or "kind", set()))
            entry[0].add(pos)
            if r.get("quantifier"):
                entry[2].add(r["quantifier"])
    for iri, attrs in nodes.items():
        attrs.setdefault("position_quantifier", "-")
        if iri in org_pos:
            # Several positions for one node are kept together, so that a partition by position
            # treats a mixed assessment as its own group instead of silently picking one.
            attrs["position"] = "|".join(sorted(org_pos[iri]))
            attrs["position_level"] = "organisation"
        elif iri in group_pos and attrs.get("type") == "group":
            found, level, quants = group_pos[iri]
            attrs["position"] = "|".join(sorted(found))
            attrs["position_level"] = level
            attrs["position_quantifier"] = "|".join(sorted(quants)) or "-"
    return nodes


def _add_edge(g: nx.Graph, u: str, v: str, row: dict[str, Any], relation: str) -> None:
    if u == v:
        return
    if isinstance(g, nx.MultiGraph):
        g.add_edge(u, v, relation=relation, relations=[row.get("rel") or row.get("award")])
        data = g.edges[u, v, max(g[u][v])]
    else:
        if not g.has_edge(u, v):
            g.add_edge(u, v, relation=relation, relations=[], quotes=[], sources=[], weight=0)
        data = g.edges[u, v]
        data["relations"].append(row.get("rel") or row.get("award"))
    data["weight"] = data.get("weight", 0) + 1
    data.setdefault("quotes", [])
    data.setdefault("sources", [])
    if row.get("quote"):
        data["quotes"].append(row["quote"])
        data["sources"].append(row.get("doc") or "")
    for key in ("start", "end"):
        if row.get(key) is not None:
            old = data.get(key)
            pick = min if key == "start" else max
            data[key] = row[key] if old is None else pick(old, row[key])
    if relation == "funding":
        data["awards"] = data.get("awards", 0) + 1
        if row.get("amount") is not None and row.get("currency"):
            k = f"amount_{row['currency']}"
            data[k] = data.get(k, 0) + row["amount"]


def _funding_edges(
    rows: Iterable[dict[str, Any]], through_programmes: bool
) -> Iterable[tuple[str, str, dict[str, Any]]]:
    for r in rows:
        target = r.get("recipient") or r.get("project")
        if target is None:
            continue
        funder = r.get("funder") or r.get("manager")
        if through_programmes and r.get("programme"):
            if funder:
                yield funder, r["programme"], r
            yield r["programme"], target, r
        elif funder:
            yield funder, target, r
        elif r.get("programme"):
            # No funder stated: the programme itself is the source of the money.
            yield r["programme"], target, r


def project(
    name: str,
    *,
    year: int | None = None,
    start: int | None = None,
    end: int | None = None,
    dated_only: bool = False,
    backend: Backend,
) -> nx.Graph:
    """Build the named network as a NetworkX graph.

    Parameters
    ----------
    name : str
        One of :data:`NETWORKS`: ``funding`` (funder → recipient, programmes collapsed: an
        award with no stated funder comes from its programme's manager, else the programme),
        ``funding-programmes`` (funder → programme → recipient), ``membership`` (member →
        body), ``partnership`` (undirected), ``referral``, ``placement`` (sender → host),
        ``revenue``, ``all`` (a MultiDiGraph with edge attribute ``relation``; partnerships in
        both directions), ``org-programme`` and ``org-umbrella`` (bipartite).
    year : int, optional
        Keep relations whose period overlaps this year (same as ``start=end=year``).
    start, end : int, optional
        Keep relations whose period overlaps ``[start, end]``.
    dated_only : bool
        Drop relations that state no period.
    backend : Backend
        Where the graph is read from.

    Returns
    -------
    networkx.Graph
        DiGraph, Graph or MultiDiGraph with the node and edge attributes of the module docstring.
        Only nodes that take part in at least one relation are included.

    Raises
    ------
    ProjectionError
        Unknown network name or an empty window.
    """
    if name not in NETWORKS:
        raise UnknownNetworkError(unknown_network_message(name))
    lo, hi = (year, year) if year is not None else (start, end)
    if lo is not None and hi is not None and lo > hi:
        raise InvalidParameterError("start", f"start year {lo} is after end year {hi}")
    be = backend
    nodes = node_table(be)

    def keep(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if _overlaps(r, lo, hi, dated_only)]

    g: nx.Graph
    if name in ("funding", "funding-programmes"):
        g = nx.DiGraph(name=name)
        for u, v, r in _funding_edges(keep(_rows("funding", be)), name == "funding-programmes"):
            _add_edge(g, u, v, r, "funding")
    elif name == "partnership":
        g = nx.Graph(name=name)
        for r in keep(_rows("partnership", be)):
            _add_edge(g, r["source"], r["target"], r, "partnership")
    elif name in _DIRECTED_LAYERS:
        g = nx.DiGraph(name=name)
        for r in keep(_rows(name, be)):
            _add_edge(g, r["source"], r["target"], r, name)
    elif name == "all":
        g = nx.MultiDiGraph(name=name)
        for u, v, r in _funding_edges(keep(_rows("funding", be)), False):
            _add_edge(g, u, v, r, "funding")
        for layer in _DIRECTED_LAYERS:
            for r in keep(_rows(layer, be)):
                _add_edge(g, r["source"], r["target"], r, layer)
        for r in keep(_rows("partnership", be)):
            _add_edge(g, r["source"], r["target"], r, "partnership")
            _add_edge(g, r["target"], r["source"], r, "partnership")
    else:  # bipartite
        g = nx.Graph(name=name)
        if name == "org-programme":
            for r in keep(_rows("funding", be)):
                target = r.get("recipient")
                if target and r.get("programme"):
                    _add_edge(g, target, r["programme"], r, "funding")
            tops = {v for _, v in g.edges() if nodes.get(v, {}).get("type") == "programme"}
        else:
            for r in keep(_rows("membership", be)):
                _add_edge(g, r["source"], r["target"], r, "membership")
            tops = {r["target"] for r in _rows("membership", be)}
        for n in g.nodes:
            g.nodes[n]["bipartite"] = 1 if n in tops else 0
    for n in g.nodes:
        g.nodes[n].update(
            nodes.get(
                n,
                {
                    "label": n.rsplit("/", 1)[-1],
                    "kind": "project",
                    "kinds": "project",
                    "country": "-",
                    "type": "project",
                    "position": "unassessed",
                    "position_level": "none",
                    "position_quantifier": "-",
                },
            )
        )
    # What figures and exports call the network ("Funding", "All relations", ...).
    g.graph["title"] = NETWORK_INFO[name][0]
    return g


def to_simple_digraph(g: nx.Graph) -> nx.DiGraph:
    """Collapse a (multi)graph to a DiGraph: undirected edges become reciprocal pairs."""
    d = nx.DiGraph()
    d.add_nodes_from(g.nodes(data=True))
    for u, v in g.edges():
        d.add_edge(u, v)
        if not g.is_directed():
            d.add_edge(v, u)
    return d
