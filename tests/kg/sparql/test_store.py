"""kg.sparql.backend (backends, persisted stores, crash-safe builds), kg.sparql.text and kg.sparql.pool."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.exceptions import LoadError, QueryError, QueryTimeoutError, ServiceRefusedError
from kg.loader.ondisk import MANIFEST, build_store, open_store, store_db_path
from kg.settings import Settings
from kg.sparql import text as sparql_text
from kg.sparql.backend import (
    Backend,
    LocalBackend,
    open_backend,
    query_store,
)
from kg.sparql.pool import PooledBackend, QueryPool, _Request, render
from tests.support.servers import REPO_ROOT, TOY, write_toy_data

PREFIX = f"PREFIX ex: <{TOY}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_toy_data(tmp_path_factory.mktemp("toy-store") / "ttl")


@pytest.fixture(scope="module")
def settings(toy_dir: Path) -> Settings:
    return Settings(data_dir=toy_dir)


@pytest.fixture(scope="module")
def local(settings: Settings) -> LocalBackend:
    backend = open_backend(settings)
    assert isinstance(backend, LocalBackend)
    return backend


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    path = tmp_path_factory.mktemp("built") / "store"
    build_store(path, settings)
    return path


# ---------------------------------------------------------------------------------------------
# LocalBackend


def test_backend_protocol_and_no_implicit_cache(local, settings):
    assert isinstance(local, Backend)
    # open_backend opens a new backend each time: nothing in kg looks one up implicitly.
    again = open_backend(settings)
    assert again is not local and len(again.store) == len(local.store)


def test_select_ask_graph(local):
    res = local.select(PREFIX + "SELECT ?o ?a WHERE { ?o ex:amount ?a } ORDER BY ?o")
    assert res.columns == ["o", "a"]
    assert [r["o"].value for r in res] == [TOY + "alpha", TOY + "beta", TOY + "gamma"]
    assert res.rows[1]["a"] == ox.Literal("20", datatype=ox.NamedNode(XSD + "integer"))
    res = local.select(PREFIX + "SELECT ?o ?x WHERE { ?o a ex:Org OPTIONAL { ?o ex:partner ?x } }")
    assert sum(r["x"] is None for r in res.rows) == 2  # unbound is None
    assert local.ask(PREFIX + "ASK { ex:alpha ex:partner ex:beta }") is True
    triples = local.graph(PREFIX + "CONSTRUCT WHERE { ex:gamma ?p ?o }")
    assert len(triples) == 3 and all(isinstance(t, ox.Triple) for t in triples)
    assert len(local.graph(f"DESCRIBE <{TOY}beta>")) == 4


def test_wrong_query_form(local):
    with pytest.raises(QueryError, match="expected a SELECT query, got an ASK"):
        local.select("ASK {}")
    with pytest.raises(QueryError, match="expected an ASK"):
        local.ask("SELECT * {}")
    with pytest.raises(QueryError, match="expected a CONSTRUCT"):
        local.graph("SELECT * {}")


def test_syntax_error_names_line_and_column(local):
    with pytest.raises(QueryError) as err:
        local.select("PREFIX ex: <http://x/>\nSELECT ?s WHERE {\n  ?s ex:p \n}")
    msg = str(err.value)
    assert msg.startswith("SPARQL syntax error at line 4, column 1:")
    assert err.value.line == 4 and err.value.column == 1  # type: ignore[attr-defined]
    assert msg.splitlines()[-1].strip() == "^"


def test_bindings_substitution_and_values(local):
    alpha = ox.NamedNode(TOY + "alpha")
    # projected variable: pyoxigraph substitutions
    res = local.select(PREFIX + "SELECT ?o ?l WHERE { ?o rdfs:label ?l }", {"o": alpha})
    assert len(res) == 2 and all(r["o"] == alpha for r in res)
    # not projected, used in a FILTER and under an aggregate: VALUES at the start of WHERE
    q = PREFIX + "SELECT (COUNT(?i) AS ?n) WHERE { ?i ex:rank ?r FILTER(?r < ?below) }"
    assert local.select(q, {"below": ox.Literal(10)}).rows[0]["n"].value == "10"
    q = PREFIX + "SELECT ?l WHERE { ?o rdfs:label ?l } ORDER BY ?l"
    assert [r["l"].value for r in local.select(q, {"o": alpha})][0] == "Alpha"
    # an optional parameter left out stays unbound
    q = PREFIX + "SELECT ?o WHERE { ?o ex:amount ?a FILTER(!BOUND(?min) || ?a > ?min) }"
    assert len(local.select(q)) == 3
    assert len(local.select(q, {"min": ox.Literal(100)})) == 2
    # a hostile literal stays a literal
    evil = ox.Literal('"} } ; DROP ALL ; SELECT * { ?s ?p "')
    q = PREFIX + "SELECT ?o WHERE { ?o rdfs:label ?l FILTER(?l = ?name) }"
    assert local.select(q, {"name": evil}).rows == []
    assert local.ask(PREFIX + "ASK { ex:alpha a ex:Org }")


def test_values_bind_inside_nested_groups(local):
    """Unprojected parameters are bound in every group, as substitution would bind them."""
    beta = ox.NamedNode(TOY + "beta")
    q = PREFIX + "SELECT ?x WHERE { { BIND(?org AS ?x) } UNION { ?x ex:partner ?org } }"
    assert sorted(r["x"].value for r in local.select(q, {"org": beta})) == [
        TOY + "alpha",
        TOY + "beta",
    ]
    q = PREFIX + (
        "SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?i ex:rank ?r FILTER(?r < ?below) } } }"
    )
    assert local.select(q, {"below": ox.Literal(10)}).rows[0]["n"].value == "10"
    q = PREFIX + "SELECT ?o WHERE { ?o a ex:Org FILTER NOT EXISTS { ?o ex:partner ?other } }"
    assert len(local.select(q, {"other": beta})) == 2


def test_union_default_graph_and_dataset(local, toy_dir):
    from kg.loader.files import graph_iri_for

    orgs = graph_iri_for(toy_dir / "orgs.ttl", toy_dir).value
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    total = int(local.select(count).rows[0]["n"].value)
    assert total > 613
    from_q = f"SELECT (COUNT(*) AS ?n) FROM <{orgs}> WHERE {{ ?s ?p ?o }}"
    assert local.select(from_q).rows[0]["n"].value == "13"
    res = query_store(local.store, count, default_graph=[orgs])
    assert next(iter(res))["n"].value == "13"
    with pytest.raises(QueryError, match="invalid graph IRI"):
        query_store(local.store, count, default_graph=["not an iri"])
    # "FROM" inside a string does not switch the union off
    q = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "FROM <x>") }'
    assert int(local.select(q).rows[0]["n"].value) == total


# ---------------------------------------------------------------------------------------------
# Persisted stores


def test_build_and_reopen_read_only(built, local):
    assert built.is_symlink()
    target = built.resolve()
    assert target.name.startswith(".store.v-")
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["quads"] == len(local.store)
    assert {Path(f["path"]).name for f in manifest["files"]} >= {"orgs.ttl", "items.ttl"}
    store = open_store(built)
    assert len(store) == len(local.store)
    with pytest.raises((OSError, RuntimeError), match="read-write|read-only|Read"):
        store.update("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    backend = open_backend(Settings(store_path=built))
    assert isinstance(backend, LocalBackend)
    q = PREFIX + "SELECT ?o { ?o a ex:Org } ORDER BY ?o"
    assert backend.select(q).rows == local.select(q).rows


def test_rebuild_switches_and_prunes(tmp_path, settings):
    path = tmp_path / "kgstore"
    first = build_store(path, settings)
    second = build_store(path, settings)
    assert path.resolve() == second and first.exists()  # the previous build is kept
    third = build_store(path, settings)
    assert path.resolve() == third and second.exists() and not first.exists()
    assert len(open_store(path)) > 0


def test_open_missing_store(tmp_path):
    with pytest.raises(LoadError, match="no store there"):
        open_store(tmp_path / "nope")


def test_build_refuses_a_second_concurrent_build(tmp_path, settings):
    path = tmp_path / "locked"
    with open(tmp_path / ".locked.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(LoadError, match="another build"):
            build_store(path, settings)


def test_bad_file_switches_nothing(tmp_path, settings, toy_dir):
    path = tmp_path / "store"
    good = build_store(path, settings)
    bad = tmp_path / "bad" / "ttl"
    write_toy_data(bad, items=3)
    (bad / "broken.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(LoadError, match="broken.ttl"):
        build_store(path, Settings(data_dir=bad))
    assert path.resolve() == good
    assert len(open_store(path)) > 0


def test_sigkill_during_build_keeps_previous_store(tmp_path, settings):
    """A build killed with SIGKILL while writing leaves the previous store usable and complete."""
    path = tmp_path / "store"
    build_store(path, settings)
    before = path.resolve()
    expected = len(open_store(path))
    big = write_toy_data(tmp_path / "big" / "ttl", items=250_000)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from kg.settings import Settings
        from kg.loader.ondisk import build_store
        build_store(Path({str(path)!r}), Settings(data_dir=Path({str(big)!r})))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)  # noqa: S603
    deadline = time.monotonic() + 120
    db_dirs: list[Path] = []
    while time.monotonic() < deadline and not db_dirs and proc.poll() is None:
        db_dirs = list(tmp_path.glob(".store.build-*/oxigraph"))  # the store is being written
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be killed"
    assert db_dirs
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert path.resolve() == before
    assert len(open_store(path)) == expected
    assert list(tmp_path.glob(".store.build-*"))  # the half-written build is left behind...
    build_store(path, settings)
    assert not list(tmp_path.glob(".store.build-*"))  # ...and removed by the next build
    assert len(open_store(path)) == expected


# ---------------------------------------------------------------------------------------------
# kg.sparql.text


@pytest.mark.parametrize(
    ("query", "targets"),
    [
        ("SELECT * { SERVICE <http://a/> { ?s ?p ?o } }", ["http://a/"]),
        ("select * { service silent <http://a/>{} }", ["http://a/"]),
        ("SELECT * { ?s ?p ?o .SERVICE<http://a/>{} }", ["http://a/"]),
        ("PREFIX e: <http://e/> SELECT * { SERVICE e:sparql {} }", ["http://e/sparql"]),
        ("SELECT * { SERVICE undeclared:x {} }", [None]),
        ("SELECT * { SERVICE ?svc {} }", [None]),
        ("SELECT * { ?s ?p ?o FILTER(?o<?p)SERVICE#>\n<http://a/>{} }", ["http://a/"]),
        ("SELECT * { VALUES (?x ?y) { (<a> <b'>) } SERVICE <http://a/> {} }", ["http://a/"]),
        ("SELECT * { ?s <p> (<a> <b'>) . SERVICE <http://a/> {} }", ["http://a/"]),
        ('SELECT * { << ?s ?p "x>" >> ?q ?r SERVICE <http://a/> {} }', ["http://a/"]),
        (
            "PREFIX e: <http://e/> SELECT * { ?s e:a\\' ?o SERVICE <http://a/> {} ?s ?p \"'\" }",
            ["http://a/"],
        ),  # fmt: skip
        ('SELECT * { ?s ?p "SERVICE <http://x/> {}" }', []),
        ("SELECT * { ?s ?p '''SERVICE\n<http://x/>''' }", []),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}", []),
        ("SELECT * { ?s <http://e/SERVICE> ?o }", []),
        ("PREFIX e: <http://e/> SELECT ?service { ?service e:SERVICE ?o }", []),
    ],
)
def test_service_targets(query, targets):
    assert sparql_text.service_targets(query) == targets


def test_check_service():
    sparql_text.check_service("SELECT * {}")
    with pytest.raises(QueryError, match="disabled"):
        sparql_text.check_service("SELECT * { SERVICE <http://a/> {} }")
    sparql_text.check_service("SELECT * { SERVICE <http://a/> {} }", ("http://a/",))
    with pytest.raises(QueryError, match="allow-list"):
        sparql_text.check_service("SELECT * { SERVICE <http://b/> {} }", ("http://a/",))


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX a: <http://a/> BASE <http://b/> SELECT * {}", "SELECT"),
        ("# comment\nconstruct where {}", "CONSTRUCT"),
        ("ASK {}", "ASK"),
        ("DESCRIBE <x>", "DESCRIBE"),
        ("PREFIX a: <http://a/> INSERT DATA { a:x a:y a:z }", "UPDATE"),
        ("drop all", "UPDATE"),
        ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("", None),
    ],
)
def test_query_form(query, form):
    assert sparql_text.query_form(query) == form


@pytest.mark.parametrize(
    "query",
    [
        PREFIX + "SELECT ?l WHERE { ?o rdfs:label ?l }",
        PREFIX + "SELECT * WHERE { SELECT ?l WHERE { ?o rdfs:label ?l } }",
        PREFIX + "SELECT (EXISTS { ?a ?b ?c } AS ?e) ?l { ?o rdfs:label ?l }",
        PREFIX + "CONSTRUCT { ?o rdfs:label ?l } WHERE { ?o rdfs:label ?l }",
        PREFIX + "CONSTRUCT WHERE { ?o rdfs:label ?l }",
        PREFIX + "ASK { ?o rdfs:label ?l }",
        PREFIX + "DESCRIBE ?o WHERE { ?o rdfs:label ?l }",
        # LATERAL groups see the left-hand side's binding; Oxigraph refuses a second VALUES there
        PREFIX + "SELECT DISTINCT ?l WHERE { ?o ?p ?x LATERAL { OPTIONAL { ?o rdfs:label ?l } } }",
        PREFIX
        + "SELECT DISTINCT ?l WHERE { { ?o ?p ?x LATERAL { { ?o rdfs:label ?l } UNION { ?o rdfs:label ?l FILTER(false) } } } }",
    ],
)
def test_inject_values_runs(local, query):
    q = sparql_text.inject_values(query, {"o": ox.NamedNode(TOY + "gamma")})
    res = local.store.query(q, use_default_graph_as_union=True)
    if isinstance(res, ox.QueryBoolean):
        assert bool(res)
    else:
        items = list(res)
        assert items
        if isinstance(res, ox.QuerySolutions) and "EXISTS" not in query and "*" not in query:
            assert [s["l"].value for s in items] == ["Gamma"]


def test_inject_values_leaves_lateral_groups_alone():
    q = sparql_text.inject_values(
        "SELECT * { ?o ?p ?x LATERAL { OPTIONAL { ?o ?q ?y } } }", {"o": ox.NamedNode(TOY + "a")}
    )
    assert q.count("VALUES") == 1
    assert q.index("VALUES") < q.index("LATERAL")


def test_inject_values_refuses_bad_input():
    with pytest.raises(QueryError, match="variable name"):
        sparql_text.inject_values("SELECT * { ?s ?p ?o }", {"a b": ox.Literal(1)})
    with pytest.raises(QueryError, match="WHERE"):
        sparql_text.inject_values("DESCRIBE <http://x/>", {"a": ox.Literal(1)})


# ---------------------------------------------------------------------------------------------
# kg.sparql.pool


@pytest.fixture(scope="module")
def pool(built: Path):
    with QueryPool(store_db_path(built), size=2, sandbox=True) as p:
        yield p


def test_pool_formats_and_caps(pool):
    q = PREFIX + "SELECT ?i ?r WHERE { ?i ex:rank ?r } ORDER BY ?r"
    for fmt in ("json", "xml", "csv", "tsv"):
        a = pool.execute(q, result_format=fmt, max_rows=7)
        assert a.truncated and a.count == 7
    a = pool.execute(q, result_format="tsv", max_rows=None)
    assert not a.truncated and a.count == 300
    a = pool.execute(q, result_format="json", max_rows=300)
    assert not a.truncated and a.count == 300
    assert len(json.loads(a.body)["results"]["bindings"]) == 300
    g = PREFIX + "CONSTRUCT { ?i ex:rank ?r } WHERE { ?i ex:rank ?r }"
    for fmt in ("turtle", "ntriples", "jsonld", "rdfxml", "n3"):
        a = pool.execute(g, graph_format=fmt, max_rows=5)
        assert a.truncated and a.count == 5
        assert len(list(ox.parse(a.body, ox.RdfFormat.from_media_type(a.media_type)))) == 5


def test_pool_in_memory_copy(built: Path):
    q = PREFIX + "SELECT ?o ?a WHERE { ?o ex:amount ?a } ORDER BY ?o"
    with QueryPool(store_db_path(built), size=1, memory_quads=10**6) as mem:
        assert mem.in_memory
        with QueryPool(store_db_path(built), size=1, memory_quads=10) as disk:
            assert not disk.in_memory
            assert mem.execute(q).body == disk.execute(q).body


def test_render_round_trips_every_term():
    store = ox.Store()
    s, p = ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p")
    objects = [
        ox.Literal('a\tb\nc "q" \\ }', language="en"),
        ox.Literal("x", datatype=ox.NamedNode("http://x/dt")),
        ox.Literal(" 5 ", datatype=ox.NamedNode(XSD + "integer")),
        ox.BlankNode("b1"),
        ox.NamedNode("http://x/é#frag"),
    ]
    for o in objects:
        store.add(ox.Quad(s, p, o))
    answer = render(store.query("SELECT ?o { ?s ?p ?o }"), "json", None)
    back = {sol["o"] for sol in ox.parse_query_results(answer.body, ox.QueryResultsFormat.JSON)}
    assert {o for o in objects if not isinstance(o, ox.BlankNode)} <= back
    assert any(isinstance(o, ox.BlankNode) for o in back)


def test_pool_timeout_kills_and_replaces(pool):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    before = pool.restarts
    t0 = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="was stopped"):
        pool.execute(slow, timeout=0.5)
    assert time.monotonic() - t0 < 3
    assert pool.restarts == before + 1
    assert pool.execute("ASK {}", timeout=5).body  # the other worker answers at once
    backend = PooledBackend(pool, timeout=5)
    assert backend.ask(PREFIX + "ASK { ex:alpha a ex:Org }")
    res = backend.select(
        PREFIX + "SELECT ?o { ?o ex:amount ?a FILTER(?a > ?m) }", {"m": ox.Literal(100)}
    )
    assert {r["o"].value for r in res} == {TOY + "alpha", TOY + "gamma"}
    assert len(backend.graph(PREFIX + "CONSTRUCT WHERE { ex:beta ?p ?o }")) == 4
    with pytest.raises(QueryTimeoutError):
        backend.select(slow, timeout=0.3)


def test_sandboxed_workers_cannot_call_out(pool):
    """Even when the lexical check is bypassed, a worker cannot open a connection."""
    hits: list[bytes] = []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(5)
    port = srv.getsockname()[1]

    def accept() -> None:
        try:
            conn, _ = srv.accept()
            hits.append(conn.recv(100))
            conn.close()
        except OSError:
            pass

    t = threading.Thread(target=accept)
    t.start()
    assert pool.sandboxed
    url = f"http://127.0.0.1:{port}/sparql"
    q = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(ServiceRefusedError, match="disabled"):
        pool.execute(q, timeout=10)  # the worker's check refuses it
    # A request that passes the check (its SERVICE allow-listed) still cannot call out.
    with pytest.raises(ServiceRefusedError, match="network"):
        pool.run(_Request(q, "json", None, service_allow=(url,)), timeout=10)
    srv.close()
    t.join()
    assert hits == []
