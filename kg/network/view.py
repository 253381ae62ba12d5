"""Networks as the explorer draws them: projection + seeded layout + metrics, cached.

Conventions
-----------
- :func:`network_view` returns plain JSON: ``{name, title, directed, multi, nodes, edges,
  message, meta}``. Nodes carry the projection's attributes (``label``, ``kind``, ``kinds``,
  ``country``, ``type``, ``position``, ``position_level``), a short ``ref`` for
  ``/org/{ref}``, precomputed ``x``/``y`` (:func:`kg.viz.layout.layout_positions`, seeded),
  ``degree`` / ``in_degree`` / ``out_degree``, ``betweenness`` (normalised, networkx's
  convention) and the Gould–Fernandez brokerage counts ``brokerage_<role>`` with the node's
  kind as the partition (other partitions through :func:`network_metrics`), and ``community``
  (Leiden, seeded: :func:`kg.network.clusters.communities`).
- Edges keep every projection attribute (``relation``, ``weight``, ``quotes``, ``sources``,
  ``relations``, ``start``, ``end``, ``awards``, ``amount_<CUR>``); unstated ones (None or an
  empty list) are left out. In the combined ``all``
  network a partnership is one undirected edge (``"undirected": true``) rather than the
  projection's pair of opposite arcs.
- ``meta.documents`` maps each source-document title to its file name, so that a page can
  say where a quote can be read; ``meta.labels`` gives readable names of the kind, country
  and position values (:func:`kg.entities.profile.vocab_labels`); ``meta.years`` is the span of the
  stated periods.
- Metrics are computed on the simple directed graph
  (:func:`kg.network.projection.to_simple_digraph`) for the combined network, and on the
  projection itself otherwise.
- Views are cached per (network, window, limit, backend): the graph only changes when the
  server restarts. Networks above ``max_nodes`` nodes are cut to the best-connected nodes,
  and ``message`` says so.
- :func:`register_network` adds a network built by a function (benchmarks, tests and
  user-supplied graphs); such networks take no time window.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.entities.profile import entity_ref, source_files, vocab_labels
from kg.exceptions import InvalidParameterError, UnknownNetworkError
from kg.network.catalogue import NETWORK_INFO, NETWORKS, unknown_network_message
from kg.network.clusters import COMMUNITY_NOTE, communities
from kg.sparql.backend import Backend
from kg.viz.layout import LAYOUT_SEED, layout_positions

__all__ = [
    "BROKERAGE_GROUPS",
    "METRICS",
    "VIEW_MAX_NODES",
    "InvalidParameterError",
    "UnknownNetworkError",
    "clear_cache",
    "list_networks",
    "network_graph",
    "network_metrics",
    "network_view",
    "network_view_json",
    "node_metrics",
    "profile_with_metrics",
    "register_network",
]

#: Title and one-line description of each network the explorer offers.
#: Partitions offered for brokerage.
BROKERAGE_GROUPS = ("kind", "country", "position")
#: Metric families of :func:`network_metrics`.
METRICS = ("brokerage", "structural-holes", "centrality")
#: Largest network drawn whole; above it the best-connected nodes are kept.
VIEW_MAX_NODES = 10_000
#: Exact betweenness up to this many nodes; sampled (``k`` pivots, seeded) above.
EXACT_BETWEENNESS_MAX = 5_000
_BETWEENNESS_SAMPLES = 500
_CACHE_SIZE = 32


@dataclass(frozen=True)
class _Extra:
    factory: Callable[[], nx.Graph]
    title: str
    description: str


_extra: dict[str, _Extra] = {}
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_cache_lock = threading.Lock()
_key_locks: dict[tuple[Any, ...], threading.Lock] = {}


def register_network(
    name: str, factory: Callable[[], nx.Graph], *, title: str = "", description: str = ""
) -> None:
    """Offer a network built by ``factory`` next to the projections (no time window).

    The factory must return a graph whose nodes carry at least ``label`` (``kind``,
    ``country`` and the other projection attributes are filled with ``"-"`` when missing).
    """
    _extra[name] = _Extra(factory, title or name, description)
    clear_cache()


def clear_cache() -> None:
    """Forget every cached view and graph."""
    with _cache_lock:
        _cache.clear()


def list_networks() -> list[dict[str, Any]]:
    """Return ``{name, title, description, directed}`` for every network on offer."""
    out = []
    for name in NETWORKS:
        title, description = NETWORK_INFO.get(name, (name, ""))
        directed = name not in ("partnership", "org-programme", "org-umbrella")
        out.append({"name": name, "title": title, "description": description, "directed": directed})
    for name, extra in _extra.items():
        out.append(
            {"name": name, "title": extra.title, "description": extra.description, "directed": None}
        )
    return out


def _cached(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        lock = _key_locks.setdefault(key, threading.Lock())
    # One computation per key; other keys go on in parallel.
    with lock:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        value = build()
        with _cache_lock:
            _cache[key] = value
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
            _key_locks.pop(key, None)
    return value


def network_graph(
    name: str,
    *,
    year: int | None = None,
    start: int | None = None,
    end: int | None = None,
    dated_only: bool = False,
    backend: Backend,
) -> nx.Graph:
    """Return the named network as a NetworkX graph (projection or registered network).

    Raises
    ------
    UnknownNetworkError
        ``name`` is neither a projection nor a registered network.
    ProjectionError
        A bad time window.
    """
    from kg.network.projection import project

    if name in _extra:
        return _cached(("graph", name), _extra[name].factory)
    if name not in NETWORKS:
        raise UnknownNetworkError(unknown_network_message(name, [*NETWORKS, *_extra]))
    be = backend
    key = ("graph", name, year, start, end, dated_only, be)
    return _cached(
        key,
        lambda: project(name, year=year, start=start, end=end, dated_only=dated_only, backend=be),
    )


def _simple(g: nx.Graph) -> nx.Graph:
    """Return the graph the metrics run on: multigraphs collapse to a simple digraph."""
    if g.is_multigraph():
        from kg.network.projection import to_simple_digraph

        return to_simple_digraph(g)
    return g


def _betweenness(g: nx.Graph) -> tuple[dict[Any, float], str]:
    """Normalised betweenness (networkx's convention) and a note on how it was computed."""
    from kg.metrics.centrality import betweenness

    if g.number_of_nodes() <= EXACT_BETWEENNESS_MAX:
        res = betweenness(g, normalized=True)
        return res.values, f"betweenness: exact, normalised as networkx ({res.implementation})"
    # Exact betweenness of 10,000 nodes takes seconds: too long for a page to wait on.
    res = betweenness(g, normalized=True, k=_BETWEENNESS_SAMPLES, seed=LAYOUT_SEED)
    return res.values, (
        f"betweenness: estimated from {_BETWEENNESS_SAMPLES} seeded sources "
        f"({res.implementation}); a ranking approximation above {EXACT_BETWEENNESS_MAX:,} nodes"
    )


def node_metrics(
    g: nx.Graph, *, group: str = "kind"
) -> tuple[dict[Any, dict[str, Any]], list[str]]:
    """Degree, betweenness and Gould–Fernandez brokerage of every node of ``g``.

    Parameters
    ----------
    g : networkx.Graph
        A projection (multigraphs are collapsed to a simple digraph first).
    group : str
        Node attribute used as the brokerage partition.

    Returns
    -------
    metrics : dict
        ``node -> {degree, in_degree, out_degree, betweenness, brokerage_<role>...}``.
    notes : list of str
        How each metric was computed.
    """
    from kg.metrics.brokerage import ROLES, brokerage

    s = _simple(g)
    out: dict[Any, dict[str, Any]] = {}
    for v in s:
        if s.is_directed():
            ind, outd = s.in_degree(v), s.out_degree(v)
            deg = len(set(s.predecessors(v)) | set(s.successors(v)))
        else:
            ind = outd = deg = s.degree(v)
        out[v] = {"degree": deg, "in_degree": ind, "out_degree": outd}
    bc, note = _betweenness(s)
    notes = [
        "degree: number of distinct neighbours (in and out together); "
        "in_degree/out_degree count arcs of the simple graph",
        note,
    ]
    for v, x in bc.items():
        out[v]["betweenness"] = round(float(x), 6)
    if s.number_of_nodes():
        res = brokerage(s, {v: str(d.get(group, "-")) for v, d in s.nodes(data=True)})
        for row in res.to_rows(sd=False):
            m = out[row["node"]]
            for role in ROLES:
                m[f"brokerage_{role}"] = row[role]
        notes.append(
            "brokerage: Gould-Fernandez role counts (sna conventions) with "
            f"{group} as the partition"
        )
    return out, notes


def _edge_rows(g: nx.Graph) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if g.is_multigraph():
        seen_partnerships: set[tuple[Any, Any, tuple[str, ...]]] = set()
        for u, v, _k, d in g.edges(keys=True, data=True):
            if d.get("relation") == "partnership":
                # The projection stores each partnership as two opposite arcs; draw it once.
                key = (min(u, v), max(u, v), tuple(d.get("relations") or ()))
                if key in seen_partnerships:
                    continue
                seen_partnerships.add(key)
                rows.append({"source": u, "target": v, "undirected": True, **d})
            else:
                rows.append({"source": u, "target": v, **d})
    else:
        rows = [{"source": u, "target": v, **d} for u, v, d in g.edges(data=True)]
    for i, r in enumerate(rows):
        r["id"] = f"e{i}"
    # Unstated values are left out rather than sent as null or []: 50,000 edges of a large
    # network parse noticeably faster in the browser.
    return [{k: v for k, v in r.items() if v is not None and v != []} for r in rows]


def _trim(g: nx.Graph, max_nodes: int) -> nx.Graph:
    """Induced subgraph on the ``max_nodes`` best-connected nodes (ties by key)."""
    ranked = sorted(g.degree(), key=lambda nd: (-nd[1], str(nd[0])))
    return g.subgraph([v for v, _ in ranked[:max_nodes]]).copy()


def _years(edges: list[dict[str, Any]]) -> list[int] | None:
    ys = [e[k] for e in edges for k in ("start", "end") if isinstance(e.get(k), int)]
    return [min(ys), max(ys)] if ys else None


_NODE_DEFAULTS = {
    "label": "",
    "kind": "-",
    "kinds": "-",
    "country": "-",
    "type": "organisation",
    "position": "unassessed",
    "position_level": "none",
    "position_quantifier": "-",
}


def network_view(
    name: str,
    *,
    year: int | None = None,
    start: int | None = None,
    end: int | None = None,
    dated_only: bool = False,
    max_nodes: int | None = VIEW_MAX_NODES,
    backend: Backend,
) -> dict[str, Any]:
    """Return the named network ready to draw: nodes with positions and metrics, and edges.

    Parameters
    ----------
    name : str
        A projection of :data:`kg.network.catalogue.NETWORKS` or a registered network.
    year, start, end : int, optional
        Time window (see :func:`kg.network.projection.project`).
    dated_only : bool
        Drop relations that state no period.
    max_nodes : int or None
        Keep at most this many nodes (the best-connected); ``None`` or ``0`` keeps all.
    backend : Backend
        Where the graph is read from.

    Returns
    -------
    dict
        See the module docstring.

    Raises
    ------
    UnknownNetworkError
        Unknown ``name``.
    ProjectionError
        A bad time window.
    """
    extra = name in _extra
    if extra and (year is not None or start is not None or end is not None or dated_only):
        raise InvalidParameterError("year", f"network {name!r} takes no time window")
    be = None if extra else backend
    limit = max_nodes or None
    key = ("view", name, year, start, end, dated_only, limit, be)

    def build() -> dict[str, Any]:
        g = network_graph(name, year=year, start=start, end=end, dated_only=dated_only, backend=be)
        messages: list[str] = []
        total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
        if limit is not None and total_nodes > limit:
            g = _trim(g, limit)
            messages.append(
                f"This network has {total_nodes:,} nodes and {total_edges:,} edges: showing the "
                f"{limit:,} best-connected nodes ({g.number_of_edges():,} edges). Use the filters "
                "and the years to look at a part, or ask for more with max_nodes (may be slow)."
            )
        if total_nodes == 0:
            windowed = year is not None or start is not None or end is not None or dated_only
            messages.append(
                "No relation of this network falls in the chosen years."
                if windowed
                else "The graph holds no relation of this kind yet."
            )
        elif not extra and not dated_only and (year, start, end) != (None, None, None):
            messages.append(
                "Relations that state no period are kept (most sources give none); "
                "tick 'dated only' to drop them."
            )
        metrics, notes = node_metrics(g)
        parts = communities(g)
        notes.append(COMMUNITY_NOTE)
        pos = layout_positions(g)
        nodes = []
        for v, d in g.nodes(data=True):
            x, y = pos[v]
            node = {"id": v, **_NODE_DEFAULTS, **d}
            if not node["label"]:
                node["label"] = entity_ref(str(v))
            node.update({"ref": entity_ref(str(v)), "x": x, "y": y, **metrics.get(v, {})})
            node["community"] = parts.get(v)
            nodes.append(node)
        edges = _edge_rows(g)
        title, description = (
            (_extra[name].title, _extra[name].description)
            if extra
            else NETWORK_INFO.get(name, (name, ""))
        )
        return {
            "name": name,
            "title": title,
            "description": description,
            "directed": g.is_directed(),
            "multi": g.is_multigraph(),
            "nodes": nodes,
            "edges": edges,
            "message": " ".join(messages),
            "meta": {
                "window": {"year": year, "from": start, "to": end, "dated_only": dated_only},
                "total_nodes": total_nodes,
                "total_edges": total_edges,
                "years": _years(edges),
                "layout": f"igraph Fruchterman-Reingold per component, packed; seed {LAYOUT_SEED}",
                "metrics": notes,
                "brokerage_group": "kind",
                "documents": {} if extra else _documents(be),
                "labels": {} if extra else vocab_labels(backend=be),
            },
        }

    return _cached(key, build)


def network_view_json(name: str, **kwargs: Any) -> bytes:
    """:func:`network_view` serialised as compact UTF-8 JSON (cached with the view).

    Serialising 10,000 nodes and 50,000 edges takes longer than drawing them, so the bytes are
    kept next to the view rather than rebuilt for every request.
    """
    view = network_view(name, **kwargs)
    key = ("json", id(view))
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] is view:  # same object, not a later one at a reused id
        return hit[1]
    data = json.dumps(view, ensure_ascii=False, separators=(",", ":")).encode()
    with _cache_lock:
        _cache[key] = (view, data)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def profile_with_metrics(ref: str, *, backend: Backend) -> dict[str, Any]:
    """Return :func:`kg.entities.profile.organisation_profile` with the ``all`` network's metrics.

    ``metrics`` is ``None`` for a node that takes part in no relation of that network.
    """
    from kg.entities.profile import organisation_profile, resolve_entity

    be = backend
    iri = resolve_entity(ref, backend=be)
    # Metrics of the combined network, without the layout and JSON of a full view.
    all_metrics, _ = _cached(
        ("metrics", "all", be), lambda: node_metrics(network_graph("all", backend=be))
    )
    metrics = None
    if iri in all_metrics:
        metrics = {"network": "all", **all_metrics[iri], "brokerage_group": "kind"}
    return organisation_profile(iri, metrics=metrics, backend=be)


