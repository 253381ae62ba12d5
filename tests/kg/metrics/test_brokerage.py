"""Gould-Fernandez brokerage: hand-worked values, sna's traps, R sna oracle, references."""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

import json
import math
import random

import networkx as nx
import numpy as np
import pytest

from kg.metrics import ROLES, SNA_COLUMNS, broker_paths, brokerage, brokerage_null_model
from kg.metrics.brokerage import BrokeredPath

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


def _approx_or_none(expected):
    """pytest.approx for a list that may hold None (sna's NaN)."""
    return [None if x is None else pytest.approx(x, rel=1e-9, abs=1e-12) for x in expected]


def _none(values):
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else v for v in values]


def roles_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    groups = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C"}
    G.add_nodes_from((v, {"g": g}) for v, g in groups.items())
    G.add_edges_from(
        [("a1", "a2"), ("a2", "a3"), ("a2", "b1"), ("b1", "c1"), ("c1", "c2"), ("a3", "b2")]
        + [("b2", "a1")]
    )
    return G


# --------------------------------------------------------------------------- hand-worked


def test_hand_worked_every_role():
    """Every role occurs; counts and moments worked out by hand.

    Graph (groups A = a1..a3, B = b1, b2, C = c1, c2), 7 edges:
    a1→a2, a2→a3, a2→b1, b1→c1, c1→c2, a3→b2, b2→a1.

    Open 2-paths (none is closed):
    b2→a1→a2 gatekeeper (B→A→A) for a1; a1→a2→a3 coordinator and a1→a2→b1 representative
    for a2; a2→a3→b2 representative for a3; a2→b1→c1 liaison for b1; a3→b2→a1 itinerant
    (A→B→A) for b2; b1→c1→c2 gatekeeper for c1; c2 brokers nothing.

    Null model: N = 7, m = 7, d = 7/42 = 1/6, q = d²(1−d) = 5/216, c3 = d³(1−d)³ =
    125/46656. For a broker in A (n = 3): E(coordinator) = q·2·1 = 10/216, E(itinerant) =
    q·(2·1 + 2·1) = 20/216, E(representative) = E(gatekeeper) = q·4·2 = 40/216,
    E(liaison) = q·(4² − (2² + 2²)) = 40/216, E(total) = q·6·5 = 150/216.
    Var(coordinator) = E(1−q) + 2·2·1·0·c3 = (10/216)(211/216), so z(a2, coordinator) =
    (1 − 10/216) / sqrt(2110)/216 = 206/sqrt(2110) ≈ 4.4846.
    For a broker in B (n = 2): E(coordinator) = 0 and its sd is 0, so z is None.
    """
    res = brokerage(roles_graph(), "g")
    rows = {r.node: r for r in res.nodes}
    counts = {v: [rows[v].raw(role) for role in ROLES] for v in rows}
    assert counts == {
        "a1": [0, 0, 0, 1, 0, 1],
        "a2": [1, 0, 1, 0, 0, 2],
        "a3": [0, 0, 1, 0, 0, 1],
        "b1": [0, 0, 0, 0, 1, 1],
        "b2": [0, 1, 0, 0, 0, 1],
        "c1": [0, 0, 0, 1, 0, 1],
        "c2": [0, 0, 0, 0, 0, 0],
    }
    a2 = rows["a2"]
    assert a2.expected == pytest.approx(
        {
            "coordinator": 10 / 216,
            "itinerant": 20 / 216,
            "representative": 40 / 216,
            "gatekeeper": 40 / 216,
            "liaison": 40 / 216,
            "total": 150 / 216,
        }
    )
    assert a2.sd["coordinator"] == pytest.approx(math.sqrt(2110) / 216)
    assert a2.z["coordinator"] == pytest.approx(206 / math.sqrt(2110))
    assert a2.z["coordinator"] == pytest.approx(4.4846, abs=1e-4)
    b1 = rows["b1"]
    assert b1.expected["coordinator"] == 0.0
    assert b1.sd["coordinator"] == 0.0
    assert b1.z["coordinator"] is None
    assert b1.expected["liaison"] == pytest.approx(12 * 5 / 216)  # q·(5² − (3² + 2²))
    assert res.graph.density == pytest.approx(1 / 6)
    assert res.graph.raw == {
        "coordinator": 1,
        "itinerant": 1,
        "representative": 2,
        "gatekeeper": 2,
        "liaison": 1,
        "total": 7,
    }


