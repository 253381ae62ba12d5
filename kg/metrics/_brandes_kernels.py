"""numba kernels of :mod:`kg.metrics._brandes`; importing this module imports numba."""

import numpy as np
from numba import njit, prange

__all__ = ["all_sources", "one_source"]


@njit(cache=True, nogil=True, boundscheck=False)
def one_source(s, n, optr, oind, iptr, iind, dist, sigma, coef, order, dag_v, dag_w, lvl_nodes,
               lvl_edges, unvisited, bc, alpha):  # fmt: skip
    """Add the dependencies of source ``s`` to ``bc`` (one Brandes round).

    Forward: level-synchronous BFS counting shortest paths (``sigma``). A level is expanded
    top-down (out-edges of the frontier) or, when the frontier's out-edges outnumber the
    in-edges of the unvisited nodes (times ``alpha``), bottom-up (every unvisited node scans
    its in-edges for parents on the level; all of them, since sigma needs every parent).
    Every shortest-path DAG edge is recorded per level, so the backward pass walks only the
    DAG. Scratch arrays are left reset for the next source.
    """
    order[0] = s
    dist[s] = 0
    sigma[s] = 1.0
    reached = 1
    k = 0
    level = 0
    lvl_nodes[0] = 0
    lvl_edges[0] = 0
    f_start = 0
    f_end = 1
    m_unvisited = iptr[n] - (iptr[s + 1] - iptr[s])
    n_unvisited = -1  # list built on the first bottom-up step
    while f_end > f_start:
        m_frontier = 0
        for h in range(f_start, f_end):
            v = order[h]
            m_frontier += optr[v + 1] - optr[v]
        nxt = level + 1
        if m_frontier * alpha > m_unvisited:
            j = 0
            if n_unvisited < 0:
                for u in range(n):
                    if dist[u] < 0:
                        unvisited[j] = u
                        j += 1
            else:
                for i in range(n_unvisited):
                    u = unvisited[i]
                    if dist[u] < 0:
                        unvisited[j] = u
                        j += 1
            n_unvisited = j
            for i in range(n_unvisited):
                u = unvisited[i]
                su = 0.0
                for p in range(iptr[u], iptr[u + 1]):
                    v = iind[p]
                    if dist[v] == level:
                        su += sigma[v]
                        dag_v[k] = v
                        dag_w[k] = u
                        k += 1
                if su > 0.0:
                    sigma[u] = su
                    dist[u] = nxt
                    order[reached] = u
                    reached += 1
                    m_unvisited -= iptr[u + 1] - iptr[u]
        else:
            for h in range(f_start, f_end):
                v = order[h]
                sv = sigma[v]
                for p in range(optr[v], optr[v + 1]):
                    w = oind[p]
                    dw = dist[w]
                    if dw < 0:
                        dist[w] = nxt
                        order[reached] = w
                        reached += 1
                        m_unvisited -= iptr[w + 1] - iptr[w]
                        dw = nxt
                    if dw == nxt:
                        sigma[w] += sv
                        dag_v[k] = v
                        dag_w[k] = w
                        k += 1
        level = nxt
        lvl_nodes[level] = f_end
        lvl_edges[level] = k
        f_start = f_end
        f_end = reached
    # Backward, deepest level first. coef[w] first accumulates delta(w); once w's level is
    # complete it becomes (1 + delta(w)) / sigma(w), the factor its DAG parents need.
    for lv in range(level - 1, -1, -1):
        a = lvl_nodes[lv + 1]
        b = lvl_nodes[lv + 2] if lv + 2 <= level else reached
        for h in range(a, b):
            w = order[h]
            coef[w] = (1.0 + coef[w]) / sigma[w]
        for q in range(lvl_edges[lv], lvl_edges[lv + 1]):
            v = dag_v[q]
            coef[v] += sigma[v] * coef[dag_w[q]]
    for h in range(1, reached):
        v = order[h]
        bc[v] += coef[v] * sigma[v] - 1.0
    for h in range(reached):
        v = order[h]
        dist[v] = -1
        sigma[v] = 0.0
        coef[v] = 0.0


@njit(parallel=True, cache=True, boundscheck=False)
def all_sources(optr, oind, iptr, iind, n, sources, nthreads, alpha):
    """Sum :func:`one_source` over ``sources``, split round-robin over ``nthreads``."""
    out = np.zeros((nthreads, n))
    m = sources.shape[0]
    e = max(oind.shape[0], 1)
    for t in prange(nthreads):
        dist = np.full(n, -1, np.int32)
        sigma = np.zeros(n)
        coef = np.zeros(n)
        order = np.empty(n, np.int32)
        dag_v = np.empty(e, np.int32)
        dag_w = np.empty(e, np.int32)
        lvl_nodes = np.empty(n + 2, np.int64)
        lvl_edges = np.empty(n + 2, np.int64)
        unvisited = np.empty(n, np.int32)
        row = out[t]
        for i in range(t, m, nthreads):
            one_source(sources[i], n, optr, oind, iptr, iind, dist, sigma, coef, order, dag_v,
                       dag_w, lvl_nodes, lvl_edges, unvisited, row, alpha)  # fmt: skip
    return out.sum(axis=0)
