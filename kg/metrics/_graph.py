"""Array views of a NetworkX graph shared by the vectorised metrics (internal).

Conventions used by every metric module:

* Nodes are numbered ``0..N-1`` in ``G``'s node order (the order of ``list(G)``), which is
  also the order of every result.
* An undirected graph is read as the fully reciprocated digraph (each edge in both
  directions), exactly as R ``sna`` reads a symmetric matrix.
* Self-loops are dropped from the arrays but counted (:attr:`AdjacencyArrays.n_loops`,
  :attr:`AdjacencyArrays.m_rows`), because sna's density counts them while no 2-path or
  Burt measure uses them.
* Multigraphs are rejected by the public functions (``not_implemented_for("multigraph")``):
  a networkx ``DiGraph`` cannot hold the duplicate edge rows that sna would count twice.
"""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from kg.exceptions import InvalidParameterError

__all__: list[str] = []


@dataclass(frozen=True)
class AdjacencyArrays:
    """Loop-free directed edge arrays of a graph, in node-index space."""

    nodes: list[Any]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray | None
    n_loops: int
    m_rows: int
    directed: bool

    @property
    def n(self) -> int:
        """Number of nodes N."""
        return len(self.nodes)


def check_weights(G: nx.Graph, weight: str | None) -> None:
    """Refuse edge weights no measure can use: the one weight rule of every metric.

    Every measure that takes ``weight`` (the centralities, structural holes) calls this first.
    A weight must be a number, finite and non-negative (a missing attribute counts as 1), and
    the weights must add up to a finite number: weights near ``1e308`` would overflow inside
    the measures and silently give 0 or NaN.

    Raises
    ------
    InvalidParameterError
        ``param="weight"``, naming the attribute and the offending value.
    """
    if weight is None or G.number_of_edges() == 0:
        return
    try:
        w = np.fromiter(
            (d.get(weight, 1) for _, _, d in G.edges(data=True)),
            dtype=np.float64,
            count=G.number_of_edges(),
        )
    except (TypeError, ValueError):
        raise InvalidParameterError(
            "weight", f"edge attribute {weight!r} must be a number on every edge"
        ) from None
    bad = w[~np.isfinite(w) | (w < 0)]
    if bad.size:
        raise InvalidParameterError(
            "weight",
            f"edge attribute {weight!r} must be finite and non-negative (found {bad[0]:g})",
        )
    with np.errstate(over="ignore"):
        total = float(np.sum(w)) * 2  # an undirected edge counts from both ends
    if not np.isfinite(total):
        raise InvalidParameterError(
            "weight",
            f"edge attribute {weight!r}: weights up to {w.max():g} overflow when added up; "
            "rescale them",
        )


def adjacency_arrays(
    G: nx.Graph, weight: str | None = None, *, keep_loops: bool = False
) -> AdjacencyArrays:
    """Convert ``G`` to loop-free directed edge arrays in one pass over its adjacency.

    ``m_rows`` is the number of rows sna's edge list would have: every directed edge
    including self-loops; for an undirected graph every non-loop edge twice and every loop
    once (``network``'s ``as.matrix.network.edgelist`` does not double loops).
    ``keep_loops=True`` keeps the loop rows in ``src``/``dst`` (for PageRank and
    eigenvector centrality, where a loop is a real term).
    """
    nodes = list(G)
    n = len(nodes)
    # G._adj is the successor dict for a DiGraph and the symmetric neighbour dict for a
    # Graph, so one pass yields the mutual digraph sna builds from an undirected network.
    # Reading the private dict (as networkx's own algorithms do) is ~3x faster than G.adj.
    adj = G._adj
    counts = np.fromiter(map(len, adj.values()), dtype=np.int64, count=n)
    total = int(counts.sum())
    if n and isinstance(nodes[0], int | np.integer) and nodes == list(range(n)):
        dst = np.fromiter(chain.from_iterable(adj.values()), dtype=np.int64, count=total)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        dst = np.fromiter(
            map(index.__getitem__, chain.from_iterable(adj.values())), dtype=np.int64, count=total
        )
    src = np.repeat(np.arange(n, dtype=np.int64), counts)
    w = None
    if weight is not None:
        w = np.fromiter(
            (d.get(weight, 1) for nbrs in adj.values() for d in nbrs.values()),
            dtype=np.float64,
            count=total,
        )
    loops = src == dst
    n_loops = int(loops.sum())
    if n_loops and not keep_loops:
        keep = ~loops
        src, dst = src[keep], dst[keep]
        if w is not None:
            w = w[keep]
    return AdjacencyArrays(
        nodes=nodes,
        src=src,
        dst=dst,
        weight=w,
        n_loops=n_loops,
        m_rows=total,
        directed=G.is_directed(),
    )


