"""Bounded answers and workers: the byte cap (KG_MAX_RESULT_BYTES) and the memory limit.

Regressions of issue 13: a 300-byte query produced a 1 GB answer within the row cap, and a
worker grew to 6 GB; each worker now has an address-space limit and answers a byte cap.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.exceptions import QueryMemoryError
from kg.loader.ondisk import build_store, store_db_path
from kg.settings import Settings
from kg.sparql.pool import QueryPool, render
from tests.support.servers import write_toy_data

ALL = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"


def blow_up(levels: int = 7) -> str:
    """A short query whose one answer is 10**(levels + 3) bytes long (nested REPLACE)."""
    expr = '"' + "a" * 1000 + '"'
    for _ in range(levels):
        expr = f'REPLACE({expr}, "a", "aaaaaaaaaa")'
    return f"SELECT (STRLEN({expr}) AS ?n) {{}}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("limits")
    build_store(root / "store", Settings(data_dir=write_toy_data(root / "ttl")))
    return store_db_path(root / "store")


@pytest.fixture(scope="module")
def store(db: Path) -> ox.Store:
    return ox.Store.read_only(str(db))


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_byte_cap_bounds_every_result_format(store, fmt):
    full = render(store.query(ALL), fmt, None)
    cap = len(full.body) // 3
    answer = render(store.query(ALL), fmt, None, max_bytes=cap)
    assert len(answer.body) <= cap
    assert answer.truncated and answer.truncated_by == "bytes"
    assert 0 < answer.count < full.count
    if fmt == "csv":  # pyoxigraph cannot read CSV results back: count the lines
        assert answer.body.count(b"\r\n") == answer.count + 1
    else:  # a complete document with whole rows
        back = ox.parse_query_results(answer.body, ox.QueryResultsFormat.from_media_type(
            answer.media_type))  # fmt: skip
        assert len(list(back)) == answer.count


def test_byte_cap_smaller_than_one_row_sends_no_rows(store):
    answer = render(store.query(ALL), "json", None, max_bytes=10)
    assert answer.count == 0 and answer.truncated_by == "bytes"
    assert json.loads(answer.body)["results"]["bindings"] == []


def test_byte_cap_bounds_graphs(store):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    full = render(store.query(query), None, "turtle")
    answer = render(store.query(query), None, "turtle", max_bytes=len(full.body) // 4)
    assert len(answer.body) <= len(full.body) // 4
    assert answer.truncated_by == "bytes" and 0 < answer.count < full.count


def test_row_cap_still_names_rows(store):
    answer = render(store.query(ALL), "json", None, max_rows=5, max_bytes=10**9)
    assert answer.count == 5 and answer.truncated_by == "rows"


def test_memory_limit_stops_the_query_and_replaces_the_worker(db):
    with QueryPool(db, size=1, memory_mb=700) as pool:
        with pytest.raises(QueryMemoryError, match="700 MB, KG_WORKER_MEMORY_MB"):
            pool.execute(blow_up(), timeout=60)
        assert pool.restarts == 1
        assert b"true" in pool.execute("ASK {}", timeout=60).body  # the new worker answers


def test_workers_run_the_servers_code_not_the_current_directorys(db, tmp_path, monkeypatch):
    """A ``kg`` package in the current directory must not replace the server's (issue 13)."""
    decoy = tmp_path / "kg"
    (decoy / "sparql").mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit('the decoy kg was imported')\n")
    (decoy / "sparql" / "__init__.py").write_text("")
    (decoy / "sparql" / "worker.py").write_text("raise SystemExit('the decoy worker ran')\n")
    monkeypatch.chdir(tmp_path)
    with QueryPool(db, size=1) as pool:
        assert b"true" in pool.execute("ASK {}", timeout=60).body


def test_large_answers_stream_in_pieces(db):
    """Answers over 1 MiB come from the worker in pieces; the server never needs them whole."""
    big = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } LIMIT 100000"
    with QueryPool(db, size=1) as pool:
        whole = pool.execute(big, result_format="tsv", timeout=60)
        assert len(whole.body) > 2 << 20 and whole.stream is None
        answer = pool.execute(big, result_format="tsv", timeout=60, stream=True)
        assert answer.stream is not None and answer.body == b""
        pieces = list(answer.stream)
        assert len(pieces) > 1 and b"".join(pieces) == whole.body
        assert pool.restarts == 0  # read to the end: the worker went back to the pool
        # a reader that stops early gets the worker replaced, and the pool goes on
        partial = pool.execute(big, result_format="tsv", timeout=60, stream=True)
        next(partial.stream)
        partial.stream.close()
        assert pool.restarts == 1
        assert b"true" in pool.execute("ASK {}", timeout=60).body
