"""The brokerage notebook (docs/notebooks/brokerage-analysis.py) runs cell by cell; its answers are checked.

The notebook is in jupytext's percent format; jupytext reads it and each code cell is
executed in one namespace, as Jupyter would, with its printed output captured. The expected
values are either independent computations done here (open two-paths counted by brute force
on the networkx graph, Burt's constraint of a node whose contacts are unconnected) or taken
from the source documents (EWSI Luxembourg, ``000_bb8b49f7e06df230.txt`` lines 27-31: ASTI and
the Red Cross frame the new initiatives).
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
from pathlib import Path

import jupytext
import networkx as nx
import pytest

import kg

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "notebooks" / "brokerage-analysis.py"
ORG = "https://w3id.org/integration-kg/id/org/"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """What each code cell printed, in order."""
    nb = jupytext.read(NOTEBOOK)
    namespace: dict = {"__name__": "notebook"}
    printed: list[str] = []
    here = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("notebook"))
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(cell.source, str(NOTEBOOK), "exec"), namespace)
            printed.append(buffer.getvalue())
    finally:
        os.chdir(here)
    return printed


@pytest.fixture(scope="module")
def simple() -> nx.DiGraph:
    """The `all` network collapsed to a simple digraph, built here independently."""
    return nx.DiGraph(kg.open().network("all"))


def open_two_paths(g: nx.DiGraph, j: str) -> list[tuple[str, str]]:
    return [
        (i, k)
        for i in g.predecessors(j)
        for k in g.successors(j)
        if i != k and not g.has_edge(i, k)
    ]


def test_every_code_cell_ran_and_printed(outputs):
    assert len(outputs) == 7
    assert all(out.strip() for out in outputs), "a code cell printed nothing"


def test_size_line_matches_the_graph(outputs, simple):
    net = kg.open().network("all")
    assert outputs[0] == f"{net.number_of_nodes()} nodes, {net.number_of_edges()} relations\n"


def test_top_broker_is_the_brute_force_maximum(outputs, simple):
    counts = {v: len(open_two_paths(simple, v)) for v in simple}
    best = max(counts, key=counts.get)
    first = outputs[1].splitlines()[0]
    assert first.startswith(f"{simple.nodes[best]['label']} (")
    assert f": {counts[best]} pairs" in first
    assert counts[best] == 81  # the Danish Refugee Council, by brute force


def test_asti_and_red_cross_among_the_top_brokers_seed_000(outputs, simple):
    # 000, lines 27-31: Caritas, Red Cross and ASTI frame the spontaneous initiatives.
    # Their totals are counted here by brute force; the notebook must list both in its top six.
    top = outputs[1]
    for org, label in (
        ("lu-asti", "Association de Soutien aux Travailleurs Immigrés"),
        ("lu-red-cross", "Red Cross Luxembourg"),
    ):
        pairs = len(open_two_paths(simple, ORG + org))
        assert f"{label} (LU, cso): {pairs} pairs" in top


def test_brute_force_agrees_for_every_node(outputs):
    assert outputs[2].strip().endswith("0 totals differ from the brute force")


def test_cross_country_roles_by_brute_force(outputs, simple):
    """Every node the notebook lists as brokering across countries, with its role counts,
    agrees with Gould and Fernandez's roles counted here pair by pair (and no node is missing)."""
    country = dict(simple.nodes(data="country"))
    expected: dict[str, dict[str, int]] = {}
    for j in simple:
        roles: dict[str, int] = {}
        for i, k in open_two_paths(simple, j):
            ci, cj, ck = country[i], country[j], country[k]
            if len({ci, cj, ck}) == 3:
                role = "liaison"
            elif cj == ck != ci:
                role = "gatekeeper"
            elif ci == cj != ck:
                role = "representative"
            else:
                continue
            roles[role] = roles.get(role, 0) + 1
        if roles:
            label = simple.nodes[j]["label"]
            expected[f"{label} ({country[j]})"] = dict(sorted(roles.items()))
    printed = {}
    for line in outputs[3].splitlines():
        name, roles = line.split(": {", 1)
        printed[name] = dict(sorted(ast.literal_eval("{" + roles).items()))
    assert printed == expected
    assert "UN High Commissioner for Refugees (INT)" in printed


def test_clae_constraint_is_one_over_its_contacts(outputs, simple):
    clae = ORG + "lu-clae"
    contacts = set(nx.Graph(simple)[clae])
    assert nx.Graph(simple).subgraph(contacts).number_of_edges() == 0
    assert (
        f"CLAE: constraint {1 / len(contacts):.3f}, effective size {len(contacts):.2f}"
        in (outputs[4])
    )
    assert outputs[5].splitlines()[1:] == [
        f"{len(contacts)} contacts, 0 ties among them: constraint 1/{len(contacts)}",
        "True",
    ]
