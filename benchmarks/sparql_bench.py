"""SPARQL benchmark (on demand, not part of the tests): pyoxigraph vs rdflib's engine, and HTTP.

Usage::

    .venv/bin/python benchmarks/sparql_bench.py [--scale 10] [--repeat 3] [--skip-http]
        [--clients 1 4] [--requests 60] [--rdflib-limit 60] [--json results.json]

1. Engines. The shipped graph (ontology, code lists, data, derived graph) and a synthetic copy
   scaled ``--scale`` times (every data IRI under ``…/id/`` copied with a ``c<k>/`` segment, so
   the structure and the fan-outs repeat) are loaded into pyoxigraph and into an rdflib
   ``Dataset(default_union=True)``. Every named query in ``queries/`` runs with its header's
   example parameters on both engines, in the same process, one after the other: pyoxigraph
   through :func:`kg.sparql.backend.query_store` (substitutions / VALUES), rdflib with
   ``initBindings``.
   Times include materialising every row in Python; median of ``--repeat`` runs (one run when
   rdflib needs more than 2 s); rdflib is interrupted after ``--rdflib-limit`` seconds. Row
   counts are compared.
2. HTTP. ``kg``'s server (uvicorn, worker pool) and a plain rdflib endpoint (FastAPI + rdflib
   ``Dataset.query``, the way rdflib-endpoint serves) are started on 127.0.0.1 over the scaled
   data; the analytic mix (the named queries without parameters that rdflib answered within
   ``--mix-max`` seconds at scale) is sent round-robin by 1 and 4 clients (threads with their
   own connection), a bounded number of requests each. Prints requests/s, p50/p95 latency and
   the ratios. The machine should be otherwise idle: other processes on the two cores show up
   directly in the 4-client numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402

from kg.loader.files import discover  # noqa: E402
from kg.loader.load import DERIVED_GRAPH, derive, load_store  # noqa: E402
from kg.namespaces import BASE_IRI  # noqa: E402
from kg.settings import get_settings  # noqa: E402
from kg.sparql.backend import query_store  # noqa: E402
from kg.sparql.named import bind_params, load_queries  # noqa: E402
from kg.sparql.text import without_lateral  # noqa: E402

ID = BASE_IRI + "id/"


# ---------------------------------------------------------------------------------------------
# Data


def shipped_quads() -> list[ox.Quad]:
    """Ontology, code lists and data as loaded by kg.loader.load (without the derived graph)."""
    return [q for q in load_store() if q.graph_name != DERIVED_GRAPH]


def scaled_quads(quads: list[ox.Quad], scale: int) -> list[ox.Quad]:
    """Return the ontology once and the data ``scale`` times, copy k's IRIs under ``id/c<k>/``."""
    onto_graphs = {f.graph for f in discover(get_settings(), data=False)}
    out = [q for q in quads if q.graph_name in onto_graphs]
    data = [q for q in quads if q.graph_name not in onto_graphs]
    for k in range(scale):

        def term(t: Any, k: int = k) -> Any:
            if k and isinstance(t, ox.NamedNode) and t.value.startswith(ID):
                return ox.NamedNode(f"{ID}c{k}/{t.value[len(ID) :]}")
            if k and isinstance(t, ox.BlankNode):
                return ox.BlankNode(f"c{k}x{t.value}")
            return t

        for q in data:
            graph = ox.NamedNode(f"{q.graph_name.value}/c{k}") if k else q.graph_name
            out.append(ox.Quad(term(q.subject), q.predicate, term(q.object), graph))
    return out


def oxigraph_store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(quads)
    derive(store)
    return store


def nquads(store: ox.Store) -> bytes:
    return ox.serialize(store, format=ox.RdfFormat.N_QUADS)


def rdflib_dataset(data: bytes) -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=data, format="nquads")
    return ds


# ---------------------------------------------------------------------------------------------
# Engines


def to_rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(term)


class Interrupted(Exception):  # noqa: N818 - a signal, not an error
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise Interrupted

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_ox(store: ox.Store, text: str, bindings: dict[str, Any]) -> int:
    res = query_store(store, text, bindings)
    if isinstance(res, ox.QueryBoolean):
        return 1
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        return len([tuple(sol[n] for n in names) for sol in res])
    return len(list(res))


def run_rdflib(ds: rdflib.Dataset, text: str, bindings: dict[str, Any]) -> int:
    init = {rdflib.Variable(k): to_rdflib(v) for k, v in bindings.items()}
    res = ds.query(without_lateral(text), initBindings=init)
    if res.type == "ASK":
        return 1
    return len(list(res))


def timed(fn: Callable[[], int], repeat: int, limit: float) -> tuple[float | None, Any]:
    """Return (median seconds, rows); (None, "timeout" or "error") when a run did not finish."""
    times, rows = [], None
    for i in range(repeat):
        t0 = time.perf_counter()
        try:
            with time_limit(limit):
                rows = fn()
        except Interrupted:
            return None, "timeout"
        except Exception:  # noqa: BLE001 - rdflib's engine fails on some valid queries
            return None, "error"
        times.append(time.perf_counter() - t0)
        if i == 0 and times[0] > 2.0:
            break
    return statistics.median(times), rows


