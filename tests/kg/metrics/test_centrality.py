"""Centrality: networkx conventions whichever implementation runs; R igraph oracle."""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from kg.metrics import (
    betweenness,
    centrality,
    closeness,
    degree,
    eigenvector,
    in_degree,
    out_degree,
    pagerank,
)
from kg.metrics.centrality import SAMPLING_ERROR

FIXTURES = [
    "roles_directed",
    "reciprocal",
    "selfloops",
    "random_60_4groups",
    "random_undirected_40",
]


def _vals(result):
    return np.array(list(result.values.values()), dtype=float)


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("backend", ["networkx", "igraph", "numba"])
def test_betweenness_matches_r_igraph(name, backend, refs):
    """Oracle: R igraph 1.3.5 ``betweenness()`` raw and ``normalized=TRUE``.

    R igraph's normalisation equals networkx's (trap 9): 1/((N-1)(N-2)) directed,
    2/((N-1)(N-2)) undirected.
    """
    data = refs.load(name)
    G = refs.graph(data)
    raw = betweenness(G, backend=backend)
    norm = betweenness(G, backend=backend, normalized=True)
    assert _vals(raw) == pytest.approx(data["igraph"]["betweenness"], abs=1e-9)
    assert _vals(norm) == pytest.approx(data["igraph"]["betweenness_normalized"], abs=1e-12)
    assert norm.measure == "betweenness_normalized"
    if backend != "numba":
        weighted = betweenness(G, backend=backend, weight="weight")
        assert _vals(weighted) == pytest.approx(data["igraph"]["betweenness_weighted"], abs=1e-9)


def test_implementation_is_reported_and_auto_switches():
    G = nx.gnp_random_graph(60, 0.1, seed=1, directed=True)
    assert betweenness(G).implementation.startswith("networkx")
    assert betweenness(G, threshold=10).implementation.startswith("kg-numba")
    assert betweenness(G, threshold=10, weight="weight").implementation.startswith("igraph")
    assert pagerank(G, threshold=10).implementation.startswith("igraph")
    assert closeness(G, threshold=10).implementation.startswith("igraph")
    assert closeness(G, backend="numba").implementation.startswith("igraph")


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("weight", [None, "w"])
def test_networkx_and_igraph_agree(directed, weight):
    G = nx.gnp_random_graph(150, 0.04, seed=3, directed=directed)
    G.add_nodes_from([1000, 1001])  # isolates
    rng = np.random.default_rng(0)
    for _, _, d in G.edges(data=True):
        d["w"] = float(rng.integers(1, 4))
    for f, tol in ((betweenness, 1e-9), (closeness, 1e-12), (pagerank, 1e-5)):
        a = f(G, backend="networkx", weight=weight)
        b = f(G, backend="igraph", weight=weight)
        assert _vals(a) == pytest.approx(_vals(b), abs=tol), f.__name__


def test_eigenvector_agrees_on_connected_graph():
    G = nx.karate_club_graph()
    a = eigenvector(G, backend="networkx", tol=1e-10)
    b = eigenvector(G, backend="igraph")
    assert _vals(a) == pytest.approx(_vals(b), abs=1e-6)
    D = nx.DiGraph(nx.karate_club_graph())
    assert _vals(eigenvector(D, backend="networkx", tol=1e-10)) == pytest.approx(
        _vals(eigenvector(D, backend="igraph")), abs=1e-6
    )
    assert np.linalg.norm(_vals(b)) == pytest.approx(1.0)


def test_degrees_are_raw_counts():
    G = nx.DiGraph([(0, 1), (0, 2), (2, 0)])
    assert in_degree(G).values == {0: 1.0, 1: 1.0, 2: 1.0}
    assert out_degree(G).values == {0: 2.0, 1: 0.0, 2: 1.0}
    assert degree(nx.Graph(G)).values == {0: 2.0, 1: 1.0, 2: 1.0}
    with pytest.raises(nx.NetworkXNotImplemented):
        in_degree(nx.Graph(G))


def test_sampled_betweenness():
    G = nx.gnp_random_graph(300, 0.03, seed=5, directed=True)
    exact = _vals(betweenness(G, backend="numba"))
    full = betweenness(G, backend="numba", k=300, seed=1)
    assert _vals(full) == pytest.approx(exact)
    est = betweenness(G, backend="numba", k=150, seed=1)
    assert est.note == SAMPLING_ERROR
    assert est.parameters["k"] == 150
    # same sample on igraph gives the same estimate
    assert _vals(est) == pytest.approx(_vals(betweenness(G, backend="igraph", k=150, seed=1)))
    top = np.argsort(-exact)[:20]
    assert np.corrcoef(exact, _vals(est))[0, 1] > 0.9
    assert np.median(np.abs(_vals(est)[top] - exact[top]) / exact[top]) < 0.3
    with pytest.raises(ValueError, match="k must be"):
        betweenness(G, k=0)


def test_unknown_dispatch_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="backend 'cugraph' is not installed"):
        betweenness(nx.path_graph(4), backend="cugraph")


def test_table_rows_and_notes():
    G = nx.DiGraph([(0, 1), (1, 2), (0, 2)])  # a DAG: eigenvector does not converge
    table = centrality(G)
    rows = table.to_rows()
    assert list(rows[0]) == [
        "node",
        "in_degree",
        "out_degree",
        "betweenness",
        "betweenness_normalized",
        "closeness",
        "eigenvector",
        "pagerank",
    ]
    assert rows[1]["betweenness"] == 0.0  # 0 -> 2 is direct
    assert all(r["eigenvector"] is None for r in rows)
    assert table.notes["eigenvector"].startswith("not computed")
    assert "networkx" in table.implementations["betweenness"]
    U = centrality(nx.path_graph(4), ["degree", "betweenness"])
    assert [r["betweenness"] for r in U.to_rows()] == [0.0, 2.0, 2.0, 0.0]
    assert [r["betweenness_normalized"] for r in U.to_rows()] == pytest.approx([0, 2 / 3, 2 / 3, 0])
    with pytest.raises(ValueError, match="unknown measure"):
        centrality(G, ["katz"])


def test_closeness_convention_incoming_and_wf():
    """networkx: incoming distances, scaled by the share of nodes that reach the node."""
    G = nx.DiGraph([(0, 1), (1, 2)])
    G.add_node(3)
    c = closeness(G, backend="igraph").values
    # node 2 is reached by 1 (d=1) and 0 (d=2): (2/3) * (2/3)
    assert c[2] == pytest.approx(4 / 9)
    assert c[0] == 0.0 and c[3] == 0.0
    assert c == pytest.approx(nx.closeness_centrality(G))
    assert not any(math.isnan(x) for x in c.values())
