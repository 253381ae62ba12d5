"""The attacks of issue 13 against a real ``kg serve`` on 127.0.0.1 (``make stress``, part
``attacks``), with bounded counts. Every request has a deadline (the query time limit + 5 s).

What is measured and reported:

- ``evil_hits``: connections that reached a listener on 127.0.0.1 which is *not* in the
  SERVICE allow-list (the allow-list names another local endpoint, so the workers' egress
  filter is in its per-destination mode); must be 0;
- ``peak_rss_mb``: the server and its workers together, sampled every 0.2 s; must stay < 2 GB;
- ``late``: responses that came after their deadline; ``server_errors``: 500s (a 503 is the
  answer for time and memory limits); ``worker_crashes``: answers saying a worker died;
- per attack: the statuses seen and the slowest answer.

Attacks: SERVICE slips (the two misreads of the issue, escapes, case, prefixed names, strings),
fuzzed queries (random insertions of the dangerous tokens into ordinary queries), a 1 MB
adversarial query, nesting floods (braces, parentheses, brackets), memory bombs (nested
REPLACE, ORDER BY over a cross product), a large answer under the byte cap, incomplete request
heads (held open and trickled), header floods, other charsets, a forged Host header, unknown
organisation pages, runaway queries from several client addresses while named queries are timed,
and the command line's bad inputs (no traceback, exit 2).
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, WORK, rss_tree_mb
from benchmarks.run import free_port, wait_http

TIMEOUT = 10.0
HEAD_TIMEOUT = 3.0
MEMORY_MB = 1024
MAX_RESULT_BYTES = 1024 * 1024


class _Listener:
    """A TCP listener that counts the connections it receives (the host nobody may reach)."""

    def __init__(self) -> None:
        self.hits: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with contextlib.suppress(OSError):
                conn.settimeout(1)
                self.hits.append(conn.recv(200) or b"(connected)")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


class _Run:
    """The server under attack and the bookkeeping of every request."""

    def __init__(self, data: Path, allowed: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "KG_DATA_DIR": str(data),
            "KG_QUERY_TIMEOUT": str(TIMEOUT),
            "KG_SERVICE_ALLOW": allowed,
            "KG_MAX_BODY_BYTES": "2000000",
            "KG_MAX_RESULT_BYTES": str(MAX_RESULT_BYTES),
            "KG_WORKER_MEMORY_MB": str(MEMORY_MB),
            "KG_HEAD_TIMEOUT": str(HEAD_TIMEOUT),
            "KG_SPARQL_WORKERS": "4",
            "KG_SPARQL_PER_CLIENT": "2",
        }
        self.log = WORK / "attacks-server.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port",
                 str(self.port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        if not wait_http(self.url + "/sparql", 300, self.proc):
            raise RuntimeError(f"kg serve did not start: {self.log.read_text()[-2000:]}")
        self.peak = 0.0
        self.results: dict[str, dict[str, Any]] = {}
        self.late = 0
        self.server_errors = 0
        self.crashes = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                self.peak = max(self.peak, rss_tree_mb(self.proc.pid))
            time.sleep(0.2)

    def record(self, attack: str, status: int | str, seconds: float, text: str = "") -> None:
        with self._lock:
            r = self.results.setdefault(attack, {"requests": 0, "statuses": {}, "max_s": 0.0})
            r["requests"] += 1
            r["statuses"][str(status)] = r["statuses"].get(str(status), 0) + 1
            r["max_s"] = max(r["max_s"], round(seconds, 3))
            if seconds > TIMEOUT + 5:
                self.late += 1
            if status == 500:
                self.server_errors += 1
                r.setdefault("samples", []).append(text[:200])
            if "worker died" in text:
                self.crashes += 1

    def query(self, attack: str, query: str, client: Any = None, **headers: str) -> Any:
        import httpx

        t0 = time.monotonic()
        try:
            r = (client or httpx).post(
                self.url + "/sparql",
                content=query.encode("utf-8", "surrogatepass"),
                headers={"Content-Type": "application/sparql-query", **headers},
                timeout=TIMEOUT + 20,
            )
        except httpx.HTTPError as exc:
            self.record(attack, type(exc).__name__, time.monotonic() - t0)
            return None
        self.record(attack, r.status_code, time.monotonic() - t0, r.text[:300])
        return r

    def close(self) -> dict[str, Any]:
        self._stop.set()
        t0 = time.monotonic()
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        log = self.log.read_text(errors="replace")
        return {
            "sigterm_seconds": round(time.monotonic() - t0, 2),
            "log_tracebacks": log.count("Traceback"),
        }


def _slips(evil: str) -> list[str]:
    escaped = evil.replace("/sparql", r"\u002Fsparql")
    return [
        rf"SELECT * {{ <http://x/\u0041'> ?p ?o . SERVICE <{evil}> {{ ?s ?p ?o }} }} # '",
        f"SELECT * {{ ?a ?b ?c FILTER(?a <<http://x'>) SERVICE <{evil}> {{ ?s ?p ?o }} }} # '",
        f"SELECT * {{ SERVICE <{evil}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SeRvIcE SILENT <{evil}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{evil.rsplit('/', 1)[0]}/> SELECT * {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(<{evil}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
        f'SELECT * {{ ?s ?p "service" . SERVICE <{evil}> {{ ?s ?p ?o }} }}',
        f"ASK {{ SERVICE <{evil}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{evil}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{evil}> {{ ?s ?p ?o }} }} }} }}",
        f'SELECT * {{ ?s ?p """ \'\'\' """ . SERVICE <{evil}> {{ ?s ?p ?o }} }}',
    ]