def mix() -> list[tuple[str, str, dict[str, Any]]]:
    """Every named query with its example parameters bound: (name, text, bindings)."""
    out = []
    for name, q in sorted(load_queries().items()):
        try:
            bindings = bind_params(q, dict(q.example or {}))
        except Exception as exc:  # noqa: BLE001 - a query without a usable example is skipped
            print(f"  skip {name}: {exc}")
            continue
        out.append((name, q.text, bindings))
    return out


def _ratio(ratio: float | None, n_rd: Any, t_ox: float | None, limit: float) -> str:
    if ratio:
        return f"{ratio:.0f}x"
    if n_rd == "timeout" and t_ox:
        return f">{limit / t_ox:.0f}x"
    return "-"


def engines(label: str, quads: list[ox.Quad], repeat: int, limit: float) -> list[dict[str, Any]]:
    t0 = time.perf_counter()
    store = oxigraph_store(quads)
    ox_load = time.perf_counter() - t0
    data = nquads(store)
    t0 = time.perf_counter()
    ds = rdflib_dataset(data)
    rdf_load = time.perf_counter() - t0
    print(
        f"\n## {label}: {len(store):,} quads; load pyoxigraph {ox_load:.2f} s, "
        f"rdflib {rdf_load:.2f} s ({rdf_load / ox_load:.0f}x)"
    )
    print(f"{'query':38} {'rows':>7} {'pyoxigraph ms':>14} {'rdflib ms':>11} {'ratio':>8}  same")
    rows_out = []
    for name, text, bindings in mix():
        t_ox, n_ox = timed(lambda t=text, b=bindings: run_ox(store, t, b), repeat, limit)
        t_rd, n_rd = timed(lambda t=text, b=bindings: run_rdflib(ds, t, b), repeat, limit)
        ratio = (t_rd / t_ox) if (t_rd and t_ox) else None
        same = "yes" if n_ox == n_rd else (n_rd if isinstance(n_rd, str) else f"NO ({n_rd})")
        print(
            f"{name[:38]:38} {n_ox if n_ox is not None else '-':>7} "
            f"{t_ox * 1000 if t_ox else float('nan'):14.2f} "
            f"{t_rd * 1000 if t_rd else float('nan'):11.1f} "
            f"{_ratio(ratio, n_rd, t_ox, limit):>8}  {same}"
        )
        rows_out.append(
            {
                "scale": label,
                "query": name,
                "rows": n_ox,
                "ox_s": t_ox,
                "rdflib_s": t_rd,
                "rdflib_status": n_rd if isinstance(n_rd, str) else "ok",
                "ratio": ratio,
                "same_rows": n_ox == n_rd,
            }
        )
    ratios = [r["ratio"] for r in rows_out if r["ratio"]]
    slow = [r["query"] for r in rows_out if r["rdflib_status"] == "timeout"]
    failed = [r["query"] for r in rows_out if r["rdflib_status"] == "error"]
    if slow:
        print(f"rdflib stopped after {limit:.0f} s on: {', '.join(slow)}")
    if failed:
        print(f"rdflib's engine raised an error on: {', '.join(failed)}")
    if ratios:
        print(
            f"ratio rdflib/pyoxigraph over {len(ratios)} queries: min {min(ratios):.1f}x, "
            f"median {statistics.median(ratios):.1f}x, "
            f"geometric mean {statistics.geometric_mean(ratios):.1f}x, max {max(ratios):.0f}x"
        )
    return rows_out


# ---------------------------------------------------------------------------------------------
# HTTP


RDFLIB_SERVER = """
import sys
import rdflib
from fastapi import FastAPI, Request
from fastapi.responses import Response
ds = rdflib.Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
app = FastAPI()

def run(q):
    res = ds.query(q)
    if res.type in ("SELECT", "ASK"):
        return Response(res.serialize(format="json"), media_type="application/sparql-results+json")
    return Response(res.serialize(format="turtle"), media_type="text/turtle")

@app.get("/sparql")
def get(query: str):
    return run(query)

@app.post("/sparql")
async def post(request: Request):
    form = await request.form()
    return run(form["query"])
"""


@contextlib.contextmanager
def rdflib_server(nq: Path) -> Iterator[str]:
    from tests.support.servers import free_port, wait_http

    port = free_port()
    script = nq.parent / "rdflib_server.py"
    script.write_text(RDFLIB_SERVER)
    cmd = [sys.executable, "-c",
           f"import sys, uvicorn; sys.argv=['x', {str(nq)!r}]; exec(open({str(script)!r}).read()); "
           f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')"]  # fmt: skip
    log = nq.parent / "rdflib_server.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_http(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", proc, 600, log)
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def load_test(url: str, queries: list[str], clients: int, per_client: int, limit: float) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + limit

    def client(i: int) -> None:
        nonlocal errors
        with httpx.Client(timeout=limit + 30) as c:
            for j in range(per_client):
                if time.monotonic() > stop_at:
                    return
                q = queries[(i * 7 + j) % len(queries)]
                t0 = time.perf_counter()
                r = c.post(
                    url, data={"query": q}, headers={"Accept": "application/sparql-results+json"}
                )
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    errors += r.status_code != 200

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": errors,
        "wall_s": wall,
        "rps": len(lat) / wall if wall else 0.0,
        "p50_ms": 1000 * lat[len(lat) // 2] if lat else None,
        "p95_ms": 1000 * lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else None,
    }


