"""CSV input: the graph it builds and the located error messages."""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.exceptions import ProjectionError
from kg.metrics import brokerage, read_groups, read_network


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def files(tmp_path):
    e = write(tmp_path, "edges.csv", "source,target,weight\na1,a2,1\na2,b1,2.5\nb1,b1,1\n")
    g = write(tmp_path, "groups.csv", "node,group\na1,A\na2,A\nb1,B\nz9,B\n")
    return e, g


def test_reads_graph_with_isolates_and_weights(files):
    e, g = files
    G = read_network(e, g)
    assert isinstance(G, nx.DiGraph)
    assert list(G) == ["a1", "a2", "b1", "z9"]  # groups-file order; z9 an isolate
    assert G.nodes["z9"] == {"label": "z9", "group": "B"}
    assert G["a2"]["b1"]["weight"] == 2.5
    assert G.has_edge("b1", "b1")
    res = brokerage(G, "group")
    assert res.graph.n_nodes == 4 and res.graph.m_rows == 3  # the loop counts in m
    U = read_network(e, g, undirected=True)
    assert isinstance(U, nx.Graph) and not U.is_directed()


def test_without_groups_and_bom(tmp_path):
    e = write(tmp_path, "e.csv", "\ufeffsource , target\nx,y\n\ny,z\n")
    G = read_network(e)
    assert list(G.edges()) == [("x", "y"), ("y", "z")]
    assert "group" not in G.nodes["x"]


@pytest.mark.parametrize(
    ("edges", "groups", "message"),
    [
        (
            "src,target\na,b\n",
            None,
            r"edges\.csv:1: missing column 'source' \(header has: src, target\)",
        ),
        ("source,target\n", None, r"edges\.csv: empty graph: no edge rows"),
        ("", None, r"edges\.csv:1: empty file"),
        (
            "source,target,weight\na,b,1\nb,c,heavy\n",
            None,
            r"edges\.csv:3: column 'weight': 'heavy' is not a number",
        ),
        (
            "source,target,weight\na,b,nan\n",
            None,
            r"edges\.csv:2: column 'weight': 'nan' is not finite",
        ),
        ("source,target,weight\na,b,\n", None, r"edges\.csv:2: column 'weight' is empty"),
        ("source,target\na,\n", None, r"edges\.csv:2: column 'target' is empty"),
        (
            "source,target\na,b\nc,d\na,b\n",
            None,
            r"edges\.csv:4: duplicate edge a -> b \(first on line 2\)",
        ),
        (
            "source,target\na,b\nb,q\n",
            "node,group\na,A\nb,B\n",
            r"edges\.csv:3: column 'target': node 'q' has no group in .*groups\.csv",
        ),
        ("source,target\na,b\n", "node,kind\na,A\n", r"groups\.csv:1: missing column 'group'"),
        (
            "source,target\na,b\n",
            "node,group\na,A\nb,B\na,C\n",
            r"groups\.csv:4: column 'group': node 'a' already has group 'A' \(line 2\)",
        ),
        ("source,target\na,b\n", "node,group\na,\n", r"groups\.csv:2: column 'group' is empty"),
    ],
)
def test_errors_name_file_line_and_column(tmp_path, edges, groups, message):
    e = write(tmp_path, "edges.csv", edges)
    g = write(tmp_path, "groups.csv", groups) if groups is not None else None
    with pytest.raises(ProjectionError, match=message):
        read_network(e, g)


def test_undirected_duplicate_in_reverse(tmp_path):
    e = write(tmp_path, "edges.csv", "source,target\na,b\nb,a\n")
    read_network(e)  # fine as a digraph: two directions
    with pytest.raises(ProjectionError, match=r"edges\.csv:3: duplicate edge b -- a"):
        read_network(e, undirected=True)


def test_missing_file(tmp_path):
    with pytest.raises(ProjectionError, match="cannot open"):
        read_network(tmp_path / "nope.csv")


def test_read_groups_same_group_twice_is_fine(tmp_path):
    g = write(tmp_path, "g.csv", "node,group\na,A\na,A\n")
    assert read_groups(g) == {"a": "A"}


@pytest.mark.parametrize(
    "module",
    ["kg.metrics.brokerage", "kg.metrics.structural_holes", "kg.metrics.io"],
)
def test_docstring_examples(module):
    """The Examples sections of the public functions run as written."""
    import doctest
    import importlib

    mod = importlib.import_module(module)
    result = doctest.testmod(mod, extraglobs={"nx": nx}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