def test_rows_are_json_ready_with_documented_keys():
    rows = brokerage(roles_graph(), "g").to_rows()
    assert json.loads(json.dumps(rows)) == rows
    keys = list(rows[0])
    assert keys[:8] == ["node", "group", *ROLES]
    for role in ROLES:
        assert {f"expected_{role}", f"sd_{role}", f"z_{role}"} <= set(keys)
    b1 = next(r for r in rows if r["node"] == "b1")
    assert b1["z_coordinator"] is None
    assert "sd_total" not in brokerage(roles_graph(), "g").to_rows(sd=False)[0]


def test_group_attribute_or_mapping_and_nodes_subset():
    G = roles_graph()
    mapping = dict(G.nodes(data="g"))
    a = brokerage(G, "g")
    b = brokerage(G, mapping, nodes=["c1", "a2"])
    assert b.node_list == ["c1", "a2"]
    assert b.raw_counts.tolist() == [a.raw_counts[5].tolist(), a.raw_counts[1].tolist()]
    assert [g.group for g in a.groups] == ["A", "B", "C"]
    assert [g.size for g in a.groups] == [3, 2, 2]


def test_missing_group_is_an_error():
    G = roles_graph()
    del G.nodes["c2"]["g"]
    with pytest.raises(nx.NetworkXError, match="no 'g' attribute"):
        brokerage(G, "g")
    with pytest.raises(nx.NetworkXError, match="missing from the group mapping"):
        brokerage(G, {"a1": "A"})


def test_multigraph_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        brokerage(nx.MultiDiGraph([(1, 2)]), {1: "a", 2: "a"})


# --------------------------------------------------------------------------- traps (§0)


def test_trap1_only_i_to_k_closes_and_i_j_i_never_counts():
    """a→b→c is open although c→a exists; b↔a gives no a→b→a path."""
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("b", "a")])
    res = brokerage(G, dict.fromkeys(G, "X"))
    counts = dict(zip(res.node_list, res.raw_counts[:, 5].tolist(), strict=True))
    # b brokers (a, c) [no a→c]; c brokers (b, a)? b→a exists, so closed; a brokers (c, b)?
    # c→b absent, so open. (b, b) via a is i→j→i: never counted.
    assert counts == {"a": 1, "b": 1, "c": 0}
    G.add_edge("a", "c")  # now i→k closes b's path
    res = brokerage(G, dict.fromkeys(G, "X"))
    assert dict(zip(res.node_list, res.raw_counts[:, 5].tolist(), strict=True))["b"] == 0


