"""Write projected networks to files for Gephi, Cytoscape, igraph, Kumu and spreadsheets.

GraphML and GEXF take scalar attributes only, so list-valued edge attributes (the qualified
nodes behind an edge, their quotes and sources) are joined with `` | `` there; JSON keeps lists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.exceptions import InvalidParameterError, ProjectionError
from kg.tabular import write_csv

__all__ = ["NETWORK_FORMATS", "cytoscape_json", "flatten", "node_link", "write_network"]

NETWORK_FORMATS = ("graphml", "gexf", "csv", "json", "cyjs")


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return " | ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def flatten(g: nx.Graph) -> nx.Graph:
    """Return a copy with list attributes joined, a simple graph (multi-edges keyed apart)."""
    h: nx.Graph = nx.DiGraph() if g.is_directed() else nx.Graph()
    h.graph.update({k: _scalar(v) for k, v in g.graph.items()})
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: _scalar(v) for k, v in d.items()})
    if g.is_multigraph():
        # GraphML/GEXF readers disagree on parallel edges; merge them and keep each relation type.
        for u, v, d in g.edges(data=True):
            if h.has_edge(u, v):
                e = h.edges[u, v]
                e["relation"] = " | ".join(sorted({*e["relation"].split(" | "), d["relation"]}))
                e["weight"] = e.get("weight", 0) + d.get("weight", 1)
            else:
                h.add_edge(u, v, **{k: _scalar(x) for k, x in d.items()})
    else:
        for u, v, d in g.edges(data=True):
            h.add_edge(u, v, **{k: _scalar(x) for k, x in d.items()})
    return h


def node_link(g: nx.Graph) -> dict[str, Any]:
    """Return nodes and edges as plain JSON (``{"directed", "nodes": [...], "edges": [...]}``)."""
    edges = [{"source": u, "target": v, **d} for u, v, d in g.edges(data=True)]
    return {
        "name": g.graph.get("name", ""),
        "directed": g.is_directed(),
        "nodes": [{"id": n, **d} for n, d in g.nodes(data=True)],
        "edges": edges,
    }


def cytoscape_json(g: nx.Graph) -> dict[str, Any]:
    """Return Cytoscape.js JSON (networkx's ``cytoscape_data`` on the flattened graph)."""
    return nx.cytoscape_data(flatten(g))


def write_network(g: nx.Graph, path: Path, fmt: str | None = None) -> None:
    """Write ``g`` to ``path`` in the format named by ``fmt`` or by the file suffix."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind not in NETWORK_FORMATS:
        raise InvalidParameterError(
            "fmt", f"{path}: unknown format {kind!r}; use one of {', '.join(NETWORK_FORMATS)}"
        )
    if path.parent and not path.parent.exists():
        raise ProjectionError(f"{path}: folder {path.parent} does not exist")
    if kind == "graphml":
        nx.write_graphml(flatten(g), path)
    elif kind == "gexf":
        nx.write_gexf(flatten(g), path)
    elif kind == "json":
        path.write_text(json.dumps(node_link(g), ensure_ascii=False, indent=1, default=str))
    elif kind == "cyjs":
        path.write_text(json.dumps(cytoscape_json(g), ensure_ascii=False, default=str))
    else:
        h = flatten(g)
        cols = sorted({k for _, _, d in h.edges(data=True) for k in d})
        rows = (
            {"source": u, "target": v, "source_label": h.nodes[u].get("label", "")}
            | {"target_label": h.nodes[v].get("label", "")}
            | d
            for u, v, d in h.edges(data=True)
        )
        with path.open("w", newline="", encoding="utf-8") as fh:
            write_csv(rows, ["source", "target", "source_label", "target_label", *cols], fh)
