"""``kg metrics`` / ``kg report`` through typer's CliRunner, on CSV files and a fake projection."""

# networkx naming: G for a graph, N for its order, A for an adjacency matrix.
# ruff: noqa: N803, N806

from __future__ import annotations

import csv
import io
import json
import sys
import types

import networkx as nx
import pytest
import typer
from typer.testing import CliRunner

from kg.cli.metrics import metrics_app, report_app
from kg.exceptions import ProjectionError

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    e = tmp_path / "edges.csv"
    e.write_text(
        "source,target\na1,a2\na2,a3\na2,b1\nb1,c1\nc1,c2\na3,b2\nb2,a1\n", encoding="utf-8"
    )
    g = tmp_path / "groups.csv"
    g.write_text("node,group\na1,A\na2,A\na3,A\nb1,B\nb2,B\nc1,C\nc2,C\nz9,C\n", encoding="utf-8")
    return ["--edges", str(e), "--groups", str(g)]


@pytest.fixture
def fake_projection(monkeypatch):
    """A stand-in for kg.network.projection.project with the documented node attributes."""
    calls = []

    def project(name, *, year=None, start=None, end=None, backend=None):
        calls.append((name, year, start, end))
        if name == "missing":
            raise ProjectionError("unknown network 'missing'")
        G = nx.MultiDiGraph() if name == "all" else nx.DiGraph()
        nodes = {
            "iri:f": ("Fund", "funder", "EU", "pro-active", "organisation"),
            "iri:m": ("Ministry", "ministry", "LU", "uncritical", "country"),
            "iri:n": ("NGO", "ngo", "LU", "autonomous", "kind"),
            "iri:g": ("Grassroots", "ngo", "LU", "unassessed", "none"),
        }
        for v, (label, kind, country, pos, level) in nodes.items():
            G.add_node(
                v, label=label, kind=kind, country=country, position=pos, position_level=level
            )
        G.add_edges_from([("iri:f", "iri:m"), ("iri:m", "iri:n"), ("iri:n", "iri:g")])
        if name == "all":
            G.add_edge("iri:f", "iri:m")  # a second relation between the same pair
        return G

    module = types.ModuleType("kg.network.projection")
    module.project = project
    monkeypatch.setitem(sys.modules, "kg.network.projection", module)
    return calls


def test_brokerage_json_rows(files):
    res = runner.invoke(metrics_app, ["brokerage", *files, "--format", "json"])
    assert res.exit_code == 0, res.stderr
    rows = json.loads(res.stdout)
    assert sorted(r["node"] for r in rows) == ["a1", "a2", "a3", "b1", "b2", "c1", "c2", "z9"]
    # Sorted by the meaningful column: the most brokered pairs first.
    totals = [r["total"] for r in rows]
    assert totals == sorted(totals, reverse=True) and totals[0] > totals[-1]
    a2 = next(r for r in rows if r["node"] == "a2")
    assert (a2["coordinator"], a2["representative"], a2["total"]) == (1, 1, 2)
    assert {"expected_liaison", "sd_liaison", "z_liaison"} <= set(a2)
    assert rows[3]["z_coordinator"] is None


def test_brokerage_csv_table_levels_and_sort(files):
    res = runner.invoke(metrics_app, ["brokerage", *files, "--format", "csv"])
    assert res.exit_code == 0
    rows = {r["node"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    assert rows["a2"]["total"] == "2" and rows["b1"]["z_coordinator"] == ""
    res = runner.invoke(metrics_app, ["brokerage", *files])
    assert res.exit_code == 0 and "Gould-Fernandez brokerage" in res.stdout
    res = runner.invoke(metrics_app, ["brokerage", *files, "--level", "graph", "--format", "json"])
    graph = {r["role"]: r for r in json.loads(res.stdout)}
    assert graph["total"]["raw"] == 7
    res = runner.invoke(metrics_app, ["brokerage", *files, "--level", "group", "--format", "json"])
    assert [r["group"] for r in json.loads(res.stdout)] == ["A", "B", "C"]
    res = runner.invoke(
        metrics_app, ["brokerage", *files, "--sort", "total", "--top", "1", "--format", "json"]
    )
    assert [r["node"] for r in json.loads(res.stdout)] == ["a2"]


def test_undirected_flag(files):
    res = runner.invoke(metrics_app, ["brokerage", *files, "--undirected", "--format", "json"])
    rows = json.loads(res.stdout)
    assert all(r["representative"] == r["gatekeeper"] for r in rows)


def test_structural_holes_and_centrality(files):
    res = runner.invoke(metrics_app, ["structural-holes", *files, "--format", "json"])
    assert res.exit_code == 0
    rows = {r["node"]: r for r in json.loads(res.stdout)}
    assert set(rows["a1"]) == {"node", "constraint", "effective_size", "efficiency", "hierarchy"}
    assert rows["z9"]["constraint"] is None
    res = runner.invoke(metrics_app, ["centrality", *files, "--format", "json"])
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    assert rows[0]["node"] == "a1" and "betweenness_normalized" in rows[0]
    assert "implementations: in_degree: networkx" in res.stderr
    res = runner.invoke(
        metrics_app, ["centrality", *files, "--measures", "betweenness", "--backend", "igraph"]
    )
    assert res.exit_code == 0 and "igraph" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brokerage", "--edges", "{e}", "--network", "all"], "not both"),
        (["brokerage", "--edges", "{e}"], "--groups FILE is required"),
        (["brokerage", "--edges", "{e}", "--groups", "{g}", "--group", "kind"], "--group applies"),
        (["brokerage", "--edges", "{e}", "--groups", "{g}", "--sort", "broker"], "--sort must be"),
        (["brokerage", "--edges", "{bad}", "--groups", "{g}"], "bad.csv:3: column 'target'"),
        (["centrality", "--edges", "{e}", "--backend", "cugraph"], "backend 'cugraph'"),
    ],
)
def test_errors_are_one_line_exit_2(files, tmp_path, args, message):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\na1,a2\na2,q\n")
    paths = {"e": files[1], "g": files[3], "bad": str(bad)}
    res = runner.invoke(metrics_app, [a.format(**paths) for a in args])
    assert res.exit_code == 2
    assert message in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert len(res.stderr.strip().splitlines()) == 1


