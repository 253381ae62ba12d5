"""Burt's measures: hand values, igraph oracle, networkx's known bugs, the definition."""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest

from kg.exceptions import InvalidParameterError
from kg.metrics import (
    constraint,
    effective_size,
    efficiency,
    hierarchy,
    local_constraint,
    structural_holes,
)

FIXTURES = [
    "roles_directed",
    "undirected_tiny",
    "reciprocal",
    "selfloops",
    "isolates",
    "singleton_groups",
    "complete4",
    "random_60_4groups",
    "random_undirected_40",
]


def _same(a: float, b: float | None) -> bool:
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return math.isnan(a)
    return a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_hand_worked_triangle_with_pendant():
    """Undirected triangle a-b-c plus pendant d on c (hand calculation).

    p_ab = p_ac = 1/2; p_ba = p_bc = 1/2; p_ca = p_cb = p_cd = 1/3; p_dc = 1.
    C_a = c_ab + c_ac = (1/2 + p_ac·p_cb)² + (1/2 + p_ab·p_bc)² = (2/3)² + (3/4)²
        = 145/144 (same for b).
    C_c = 2 · (1/3 + 1/3·1/2)² + (1/3)² = 2 · 1/4 + 1/9 = 11/18.  C_d = 1 (pendant).
    Effective size (Borgatti n − 2t/n): ES_c = 3 − 2/3 = 7/3, ES_a = 2 − 1 = 1, ES_d = 1.
    Hierarchy of c: r_j = c_cj / (C_c/3) with c_cj = 1/4, 1/4, 1/9 and C_c/3 = 11/54.
    """
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    res = structural_holes(G)
    con = res.as_dict("constraint")
    assert con["a"] == pytest.approx(145 / 144)
    assert con["c"] == pytest.approx(11 / 18)
    assert con["d"] == pytest.approx(1.0)
    es = res.as_dict("effective_size")
    assert es == pytest.approx({"a": 1.0, "b": 1.0, "c": 7 / 3, "d": 1.0})
    assert res.as_dict("efficiency")["c"] == pytest.approx(7 / 9)
    r = np.array([1 / 4, 1 / 4, 1 / 9]) / (11 / 54)
    assert res.as_dict("hierarchy")["c"] == pytest.approx(
        float((r * np.log(r)).sum() / (3 * math.log(3)))
    )
    assert math.isnan(res.as_dict("hierarchy")["d"])  # one contact: 0/0


def test_closed_triad_constraint_is_1_125():
    for G in (nx.cycle_graph(3), nx.DiGraph([(0, 1), (1, 2), (0, 2)])):
        assert list(constraint(G).values()) == pytest.approx([1.125] * 3)


def test_isolates_and_loop_only_nodes_are_nan():
    G = nx.DiGraph([(1, 2)])
    G.add_node(3)
    G.add_edge(4, 4)
    res = structural_holes(G)
    rows = {r["node"]: r for r in res.to_rows()}
    for v in (3, 4):
        assert all(rows[v][m] is None for m in ("constraint", "effective_size", "efficiency"))
    assert rows[1]["constraint"] == 1.0


@pytest.mark.parametrize("name", FIXTURES)
def test_constraint_matches_r_igraph(name, refs):
    """Oracle: R igraph 1.3.5 ``constraint()``, unweighted and weighted.

    igraph drops self-loops like kg, but gives a node whose only tie is a loop constraint 0
    (its degree is not 0, so it skips its isolate test, then adds nothing); kg treats that
    node as an isolate (no contact): NaN. That is the only difference.
    """
    data = refs.load(name)
    G = refs.graph(data)
    loop_only = {v for v in G if set(nx.all_neighbors(G, v)) <= {v} and G.has_edge(v, v)}
    for weight, key in ((None, "constraint"), ("weight", "constraint_weighted")):
        ours = structural_holes(G, weight=weight).constraint.tolist()
        for v, a, b in zip(G, ours, data["igraph"][key], strict=True):
            if v in loop_only:
                assert math.isnan(a) and b == 0
            else:
                assert _same(a, b), (v, a, b)