_HTTP_HEAD = (
    f"{'server':10} {'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>8} "
    f"{'p50 ms':>9} {'p95 ms':>9}"
)


def _http_row(r: dict) -> str:
    p50 = f"{r['p50_ms']:9.1f}" if r["p50_ms"] is not None else f"{'-':>9}"
    p95 = f"{r['p95_ms']:9.1f}" if r["p95_ms"] is not None else f"{'-':>9}"
    return (
        f"{r['server']:10} {r['clients']:>7} {r['requests']:>8} {r['errors']:>6} "
        f"{r['rps']:8.2f} {p50} {p95}"
    )


def http(
    quads: list[ox.Quad],
    clients: list[int],
    requests: int,
    limit: float,
    only: set[str] | None = None,
) -> list[dict]:
    from tests.support.servers import uvicorn_server

    # The analytic queries: those without parameters. Parameterised ones would reach the
    # servers with VALUES blocks in their text, which rdflib evaluates very slowly (a single
    # request took over two minutes), and would measure that rather than the engines.
    queries = [text for name, text, b in mix() if not b and (only is None or name in only)]
    results = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        tmpdir = Path(tmp)
        data_dir = tmpdir / "ttl"
        data_dir.mkdir()
        onto_graphs = {f.graph for f in discover(get_settings(), data=False)}
        by_graph: dict[str, list[ox.Triple]] = {}
        for q in quads:
            if q.graph_name not in onto_graphs:
                by_graph.setdefault(q.graph_name.value, []).append(
                    ox.Triple(q.subject, q.predicate, q.object)
                )
        for i, triples in enumerate(by_graph.values()):  # N-Triples is valid Turtle
            (data_dir / f"g{i:05d}.ttl").write_bytes(
                ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            )
        nq = tmpdir / "all.nq"
        nq.write_bytes(nquads(oxigraph_store(quads)))
        print(f"\n## HTTP: mix of {len(queries)} named queries, {requests} requests per client")
        print(_HTTP_HEAD)
        with uvicorn_server({"KG_DATA_DIR": str(data_dir), "KG_MAX_ROWS": "1000000",
                             "KG_SPARQL_PER_CLIENT": "1000"}) as base:  # fmt: skip
            for c in clients:
                load_test(f"{base}/sparql", queries, 1, 3, limit)  # warm-up
                r = {"server": "kg", **load_test(f"{base}/sparql", queries, c, requests, limit)}
                results.append(r)
                print(_http_row(r))
        with rdflib_server(nq) as url:
            plain = [without_lateral(q) for q in queries]  # rdflib has no LATERAL
            for c in clients:
                r = {"server": "rdflib", **load_test(url, plain, c, requests, limit)}
                results.append(r)
                print(_http_row(r))
    for c in clients:
        ours = next(r for r in results if r["server"] == "kg" and r["clients"] == c)
        theirs = next(r for r in results if r["server"] == "rdflib" and r["clients"] == c)
        if theirs["rps"]:
            print(
                f"throughput ratio kg/rdflib with {c} client(s): {ours['rps'] / theirs['rps']:.1f}x"
            )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=5, help="copies of the data in the scaled run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    ap.add_argument("--rdflib-limit", type=float, default=20.0, help="seconds before rdflib stops")
    ap.add_argument(
        "--mix-max",
        type=float,
        default=2.0,
        help="HTTP mix: only queries rdflib answered within this many seconds at scale "
        "(the others would make the rdflib server's run last hours)",
    )
    ap.add_argument("--skip-engines", action="store_true")
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 4])
    ap.add_argument("--requests", type=int, default=60, help="requests per client")
    ap.add_argument("--http-limit", type=float, default=120.0, help="seconds per HTTP run")
    ap.add_argument("--json", type=Path, help="write the measurements as JSON")
    args = ap.parse_args()

    print(
        f"# SPARQL benchmark: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, pyoxigraph {ox.__version__}, "
        f"rdflib {rdflib.__version__}"
    )
    base = shipped_quads()
    scaled = scaled_quads(base, args.scale)
    out: dict[str, Any] = {"scale": args.scale}
    if not args.skip_engines:
        out["engines"] = engines("shipped", base, args.repeat, args.rdflib_limit)
        out["engines"] += engines(f"scaled x{args.scale}", scaled, args.repeat, args.rdflib_limit)
    if not args.skip_http:
        only = None
        if "engines" in out:
            label = f"scaled x{args.scale}"
            only = {
                r["query"]
                for r in out["engines"]
                if r["scale"] == label and r["rdflib_s"] and r["rdflib_s"] <= args.mix_max
            }
        out["http"] = http(scaled, args.clients, args.requests, args.http_limit, only)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
