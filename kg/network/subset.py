"""The part of a network a figure shows, and the subtitle that names it.

The explorer's filters (countries, kinds, relation types, years) and ``kg export``'s options
select the same part of a projection: nodes of the chosen countries and kinds, relations of
the chosen types between them, and, once relations are filtered, only the nodes that keep one
(as the page does). :func:`view_subtitle` names the view the way the page's figures do
("Luxembourg · colour: kind · size: brokerage total · 35 nodes, 50 edges"), so that a figure
regenerated from the command line carries the same words.

Examples
--------
>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("a", country="LU", kind="cso")
>>> g.add_node("b", country="LU", kind="government")
>>> g.add_node("c", country="DK", kind="cso")
>>> g.add_edge("b", "a", relation="funding")
>>> g.add_edge("c", "a", relation="partnership")
>>> h = select(g, countries=["LU"])
>>> sorted(h.nodes), h.number_of_edges()
(['a', 'b'], 1)
>>> view_subtitle(h, countries=["LU"], color_by="kind", size_by="brokerage_total",
...               labels={"country": {"LU": "Luxembourg"}})
'Luxembourg · colour: kind · size: brokerage total · 2 nodes, 1 edge'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

__all__ = ["select", "size_title", "view_subtitle"]

_COLOUR_TITLES = {"community": "community (Leiden)", "position": "typology position"}


def _value(d: Mapping[str, Any], key: str) -> str:
    v = d.get(key)
    return "-" if v is None or v == "" else str(v)


def select(
    g: nx.Graph,
    *,
    countries: Iterable[str] = (),
    kinds: Iterable[str] = (),
    relations: Iterable[str] = (),
) -> nx.Graph:
    """Return the part of ``g`` the filters keep (a copy; an empty filter keeps everything).

    Parameters
    ----------
    g : networkx.Graph
        A projection (any networkx graph with ``country``, ``kind`` and edge ``relation``).
    countries, kinds : iterable of str
        Keep nodes with one of these ``country`` / ``kind`` values ("-" for not stated).
    relations : iterable of str
        Keep edges of these ``relation`` types; nodes left without an edge are dropped.
    """
    cs, ks, rs = set(countries), set(kinds), set(relations)
    keep = [
        v
        for v, d in g.nodes(data=True)
        if (not cs or _value(d, "country") in cs) and (not ks or _value(d, "kind") in ks)
    ]
    h = g.subgraph(keep).copy()
    if rs:
        drop = [
            e
            for e in (h.edges(keys=True, data=True) if h.is_multigraph() else h.edges(data=True))
            if str(e[-1].get("relation") or "relation") not in rs
        ]
        h.remove_edges_from([e[:-1] for e in drop])
        h.remove_nodes_from([v for v in list(h) if h.degree(v) == 0])
    return h


def size_title(size_by: str) -> str:
    """'brokerage total' for ``brokerage_total``, 'same size' for ``uniform``."""
    return "same size" if size_by == "uniform" else size_by.replace("_", " ")


def _names(key: str, values: Iterable[str], labels: Mapping[str, Mapping[str, str]]) -> str:
    names = labels.get(key, {})
    vs = sorted(values)
    if len(vs) > 3:
        return f"{len(vs)} {'countries' if key == 'country' else 'kinds'}"
    return " + ".join(names.get(v, v) for v in vs)


def view_subtitle(
    g: nx.Graph,
    *,
    countries: Iterable[str] = (),
    kinds: Iterable[str] = (),
    relations: Iterable[str] = (),
    years: tuple[int, int] | None = None,
    color_by: str = "kind",
    size_by: str = "degree",
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Name what a figure of ``g`` shows, part by part, joined with " · " (see the module)."""
    labels = labels or {}
    parts = []
    if list(countries):
        parts.append(_names("country", countries, labels))
    if list(kinds):
        parts.append(_names("kind", kinds, labels))
    if list(relations):
        parts.append("relations: " + " + ".join(sorted(relations)))
    if years:
        parts.append(f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0]))
    parts.append(f"colour: {_COLOUR_TITLES.get(color_by, color_by)}")
    parts.append(f"size: {size_title(size_by)}")
    n, m = g.number_of_nodes(), g.number_of_edges()
    parts.append(f"{n:,} node{'s' if n != 1 else ''}, {m:,} edge{'s' if m != 1 else ''}")
    return " · ".join(parts)
