"""Deterministic, seeded 2-D layouts of projected networks, for the explorer and the figures.

Conventions
-----------
- The same graph and seed always give the same coordinates: nodes are sorted by their key
  before anything random happens, starting positions come from ``numpy.random.default_rng(seed)``
  and igraph's random number generator is a ``random.Random(seed)`` for the duration of the call
  (held under a lock, because igraph's generator is process-wide).
- Edge direction, multiplicity and weight are ignored: a layout shows who is connected.
- Each connected component is laid out on its own with Fruchterman–Reingold (igraph's grid
  variant from 1,000 nodes, which is what makes 10,000 nodes take well under a second) and
  the components are packed in rows, largest first, each scaled to the same median edge
  length. One force layout of a graph with many small components lets them
  drift apart and leaves the big one a dot; packing keeps every component readable.
- Coordinates are rounded to four decimals and lie in ``[0, 1000]`` on the longer side,
  with ``y`` pointing up (as in sigma.js and matplotlib).
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Hashable
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

__all__ = ["LAYOUT_SEED", "layout_positions"]

#: Seed used by the explorer and ``kg export`` unless told otherwise.
LAYOUT_SEED = 42

_RNG_LOCK = threading.Lock()
_EXTENT = 1000.0


def _sort_key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _component_layout(n: int, edges: list[tuple[int, int]], rng: np.random.Generator) -> np.ndarray:
    """Fruchterman–Reingold coordinates of one connected component (``n`` nodes)."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])
    g = ig.Graph(n=n, edges=edges, directed=False)
    # igraph's own random start spans sqrt(n) per side; a much wider or narrower one makes the
    # grid variant ten to a hundred times slower.
    start = rng.uniform(-0.5, 0.5, size=(n, 2)) * math.sqrt(n)
    niter = 500 if n < 1000 else 300
    coords = g.layout_fruchterman_reingold(seed=start.tolist(), niter=niter, grid="auto")
    return np.asarray(coords.coords, dtype=float)


def _normalise(xy: np.ndarray, edges: list[tuple[int, int]]) -> np.ndarray:
    """Centre a component and scale it to a median edge length of 1.

    Scaling by edge length rather than by extent keeps the spacing of nodes the same in every
    component: a hub with long spokes no longer squeezes the rest of its component.
    """
    xy = xy - xy.mean(axis=0)
    if not edges:
        return xy
    e = np.asarray(edges)
    lengths = np.hypot(*(xy[e[:, 0]] - xy[e[:, 1]]).T)
    median = float(np.median(lengths))
    return xy / median if median > 0 else xy


def layout_positions(g: nx.Graph, *, seed: int = LAYOUT_SEED) -> dict[Any, tuple[float, float]]:
    """Return seeded, deterministic 2-D positions for every node of ``g``.

    Parameters
    ----------
    g : networkx.Graph
        Any graph (directed, multi or not); direction and parallel edges are ignored.
    seed : int
        Seed of the starting positions and of igraph's random number generator.

    Returns
    -------
    dict
        ``node -> (x, y)``, with coordinates in ``[0, 1000]`` on the longer side.

    Notes
    -----
    Connected components are laid out separately with Fruchterman–Reingold [1]_ (igraph's
    implementation, grid variant from 1,000 nodes) and packed in rows, largest first.

    Examples
    --------
    >>> pos = layout_positions(nx.path_graph(4))
    >>> pos == layout_positions(nx.path_graph(4))
    True

    References
    ----------
    .. [1] Fruchterman, T. M. J. and Reingold, E. M. (1991). "Graph Drawing by Force-directed
       Placement." *Software: Practice and Experience* 21(11):1129-1164.
       https://doi.org/10.1002/spe.4380211102
    """
    nodes = sorted(g.nodes, key=_sort_key)
    if not nodes:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    simple = nx.Graph()
    simple.add_nodes_from(range(len(nodes)))
    simple.add_edges_from((index[u], index[v]) for u, v in g.edges() if u != v)
    # Components in a stable order: largest first, ties by their smallest node index.
    comps = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c))
    rng = np.random.default_rng(seed)
    placed: list[tuple[list[int], np.ndarray]] = []
    with _RNG_LOCK:
        # igraph draws from a process-wide generator; swap in a seeded one, then restore it.
        ig.set_random_number_generator(random.Random(seed))
        try:
            for comp in comps:
                local = {v: i for i, v in enumerate(comp)}
                # Sorted: the edge order the store happened to return must not move a node.
                edges = sorted(
                    {
                        (min(local[u], local[v]), max(local[u], local[v]))
                        for u, v in simple.subgraph(comp).edges()
                        if u != v
                    }
                )
                xy = _normalise(_component_layout(len(comp), edges, rng), edges)
                placed.append((comp, xy))
        finally:
            ig.set_random_number_generator(random)

    # Shelf packing into a roughly square block: rows as wide as the square root of the area.
    def extent(xy: np.ndarray) -> tuple[float, float]:
        return float(np.ptp(xy[:, 0])) + 2, float(np.ptp(xy[:, 1])) + 2

    total_area = sum(w * h for w, h in (extent(xy) for _, xy in placed))
    row_width = max(math.sqrt(total_area), extent(placed[0][1])[0])
    out = np.zeros((len(nodes), 2))
    cursor_x = cursor_y = row_height = 0.0
    for comp, xy in placed:
        w, h = extent(xy)
        if cursor_x > 0 and cursor_x + w > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y - row_height, 0.0
        shift = np.array([cursor_x - xy[:, 0].min() + 1, cursor_y - xy[:, 1].max() - 1])
        out[comp] = xy + shift
        cursor_x += w
        row_height = max(row_height, h)
    out -= out.min(axis=0)
    span = float(out.max()) or 1.0
    out *= _EXTENT / span
    return {v: (round(float(out[i, 0]), 4), round(float(out[i, 1]), 4)) for v, i in index.items()}
