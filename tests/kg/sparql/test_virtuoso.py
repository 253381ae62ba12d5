"""Any SPARQL 1.1 store: the shipped graph in a real Virtuoso gives the embedded store's answers.

Virtuoso 7.2 (Debian's ``virtuoso-opensource``, installed by ``make test-deps``) is started on
127.0.0.1 from a ``virtuoso.ini`` in a temporary folder and stopped at the end. ``kg upload``
puts the graph in it by the Graph Store Protocol (digest authentication), then every named
query, every projection and the metrics run in remote mode (``KG_SPARQL_ENDPOINT``) and must
give the same answers as the embedded Oxigraph store, after normalising only what SPARQL leaves
undefined: row order where the query does not fix it, blank-node labels (skolemised on upload),
and the spelling of numbers (``1.50`` and ``1.5`` are one decimal). Every named query also runs
on a generated graph (:mod:`kg.synthetic`, 20k triples) in a second Virtuoso, with parameters
picked among its hubs.

Without Virtuoso the tests fail (never skip) and say how to install it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pyoxigraph as ox
import pytest

from kg.metrics import brokerage, centrality, structural_holes
from kg.network.catalogue import NETWORKS
from kg.network.projection import project
from kg.settings import Settings
from kg.sparql.backend import RemoteBackend, open_backend, supports_lateral
from kg.sparql.named import bind_params, load_queries, run_query
from kg.sparql.upload import GENID
from kg.summary import graph_info
from tests.support.servers import uvicorn_server, virtuoso_server

USER = PASSWORD = "dba"  # a new Virtuoso database's administrator
QUERIES = sorted(load_queries())


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        yield base


@pytest.fixture(scope="module")
def uploaded(virtuoso: str) -> str:
    """``kg upload`` the shipped graph; return the query URL."""
    endpoint = f"{virtuoso}/sparql"
    kg = Path(sys.executable).parent / "kg"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    cmd = [str(kg), "upload", "--endpoint", endpoint, "--user", USER, "--password", PASSWORD]
    done = subprocess.run(  # noqa: S603 - fixed command
        [*cmd, "--auth", "digest"], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "counts verified" in done.stdout
    return endpoint


@pytest.fixture(scope="module")
def remote(uploaded: str) -> RemoteBackend:
    backend = open_backend(Settings(sparql_endpoint=uploaded, query_timeout=120))
    assert isinstance(backend, RemoteBackend)
    return backend


def _norm(value: Any) -> Any:
    """A term or plain value, with what SPARQL leaves undefined taken out."""
    if isinstance(value, ox.BlankNode):
        return "_:b"
    if isinstance(value, ox.NamedNode):
        return "_:b" if value.value.startswith(GENID) else ("iri", value.value)
    if isinstance(value, ox.Literal):
        if value.datatype.value.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float"):
            return ("number", float(value.value))
        return ("literal", value.value, value.language, value.datatype.value)
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, str) and value.startswith(GENID):
        return "_:b"
    if isinstance(value, list | tuple | set):
        return tuple(sorted((_norm(v) for v in value), key=repr))
    if isinstance(value, dict):
        return tuple(sorted((k, _norm(v)) for k, v in value.items()))
    return value


def _rows(result) -> Counter:
    return Counter(tuple(_norm(r.get(c)) for c in result.columns) for r in result.rows)


def test_dialect_probe(remote, backend):
    assert supports_lateral(backend) is True
    assert supports_lateral(remote) is False  # Virtuoso 7.2 has no LATERAL
    assert remote.lateral is False  # probed once, kept


def test_remote_sees_exactly_the_projects_graphs(remote, backend):
    """Virtuoso's own system graphs stay out: the counts are the embedded store's."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    for q in (count, graphs):
        assert remote.select(q).rows[0]["n"].value == backend.select(q).rows[0]["n"].value
    everything = RemoteBackend(remote.endpoint)  # no dataset: Virtuoso's whole quad store
    assert int(everything.select(count).rows[0]["n"].value) > len(backend.store)
    assert graph_info(remote) == graph_info(backend)