@pytest.mark.parametrize("seed", range(30))
def test_all_measures_match_the_definition(seed, refs):
    """Oracle: pair-by-pair evaluation of §2.1 of the definitions note (directed, weighted)."""
    rnd = random.Random(seed)
    n = rnd.randint(2, 30)
    G = nx.gnp_random_graph(n, rnd.uniform(0.05, 0.4), seed=seed, directed=seed % 2 == 0)
    for _ in range(2):
        v = rnd.randrange(n)
        G.add_edge(v, v)
    weight = None
    if seed % 3 == 0:
        weight = "w"
        for _, _, d in G.edges(data=True):
            d["w"] = rnd.choice([0.5, 1, 2, 3])
    res = structural_holes(G, weight=weight)
    ref = refs.burt(G, weight)
    for k, measure in enumerate(("constraint", "effective_size", "efficiency", "hierarchy")):
        got = res.as_dict(measure)
        for v in G:
            assert _same(got[v], ref[v][k]), (measure, v, got[v], ref[v][k])


def test_networkx_effective_size_bug_is_avoided():
    """networkx 3.6.1 ``effective_size(G)`` normalises by the wrong node's strongest tie.

    Directed graph with mixed one-way and reciprocated ties: the per-node path of networkx
    (correct here, no sinks) agrees with kg; the all-nodes sparse path does not.
    """
    G = nx.DiGraph([(0, 1), (1, 0), (0, 2), (2, 3), (3, 0), (1, 2), (3, 1), (1, 3)])
    ours = effective_size(G)
    per_node = nx.effective_size(G, nodes=list(G))
    assert ours == pytest.approx(per_node)
    sparse_path = nx.effective_size(G)
    assert any(abs(sparse_path[v] - ours[v]) > 1e-9 for v in G)


def test_directed_sinks_are_not_nan():
    """networkx's per-node path returns NaN for every sink of a DiGraph; kg does not."""
    G = nx.DiGraph([(0, 1), (2, 1), (0, 2)])
    assert math.isnan(nx.constraint(G, nodes=[1])[1])
    assert constraint(G)[1] == pytest.approx(nx.constraint(G)[1])
    assert not math.isnan(effective_size(G)[1])


def test_self_loops_ignored_like_igraph():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (1, 1)])
    H = G.copy()
    H.remove_edge(1, 1)
    assert constraint(G) == pytest.approx(constraint(H))
    # networkx keeps the loop in the normaliser and differs
    assert nx.constraint(G)[1] != pytest.approx(constraint(G)[1])


def test_wrappers_local_constraint_and_nodes():
    G = nx.karate_club_graph()
    res = structural_holes(G, weight="weight", nodes=[0, 33], local=True)
    assert res.node_list == [0, 33]
    assert constraint(G, nodes=[0, 33], weight="weight") == res.as_dict("constraint")
    assert efficiency(G)[0] == pytest.approx(effective_size(G)[0] / G.degree(0))
    assert hierarchy(G, nodes=[33], weight="weight")[33] == res.as_dict("hierarchy")[33]
    assert sum(v for (i, _), v in res.local.items() if i == 0) == pytest.approx(
        res.as_dict("constraint")[0]
    )
    for (i, j), v in list(res.local.items())[:10]:
        assert local_constraint(G, i, j, weight="weight") == pytest.approx(v)
    # networkx agrees on undirected weighted local constraint
    assert local_constraint(G, 0, 1, weight="weight") == pytest.approx(
        nx.local_constraint(G, 0, 1, weight="weight")
    )


def test_bad_weights_and_multigraphs():
    G = nx.Graph([(0, 1, {"w": -1.0})])
    with pytest.raises(InvalidParameterError, match="non-negative"):
        structural_holes(G, weight="w")
    with pytest.raises(nx.NetworkXNotImplemented):
        structural_holes(nx.MultiGraph([(0, 1)]))


def test_zero_weight_edge_is_no_contact():
    G = nx.Graph([(0, 1, {"w": 1.0}), (1, 2, {"w": 0.0})])
    res = structural_holes(G, weight="w")
    assert res.n_contacts.tolist() == [1, 1, 0]


def test_degenerate_graphs():
    assert structural_holes(nx.DiGraph()).to_rows() == []
    single = nx.Graph()
    single.add_node("a")
    assert structural_holes(single).to_rows() == [
        {
            "node": "a",
            "constraint": None,
            "effective_size": None,
            "efficiency": None,
            "hierarchy": None,
        }
    ]