@dataclass(frozen=True)
class ContactGraph:
    """Undirected simple graph of contacts: one row per unordered pair ``lo < hi``.

    ``code`` says which directions exist in the original digraph: bit 0 ``lo -> hi``,
    bit 1 ``hi -> lo`` (3 = reciprocated; always 3 for undirected input). ``z`` is Burt's
    mutual tie strength ``a_ij + a_ji`` (``w_ij`` for undirected input), or ``None``.
    """

    n: int
    lo: np.ndarray
    hi: np.ndarray
    code: np.ndarray
    z: np.ndarray | None


def contact_graph(arr: AdjacencyArrays, *, with_strength: bool = False) -> ContactGraph:
    """Collapse the directed arrays to unordered pairs (loops already removed)."""
    n = arr.n
    src, dst = arr.src, arr.dst
    lo = np.minimum(src, dst)
    hi = np.maximum(src, dst)
    key = lo * n + hi
    order = np.argsort(key, kind="stable")
    key = key[order]
    code = np.where(src[order] < dst[order], 1, 2).astype(np.int8)
    if key.size:
        first = np.empty(key.size, dtype=bool)
        first[0] = True
        np.not_equal(key[1:], key[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        ukey = key[starts]
        ucode = np.bitwise_or.reduceat(code, starts)
    else:
        starts = np.zeros(0, dtype=np.int64)
        ukey = key
        ucode = code
    z = None
    if with_strength:
        w = arr.weight if arr.weight is not None else np.ones(src.size)
        z = np.add.reduceat(w[order], starts) if key.size else np.zeros(0)
        if not arr.directed:
            # An undirected edge arrived as two directed rows of the same weight.
            z = z / 2.0
    return ContactGraph(
        n=n, lo=ukey // n if n else ukey, hi=ukey % n if n else ukey, code=ucode, z=z
    )


@dataclass(frozen=True)
class Triangles:
    """Every triangle ``{a, b, c}`` of a contact graph once, with its three edge rows."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    e_ab: np.ndarray
    e_ac: np.ndarray
    e_bc: np.ndarray


def triangles(cg: ContactGraph) -> Triangles:
    """List every triangle of the contact graph once.

    Vertices are ranked by degree and each edge is oriented from lower to higher rank
    (the "forward" algorithm, Schank & Wagner 2005), so each triangle ``a < b < c`` is
    found once, at its edge ``(b, c)``, as a common lower-ranked neighbour ``a``. The
    counts per edge come from one sparse product ``U.T @ U`` masked by ``U``, which costs
    ``sum(outdeg_+(a)^2)`` instead of the ``sum(deg^2)`` of an unoriented product; the
    identities of ``a`` are then recovered only for the edges that close a triangle.
    """
    n = cg.n
    m = cg.lo.size
    empty = np.zeros(0, dtype=np.int64)
    if m == 0:
        return Triangles(empty, empty, empty, empty, empty, empty)
    deg = np.bincount(cg.lo, minlength=n) + np.bincount(cg.hi, minlength=n)
    order = np.lexsort((np.arange(n), deg))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    r_lo, r_hi = rank[cg.lo], rank[cg.hi]
    x = np.minimum(r_lo, r_hi)
    y = np.maximum(r_lo, r_hi)
    key = x * n + y
    eorder = np.argsort(key)
    key = key[eorder]
    x, y = x[eorder], y[eorder]
    idx_dtype = np.int32 if n < 2**31 - 1 else np.int64
    U = sp.csr_array(
        (np.ones(m, dtype=np.int32), (x.astype(idx_dtype), y.astype(idx_dtype))), shape=(n, n)
    )
    counts = (U.T @ U).multiply(U).tocoo()
    hit_x = counts.coords[0].astype(np.int64)
    hit_y = counts.coords[1].astype(np.int64)
    if hit_x.size == 0:
        return Triangles(empty, empty, empty, empty, empty, empty)
    # Candidates a: the lower-ranked neighbours of x (x has rank <= y, so the smaller list).
    UT = U.T.tocsr()
    starts = UT.indptr[hit_x].astype(np.int64)
    lens = UT.indptr[hit_x + 1].astype(np.int64) - starts
    rep = np.repeat(np.arange(hit_x.size), lens)
    within = np.arange(rep.size) - np.repeat(np.cumsum(lens) - lens, lens)
    cand = UT.indices[starts[rep] + within].astype(np.int64)
    q = cand * n + hit_y[rep]
    pos = np.searchsorted(key, q)
    pos[pos == m] = 0
    ok = key[pos] == q
    rep, cand, pos_ac = rep[ok], cand[ok], pos[ok]
    ax = cand * n + hit_x[rep]
    pos_ab = np.searchsorted(key, ax)
    xy = hit_x[rep] * n + hit_y[rep]
    pos_bc = np.searchsorted(key, xy)
    inv = order  # rank -> node
    return Triangles(
        a=inv[cand],
        b=inv[hit_x[rep]],
        c=inv[hit_y[rep]],
        e_ab=eorder[pos_ab],
        e_ac=eorder[pos_ac],
        e_bc=eorder[pos_bc],
    )


def to_float_or_none(x: float) -> float | None:
    """JSON-ready number: ``None`` for NaN or infinity."""
    x = float(x)
    return x if np.isfinite(x) else None
