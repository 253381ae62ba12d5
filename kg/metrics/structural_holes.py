# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806
r"""Burt's structural-hole measures: constraint, effective size, efficiency, hierarchy.

Conventions (the definitions of ``docs/metrics.md`` §2, equal to igraph's constraint):

* Mutual tie strength :math:`z_{ij} = a_{ij} + a_{ji}` in a directed graph (a reciprocated
  unweighted tie has strength 2, a one-way tie 1) and :math:`z_{ij} = a_{ij}` in an
  undirected one; ``a`` is the edge weight (``weight=None``: every edge weighs 1).
* Contacts :math:`N(i) = \{j \ne i : z_{ij} > 0\}`: in- and out-neighbours together.
  Zero-weight edges make no contact; negative weights are refused.
* Self-loops are ignored, as igraph does (networkx 3.6.1 keeps them in the normaliser).
* Isolates (no contact) have every measure undefined: NaN in dicts and arrays, ``None`` in
  JSON rows. Hierarchy is also undefined for a node with a single contact (0/0).

Implementation: all four measures need, for each tie ``(i, j)``, the two-step sums
:math:`\sum_q p_{iq} p_{qj}` over common contacts ``q``. Those are non-zero only inside
triangles, so the triangles of the contact graph are listed once (sparse, vectorised) and
their six ordered terms are added up with ``numpy.bincount``; nothing is O(N^2).
networkx's ``effective_size`` is not used because in 3.6.1 it normalises by the wrong
node's strongest tie on directed or weighted graphs (its all-nodes path) and returns NaN
for every sink of a DiGraph (its per-node path).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from networkx.utils import not_implemented_for

from kg.metrics._graph import (
    adjacency_arrays,
    check_weights,
    contact_graph,
    to_float_or_none,
    triangles,
)

__all__ = [
    "StructuralHolesResult",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "local_constraint",
    "structural_holes",
]

MEASURES: tuple[str, ...] = ("constraint", "effective_size", "efficiency", "hierarchy")


@dataclass(frozen=True, eq=False)
class StructuralHolesResult:
    """Per-node structural-hole measures as aligned arrays (NaN where undefined).

    Attributes
    ----------
    node_list : list
        Reported nodes, in order.
    constraint, effective_size, efficiency, hierarchy : numpy.ndarray
        One value per node of ``node_list``.
    n_contacts : numpy.ndarray
        Number of contacts of each node (in- and out-neighbours together, loops excluded).
    local : dict or None
        ``{(i, j): c_ij}`` for every contact ``j`` of a reported node ``i``, when asked for
        with ``local=True``.
    """

    node_list: list[Any]
    constraint: np.ndarray
    effective_size: np.ndarray
    efficiency: np.ndarray
    hierarchy: np.ndarray
    n_contacts: np.ndarray
    local: dict[tuple[Any, Any], float] | None = None

    def as_dict(self, measure: str) -> dict[Any, float]:
        """``{node: value}`` for one of ``constraint``, ``effective_size``, ... (NaN kept)."""
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}; expected one of {MEASURES}")
        values = getattr(self, measure).tolist()
        return dict(zip(self.node_list, values, strict=True))

    def to_rows(self) -> list[dict[str, Any]]:
        """JSON-ready rows ``{node, constraint, effective_size, efficiency, hierarchy}``."""
        cols = [[to_float_or_none(x) for x in getattr(self, m).tolist()] for m in MEASURES]
        return [
            {"node": v, **dict(zip(MEASURES, vals, strict=True))}
            for v, *vals in zip(self.node_list, *cols, strict=True)
        ]


@not_implemented_for("multigraph")
def structural_holes(
    G: nx.Graph,
    *,
    weight: str | None = None,
    nodes: Iterable[Any] | None = None,
    local: bool = False,
) -> StructuralHolesResult:
    r"""Burt's constraint, effective size, efficiency and hierarchy of every node.

    With :math:`p_{ij} = z_{ij} / \sum_{k \in N(i)} z_{ik}` (proportional tie strength)
    and :math:`m_{jq} = z_{jq} / \max_k z_{jk}` (tie strength relative to ``j``'s
    strongest tie):

    .. math::

        c_{ij} &= \Big(p_{ij} + \sum_{q \in N(i),\, q \ne i, j} p_{iq} p_{qj}\Big)^2,
        \qquad C_i = \sum_{j \in N(i)} c_{ij} \\
        ES_i &= \sum_{j \in N(i)} \Big(1 - \sum_{q \in N(i),\, q \ne j} p_{iq} m_{jq}\Big),
        \qquad \mathrm{eff}_i = ES_i / |N(i)| \\
        H_i &= \frac{\sum_{j \in N(i)} r_j \ln r_j}{|N(i)| \ln |N(i)|},
        \qquad r_j = \frac{c_{ij}}{C_i / |N(i)|}

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network; direction matters only through the mutual strength :math:`z`.
    weight : str, optional
        Edge attribute holding a non-negative tie weight (missing: 1). ``None``: every
        edge weighs 1.
    nodes : iterable, optional
        Report only these nodes, in this order (the computation is the same).
    local : bool, optional
        Also return every local constraint :math:`c_{ij}` in ``result.local``.

    Returns
    -------
    StructuralHolesResult
        Aligned arrays, ``.as_dict(measure)`` and JSON-ready ``.to_rows()``.

    Raises
    ------
    ValueError
        A weight is negative, not finite, or so large the sums overflow
        (:class:`~kg.exceptions.InvalidParameterError`, from :func:`check_weights`).
    networkx.NetworkXNotImplemented
        ``G`` is a multigraph.

    See Also
    --------
    constraint, effective_size, efficiency, hierarchy, local_constraint

    Notes
    -----
    Constraint equals igraph's ``constraint()`` (which drops loops and sums over direct
    contacts) and networkx's ``constraint(G)`` on loop-free graphs. Effective size reduces
    to Borgatti's :math:`n - 2t/n` on undirected unweighted graphs (``t`` ties among the
    contacts) but not on directed ones, where strengths are 1 or 2. A closed triad gives
    every member :math:`C = 1.125`; a pendant node has :math:`C = 1`. Isolates get NaN, and
    hierarchy is NaN for nodes with one contact.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
       Cambridge, MA: Harvard University Press (constraint p. 55; effective size,
       efficiency and hierarchy pp. 70-71).
    .. [2] Borgatti, S. P. (1997). "Structural Holes: Unpacking Burt's Redundancy
       Measures." *Connections* 20(1):35-38.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    >>> res = structural_holes(G)
    >>> round(res.as_dict("constraint")["d"], 3), round(res.as_dict("effective_size")["c"], 3)
    (1.0, 2.333)
    """
    check_weights(G, weight)
    arr = adjacency_arrays(G, weight)
    n = arr.n
    cg = contact_graph(arr, with_strength=True)
    z = cg.z
    keep = z > 0
    if not keep.all():
        cg = type(cg)(n=n, lo=cg.lo[keep], hi=cg.hi[keep], code=cg.code[keep], z=z[keep])
        z = cg.z
    lo, hi = cg.lo, cg.hi
    strength = (
        np.bincount(lo, weights=z, minlength=n) + np.bincount(hi, weights=z, minlength=n)
    ).astype(float)
    n_contacts = np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)
    max_z = np.zeros(n)
    np.maximum.at(max_z, lo, z)
    np.maximum.at(max_z, hi, z)

    # Ordered ties as slots: 2e is lo -> hi, 2e + 1 is hi -> lo.
    p = np.empty(2 * lo.size)
    p[0::2] = z / strength[lo]
    p[1::2] = z / strength[hi]
    ego = np.empty(2 * lo.size, dtype=np.int64)
    ego[0::2] = lo
    ego[1::2] = hi
    indirect = np.zeros(2 * lo.size)
    redundancy = np.zeros(n)

    tri = triangles(cg)
    if tri.a.size:

        def slot(e: np.ndarray, u: np.ndarray) -> np.ndarray:
            return 2 * e + (lo[e] != u)

        a, b, c = tri.a, tri.b, tri.c
        s_ab, s_ba = slot(tri.e_ab, a), slot(tri.e_ab, b)
        s_ac, s_ca = slot(tri.e_ac, a), slot(tri.e_ac, c)
        s_bc, s_cb = slot(tri.e_bc, b), slot(tri.e_bc, c)
        size = indirect.size
        # indirect(i -> j) += p_iq p_qj for the third vertex q
        for s_ij, s_iq, s_qj in (
            (s_ab, s_ac, s_cb),
            (s_ba, s_bc, s_ca),
            (s_ac, s_ab, s_bc),
            (s_ca, s_cb, s_ba),
            (s_bc, s_ba, s_ac),
            (s_cb, s_ca, s_ab),
        ):
            indirect += np.bincount(s_ij, weights=p[s_iq] * p[s_qj], minlength=size)
        # redundancy of ego i: p_iq m_jq for j, q its two partners in the triangle
        zt_ab, zt_ac, zt_bc = z[tri.e_ab], z[tri.e_ac], z[tri.e_bc]
        for i, s_iq, z_jq, j in (
            (a, s_ac, zt_bc, b),
            (a, s_ab, zt_bc, c),
            (b, s_bc, zt_ac, a),
            (b, s_ba, zt_ac, c),
            (c, s_cb, zt_ab, a),
            (c, s_ca, zt_ab, b),
        ):
            redundancy += np.bincount(i, weights=p[s_iq] * z_jq / max_z[j], minlength=n)

    c_local = (p + indirect) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        isolated = n_contacts == 0
        con = np.bincount(ego, weights=c_local, minlength=n).astype(float)
        con[isolated] = np.nan
        es = n_contacts - redundancy
        es = es.astype(float)
        es[isolated] = np.nan
        eff = es / n_contacts
        # hierarchy: r_j = c_ij / (C_i / n_i)
        r = c_local * n_contacts[ego] / con[ego]
        rlogr = np.bincount(ego, weights=r * np.log(r), minlength=n).astype(float)
        hier = rlogr / (n_contacts * np.log(n_contacts))
        hier[n_contacts <= 1] = np.nan

    if nodes is None:
        rows = np.arange(n)
        node_list = arr.nodes
    else:
        node_list = list(dict.fromkeys(nodes))
        index = {v: i for i, v in enumerate(arr.nodes)}
        missing = [v for v in node_list if v not in index]
        if missing:
            raise nx.NetworkXError(f"node {missing[0]!r} is not in the graph")
        rows = np.fromiter((index[v] for v in node_list), dtype=np.int64, count=len(node_list))

    local_map = None
    if local:
        wanted = np.zeros(n, dtype=bool)
        wanted[rows] = True
        alter = np.empty_like(ego)
        alter[0::2] = hi
        alter[1::2] = lo
        sel = np.flatnonzero(wanted[ego])
        names = arr.nodes
        local_map = {
            (names[i], names[j]): v
            for i, j, v in zip(
                ego[sel].tolist(), alter[sel].tolist(), c_local[sel].tolist(), strict=True
            )
        }
    return StructuralHolesResult(
        node_list=list(node_list),
        constraint=con[rows],
        effective_size=es[rows],
        efficiency=eff[rows],
        hierarchy=hier[rows],
        n_contacts=n_contacts[rows],
        local=local_map,
    )


def constraint(
    G: nx.Graph, nodes: Iterable[Any] | None = None, weight: str | None = None
) -> dict[Any, float]:
    r"""Burt's constraint :math:`C_i = \sum_{j \in N(i)} c_{ij}` of each node.

    Same arguments and conventions as :func:`structural_holes` (self-loops ignored,
    in- and out-neighbours are contacts, NaN for isolates); the signature mirrors
    :func:`networkx.constraint`.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    nodes : iterable, optional
        Nodes to report (default all).
    weight : str, optional
        Edge attribute holding the tie weight.

    Returns
    -------
    dict
        ``{node: constraint}``.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
       Cambridge, MA: Harvard University Press (constraint p. 55; effective size,
       efficiency and hierarchy pp. 70-71).
    .. [2] Borgatti, S. P. (1997). "Structural Holes: Unpacking Burt's Redundancy
       Measures." *Connections* 20(1):35-38.
    """
    return structural_holes(G, weight=weight, nodes=nodes).as_dict("constraint")


def effective_size(
    G: nx.Graph, nodes: Iterable[Any] | None = None, weight: str | None = None
) -> dict[Any, float]:
    r"""Burt's effective size of each node's ego network.

    Correct on directed and weighted graphs (unlike networkx 3.6.1); see
    :func:`structural_holes` for the definition and conventions.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    nodes : iterable, optional
        Nodes to report (default all).
    weight : str, optional
        Edge attribute holding the tie weight.

    Returns
    -------
    dict
        ``{node: effective size}``; NaN for isolates.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
       Cambridge, MA: Harvard University Press (constraint p. 55; effective size,
       efficiency and hierarchy pp. 70-71).
    .. [2] Borgatti, S. P. (1997). "Structural Holes: Unpacking Burt's Redundancy
       Measures." *Connections* 20(1):35-38.
    """
    return structural_holes(G, weight=weight, nodes=nodes).as_dict("effective_size")


def efficiency(
    G: nx.Graph, nodes: Iterable[Any] | None = None, weight: str | None = None
) -> dict[Any, float]:
    """Burt's efficiency: effective size divided by the number of contacts.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    nodes : iterable, optional
        Nodes to report (default all).
    weight : str, optional
        Edge attribute holding the tie weight.

    Returns
    -------
    dict
        ``{node: efficiency}``; NaN for isolates.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
       Cambridge, MA: Harvard University Press (constraint p. 55; effective size,
       efficiency and hierarchy pp. 70-71).
    .. [2] Borgatti, S. P. (1997). "Structural Holes: Unpacking Burt's Redundancy
       Measures." *Connections* 20(1):35-38.
    """
    return structural_holes(G, weight=weight, nodes=nodes).as_dict("efficiency")


def hierarchy(
    G: nx.Graph, nodes: Iterable[Any] | None = None, weight: str | None = None
) -> dict[Any, float]:
    """Burt's hierarchy: how much of a node's constraint comes from one contact.

    0 when constraint is spread evenly over the contacts, towards 1 when one contact
    supplies all of it; NaN for nodes with fewer than two contacts.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    nodes : iterable, optional
        Nodes to report (default all).
    weight : str, optional
        Edge attribute holding the tie weight.

    Returns
    -------
    dict
        ``{node: hierarchy}``.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
       Cambridge, MA: Harvard University Press (constraint p. 55; effective size,
       efficiency and hierarchy pp. 70-71).
    .. [2] Borgatti, S. P. (1997). "Structural Holes: Unpacking Burt's Redundancy
       Measures." *Connections* 20(1):35-38.
    """
    return structural_holes(G, weight=weight, nodes=nodes).as_dict("hierarchy")


@not_implemented_for("multigraph")
def local_constraint(G: nx.Graph, u: Any, v: Any, weight: str | None = None) -> float:
    r"""Local constraint :math:`c_{uv} = (p_{uv} + \sum_q p_{uq} p_{qv})^2` on ``u`` by ``v``.

    Computed from the two nodes' neighbourhoods only (cheap for one pair); self-loops are
    ignored and ``p`` uses the mutual strength as in :func:`structural_holes`. ``v`` need
    not be a contact of ``u`` (then only the indirect term remains).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    u, v : node
        The constrained node and the node whose ties constrain it.
    weight : str, optional
        Edge attribute holding the tie weight.

    Returns
    -------
    float
        :math:`c_{uv}`; NaN when ``u`` has no contact.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
       Cambridge, MA: Harvard University Press (constraint p. 55; effective size,
       efficiency and hierarchy pp. 70-71).
    .. [2] Borgatti, S. P. (1997). "Structural Holes: Unpacking Burt's Redundancy
       Measures." *Connections* 20(1):35-38.
    """
    for x in (u, v):
        if x not in G:
            raise nx.NetworkXError(f"node {x!r} is not in the graph")

    def strengths(x: Any) -> dict[Any, float]:
        out: dict[Any, float] = {}
        nbrs = [G.succ[x], G.pred[x]] if G.is_directed() else [G.adj[x]]
        for nb in nbrs:
            for y, d in nb.items():
                if y != x:
                    w = 1.0 if weight is None else float(d.get(weight, 1))
                    out[y] = out.get(y, 0.0) + w
        return {y: s for y, s in out.items() if s > 0}

    zu = strengths(u)
    total_u = sum(zu.values())
    if total_u == 0:
        return float("nan")
    value = zu.get(v, 0.0) / total_u
    for q, z_uq in zu.items():
        if q == v:
            continue
        zq = strengths(q)
        if v in zq:
            value += (z_uq / total_u) * (zq[v] / sum(zq.values()))
    return value * value
