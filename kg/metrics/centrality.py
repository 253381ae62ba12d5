# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806
r"""Centrality measures under networkx's conventions, computed by the fastest available code.

Every function returns a :class:`CentralityResult` that names the implementation that ran
(``networkx``, ``igraph``, ``kg-numba`` or ``networkx[backend=<name>]``), so a table can say
where its numbers come from. Values follow networkx's conventions whichever code ran:

* **degree**: raw in-, out- or total degree (weighted: strength); not divided by N - 1.
* **betweenness**: Freeman betweenness over shortest paths, endpoints not credited; ordered
  pairs in a directed graph, unordered pairs in an undirected one (``normalized=False``,
  same as python-igraph and R sna). ``normalized=True`` divides by :math:`(N-1)(N-2)` for
  directed graphs and :math:`(N-1)(N-2)/2` for undirected ones (networkx's default and R
  igraph's ``normalized=TRUE``).
* **closeness**: networkx's, using *incoming* distances in a directed graph and the
  Wasserman-Faust correction for unreachable nodes: :math:`\frac{r-1}{N-1}\frac{r-1}{\sum d}`
  with ``r`` the number of nodes that reach the node (itself included).
* **eigenvector**: the principal eigenvector of :math:`A^T` (in-edges: a node is central
  when central nodes point to it), scaled to unit Euclidean norm, as networkx.
* **pagerank**: damping 0.85, dangling nodes spread uniformly, values sum to 1.

``weight`` is a *distance* for betweenness and closeness (shortest paths) and a *strength*
for degree, eigenvector and PageRank, as in networkx.

Implementation choice (``backend``): ``"auto"`` runs networkx up to ``threshold`` nodes
(default 5,000) and a compiled library above it: igraph, except for unweighted betweenness
where kg's numba Brandes kernel is about twice as fast on two cores. ``"networkx"``,
``"igraph"`` and ``"numba"`` force one; any other string is passed to networkx's backend
dispatch (``backend="cugraph"`` runs nx-cugraph on a GPU when it is installed).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from networkx.utils import not_implemented_for

from kg.metrics import _brandes
from kg.metrics._graph import adjacency_arrays, check_weights, to_float_or_none

__all__ = [
    "DEFAULT_THRESHOLD",
    "MEASURES",
    "CentralityResult",
    "CentralityTable",
    "betweenness",
    "centrality",
    "closeness",
    "degree",
    "eigenvector",
    "in_degree",
    "out_degree",
    "pagerank",
]

#: Above this many nodes ``backend="auto"`` leaves networkx for igraph or numba.
DEFAULT_THRESHOLD = 5_000
#: Measures computed by :func:`centrality`, in column order.
MEASURES: tuple[str, ...] = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")

_BETWEENNESS_NOTE = (
    "raw: sum over ordered pairs (directed) or unordered pairs (undirected) of the share of "
    "shortest paths through the node, endpoints excluded; normalized: raw / ((N-1)(N-2)) "
    "directed, raw / ((N-1)(N-2)/2) undirected (networkx default convention)"
)


@dataclass(frozen=True)
class CentralityResult:
    """One measure for every node, with the implementation that produced it.

    Attributes
    ----------
    measure : str
        ``"in_degree"``, ``"betweenness"``, ``"betweenness_normalized"``, ...
    values : dict
        ``{node: value}`` in ``G``'s node order.
    implementation : str
        ``"networkx 3.6.1"``, ``"igraph 1.0.0"``, ``"kg-numba (2 threads)"`` or
        ``"networkx 3.6.1 backend=<name>"``.
    parameters : dict
        The parameters that shape the values (normalized, weight, k, seed, ...).
    note : str
        The convention, or the sampling error statement for ``k``-sampled betweenness.
    """

    measure: str
    values: dict[Any, float]
    implementation: str
    parameters: dict[str, Any] = field(default_factory=dict)
    note: str = ""


# --------------------------------------------------------------------------- helpers


def _nx_name() -> str:
    return f"networkx {nx.__version__}"


def _ig_name() -> str:
    import igraph

    return f"igraph {igraph.__version__}"


def _choose(G: nx.Graph, backend: str, threshold: int) -> str:
    if backend == "auto":
        return "networkx" if G.number_of_nodes() <= threshold else "igraph"
    return backend


def _nx_call(func: Any, backend: str, G: nx.Graph, **kwargs: Any) -> tuple[Any, str]:
    """Call a networkx function, on a dispatch backend unless ``backend`` is networkx."""
    if backend == "networkx":
        return func(G, **kwargs), _nx_name()
    try:
        return func(G, backend=backend, **kwargs), f"{_nx_name()} backend={backend}"
    except ImportError as exc:
        raise ValueError(
            f"networkx backend {backend!r} is not installed ({exc}); use backend='auto', "
            "'networkx', 'igraph' or 'numba', or install it (e.g. nx-cugraph-cu12)"
        ) from None


def _to_igraph(G: nx.Graph, weight: str | None) -> Any:
    """python-igraph copy of ``G`` (vertex i = i-th node of ``G``; loops kept)."""
    import igraph as ig

    arr = adjacency_arrays(G, weight, keep_loops=True)
    src, dst, w = arr.src, arr.dst, arr.weight
    if not arr.directed:
        # the arrays hold both directions of an undirected edge; igraph wants one
        keep = src <= dst
        src, dst = src[keep], dst[keep]
        w = w[keep] if w is not None else None
    H = ig.Graph(n=arr.n, edges=np.column_stack([src, dst]).tolist(), directed=arr.directed)
    if w is not None:
        H.es["weight"] = w.tolist()
    return H


def _as_dict(G: nx.Graph, values: Iterable[float]) -> dict[Any, float]:
    return dict(zip(G, (float(x) for x in values), strict=True))


# --------------------------------------------------------------------------- degree


def _degree(G: nx.Graph, view: Any, measure: str, weight: str | None) -> CentralityResult:
    check_weights(G, weight)
    values = {v: float(d) for v, d in view(weight=weight)}
    return CentralityResult(measure, values, _nx_name(), {"weight": weight}, "raw count")


def degree(G: nx.Graph, *, weight: str | None = None) -> CentralityResult:
    """Total degree (in + out for a digraph); weighted: strength.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    weight : str, optional
        Edge attribute summed instead of counting edges.

    Returns
    -------
    CentralityResult
        Raw degrees (a self-loop counts twice, as in networkx).

    References
    ----------
    .. [1] Freeman, L. C. (1978). "Centrality in Social Networks: Conceptual
       Clarification." *Social Networks* 1(3):215-239.
       https://doi.org/10.1016/0378-8733(78)90021-7
    """
    return _degree(G, G.degree, "degree", weight)


@not_implemented_for("undirected")
def in_degree(G: nx.DiGraph, *, weight: str | None = None) -> CentralityResult:
    """In-degree (weighted: in-strength) of each node of a digraph.

    Parameters
    ----------
    G : networkx.DiGraph
        The network.
    weight : str, optional
        Edge attribute summed instead of counting edges.

    Returns
    -------
    CentralityResult
        Raw in-degrees.

    References
    ----------
    .. [1] Freeman, L. C. (1978). "Centrality in Social Networks: Conceptual
       Clarification." *Social Networks* 1(3):215-239.
       https://doi.org/10.1016/0378-8733(78)90021-7
    """
    return _degree(G, G.in_degree, "in_degree", weight)


@not_implemented_for("undirected")
def out_degree(G: nx.DiGraph, *, weight: str | None = None) -> CentralityResult:
    """Out-degree (weighted: out-strength) of each node of a digraph.

    Parameters
    ----------
    G : networkx.DiGraph
        The network.
    weight : str, optional
        Edge attribute summed instead of counting edges.

    Returns
    -------
    CentralityResult
        Raw out-degrees.

    References
    ----------
    .. [1] Freeman, L. C. (1978). "Centrality in Social Networks: Conceptual
       Clarification." *Social Networks* 1(3):215-239.
       https://doi.org/10.1016/0378-8733(78)90021-7
    """
    return _degree(G, G.out_degree, "out_degree", weight)


# --------------------------------------------------------------------------- betweenness


#: Sampling error of k-sampled betweenness, measured by ``benchmarks/metrics_bench.py`` on a
#: seeded directed SBM (5,000 nodes, 50,000 edges), mean over 5 seeds.
SAMPLING_ERROR = (
    "k-sampled estimate (k random sources, scaled by N/k). Measured against exact values on a "
    "5,000-node directed SBM (mean of 5 seeds): k=250 (5%) median relative error 29% on the "
    "top-100 nodes, Spearman 0.69, top-50 overlap 21%; k=500: 20%, 0.78, 30%; k=1000: 13%, "
    "0.88, 52%. The error falls as 1/sqrt(k); graphs with a few dominant brokers rank far "
    "better than this homogeneous one. Use it to shortlist, not to report values."
)


@not_implemented_for("multigraph")
def betweenness(
    G: nx.Graph,
    *,
    normalized: bool = False,
    weight: str | None = None,
    k: int | None = None,
    seed: int | None = None,
    backend: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
) -> CentralityResult:
    r"""Freeman betweenness, raw by default, from networkx, numba or igraph.

    .. math:: B(v) = \sum_{s \ne v \ne t} \frac{\sigma_{st}(v)}{\sigma_{st}}

    over ordered pairs in a directed graph and unordered pairs in an undirected graph.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    normalized : bool, optional
        Divide by :math:`(N-1)(N-2)` (directed) or :math:`(N-1)(N-2)/2` (undirected), the
        networkx convention. Default ``False`` (raw, as igraph and sna report it).
    weight : str, optional
        Edge attribute used as a *distance* (path length); ``None``: hop count.
    k : int, optional
        Estimate from ``k`` randomly chosen sources, scaled by ``N/k`` (see Notes).
    seed : int, optional
        Seed of the source sample.
    backend : str, optional
        ``"auto"`` (networkx up to ``threshold`` nodes, then numba for unweighted graphs or
        igraph for weighted ones), ``"networkx"``, ``"igraph"``, ``"numba"``, or the name
        of a networkx dispatch backend such as ``"cugraph"``.
    threshold : int, optional
        Node count above which ``"auto"`` leaves networkx.

    Returns
    -------
    CentralityResult
        ``measure`` is ``"betweenness"`` or ``"betweenness_normalized"``.

    Notes
    -----
    Exact betweenness costs O(N M) (Brandes 2001). Above ~10,000 nodes use ``k``: the
    estimate follows Brandes & Pich (2007); its error, measured against exact values, is
    stated in :data:`SAMPLING_ERROR` and ``docs/metrics.md``. networkx and kg draw the
    sample differently, so the same ``seed`` gives different estimates on the two.

    References
    ----------
    .. [1] Freeman, L. C. (1977). "A Set of Measures of Centrality Based on Betweenness."
       *Sociometry* 40(1):35-41. https://doi.org/10.2307/3033543
    .. [2] Brandes, U. (2001). "A Faster Algorithm for Betweenness Centrality."
       *Journal of Mathematical Sociology* 25(2):163-177.
       https://doi.org/10.1080/0022250X.2001.9990249
    .. [3] Brandes, U. and Pich, C. (2007). "Centrality Estimation in Large Networks."
       *International Journal of Bifurcation and Chaos* 17(7):2303-2318.
       https://doi.org/10.1142/S0218127407018403
    """
    check_weights(G, weight)
    n = G.number_of_nodes()
    directed = G.is_directed()
    chosen = _choose(G, backend, threshold)
    if chosen == "igraph" and backend == "auto" and weight is None and _brandes.available():
        chosen = "numba"
    if k is not None and not 0 < k <= n:
        raise ValueError(f"k must be between 1 and the number of nodes ({n}), got {k}")
    params = {"normalized": normalized, "weight": weight, "k": k, "seed": seed}
    note = SAMPLING_ERROR if k is not None and k < n else _BETWEENNESS_NOTE
    measure = "betweenness_normalized" if normalized else "betweenness"

    if chosen not in ("igraph", "numba"):
        values, impl = _nx_call(
            nx.betweenness_centrality,
            chosen,
            G,
            normalized=normalized,
            weight=weight,
            k=k,
            seed=seed,
        )
        return CentralityResult(measure, dict(values), impl, params, note)

    sources = np.arange(n)
    if k is not None and k < n:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    if chosen == "numba":
        if weight is not None:
            raise ValueError("the numba kernel is unweighted; use backend='igraph' for weights")
        arr = adjacency_arrays(G)
        A = sp.csr_array((np.ones(arr.src.size, dtype=np.int8), (arr.src, arr.dst)), shape=(n, n))
        raw = _brandes.brandes(A, sources)
        if not directed:
            # the symmetric CSR counts each unordered pair in both directions
            raw = raw / 2
        impl = f"kg-numba ({_brandes.threads()} threads)"
    else:
        H = _to_igraph(G, weight)
        raw = np.asarray(
            H.betweenness(
                directed=directed,
                weights="weight" if weight is not None else None,
                sources=None if sources.size == n else sources.tolist(),
            ),
            dtype=float,
        )
        impl = _ig_name()
    if sources.size < n:
        raw = raw * (n / sources.size)
    if normalized:
        scale = (n - 1) * (n - 2)
        if not directed:
            scale /= 2
        raw = raw / scale if scale > 0 else raw
    return CentralityResult(measure, _as_dict(G, raw), impl, params, note)


# --------------------------------------------------------------------------- closeness


@not_implemented_for("multigraph")
def closeness(
    G: nx.Graph,
    *,
    weight: str | None = None,
    backend: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
) -> CentralityResult:
    r"""Compute closeness with networkx's conventions (incoming distances, Wasserman-Faust).

    .. math:: C(u) = \frac{r(u)-1}{N-1} \cdot \frac{r(u)-1}{\sum_{v} d(v, u)}

    where the sum runs over the :math:`r(u)-1` other nodes that reach ``u``; 0 when none
    does.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    weight : str, optional
        Edge attribute used as a distance.
    backend : str, optional
        As for :func:`betweenness` (``"numba"`` is not available here).
    threshold : int, optional
        Node count above which ``"auto"`` uses igraph.

    Returns
    -------
    CentralityResult
        ``measure`` is ``"closeness"``.

    References
    ----------
    .. [1] Freeman, L. C. (1978). "Centrality in Social Networks: Conceptual
       Clarification." *Social Networks* 1(3):215-239.
       https://doi.org/10.1016/0378-8733(78)90021-7
    .. [2] Wasserman, S. and Faust, K. (1994). *Social Network Analysis: Methods and
       Applications.* Cambridge University Press.
    """
    check_weights(G, weight)
    chosen = _choose(G, backend, threshold)
    params = {"weight": weight, "wf_improved": True}
    note = "incoming distances (directed); Wasserman-Faust scaling by reachable share"
    if chosen == "numba":
        chosen = "igraph"
    if chosen != "igraph":
        values, impl = _nx_call(nx.closeness_centrality, chosen, G, distance=weight)
        return CentralityResult("closeness", dict(values), impl, params, note)
    n = G.number_of_nodes()
    H = _to_igraph(G, weight)
    w = "weight" if weight is not None else None
    mode = "in" if G.is_directed() else "all"
    raw = np.asarray(H.closeness(mode=mode, weights=w, normalized=False), dtype=float)
    norm = np.asarray(H.closeness(mode=mode, weights=w, normalized=True), dtype=float)
    # igraph: raw = 1 / sum d, normalized = (r - 1) / sum d over the r - 1 reachers.
    with np.errstate(invalid="ignore", divide="ignore"):
        reach = np.rint(norm / raw)
        values = norm * reach / (n - 1) if n > 1 else np.zeros(n)
    values = np.where(np.isfinite(values), values, 0.0)
    return CentralityResult("closeness", _as_dict(G, values), _ig_name(), params, note)


# --------------------------------------------------------------------------- eigenvector


@not_implemented_for("multigraph")
def eigenvector(
    G: nx.Graph,
    *,
    weight: str | None = None,
    max_iter: int = 100,
    tol: float = 1e-06,
    backend: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
) -> CentralityResult:
    """Eigenvector centrality (in-edges for digraphs), unit Euclidean norm, as networkx.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network; meaningful for (strongly) connected graphs.
    weight : str, optional
        Edge attribute used as tie strength.
    max_iter, tol : optional
        Power-iteration limits of networkx.
    backend : str, optional
        As for :func:`betweenness`.
    threshold : int, optional
        Node count above which ``"auto"`` uses igraph.

    Returns
    -------
    CentralityResult
        ``measure`` is ``"eigenvector"``.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        networkx's power iteration did not converge (e.g. a directed acyclic graph).

    Notes
    -----
    igraph counts an undirected self-loop twice on the diagonal, networkx once; the two
    agree on loop-free graphs.

    References
    ----------
    .. [1] Bonacich, P. (1987). "Power and Centrality: A Family of Measures." *American
       Journal of Sociology* 92(5):1170-1182. https://doi.org/10.1086/228631
    """
    check_weights(G, weight)
    chosen = _choose(G, backend, threshold)
    params = {"weight": weight}
    note = "principal eigenvector of A^T (in-edges), unit Euclidean norm"
    if chosen == "numba":
        chosen = "igraph"
    if chosen != "igraph":
        values, impl = _nx_call(
            nx.eigenvector_centrality, chosen, G, max_iter=max_iter, tol=tol, weight=weight
        )
        return CentralityResult("eigenvector", dict(values), impl, params, note)
    H = _to_igraph(G, weight)
    kwargs: dict[str, Any] = {"scale": False, "weights": "weight" if weight else None}
    if G.is_directed():
        # python-igraph 1.0 rejects directed=False on an undirected graph, so pass it only
        # where it means something.
        kwargs["directed"] = True
    with warnings.catch_warnings():
        # igraph warns on disconnected graphs; networkx does not, and the note says it.
        warnings.simplefilter("ignore", RuntimeWarning)
        vec = np.asarray(H.eigenvector_centrality(**kwargs), dtype=float)
    if vec.sum() < 0:
        vec = -vec
    norm = np.linalg.norm(vec)
    if norm > 0:
        vec = vec / norm
    return CentralityResult("eigenvector", _as_dict(G, vec), _ig_name(), params, note)


# --------------------------------------------------------------------------- pagerank


@not_implemented_for("multigraph")
def pagerank(
    G: nx.Graph,
    *,
    alpha: float = 0.85,
    weight: str | None = None,
    backend: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
) -> CentralityResult:
    """PageRank with damping ``alpha``; dangling nodes spread uniformly; sums to 1.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network (undirected edges count both ways).
    alpha : float, optional
        Damping factor (default 0.85).
    weight : str, optional
        Edge attribute used as tie strength.
    backend : str, optional
        As for :func:`betweenness`.
    threshold : int, optional
        Node count above which ``"auto"`` uses igraph (PRPACK).

    Returns
    -------
    CentralityResult
        ``measure`` is ``"pagerank"``.

    References
    ----------
    .. [1] Page, L., Brin, S., Motwani, R. and Winograd, T. (1999). "The PageRank Citation
       Ranking: Bringing Order to the Web." Technical Report 1999-66, Stanford InfoLab.
       http://ilpubs.stanford.edu:8090/422/
    """
    check_weights(G, weight)
    chosen = _choose(G, backend, threshold)
    params = {"alpha": alpha, "weight": weight}
    note = "damping alpha, uniform teleport and dangling redistribution"
    if chosen == "numba":
        chosen = "igraph"
    if chosen != "igraph":
        values, impl = _nx_call(nx.pagerank, chosen, G, alpha=alpha, weight=weight)
        return CentralityResult("pagerank", dict(values), impl, params, note)
    H = _to_igraph(G, weight)
    pr = H.pagerank(directed=G.is_directed(), damping=alpha, weights="weight" if weight else None)
    return CentralityResult("pagerank", _as_dict(G, pr), _ig_name(), params, note)


# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class CentralityTable:
    """Several measures side by side; ``implementations`` says what computed each."""

    node_list: list[Any]
    columns: dict[str, list[float | None]]
    implementations: dict[str, str]
    notes: dict[str, str]

    def to_rows(self) -> list[dict[str, Any]]:
        """JSON-ready rows ``{node, <measure>: value, ...}`` (``None`` where undefined)."""
        names = list(self.columns)
        cols = [self.columns[c] for c in names]
        return [
            {"node": v, **dict(zip(names, vals, strict=True))}
            for v, *vals in zip(self.node_list, *cols, strict=True)
        ]


def centrality(
    G: nx.Graph,
    measures: Iterable[str] | None = None,
    *,
    weight: str | None = None,
    distance: str | None = None,
    k: int | None = None,
    seed: int | None = None,
    backend: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
    nodes: Iterable[Any] | None = None,
) -> CentralityTable:
    """Compute several centralities at once, for the command line and the API.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network.
    measures : iterable of str, optional
        Subset of :data:`MEASURES` (default all). ``degree`` gives ``in_degree`` and
        ``out_degree`` columns for digraphs; ``betweenness`` gives raw and normalised.
    weight : str, optional
        Tie strength for degree, eigenvector and PageRank.
    distance : str, optional
        Edge length for betweenness and closeness.
    k, seed : int, optional
        Sampled betweenness (see :func:`betweenness`).
    backend, threshold : optional
        Implementation choice (see the module docstring).
    nodes : iterable, optional
        Report only these nodes.

    Returns
    -------
    CentralityTable
        Columns per measure, the implementation of each, and their conventions.
        A measure that cannot be computed (eigenvector on a DAG) is ``None`` throughout,
        with the reason in ``notes``.

    References
    ----------
    .. [1] Freeman, L. C. (1977). "A Set of Measures of Centrality Based on Betweenness."
       *Sociometry* 40(1):35-41. https://doi.org/10.2307/3033543
    .. [2] Brandes, U. (2001). "A Faster Algorithm for Betweenness Centrality."
       *Journal of Mathematical Sociology* 25(2):163-177.
       https://doi.org/10.1080/0022250X.2001.9990249
    .. [3] Page, L., Brin, S., Motwani, R. and Winograd, T. (1999). "The PageRank Citation
       Ranking: Bringing Order to the Web." Technical Report 1999-66, Stanford InfoLab.
    """
    wanted = list(MEASURES if measures is None else measures)
    unknown = [m for m in wanted if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure {unknown[0]!r}; expected one of {', '.join(MEASURES)}")
    kw = {"backend": backend, "threshold": threshold}
    results: list[CentralityResult] = []
    notes: dict[str, str] = {}
    for m in wanted:
        if m == "degree":
            if G.is_directed():
                results += [in_degree(G, weight=weight), out_degree(G, weight=weight)]
            else:
                results.append(degree(G, weight=weight))
        elif m == "betweenness":
            raw = betweenness(G, weight=distance, k=k, seed=seed, **kw)
            n = G.number_of_nodes()
            scale = (n - 1) * (n - 2) / (1 if G.is_directed() else 2)
            norm = {v: (x / scale if scale > 0 else x) for v, x in raw.values.items()}
            results += [
                raw,
                CentralityResult(
                    "betweenness_normalized", norm, raw.implementation, raw.parameters, raw.note
                ),
            ]
        elif m == "closeness":
            results.append(closeness(G, weight=distance, **kw))
        elif m == "eigenvector":
            try:
                results.append(eigenvector(G, weight=weight, **kw))
            except nx.PowerIterationFailedConvergence as exc:
                notes["eigenvector"] = f"not computed: {exc}"
                results.append(
                    CentralityResult(
                        "eigenvector", dict.fromkeys(G, float("nan")), "none", {}, str(exc)
                    )
                )
        elif m == "pagerank":
            results.append(pagerank(G, weight=weight, **kw))
    node_list = list(G) if nodes is None else list(dict.fromkeys(nodes))
    for v in node_list:
        if v not in G:
            raise nx.NetworkXError(f"node {v!r} is not in the graph")
    columns = {r.measure: [to_float_or_none(r.values[v]) for v in node_list] for r in results}
    impls = {r.measure: r.implementation for r in results}
    for r in results:
        notes.setdefault(r.measure, r.note)
    return CentralityTable(node_list, columns, impls, notes)