def _documents(backend: Any) -> dict[str, str | None]:
    return {title: d["file"] for title, d in source_files(backend=backend).items()}


def network_metrics(
    name: str,
    metric: str,
    *,
    group: str = "kind",
    year: int | None = None,
    start: int | None = None,
    end: int | None = None,
    dated_only: bool = False,
    backend: Backend,
) -> dict[str, Any]:
    """Compute one family of metrics on a network, as JSON rows.

    Parameters
    ----------
    name : str
        A projection or registered network.
    metric : {"brokerage", "structural-holes", "centrality"}
        ``brokerage``: Gould–Fernandez roles with expected values and z-scores
        (:func:`kg.metrics.brokerage.brokerage`); ``structural-holes``: Burt's constraint,
        effective size, efficiency and hierarchy; ``centrality``: degree and betweenness.
    group : {"kind", "country", "position"}
        Partition for brokerage.
    year, start, end, dated_only
        Time window, as for :func:`network_view`.
    backend : optional
        A :mod:`kg.sparql.backend` backend.

    Returns
    -------
    dict
        ``{network, metric, group, columns, rows, notes}``; brokerage adds ``groups`` and
        ``graph`` (per-group and graph-level expected values). Each row starts with ``node``,
        ``label``, ``kind`` and ``country``.

    Raises
    ------
    InvalidParameterError
        ``metric`` or ``group`` not in their allowed sets.
    UnknownNetworkError
        Unknown ``name``.
    """
    if metric not in METRICS:
        raise InvalidParameterError(
            "metric", f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}"
        )
    if group not in BROKERAGE_GROUPS:
        raise InvalidParameterError(
            "group", f"unknown group {group!r}; choose one of: {', '.join(BROKERAGE_GROUPS)}"
        )
    g = network_graph(name, year=year, start=start, end=end, dated_only=dated_only, backend=backend)
    s = _simple(g)
    result: dict[str, Any] = {"network": name, "metric": metric, "group": None, "notes": []}
    if metric == "brokerage":
        from kg.metrics.brokerage import brokerage

        res = brokerage(s, {v: str(d.get(group, "-")) for v, d in s.nodes(data=True)})
        rows = res.to_rows()
        result.update(group=group, groups=res.group_rows(), graph=res.graph_rows())
        result["notes"].append(
            "Gould-Fernandez roles with R sna::brokerage conventions; z is null where the "
            "standard deviation is 0"
        )
        if group == "position":
            levels = sorted({str(d.get("position_level")) for _, d in s.nodes(data=True)})
            result["notes"].append(
                "position partition mixes assessment levels: " + ", ".join(levels)
            )
    elif metric == "structural-holes":
        from kg.metrics.structural_holes import structural_holes

        rows = structural_holes(s).to_rows()
        result["notes"].append("Burt's measures; undefined values (isolates) are null")
    else:
        from kg.metrics.centrality import centrality

        table = centrality(s)
        rows = table.to_rows()
        result["implementations"] = table.implementations
        result["notes"] += [f"{m}: {note}" for m, note in table.notes.items() if note]
    for r in rows:
        d = s.nodes[r["node"]]
        r.update(
            {
                "label": d.get("label") or entity_ref(str(r["node"])),
                "kind": d.get("kind", "-"),
                "country": d.get("country", "-"),
            }
        )
    first = ["node", "label", "kind", "country"]
    columns = first + [c for c in (rows[0] if rows else {}) if c not in first]
    result.update(columns=columns, rows=[{c: r.get(c) for c in columns} for r in rows])
    return result
