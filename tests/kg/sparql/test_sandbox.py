"""The workers' network filter stays on with a SERVICE allow-list (issue 13).

With ``KG_SERVICE_ALLOW`` set the workers used to run without the seccomp filter, so a query
that slipped past the text check could make Oxigraph call any host. Now every connection is
checked against the allow-listed endpoints' addresses: the allowed endpoint answers, a
listener on another port of the same host receives nothing.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from kg.exceptions import ServiceRefusedError
from kg.loader.ondisk import build_store, store_db_path
from kg.settings import Settings
from kg.sparql.pool import QueryPool, _Request
from kg.sparql.sandbox import destinations
from tests.support.servers import one_row_endpoint, write_toy_data


@pytest.fixture(scope="module")
def allowed() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), one_row_endpoint("ok"))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql"
    srv.shutdown()


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    hits: list[bytes] = []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            hits.append(conn.recv(100) or b"(connected)")
            conn.close()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}/sparql", hits
    stop.set()
    t.join(timeout=2)
    srv.close()


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory, allowed: str) -> Iterator[QueryPool]:
    root = tmp_path_factory.mktemp("sandbox")
    build_store(root / "store", Settings(data_dir=write_toy_data(root / "ttl", items=3)))
    with QueryPool(store_db_path(root / "store"), size=1, service_allow=(allowed,)) as p:
        yield p


def test_destinations_resolve_ports():
    assert destinations(["http://127.0.0.1:8890/sparql"]) == {("127.0.0.1", 8890)}
    assert ("127.0.0.1", 80) in destinations(["http://localhost/sparql"])
    assert destinations(["not an iri"]) == set()


def test_allow_listed_service_works_with_the_filter_on(pool: QueryPool, allowed: str):
    assert pool.sandboxed  # the filter is in place although SERVICE is allowed
    answer = pool.execute(f"SELECT ?x {{ SERVICE <{allowed}> {{ ?x ?p ?o }} }}", timeout=20)
    assert json.loads(answer.body)["results"]["bindings"][0]["x"]["value"] == "ok"


def test_a_service_past_the_check_reaches_no_other_host(pool: QueryPool, listener):
    url, hits = listener
    query = f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(ServiceRefusedError, match="allow-list"):
        pool.execute(query, timeout=20)  # the text check
    # A request whose own list lets it past the check: the filter still refuses the connection.
    request = _Request(query, "json", None, service_allow=(*pool.service_allow, url))
    with pytest.raises(ServiceRefusedError, match="outside the SERVICE allow-list"):
        pool.run(request, timeout=20)
    assert hits == []