def test_report_brokers_on_csv(files):
    res = runner.invoke(report_app, ["brokers", *files, "--top", "1"])
    assert res.exit_code == 0, res.stderr
    assert "REPRESENTATIVE" in res.stdout
    assert "a1 (A) -> a2 -> b1 (B)" in res.stdout
    res = runner.invoke(report_app, ["brokers", *files, "--format", "json"])
    items = json.loads(res.stdout)
    liaison = next(i for i in items if i["role"] == "liaison")
    assert liaison["node"] == "b1"
    assert liaison["paths"] == [
        {
            "source": "a2",
            "source_label": "a2",
            "source_group": "A",
            "target": "c1",
            "target_label": "c1",
            "target_group": "C",
        }
    ]


def test_report_brokers_without_options_is_all_by_kind(fake_projection):
    res = runner.invoke(report_app, ["brokers", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    assert fake_projection == [("all", None, None, None)]
    assert "using --network all --group kind" in res.stderr
    explicit = runner.invoke(
        report_app, ["brokers", "--network", "all", "--group", "kind", "--format", "json"]
    )
    assert json.loads(res.stdout) == json.loads(explicit.stdout)


def test_network_path_with_labels_and_position_warning(fake_projection):
    res = runner.invoke(
        metrics_app,
        [
            "brokerage",
            "--network",
            "funding",
            "--group",
            "position",
            "--year",
            "2019",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.stderr
    assert fake_projection == [("funding", 2019, None, None)]
    rows = json.loads(res.stdout)
    fund = next(r for r in rows if r["node"] == "iri:f")
    assert fund["label"] == "Fund"
    assert "Ministry: position 'uncritical' was assessed at country level" in res.stderr
    assert "Grassroots: no position assessed" in res.stderr
    assert "Fund:" not in res.stderr  # organisation-level assessment


def test_report_on_network_warns_for_position(fake_projection):
    res = runner.invoke(
        report_app,
        [
            "brokers",
            "--network",
            "funding",
            "--group",
            "position",
            "--from",
            "2015",
            "--to",
            "2020",
        ],
    )
    assert res.exit_code == 0, res.stderr
    assert fake_projection == [("funding", None, 2015, 2020)]
    assert "Fund (pro-active) -> Ministry -> NGO (autonomous)" in res.stdout
    assert "assessed at country level" in res.stderr


def test_network_multigraph_collapsed_and_errors(fake_projection):
    res = runner.invoke(metrics_app, ["structural-holes", "--network", "all", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    assert "collapsed 4 edges into 3 ties" in res.stderr
    res = runner.invoke(metrics_app, ["brokerage", "--network", "missing", "--group", "kind"])
    assert res.exit_code == 2 and "unknown network 'missing'" in res.stderr
    res = runner.invoke(metrics_app, ["brokerage", "--network", "funding"])
    assert res.exit_code == 2 and "--group ATTR is required" in res.stderr
    res = runner.invoke(metrics_app, ["brokerage", "--network", "funding", "--group", "sector"])
    assert res.exit_code == 2 and "--missing drop" in res.stderr
    res = runner.invoke(
        metrics_app,
        ["brokerage", "--network", "funding", "--group", "sector", "--missing", "unknown"],
    )
    assert res.exit_code == 0


def test_mounted_like_kg_cli(files):
    """The apps mount as ``kg metrics`` and ``kg report``, as kg/cli.py will do."""
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root."""

    app.add_typer(metrics_app, name="metrics")
    app.add_typer(report_app, name="report")
    res = runner.invoke(app, ["metrics", "brokerage", *files, "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["node"] == "a2"
    res = runner.invoke(app, ["report", "brokers", *files])
    assert res.exit_code == 0 and "LIAISON" in res.stdout
    res = runner.invoke(app, ["metrics", "--help"])
    assert "structural-holes" in res.stdout


def test_help_lists_commands():
    res = runner.invoke(metrics_app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("brokerage", "structural-holes", "centrality"):
        assert cmd in res.stdout