def _fuzz(evil: str, n: int, seed: int = 13) -> list[str]:
    rnd = random.Random(seed)
    seeds = [
        "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?o < 5) } LIMIT 10",
        "PREFIX ex: <https://example.org/toy/> SELECT * { ?s a ex:Org ; ?p ?o }",
        'SELECT (CONCAT(STR(?s), "x") AS ?c) { ?s ?p ?o } LIMIT 3',
        "ASK { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    ]
    pieces = [f"SERVICE <{evil}> {{ ?a ?b ?c }}", "<<", ">>", "'", '"', '"""', "#", "\n",
              r"\u0041", "{", "}", "(", ")", "<", ">", "service", "SERVICE", ".", ";",
              f"<{evil}>", "\\", "%"]  # fmt: skip
    out = []
    for _ in range(n):
        q = rnd.choice(seeds)
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randint(0, len(q))
            q = q[:at] + " " * rnd.randint(0, 1) + rnd.choice(pieces) + q[at:]
        out.append(q)
    return out


def _heads(run: _Run, n: int, trickle: bool) -> dict[str, Any]:
    """Open ``n`` connections with incomplete heads; count how many the server closed."""
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", run.port), timeout=HEAD_TIMEOUT + 10)
        s.sendall(b"GET /sparql?query=" + b"a" * 60_000)
        socks.append(s)
    t0 = time.monotonic()
    if trickle:
        end = t0 + HEAD_TIMEOUT + 2
        while time.monotonic() < end:
            for s in socks:
                with contextlib.suppress(OSError):
                    s.sendall(b"a")
            time.sleep(0.5)
    closed = 0
    for s in socks:
        with contextlib.suppress(OSError):
            s.settimeout(max(0.1, t0 + HEAD_TIMEOUT + 5 - time.monotonic()))
            while s.recv(4096):
                pass
            closed += 1
        s.close()
    return {"connections": n, "closed_by_server": closed, "seconds": time.monotonic() - t0}


def _cli(tmp: Path) -> dict[str, Any]:
    """The command line's bad inputs: each must print one ``error:`` line and exit 2."""
    data = tmp / "cli-data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "a.ttl").write_text('@prefix ex: <https://example.org/> .\nex:a ex:p "1" .\n')
    cases: dict[str, tuple[list[str], dict[str, str], Callable[[], None]]] = {}

    def fifo() -> None:
        with contextlib.suppress(FileExistsError):
            os.mkfifo(data / "pipe.ttl")

    def folder() -> None:
        (data / "x.ttl").mkdir(exist_ok=True)

    def big() -> None:
        (data / "big.ttl").write_text('<urn:a> <urn:p> "' + "x" * (17 << 20) + '" .\n')

    def clean() -> None:
        for name in ("pipe.ttl", "big.ttl"):
            (data / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            (data / "x.ttl").rmdir()

    deep = tmp / "deep.rq"
    deep.write_text("SELECT * WHERE " + "{" * 20_000 + "?s ?p ?o" + "}" * 20_000)
    binary = tmp / "binary.rq"
    binary.write_bytes(b'SELECT * { ?s ?p "\xff\xfe" }')
    build = ["build", "--store", str(tmp / "cli-store")]
    env = {"KG_DATA_DIR": str(data)}
    cases = {
        "fifo": (build, env, fifo),
        "folder-named-ttl": (build, env, folder),
        "literal-over-16MB": (build, env, big),
        "literal-over-16MB-validate": (["validate"], env, big),
        "deep-nesting": (["query", "run", "--file", str(deep)], env, clean),
        "non-utf8-query": (["query", "run", "--file", str(binary)], env, clean),
        "timeout-abc": (["query", "list"], {**env, "KG_QUERY_TIMEOUT": "abc"}, clean),
        "timeout-negative": (["query", "list"], {**env, "KG_QUERY_TIMEOUT": "-1"}, clean),
        "max-rows-1e5": (["query", "list"], {**env, "KG_MAX_ROWS": "1e5"}, clean),
    }
    out: dict[str, Any] = {}
    for name, (args, extra, prepare) in cases.items():
        clean()
        prepare()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT), **extra}, timeout=120,
            )  # fmt: skip
            text = proc.stdout + proc.stderr
            out[name] = {"rc": proc.returncode, "traceback": "Traceback" in text,
                         "message": proc.stderr.strip().splitlines()[-1:]}  # fmt: skip
        except subprocess.TimeoutExpired:
            out[name] = {"rc": "hang", "traceback": False, "message": []}
    clean()
    return out


