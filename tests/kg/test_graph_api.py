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


def test_export_keeps_the_countries_asked_for(g, tmp_path: Path) -> None:
    # Expected: the Luxembourg nodes of the same network, as g.network filters them.
    out = g.export("funding-programmes", tmp_path / "lu.graphml", countries=["LU"])
    h = nx.read_graphml(out)
    assert set(h) == set(g.network("funding-programmes", countries=["LU"]))
    assert {d["country"] for _, d in h.nodes(data=True)} == {"LU"}
    # seed 000: "CLAE was founded in 1985 and is funded by government."
    assert h.has_edge(
        "https://w3id.org/integration-kg/id/org/lu-government",
        "https://w3id.org/integration-kg/id/org/lu-clae",
    )


def test_export_writes_a_graph_as_it_is(g, tmp_path: Path) -> None:
    net = g.network("membership")
    one = next(iter(net.edges()))
    out = g.export(net.edge_subgraph([one]), tmp_path / "one.graphml")
    assert set(nx.read_graphml(out).edges()) == {one}
    with pytest.raises(TypeError, match="drop year"):
        g.export(net, tmp_path / "x.graphml", year=2015)


def test_query_reads_the_handles_queries_dir(tmp_path: Path) -> None:
    # A query folder of the test's own: the handle's settings, not the environment, decide.
    from dataclasses import replace

    (tmp_path / "count-awards.rq").write_text(
        "#+ title: Count awards\n#+ summary: How many funding awards.\n"
        "PREFIX mi: <https://w3id.org/integration-kg/ontology#>\n"
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a a mi:FundingAward }\n",
        encoding="utf-8",
    )
    own = kg.open(settings=replace(kg.get_settings(), queries_dir=tmp_path))
    expected = own.sparql("SELECT (COUNT(?a) AS ?n) WHERE { ?a a mi:FundingAward }")[0]["n"]
    assert own.query("count-awards")[0]["n"] == expected
    with pytest.raises(kg.QueryError, match="unknown query"):
        kg.open().query("count-awards")