@pytest.mark.parametrize("name", QUERIES)
def test_named_query(remote, backend, name):
    q = load_queries()[name]
    bindings = bind_params(q, q.example)
    ours, theirs = run_query(q, bindings, backend=backend), run_query(q, bindings, backend=remote)
    assert theirs.columns == ours.columns
    assert _rows(theirs) == _rows(ours)


def _graph(g: nx.Graph) -> tuple[Counter, Counter]:
    nodes = Counter((n, _norm(d)) for n, d in g.nodes(data=True))

    def ends(u: str, v: str) -> tuple[str, ...]:
        return (u, v) if g.is_directed() else tuple(sorted((u, v)))  # undirected: either way

    edges = Counter((*ends(u, v), _norm(d)) for u, v, d in g.edges(data=True))
    return nodes, edges


@pytest.fixture(scope="module")
def networks(remote, backend) -> dict[str, tuple[nx.Graph, nx.Graph]]:
    return {n: (project(n, backend=backend), project(n, backend=remote)) for n in NETWORKS}


@pytest.mark.parametrize("name", NETWORKS)
def test_projection(networks, name):
    ours, theirs = networks[name]
    assert type(theirs) is type(ours)
    assert _graph(theirs) == _graph(ours)


def test_the_networks_are_not_empty(networks):
    """The comparison means something: most networks have edges on the shipped data."""
    assert sum(ours.number_of_edges() > 0 for ours, _ in networks.values()) >= len(NETWORKS) - 2


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _by_node(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(r["node"]): _flat({k: v for k, v in r.items() if k != "node"}) for r in rows}


def _same_numbers(theirs: list[dict[str, Any]], ours: list[dict[str, Any]]) -> None:
    """Per node, the same values up to float rounding (the node order may differ)."""
    a, b = _by_node(theirs), _by_node(ours)
    assert a.keys() == b.keys()
    for node, values in b.items():
        numbers = {k for k, v in values.items() if isinstance(v, float | int) and v is not None}
        assert {k: v for k, v in a[node].items() if k not in numbers} == {
            k: v for k, v in values.items() if k not in numbers
        }, node
        assert {k: a[node][k] for k in numbers} == pytest.approx(
            {k: values[k] for k in numbers}, rel=1e-9, abs=1e-12, nan_ok=True
        ), node


@pytest.mark.parametrize("name", ["funding", "membership", "partnership", "org-umbrella"])
def test_metrics(networks, name):
    ours, theirs = networks[name]
    for group in ("kind", "country"):
        _same_numbers(brokerage(theirs, group).to_rows(), brokerage(ours, group).to_rows())
    _same_numbers(structural_holes(theirs).to_rows(), structural_holes(ours).to_rows())
    _same_numbers(centrality(theirs).to_rows(), centrality(ours).to_rows())


# ---------------------------------------------------------------------------------------------
# A generated graph (kg.synthetic, 20k triples): deeper cascades and bigger groups than the
# shipped data, parameters picked among its hubs, in a second Virtuoso


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    from benchmarks.run import choose_params
    from kg.loader.load import load_store
    from kg.sparql.backend import LocalBackend, remote_backend
    from kg.sparql.upload import upload_graph
    from kg.synthetic import generate, orgs_for_triples

    data = tmp_path_factory.mktemp("generated") / "ttl"
    generate(orgs_for_triples(20_000), 1, data)
    settings = Settings(data_dir=data)
    store = load_store(settings)
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-generated")) as base:
        endpoint = f"{base}/sparql"
        upload_graph(endpoint, settings, user=USER, password=PASSWORD, auth="digest")
        remote = remote_backend(
            Settings(data_dir=data, sparql_endpoint=endpoint, query_timeout=120)
        )
        yield LocalBackend(store), remote, choose_params(store)


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_on_a_generated_graph(generated, name):
    local, remote, picks = generated
    q = load_queries()[name]
    bindings = bind_params(q, {p.name: picks[p.name] for p in q.params if p.required})
    ours, theirs = run_query(q, bindings, backend=local), run_query(q, bindings, backend=remote)
    assert _rows(theirs) == _rows(ours)