def part_attacks(quick: bool) -> dict[str, Any]:
    """Run every attack; return the figures (see the module docstring)."""
    import httpx

    from tests.support.servers import one_row_endpoint, write_toy_data

    data = write_toy_data(WORK / "attacks-toy" / "ttl", items=3000)
    evil = _Listener()
    endpoint = ThreadingHTTPServer(("127.0.0.1", 0), one_row_endpoint("federated"))
    threading.Thread(target=endpoint.serve_forever, daemon=True).start()
    allowed = f"http://127.0.0.1:{endpoint.server_address[1]}/sparql"
    run = _Run(data, allowed)
    res: dict[str, Any] = {"allowed_service": allowed, "evil_listener": evil.url}
    try:
        # SERVICE: every slip refused, the allowed endpoint answered
        for q in _slips(evil.url):
            run.query("service-slips", q)
        r = run.query("service-allowed", f"SELECT ?x {{ SERVICE <{allowed}> {{ ?x ?p ?o }} }}")
        res["service_allowed_answer"] = r is not None and "federated" in r.text
        for q in _fuzz(evil.url, 100 if quick else 400):
            run.query("fuzzed", q)
        # text checks: a 1 MB adversarial query
        big = "SELECT * WHERE { ?s ?p ?o } # service\n" + "a." * 500_000
        for _ in range(1 if quick else 3):
            run.query("megabyte-adversarial", big)
        # nesting floods
        for depth in (129, 4_000, 20_000):
            for o, c in ("{}", "()", "[]"):
                body = o * depth + "?s ?p ?o" + c * depth if o == "{" else (
                    "{ BIND(" + o * depth + "1" + c * depth + " AS ?x) }" if o == "(" else
                    "{ ?s ?p " + "[ ?p " * depth + "1" + " ]" * depth + " }")  # fmt: skip
                run.query("nesting", "SELECT * WHERE " + body)
        # memory
        expr = '"' + "a" * 1000 + '"'
        for _ in range(7):
            expr = f'REPLACE({expr}, "a", "aaaaaaaaaa")'
        for _ in range(2 if quick else 4):
            run.query("memory-replace", f"SELECT (STRLEN({expr}) AS ?n) {{}}")
        cross = "SELECT ?a ?c ?e WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
        run.query("memory-order-by", cross)
        r = run.query("byte-cap", "SELECT ?s ?p ?o ?x WHERE { GRAPH ?g { ?s ?p ?o } BIND("
                      'CONCAT(STR(?s), STR(?s), STR(?s), STR(?s)) AS ?x) }')  # fmt: skip
        if r is not None:
            res["byte_cap"] = {"bytes": len(r.content), "cap": MAX_RESULT_BYTES,
                               "truncated": r.headers.get("kg-truncated"),
                               "header": r.headers.get("kg-max-result-bytes")}  # fmt: skip
        # request heads
        res["incomplete_heads"] = _heads(run, 50 if quick else 200, trickle=False)
        res["trickled_heads"] = _heads(run, 20 if quick else 50, trickle=True)
        for n in (100, 2000):
            t0 = time.monotonic()
            try:
                flood = {f"x-h{i}": "v" * 100 for i in range(n)}
                hr = httpx.get(run.url + "/sparql", headers=flood, timeout=TIMEOUT)
                run.record("header-flood", hr.status_code, time.monotonic() - t0)
            except httpx.HTTPError as exc:
                run.record("header-flood", type(exc).__name__, time.monotonic() - t0)
        for charset in ("rot13", "base64", "zlib", "latin-1"):
            run.query(
                "charset",
                "ASK {}",
                **{"Content-Type": f"application/sparql-query; charset={charset}"},
            )
        t0 = time.monotonic()
        hr = httpx.get(
            run.url + "/sparql", headers={"Host": "evil.example", "Accept": "text/turtle"}
        )
        run.record("host-header", hr.status_code, time.monotonic() - t0)
        res["host_echoed"] = "evil.example" in hr.text
        for ref in ("no-such-org", "<script>x</script>", "../../etc/passwd"):
            t0 = time.monotonic()
            pr = httpx.get(f"{run.url}/org/{ref}", timeout=TIMEOUT)
            run.record("unknown-org", pr.status_code, time.monotonic() - t0)
        # capacity: four runaways from four addresses, named queries timed meanwhile
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        clients = [httpx.Client(transport=httpx.HTTPTransport(local_address=f"127.0.0.{i}"))
                   for i in range(1, 5)]  # fmt: skip
        threads = [
            threading.Thread(target=run.query, args=("runaway", runaway, c)) for c in clients
        ]
        for t in threads:
            t.start()
        time.sleep(0.5)
        listing = httpx.get(run.url + "/api/queries", timeout=30).json()
        items = listing if isinstance(listing, list) else listing.get("queries", [])
        named = [q["name"] for q in items if not q["name"].startswith("projections/")
                 and not any(p.get("required") for p in q.get("params", []))][:3]  # fmt: skip
        lat = []
        while any(t.is_alive() for t in threads) and len(lat) < 30:
            for name in named:
                t0 = time.monotonic()
                nr = httpx.get(f"{run.url}/api/queries/{name}", timeout=TIMEOUT + 20)
                lat.append(time.monotonic() - t0)
                run.record("named-during-runaways", nr.status_code, lat[-1])
        for t in threads:
            t.join()
        for c in clients:
            c.close()
        res["named_during_runaways_max_s"] = round(max(lat), 3) if lat else None
        # one client, more than KG_SPARQL_PER_CLIENT queries at once
        threads = [
            threading.Thread(target=run.query, args=("per-client", runaway)) for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        res["server_alive"] = run.proc.poll() is None
        res["after"] = run.query("after", "ASK {}") is not None
    finally:
        stop = run.close()
        evil.close()
        endpoint.shutdown()
    res["cli"] = _cli(WORK / "attacks-cli")
    res["per_attack"] = run.results
    res["summary"] = {
        "evil_hits": len(evil.hits),
        "peak_rss_mb": round(run.peak, 1),
        "under_2gb": run.peak < 2048,
        "late_responses": run.late,
        "server_errors_500": run.server_errors,
        "worker_crashes": run.crashes,
        "cli_tracebacks": sum(1 for c in res["cli"].values() if c["traceback"]),
        "cli_not_exit_2": sorted(n for n, c in res["cli"].items() if c["rc"] != 2),
        **stop,
    }
    return res
