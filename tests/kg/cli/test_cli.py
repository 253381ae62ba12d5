"""The `kg` command as a user meets it: exit codes, messages that name the file or parameter."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()
FIX = Path(__file__).resolve().parents[2] / "data" / "shapes"


def test_validate_shipped_data_conforms() -> None:
    res = runner.invoke(app, ["validate"])
    assert res.exit_code == 0, res.output
    assert "conforms" in res.output


def test_validate_reports_file_label_and_message() -> None:
    bad = FIX / "invalid" / "OrganizationShape--no-kind.ttl"
    res = runner.invoke(app, ["validate", str(bad)])
    assert res.exit_code == 1
    assert "OrganizationShape--no-kind.ttl" in res.output
    assert '"X"' in res.output and "needs at least one kind" in res.output


def test_validate_json_is_machine_readable() -> None:
    bad = FIX / "invalid" / "MembershipShape--no-body.ttl"
    res = runner.invoke(app, ["validate", "--format", "json", str(bad)])
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["conforms"] is False
    assert any(r["node_shape"].endswith("#MembershipShape") for r in report["results"])


def test_validate_broken_turtle_exits_2_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("PREFIX a: <http://x/>\na:b a:c .\n")
    res = runner.invoke(app, ["validate", str(bad)])
    assert res.exit_code == 2
    assert "broken.ttl:2" in res.output
    assert "Traceback" not in res.output


def test_info_by_country_counts() -> None:
    res = runner.invoke(app, ["info", "--by-country", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    total = rows[0]
    assert total["kind"] == "(organisations)"
    for cc in ("LU", "CZ", "DK", "FI", "GR", "IT", "CH", "GB"):
        assert total[cc] > 0, cc


def test_query_run_csv_and_missing_parameter() -> None:
    res = runner.invoke(
        app, ["query", "run", "umbrella-roster", "-p", "body=lu-refugee-council", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    assert "lu-asti" in res.stdout
    res = runner.invoke(app, ["query", "run", "umbrella-roster"])
    assert res.exit_code == 2
    assert "parameter 'body'" in res.output


def test_sparql_syntax_error_shows_position() -> None:
    res = runner.invoke(app, ["sparql", "SELECT * WHERE { ?s ?p }"])
    assert res.exit_code == 2
    assert "line 1" in res.output and "column" in res.output


def test_project_writes_graphml_that_networkx_reads(tmp_path: Path) -> None:
    out = tmp_path / "membership.graphml"
    res = runner.invoke(app, ["project", "membership", "--out", str(out)])
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    council = "https://w3id.org/integration-kg/id/org/lu-refugee-council"
    assert g.in_degree(council) == 7


def test_project_unknown_network_and_format(tmp_path: Path) -> None:
    res = runner.invoke(app, ["project", "nope", "--out", str(tmp_path / "x.json")])
    assert res.exit_code == 1 and "unknown network 'nope'" in res.output  # a name matched nothing
    res = runner.invoke(app, ["project", "funding", "--out", str(tmp_path / "x.xyz")])
    assert res.exit_code == 2 and "unknown format 'xyz'" in res.output


def test_export_svg_figure_has_title_and_legend(tmp_path: Path) -> None:
    out = tmp_path / "funding.svg"
    res = runner.invoke(
        app,
        [
            "export",
            "--network",
            "funding",
            "--format",
            "svg",
            "--out",
            str(out),
            "--title",
            "Who funds whom",
        ],
    )
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "Who funds whom" in text and "civil-society organisation" in text


def test_export_gexf_opens_in_networkx_and_igraph(tmp_path: Path) -> None:
    import igraph

    out = tmp_path / "partnership.graphml"
    res = runner.invoke(
        app, ["export", "--network", "partnership", "--format", "graphml", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    g = nx.read_graphml(out)
    ig = igraph.Graph.Read_GraphML(str(out))
    assert g.number_of_nodes() == ig.vcount() > 0
    assert g.number_of_edges() == ig.ecount() > 0


def test_query_table_shows_labels_and_wide_shows_iris() -> None:
    """A narrow table names ASTI's funder by its label; --wide and JSON keep the IRI."""
    args = ["query", "run", "funders-of", "-p", "org=asti"]
    as_json = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    funder = next(r for r in as_json if r["funder"])
    narrow = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert narrow.exit_code == 0, narrow.stderr
    assert funder["funder_label"] in narrow.stdout
    assert funder["funder"] not in narrow.stdout
    assert "--wide shows every column" in narrow.stdout
    wide = runner.invoke(app, [*args, "--wide"], env={"COLUMNS": "2000"})
    assert wide.exit_code == 0 and funder["funder"] in wide.stdout
