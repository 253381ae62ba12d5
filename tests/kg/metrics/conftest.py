"""Shared fixtures of the metrics tests: the R reference files and plain-Python references.

The reference implementations here are deliberately naive (dict of sets, literal loops over
groups as in sna's R code) so that they share no code or idea with the vectorised ones.
"""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "metrics"
FIXTURES = sorted(p.stem for p in DATA.glob("*.json"))


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text())


def fixture_graph(data: dict[str, Any]) -> nx.Graph:
    g = data["graph"]
    G = nx.DiGraph() if g["directed"] else nx.Graph()
    G.add_nodes_from((v, {"group": grp}) for v, grp in zip(g["nodes"], g["groups"], strict=True))
    for e in g["edges"]:
        G.add_edge(e["source"], e["target"], weight=float(e["weight"]))
    return G


def gf_bruteforce(G: nx.Graph, group: dict[Any, Any]) -> dict[Any, list[int]]:
    """Gould-Fernandez counts by the definition: loop over i, j, k with a dict of sets."""
    out: dict[Any, set[Any]] = {v: set() for v in G}
    for u, v in G.edges():
        if u == v:
            continue
        out[u].add(v)
        if not G.is_directed():
            out[v].add(u)
    res = {v: [0, 0, 0, 0, 0] for v in G}
    for i in G:
        for j in out[i]:
            for k in out[j]:
                if k == i or k in out[i]:
                    continue
                gi, gj, gk = group[i], group[j], group[k]
                if gi == gj == gk:
                    role = 0
                elif gi == gk:
                    role = 1
                elif gi == gj:
                    role = 2
                elif gj == gk:
                    role = 3
                else:
                    role = 4
                res[j][role] += 1
    return res


def sna_moments(N: int, n: list[int], m: int) -> tuple[list, list, list, list]:
    """Literal transcription of sna 2.7 ``brokerage()`` moments (R/models.R), loops and all."""
    d = m / (N * (N - 1))

    def ch(x: float) -> float:
        return x * (x - 1) / 2

    q = d**2 * (1 - d)
    c3, c4, c5 = d**3 * (1 - d) ** 3, d**4 * (1 - d) ** 2, d**5 * (1 - d)
    ebr, vbr = [], []
    for i in range(len(n)):
        oth = [n[h] for h in range(len(n)) if h != i]
        e = [0.0] * 6
        v = [0.0] * 6
        e[0] = q * (n[i] - 1) * (n[i] - 2)
        v[0] = e[0] * (1 - q) + 2 * (n[i] - 1) * (n[i] - 2) * (n[i] - 3) * c3
        e[1] = q * sum(x * (x - 1) for x in oth)
        v[1] = e[1] * (1 - q) + 2 * sum(x * (x - 1) * (x - 2) for x in oth) * c3
        e[2] = q * (N - n[i]) * (n[i] - 1)
        v[2] = e[2] * (1 - q) + 2 * ((n[i] - 1) * ch(N - n[i]) + (N - n[i]) * ch(n[i] - 1)) * c3
        e[3], v[3] = e[2], v[2]
        e[4] = q * (sum(x * y for x in oth for y in oth) - sum(x * x for x in oth))
        v[4] = e[4] * (1 - q) + 4 * sum(x * ch(N - x - n[i]) * c3 for x in oth)
        e[5] = q * (N - 1) * (N - 2)
        v[5] = e[5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * c3
        ebr.append(e)
        vbr.append(v)
    e = [0.0] * 6
    v = [0.0] * 6
    e[0] = q * sum(x * (x - 1) * (x - 2) for x in n)
    v[0] = e[0] * (1 - q) + sum(
        x * (x - 1) * (x - 2) * ((4 * x - 10) * c3 - 4 * (x - 3) * c4 + (x - 3) * c5) for x in n
    )
    e[1] = q * sum(x * (N - x) * (x - 1) for x in n)
    v[1] = (
        e[1] * (1 - q)
        + sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * c3 + (N - x - 1) * c5) for x in n for y in n)
        - sum(x * x * (x - 1) * ((4 * x - 6) * c3 + (N - x - 1) * c5) for x in n)
    )
    e[2] = q * sum(x * (N - x) * (x - 1) for x in n)
    v[2] = e[2] * (1 - q) + sum(x * (N - x) * (x - 1) * ((N - 3) * c3 + (x - 2) * c5) for x in n)
    e[3], v[3] = e[2], v[2]
    e[4] = q * (
        sum(x * y * (N - x - y) for x in n for y in n) - sum(x * x * (N - 2 * x) for x in n)
    )
    v[4] = e[4] * (1 - q)
    for a in range(len(n)):
        for b in range(len(n)):
            for c in range(len(n)):
                if a != b and b != c and a != c:
                    v[4] += (
                        n[a]
                        * n[b]
                        * n[c]
                        * (
                            (4 * (N - n[b]) - 2 * (n[a] + n[c] + 1)) * c3
                            - (4 * (N - n[c]) - 2 * (n[a] + n[b] + 1)) * c4
                            + (N - (n[a] + n[c] + 1)) * c5
                        )
                    )
    e[5] = q * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - q) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * c3 - 4 * (N - 3) * c4 + (N - 3) * c5
    )
    return ebr, vbr, e, v


def burt_reference(G: nx.Graph, weight: str | None = None) -> dict[Any, tuple[float, ...]]:
    """Constraint, effective size, efficiency, hierarchy by the formulas, pair by pair."""
    directed = G.is_directed()

    def a(u: Any, v: Any) -> float:
        if u == v or not G.has_edge(u, v):
            return 0.0
        return 1.0 if weight is None else float(G[u][v].get(weight, 1))

    def z(u: Any, v: Any) -> float:
        return a(u, v) + a(v, u) if directed else a(u, v)

    nodes = list(G)
    contacts = {i: [j for j in nodes if j != i and z(i, j) > 0] for i in nodes}
    total = {i: sum(z(i, j) for j in contacts[i]) for i in nodes}
    strongest = {j: max((z(j, k) for k in contacts[j]), default=0.0) for j in nodes}

    def p(i: Any, j: Any) -> float:
        return z(i, j) / total[i] if total[i] else 0.0

    def m(j: Any, q: Any) -> float:
        return z(j, q) / strongest[j] if strongest[j] else 0.0

    out = {}
    for i in nodes:
        nb = contacts[i]
        if not nb:
            out[i] = (math.nan,) * 4
            continue
        c = {j: (p(i, j) + sum(p(i, q) * p(q, j) for q in nb if q != j)) ** 2 for j in nb}
        C = sum(c.values())
        es = sum(1 - sum(p(i, q) * m(j, q) for q in nb if q != j) for j in nb)
        k = len(nb)
        if k > 1:
            r = {j: c[j] / (C / k) for j in nb}
            H = sum(x * math.log(x) for x in r.values()) / (k * math.log(k))
        else:
            H = math.nan
        out[i] = (C, es, es / k, H)
    return out


@pytest.fixture
def fixture_data():
    return load_fixture


@pytest.fixture
def refs():
    """The plain-Python reference implementations, as a namespace."""

    class Refs:
        gf = staticmethod(gf_bruteforce)
        sna = staticmethod(sna_moments)
        burt = staticmethod(burt_reference)
        graph = staticmethod(fixture_graph)
        load = staticmethod(load_fixture)

    return Refs
