"""The Python API (kg.open): the same answers as the CLI, networks, metrics, profiles, own data.

Expected values come from the CLI run in the same test (an independent entry point over the
same files), from seed 003 (EWSI, Luxembourg citizens' initiatives: "Since 2015, ASTI also
runs a housing centre for asylum seekers in Mersch, financed by the government as a pilot
project.") and from a Turtle file written by the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def g() -> kg.KnowledgeGraph:
    return kg.open()


def _cli_json(*args: str) -> list[dict]:
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_query_rows_equal_the_cli(g) -> None:
    rows = g.query("funders-of", org="lu-asti")
    assert rows.to_records() == _cli_json("query", "run", "funders-of", "-p", "org=lu-asti")
    assert "Government of Luxembourg" in rows.column("funder_label")  # seed 003, line 84
    with pytest.raises(KeyError, match="no column 'nope'"):
        rows.column("nope")


def test_to_pandas_keeps_columns_and_rows(g) -> None:
    rows = g.query("funders-of", org="lu-asti")
    df = rows.to_pandas()
    assert list(df.columns) == rows.columns and len(df) == len(rows)


def test_sparql_with_predeclared_prefixes(g) -> None:
    rows = g.sparql("SELECT ?l WHERE { actor:lu-asti skos:prefLabel ?l }")
    assert rows.to_records() == [{"l": "Association de Soutien aux Travailleurs Immigrés"}]


def test_network_is_networkx_and_filters_countries(g) -> None:
    full = g.network("funding")
    lu = g.network("funding", countries=["lu"])
    assert isinstance(full, nx.DiGraph)
    assert 0 < lu.number_of_nodes() < full.number_of_nodes()
    assert {d["country"] for _, d in lu.nodes(data=True)} == {"LU"}
    # The filter keeps exactly the funding ties among Luxembourg's nodes.
    expected = {
        (u, v)
        for u, v in full.edges()
        if {full.nodes[u]["country"], full.nodes[v]["country"]} == {"LU"}
    }
    assert set(lu.edges()) == expected


def test_brokerage_has_the_cli_json_columns(g) -> None:
    rows = g.brokerage("membership", group="kind")
    cli = _cli_json("metrics", "brokerage", "--network", "membership", "--group", "kind")
    assert set(cli[0]) <= set(rows.columns)
    by_node = {r["node"]: r for r in rows}
    for r in cli:
        assert by_node[r["node"]]["total"] == r["total"]
    assert rows.notes


def test_structural_holes_and_centrality(g) -> None:
    sh = g.structural_holes("partnership")
    assert {"constraint", "effective_size", "efficiency", "hierarchy"} <= set(sh.columns)
    c = g.centrality("partnership")
    assert {"betweenness", "pagerank"} <= set(c.columns)
    assert len(c) == g.network("partnership").number_of_nodes()


def test_profile_has_quotes(g) -> None:
    p = g.profile("lu-asti")
    assert p["label"] == "Association de Soutien aux Travailleurs Immigrés"
    funded = [r for r in p["relations"] if r["relation"] == "funded by"]
    assert any(
        r["other_label"] == "Government of Luxembourg"
        and "financed by the government as a pilot project" in r["quote"]
        for r in funded
    )


def test_own_data_dirs_are_loaded_beside_the_shipped_graph(tmp_path: Path) -> None:
    mine = tmp_path / "mydata"
    mine.mkdir()
    (mine / "orgs.ttl").write_text(
        "@prefix actor: <https://w3id.org/integration-kg/id/org/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'actor:test-own-org skos:prefLabel "Own Test Organisation"@en .\n',
        encoding="utf-8",
    )
    own = kg.open(data_dirs=[mine])
    q = "SELECT ?g WHERE { GRAPH ?g { actor:test-own-org skos:prefLabel ?l } }"
    assert [r["g"] for r in own.sparql(q)] == [
        "https://w3id.org/integration-kg/graph/extra/mydata/orgs.ttl"
    ]
    # The shipped graph is there too, and the default handle does not see the folder.
    assert own.query("funders-of", org="lu-asti").to_records()
    assert not kg.open().sparql(q).rows


def test_export_writes_a_file(g, tmp_path: Path) -> None:
    out = g.export("membership", tmp_path / "m.graphml")
    h = nx.read_graphml(out)
    assert h.number_of_nodes() == g.network("membership").number_of_nodes()