# ---------------------------------------------------------------------------------------------
# kg serve in remote mode over Virtuoso: answers negotiated per query form


@pytest.fixture(scope="module")
def api_over_virtuoso(uploaded: str):
    with uvicorn_server({"KG_SPARQL_ENDPOINT": uploaded, "KG_QUERY_TIMEOUT": "60"}) as base:
        yield f"{base}/sparql"


def test_serve_negotiates_per_query_form(api_over_virtuoso: str):
    org = "<https://w3id.org/integration-kg/id/org/lu-asti>"
    construct = f"CONSTRUCT {{ {org} ?p ?o }} WHERE {{ {org} ?p ?o }}"
    r = httpx.get(api_over_virtuoso, params={"query": construct}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(r.content, ox.RdfFormat.TURTLE))) > 5
    describe = httpx.get(api_over_virtuoso, params={"query": f"DESCRIBE {org}"})
    assert describe.status_code == 200 and describe.headers["content-type"].startswith("text/")
    relative = "CONSTRUCT { <s> <p> 1 } WHERE {}"
    r = httpx.get(
        api_over_virtuoso, params={"query": relative}, headers={"Accept": "application/n-triples"}
    )
    assert r.status_code == 200, r.text
    (triple,) = ox.parse(r.content, ox.RdfFormat.N_TRIPLES)
    assert triple.subject.value == api_over_virtuoso.rsplit("/", 1)[0] + "/s"
    ask = httpx.get(api_over_virtuoso, params={"query": f"ASK {{ {org} ?p ?o }}"})
    assert ask.json()["boolean"] is True
    select = httpx.get(
        api_over_virtuoso,
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert select.status_code == 200 and select.headers["content-type"].startswith("text/csv")


# ---------------------------------------------------------------------------------------------
# Lists joined when read (header `concat`): longer than Virtuoso 7.2's temporary columns allow
# for GROUP_CONCAT (SR319 at a million triples)


def _founding_periods_by_hand(store: ox.Store) -> dict[tuple[str, str], tuple[int, str]]:
    """founding-periods computed from the triples in Python (no SPARQL aggregate)."""
    ns = "https://w3id.org/integration-kg/ontology#"
    founded = ox.NamedNode("https://schema.org/foundingDate")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    notation = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
    groups: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for q in store.quads_for_pattern(None, founded, None):
        year = int(q.object.value[:4])
        period = "before 2000" if year < 2000 else "2000-2014" if year <= 2014 else "2015 and later"
        labels = {t.object.value for t in store.quads_for_pattern(q.subject, label, None)}
        for c in store.quads_for_pattern(q.subject, ox.NamedNode(ns + "country"), None):
            for code in store.quads_for_pattern(c.object, notation, None):
                orgs, names = groups.setdefault((code.object.value, period), (set(), set()))
                if labels:
                    orgs.add(q.subject.value)
                    names |= labels
    return {k: (len(o), ", ".join(sorted(n))) for k, (o, n) in groups.items() if o}


def test_lists_joined_when_read(generated):
    """founding-periods' names come one label a row and are joined by run_query: the same
    counts and sorted lists as computed by hand from the generated graph's triples, on both
    stores."""
    local, remote, _ = generated
    q = load_queries()["founding-periods"]
    assert q.concat == {"names": ", "}
    expected = _founding_periods_by_hand(local.store)
    assert len(expected) > 5
    for backend in (local, remote):
        got = {
            (r["country"].value, r["period"].value): (
                int(r["organisations"].value),
                r["names"].value,
            )
            for r in run_query(q, backend=backend).rows
        }
        assert got == expected


def test_concat_header_is_checked(tmp_path: Path):
    from kg.exceptions import QueryError
    from kg.sparql.named import read_query

    bad = tmp_path / "bad.rq"
    bad.write_text("#+ title: x\n#+ concat: [names]\nSELECT ?names WHERE {}\n", encoding="utf-8")
    with pytest.raises(QueryError, match="concat must map column names to separators"):
        read_query(bad)
