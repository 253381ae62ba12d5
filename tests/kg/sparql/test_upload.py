"""``kg upload``: the graph into a real ``oxigraph serve`` by the Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.exceptions import UploadError
from kg.settings import Settings
from kg.sparql.backend import RemoteBackend, http_auth
from kg.sparql.upload import GENID, graph_store_url, skolemise, upload_graph
from tests.support.servers import TOY, oxigraph_server, write_toy_data

runner = CliRunner()


def test_graph_store_url_is_guessed_or_asked_for():
    assert graph_store_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert graph_store_url("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud-auth"
    with pytest.raises(UploadError, match="--graph-store"):
        graph_store_url("http://h/ds/q")


def test_blank_nodes_become_skolem_iris():
    b = ox.BlankNode("abc")
    assert skolemise(b) == ox.NamedNode(GENID + "abc")
    assert skolemise(ox.Literal("x")) == ox.Literal("x")
    assert GENID.endswith("/.well-known/genid/")


def test_auth_schemes():
    import httpx

    assert http_auth(None, None) is None
    assert isinstance(http_auth("u", "p", "digest"), httpx.DigestAuth)
    assert isinstance(http_auth("u", "p", "basic"), httpx.BasicAuth)
    with pytest.raises(Exception, match="basic or digest"):
        http_auth("u", "p", "kerberos")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_toy_data(tmp_path_factory.mktemp("toy-upload") / "ttl", items=5)
    (folder / "blank.ttl").write_text(
        f'@prefix ex: <{TOY}> .\nex:alpha ex:address [ ex:city "Esch" ; ex:zip "4001" ] .\n',
        encoding="utf-8",
    )
    return folder


def test_upload_by_graph_store_protocol(tmp_path: Path, data: Path):
    with oxigraph_server(tmp_path / "db", union_default_graph=False) as base:
        settings = Settings(data_dir=data, sparql_endpoint=f"{base}/query")
        report = upload_graph(settings=settings)
        assert report.graph_store == f"{base}/store"
        assert all(g.stored == g.sent for g in report.graphs) and len(report.graphs) > 3
        remote = RemoteBackend(f"{base}/query", graphs=[g.graph for g in report.graphs])
        q = f"SELECT ?a ?city WHERE {{ <{TOY}alpha> <{TOY}address> ?a . ?a <{TOY}city> ?city }}"
        (row,) = remote.select(q).rows
        assert isinstance(row["a"], ox.NamedNode) and row["a"].value.startswith(GENID)
        assert row["city"] == ox.Literal("Esch")
        # the default graph of this store is empty: the dataset comes from the graph list
        assert RemoteBackend(f"{base}/query").select(q).rows == []
        again = upload_graph(settings=settings)  # PUT replaces: same counts, nothing doubled
        assert again.graphs == report.graphs


def test_cli_upload_errors_are_one_line(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("KG_SPARQL_ENDPOINT", raising=False)
    from kg.settings import get_settings

    get_settings.cache_clear()
    res = runner.invoke(app, ["upload"])
    assert res.exit_code == 2 and "no SPARQL endpoint" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["upload", "--endpoint", "http://127.0.0.1:9/ds"])
    assert res.exit_code == 2 and "--graph-store" in res.output
    res = runner.invoke(app, ["upload", "--endpoint", "http://127.0.0.1:9/query"])
    assert res.exit_code == 2 and "cannot reach the graph store" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_remote_dataset_is_the_projects_graphs(data: Path, tmp_path: Path):
    from kg.namespaces import DERIVED_GRAPH_IRI
    from kg.sparql.backend import project_graphs, remote_backend

    graphs = project_graphs(Settings(data_dir=data))
    assert graphs[-1] == DERIVED_GRAPH_IRI and any(g.endswith("/blank.ttl") for g in graphs)
    assert remote_backend(Settings(data_dir=data, sparql_endpoint="http://127.0.0.1:9/q")).graphs
    star = Settings(data_dir=data, sparql_endpoint="http://127.0.0.1:9/q", sparql_graphs=("*",))
    assert remote_backend(star).graphs is None
    listed = Settings(sparql_endpoint="http://127.0.0.1:9/q", sparql_graphs=("urn:g",))
    assert remote_backend(listed).graphs == ["urn:g"]
    nowhere = Settings(data_dir=tmp_path / "missing", sparql_endpoint="http://127.0.0.1:9/q")
    assert remote_backend(nowhere).graphs is None  # unknown: the endpoint's default dataset


def test_auth_setting_names_its_variable(monkeypatch):
    from kg.exceptions import SettingsError
    from kg.settings import get_settings

    monkeypatch.setenv("KG_SPARQL_AUTH", "Digest")
    get_settings.cache_clear()
    assert get_settings().sparql_auth == "digest"
    monkeypatch.setenv("KG_SPARQL_AUTH", "ntlm")
    get_settings.cache_clear()
    with pytest.raises(SettingsError, match="KG_SPARQL_AUTH='ntlm'"):
        get_settings()
    monkeypatch.delenv("KG_SPARQL_AUTH")
    get_settings.cache_clear()