def test_trap2_undirected_counts_twice():
    """The note's example: a2 brokers {a1, b1} and {a3, b1}, each in both directions."""
    G = nx.Graph([("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("a2", "b1")])
    res = brokerage(G, {"a1": "A", "a2": "A", "a3": "A", "b1": "B"})
    a2 = res.nodes[1]
    assert (a2.representative, a2.gatekeeper, a2.total) == (2, 2, 4)
    assert res.graph.m_rows == 8  # 2|E|
    for row in res.nodes:
        assert row.representative == row.gatekeeper


def test_trap3_sna_column_order():
    assert dict(zip(SNA_COLUMNS, ROLES, strict=True)) == {
        "w_I": "coordinator",
        "w_O": "itinerant",
        "b_IO": "representative",
        "b_OI": "gatekeeper",
        "b_O": "liaison",
        "t": "total",
    }


def test_trap4_representative_vs_gatekeeper_direction():
    """A→A→B is representative for the broker; B→A→A is gatekeeper."""
    out = nx.DiGraph([("a1", "a2"), ("a2", "b1")])
    inn = nx.DiGraph([("b1", "a2"), ("a2", "a1")])
    groups = {"a1": "A", "a2": "A", "b1": "B"}
    r_out = brokerage(out, groups).nodes[1]
    r_in = brokerage(inn, groups, nodes=["a2"]).nodes[0]
    assert (r_out.node, r_out.representative, r_out.gatekeeper) == ("a2", 1, 0)
    assert (r_in.node, r_in.representative, r_in.gatekeeper) == ("a2", 0, 1)


def test_trap5_self_loops_change_density_not_counts():
    G = roles_graph()
    H = G.copy()
    H.add_edges_from([("a1", "a1"), ("c2", "c2")])
    a, b = brokerage(G, "g"), brokerage(H, "g")
    assert np.array_equal(a.raw_counts, b.raw_counts)
    assert (a.graph.m_rows, b.graph.m_rows) == (7, 9)
    assert b.graph.density == pytest.approx(9 / 42)
    assert not np.allclose(a.expected, b.expected)


def test_trap6_null_z_where_sd_is_zero():
    # d = 0: nodes but no edges
    G = nx.DiGraph()
    G.add_nodes_from("abcd")
    res = brokerage(G, dict(zip("abcd", "XXYY", strict=True)))
    assert all(v is None for r in res.to_rows() for k, v in r.items() if k.startswith("z_"))
    # d = 1: complete digraph
    K = nx.complete_graph(4, create_using=nx.DiGraph)
    res = brokerage(K, dict(zip(range(4), "KKLL", strict=True)))
    assert res.graph.density == 1.0
    assert all(v is None for v in res.graph.z.values())
    # group of size 2: coordinator impossible
    res = brokerage(roles_graph(), "g")
    assert res.groups[1].sd["coordinator"] == 0.0


def test_isolates_count_in_n():
    G = roles_graph()
    G.add_node("a_iso", g="A")
    res = brokerage(G, "g")
    assert res.graph.n_nodes == 8
    assert res.groups[0].size == 4
    iso = res.nodes[-1]
    assert iso.total == 0
    assert iso.expected == res.nodes[0].expected  # its group's values


def test_impossible_roles_are_exact_zero_variance_at_scale():
    """Exact integer sums: impossible roles stay at variance 0 for large N (no rounding)."""
    exp_g, var_g, _, _, _ = brokerage_null_model(2_000_000, [1_000_000, 999_999, 1], 5_000_000)
    assert var_g[2, 0] == 0.0  # coordinator in a singleton group
    assert var_g[0, 4] > 0.0  # liaison possible for the big group (three groups)
    exp_g, var_g, _, _, _ = brokerage_null_model(300_000, [150_000, 150_000], 900_000)
    assert exp_g[0, 4] == 0.0 and var_g[0, 4] == 0.0  # liaison needs three groups


# --------------------------------------------------------------------------- oracles


@pytest.mark.parametrize("name", FIXTURES)
def test_matches_r_sna(name, refs):
    """Oracle: R sna 2.7.1 ``brokerage()`` (tests/data/metrics/make_fixtures.R)."""
    data = refs.load(name)
    sna = data["sna_brokerage"]
    assert sna["columns"] == list(SNA_COLUMNS)
    G = refs.graph(data)
    res = brokerage(G, "group")
    assert res.graph.n_nodes == sna["N"]
    assert res.graph.m_rows == sna["m"]
    assert res.group_labels == sna["clid"]
    assert res.group_sizes.tolist() == sna["n"]
    assert res.raw_counts.tolist() == sna["raw_nli"]
    for ours, theirs in (
        (res.expected, sna["exp_nli"]),
        (res.sd, sna["sd_nli"]),
        (res.z, sna["z_nli"]),
        (res.expected_by_group, sna["exp_grp"]),
        (res.sd_by_group, sna["sd_grp"]),
    ):
        for row_ours, row_theirs in zip(ours.tolist(), theirs, strict=True):
            assert _none(row_ours) == _approx_or_none(row_theirs)
    g = res.graph
    assert [g.raw[r] for r in ROLES] == sna["raw_gli"]
    assert [g.expected[r] for r in ROLES] == _approx_or_none(sna["exp_gli"])
    assert [g.sd[r] for r in ROLES] == _approx_or_none(sna["sd_gli"])
    assert [g.z[r] for r in ROLES] == _approx_or_none(sna["z_gli"])


@pytest.mark.parametrize("seed", range(40))
def test_matches_plain_python_reference(seed, refs):
    """Oracle: the dict-of-sets loop and the literal transcription of sna's R formulas."""
    rnd = random.Random(seed)
    n = rnd.randint(3, 45)
    directed = seed % 4 != 0
    G = nx.gnp_random_graph(n, rnd.uniform(0.03, 0.5), seed=seed, directed=directed)
    for _ in range(rnd.randint(0, 3)):
        v = rnd.randrange(n)
        G.add_edge(v, v)
    labels = "ABCDEFGH"[: rnd.randint(1, 8)]
    groups = {v: rnd.choice(labels) for v in G}
    res = brokerage(G, groups)
    bf = refs.gf(G, groups)
    assert res.raw_counts[:, :5].tolist() == [bf[v] for v in res.node_list]
    ebr, vbr, e, v = refs.sna(n, res.group_sizes.tolist(), res.graph.m_rows)
    np.testing.assert_allclose(res.expected_by_group, ebr, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(res.sd_by_group**2, vbr, rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose([res.graph.expected[r] for r in ROLES], e, rtol=1e-10)
    np.testing.assert_allclose([res.graph.sd[r] ** 2 for r in ROLES], v, rtol=1e-9)


def test_string_and_integer_node_keys_agree():
    G = nx.gnp_random_graph(30, 0.15, seed=2, directed=True)
    groups = {v: v % 3 for v in G}
    H = nx.relabel_nodes(G, {v: f"n{v}" for v in G})
    a = brokerage(G, groups)
    b = brokerage(H, {f"n{v}": g for v, g in groups.items()})
    assert np.array_equal(a.raw_counts, b.raw_counts)


# --------------------------------------------------------------------------- paths


def test_broker_paths_explain_the_counts(refs):
    data = refs.load("random_60_4groups")
    G = refs.graph(data)
    res = brokerage(G, "group")
    for row in res.nodes:
        paths = broker_paths(G, "group", row.node, limit=None)
        assert len(paths) == row.total
        for role in ROLES[:5]:
            assert sum(p.role == role for p in paths) == row.raw(role)
        for p in paths:
            assert G.has_edge(p.source, p.broker) and G.has_edge(p.broker, p.target)
            assert p.source != p.target and not G.has_edge(p.source, p.target)


def test_broker_paths_role_filter_and_limit():
    G = roles_graph()
    assert broker_paths(G, "g", "a2", role="representative") == [
        BrokeredPath("a1", "a2", "b1", "representative")
    ]
    assert len(broker_paths(G, "g", "a2", limit=1)) == 1
    with pytest.raises(ValueError, match="unknown role"):
        broker_paths(G, "g", "a2", role="consultant")
    with pytest.raises(nx.NetworkXError):
        broker_paths(G, "g", "zz")


def test_degenerate_graphs():
    """N < 2: the density is undefined, so E, sd and z are None; nothing crashes."""
    empty = brokerage(nx.DiGraph(), "g")
    assert empty.to_rows() == [] and empty.graph.density is None
    one = nx.DiGraph()
    one.add_node("a", g="A")
    row = brokerage(one, "g").to_rows()[0]
    assert row["total"] == 0 and row["expected_total"] is None and row["z_total"] is None
