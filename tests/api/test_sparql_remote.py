"""Remote mode: a real ``oxigraph serve`` on 127.0.0.1 holds the data; ``open_backend()`` and the
API (``KG_SPARQL_ENDPOINT``) query it over HTTP; the SERVICE allow-list reaches it.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from kg.exceptions import QueryError, QueryTimeoutError
from kg.loader.files import graph_iri_for
from kg.settings import Settings
from kg.sparql.backend import LocalBackend, RemoteBackend, open_backend
from kg.sparql.upload import upload_graph
from tests.support.servers import TOY, oxigraph_server, uvicorn_server, write_toy_data

XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIX = f"PREFIX ex: <{TOY}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_toy_data(tmp_path_factory.mktemp("toy-remote") / "ttl")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-db")) as base:
        yield base


@pytest.fixture(scope="module")
def loaded(oxigraph: str, toy_dir: Path) -> Settings:
    settings = Settings(data_dir=toy_dir, sparql_endpoint=f"{oxigraph}/query", query_timeout=2.0)
    report = upload_graph(settings=settings)
    assert report.total > 613 and report.graph_store == f"{oxigraph}/store"
    assert all(g.stored == g.sent for g in report.graphs)
    return settings


@pytest.fixture(scope="module")
def remote(loaded: Settings):
    backend = open_backend(loaded)
    yield backend


@pytest.fixture(scope="module")
def local(toy_dir: Path) -> LocalBackend:
    backend = open_backend(Settings(data_dir=toy_dir))
    assert isinstance(backend, LocalBackend)
    return backend


QUERIES = [
    (PREFIX + "SELECT ?o ?a WHERE { ?o a ex:Org ; ex:amount ?a } ORDER BY ?o", {}),
    (PREFIX + "SELECT ?o ?l WHERE { ?o rdfs:label ?l } ORDER BY ?o ?l", {}),
    (
        PREFIX + "SELECT ?o WHERE { ?o ex:amount ?a FILTER(?a > ?min) } ORDER BY ?o",
        {"min": ox.Literal(100)},
    ),  # fmt: skip
    (
        PREFIX + "SELECT (COUNT(?i) AS ?n) WHERE { ?i ex:rank ?r FILTER(?r < ?below) }",
        {"below": ox.Literal(10)},
    ),  # fmt: skip
    (
        PREFIX + "SELECT ?l WHERE { ?org rdfs:label ?l } ORDER BY ?l",
        {"org": ox.NamedNode(TOY + "alpha")},
    ),  # fmt: skip
    (
        PREFIX + "SELECT ?org ?l WHERE { ?org rdfs:label ?l } ORDER BY ?l",
        {"org": ox.NamedNode(TOY + "alpha")},
    ),  # fmt: skip  (projected: substitution locally)
    (
        PREFIX + "SELECT ?y (COUNT(*) AS ?n) WHERE { ?o ex:founded ?d BIND(YEAR(?d) AS ?y) "
        "FILTER(?y >= ?from) } GROUP BY ?y ORDER BY ?y",
        {"from": ox.Literal("1990", datatype=ox.NamedNode(XSD + "integer"))},
    ),  # fmt: skip
]


QUERIES += [
    (
        PREFIX
        + "SELECT ?x WHERE { { BIND(?org AS ?x) } UNION { ?x ex:partner ?org } } ORDER BY ?x",
        {"org": ox.NamedNode(TOY + "beta")},
    ),  # fmt: skip
    (
        PREFIX + "SELECT ?n { { SELECT (COUNT(*) AS ?n) { ?i ex:rank ?r FILTER(?r < ?below) } } }",
        {"below": ox.Literal(10)},
    ),  # fmt: skip
]


def test_remote_is_chosen_from_settings(remote):
    assert isinstance(remote, RemoteBackend)


@pytest.mark.parametrize(("query", "bindings"), QUERIES)
def test_remote_answers_like_local(remote, local, query, bindings):
    r, lo = remote.select(query, bindings), local.select(query, bindings)
    assert r.columns == lo.columns
    assert r.rows == lo.rows
    assert r.rows  # every query has an answer on the toy data


def test_remote_ask_and_graph(remote, local):
    assert remote.ask(PREFIX + "ASK { ex:alpha ex:partner ex:beta }") is True
    assert (
        remote.ask(PREFIX + "ASK { ?x ex:partner ?y }", {"x": ox.NamedNode(TOY + "beta")}) is False
    )
    q = PREFIX + "CONSTRUCT { ?o rdfs:label ?l } WHERE { ?o a ex:Org ; rdfs:label ?l }"
    assert set(remote.graph(q)) == set(local.graph(q))
    assert len(remote.graph(q, {"o": ox.NamedNode(TOY + "alpha")})) == 2
    assert set(remote.graph(PREFIX + "CONSTRUCT WHERE { ex:gamma ?p ?o }")) == set(
        local.graph(PREFIX + "CONSTRUCT WHERE { ex:gamma ?p ?o }")
    )


def test_bindings_cannot_inject(remote):
    """A hostile value is sent as an escaped literal: no rows, no update, data unchanged."""
    evil = '"} } ; DROP ALL ; SELECT * { ?s ?p "'
    q = PREFIX + "SELECT ?o WHERE { ?o rdfs:label ?l FILTER(?l = ?name) }"
    assert remote.select(q, {"name": ox.Literal(evil)}).rows == []
    label = 'Alpha « tricky » "quote" \\ {brace} } ;'
    rows = remote.select(q, {"name": ox.Literal(label, language="fr")}).rows
    assert rows == [{"o": ox.NamedNode(TOY + "alpha")}]
    assert remote.ask(PREFIX + "ASK { ex:alpha a ex:Org }")
    with pytest.raises(QueryError, match="variable name"):
        remote.select(q, {"name} } DROP ALL": ox.Literal("x")})
    with pytest.raises(QueryError, match="BlankNode"):
        remote.select(q, {"name": ox.BlankNode()})


def test_remote_errors(remote):
    with pytest.raises(QueryError, match="rejected"):
        remote.select("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="expected a SELECT"):
        remote.select("ASK {}")
    t0 = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        remote.select(SLOW, timeout=1.0)
    assert time.monotonic() - t0 < 10


def test_named_graphs_are_kept(remote, toy_dir):
    orgs = graph_iri_for(toy_dir / "orgs.ttl", toy_dir).value
    res = remote.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{orgs}> {{ ?s ?p ?o }} }}")
    assert res.rows[0]["n"].value == "13"


def test_reload_is_idempotent(loaded, remote):
    before = remote.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"].value
    upload_graph(settings=loaded)
    after = remote.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"].value
    assert before == after


# ---------------------------------------------------------------------------------------------
# The API in remote mode, and the SERVICE allow-list


@pytest.fixture(scope="module")
def remote_api(loaded: Settings, toy_dir: Path):
    env = {
        "KG_DATA_DIR": str(toy_dir),
        "KG_SPARQL_ENDPOINT": loaded.sparql_endpoint or "",
        "KG_QUERY_TIMEOUT": "2",
        "KG_MAX_ROWS": "50",
    }
    with uvicorn_server(env) as base:
        yield f"{base}/sparql"


def test_api_over_remote_endpoint(remote_api):
    sw = SPARQLWrapper(remote_api)
    sw.setQuery(PREFIX + "SELECT ?o WHERE { ?o a ex:Org } ORDER BY ?o")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == [TOY + "alpha", TOY + "beta", TOY + "gamma"]
    sw.setQuery(PREFIX + "CONSTRUCT WHERE { ex:beta ?p ?o }")
    sw.setReturnFormat(TURTLE)
    triples = list(ox.parse(sw.query().convert(), ox.RdfFormat.TURTLE))
    assert len(triples) == 4
    r = httpx.get(remote_api, params={"query": PREFIX + "SELECT ?i { ?i ex:rank ?r }"},
                  headers={"Accept": "text/csv"})  # fmt: skip
    assert r.status_code == 200 and r.headers["kg-truncated"] == "true"
    assert len(r.text.strip().splitlines()) == 51
    assert httpx.get(remote_api, params={"query": SLOW}, timeout=30).status_code == 503
    assert httpx.get(remote_api, params={"query": "SELECT * {"}).status_code == 400
    r = httpx.get(remote_api, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "sparql-service-description" in r.text


def test_api_over_remote_negotiates_per_query_form(remote_api):
    """CONSTRUCT and DESCRIBE come back as RDF in the client's format; relative IRIs resolve."""
    q = PREFIX + "CONSTRUCT { ?o rdfs:label ?l } WHERE { ?o a ex:Org ; rdfs:label ?l }"
    r = httpx.get(remote_api, params={"query": q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(r.content, ox.RdfFormat.TURTLE))) == 4
    r = httpx.get(remote_api, params={"query": PREFIX + "DESCRIBE ex:gamma"},
                  headers={"Accept": "application/ld+json"})  # fmt: skip
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    r = httpx.post(
        remote_api,
        content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert r.status_code == 200, r.text
    (triple,) = ox.parse(r.content, ox.RdfFormat.N_TRIPLES)
    assert triple.subject == ox.NamedNode(remote_api.rsplit("/", 1)[0] + "/s")
    r = httpx.get(remote_api, params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406


@pytest.fixture(scope="module")
def federating_api(loaded: Settings, toy_dir: Path):
    env = {"KG_DATA_DIR": str(toy_dir), "KG_SERVICE_ALLOW": loaded.sparql_endpoint or ""}
    with uvicorn_server(env) as base:
        yield f"{base}/sparql"


def test_service_allow_list(federating_api, loaded):
    allowed = loaded.sparql_endpoint
    q = PREFIX + f"SELECT ?o WHERE {{ SERVICE <{allowed}> {{ ?o a ex:Org }} }} ORDER BY ?o"
    r = httpx.get(federating_api, params={"query": q})
    assert r.status_code == 200, r.text
    assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == [
        TOY + "alpha",
        TOY + "beta",
        TOY + "gamma",
    ]
    other = allowed.replace("/query", "/store")  # type: ignore[union-attr]
    r = httpx.get(
        federating_api, params={"query": f"SELECT * {{ SERVICE <{other}> {{ ?s ?p ?o }} }}"}
    )
    assert r.status_code == 400 and "allow-list" in r.text
    r = httpx.get(federating_api, params={"query": "SELECT * { SERVICE ?x { ?s ?p ?o } }"})
    assert r.status_code == 400
    r = httpx.get(federating_api, headers={"Accept": "text/turtle"})
    assert "BasicFederatedQuery" in r.text
