"""Benchmark suite (``make bench``): ours against the tools users would otherwise pick.

Parts (each runs alone with ``--only PART``; ``--size`` picks the data sets, ``--quick`` the small
ones and fewer repeats):

- ``load``: :func:`kg.loader.load.load_store` vs raw pyoxigraph ``bulk_load`` vs rdflib, time
  and peak memory, each in a fresh process;
- ``queries``: every named query in ``queries/``, p50 on Oxigraph (as :mod:`kg.sparql.backend`
  runs it) vs rdflib's SPARQL engine on the same triples (derived graph included);
- ``validate``: :func:`kg.validate.engine.fast_validate` on the whole graph and on one changed
  file vs
  plain pySHACL (:func:`kg.validate.shacl.validate`) over everything;
- ``http``: an analytic mix of the named queries over HTTP with 1, 4 and 16 clients on
  127.0.0.1 (bounded counts): ``api.main:create_app`` vs rdflib-endpoint (PyPI) installed in a
  throw-away virtual environment, and vs ``oxigraph serve-read-only --union-default-graph`` (the
  engine's own Rust server) over the same store;
- ``metrics``: ``benchmarks/metrics_bench.py`` (brokerage, structural holes, betweenness);
- ``reconcile``: ``benchmarks/reconcile_bench.py``: :mod:`kg.reconcile` matching 100,000
  incoming organisations against 1,000,000 existing (``--size 1M``; 100k: 10,000 against
  100,000) vs an unblocked rapidfuzz scan and ``difflib`` on a sample, extrapolated (not in the
  default parts);
- ``remote``: every named query in remote mode on Virtuoso 7.2 (``virtuoso-t`` on 127.0.0.1,
  the graph put by :func:`kg.sparql.upload.upload_graph`) vs the embedded store, p50 each, same
  run (not in the default parts: ``--only remote --size 10M`` for the documented figure).

The synthetic graphs come from :mod:`kg.synthetic` (seed 1) under ``$KG_BENCH_DIR``
(``/tmp/kg-bench``). Results: ``benchmarks/results/<part>-<size>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    WORK,
    child,
    dataset,
    fmt_s,
    machine,
    md_table,
    ratio,
    rss_tree_mb,
    save,
    tool_venv,
)
from kg.sparql.text import without_lateral

PARTS = ("load", "queries", "validate", "http", "metrics", "remote", "reconcile")
DEFAULT_PARTS = ("load", "queries", "validate", "http", "metrics")

# --------------------------------------------------------------------------------------------
# load

# Each loader runs REPEAT times in its own process; the best time is kept (the machine is shared)
# and the peak memory is that of the whole process.
LOAD_OURS = """
def main(data, repeat):
    import time
    from pathlib import Path
    from kg.loader.load import load_store
    from kg.settings import Settings
    best = None
    for _ in range(int(repeat)):
        t = time.perf_counter()
        st = load_store(Settings(data_dir=Path(data)))
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
        quads = len(st)
        del st
    return {"seconds": best, "quads": quads}
"""
_RAW = """
def main(data, repeat):
    import time
    from pathlib import Path
    import pyoxigraph as ox
    from kg.loader.files import discover
    from kg.settings import Settings
    files = [f.path for f in discover(Settings(data_dir=Path(data)))]
    best = None
    for _ in range(int(repeat)):
        t = time.perf_counter()
        st = ox.Store()
        for f in files:
            st.METHOD(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.as_uri()))
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
        quads = len(st)
        del st
    return {"seconds": best, "quads": quads}
"""
LOAD_RAW_BULK = _RAW.replace("METHOD", "bulk_load")
LOAD_RAW_TX = _RAW.replace("METHOD", "load")
LOAD_RDFLIB = """
def main(data, repeat):
    import time
    from pathlib import Path
    import rdflib
    from kg.loader.files import discover
    from kg.settings import Settings
    files = [f.path for f in discover(Settings(data_dir=Path(data)))]
    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    for f in files:
        ds.graph(rdflib.URIRef(f.as_uri())).parse(f, format="turtle")
    return {"seconds": time.perf_counter() - t, "quads": len(ds)}
"""


def part_load(size: str, quick: bool) -> dict[str, Any]:
    data = dataset(size)
    limit = 900
    repeat = 1 if quick else 3
    ours = child(LOAD_OURS, str(data), str(repeat), timeout=limit)
    bulk = child(LOAD_RAW_BULK, str(data), str(repeat), timeout=limit)
    tx = child(LOAD_RAW_TX, str(data), str(repeat), timeout=limit)
    rdf = child(LOAD_RDFLIB, str(data), "1", timeout=limit)  # one run: it takes minutes at 1M
    # The target compares with raw pyoxigraph: whichever of its two loaders is faster here.
    raw = min((bulk, tx), key=lambda r: r.get("seconds") or float("inf"))
    rows = [
        ["kg.loader.load.load_store (ours)", fmt_s(ours.get("seconds")), _mb(ours),
         ours.get("quads"), "1.0x"],
        ["raw pyoxigraph Store.bulk_load", fmt_s(bulk.get("seconds")), _mb(bulk),
         bulk.get("quads"), ratio(bulk.get("seconds"), ours.get("seconds"))],
        ["raw pyoxigraph Store.load", fmt_s(tx.get("seconds")), _mb(tx), tx.get("quads"),
         ratio(tx.get("seconds"), ours.get("seconds"))],
        ["rdflib Dataset.parse", fmt_s(rdf.get("seconds")), _mb(rdf), rdf.get("quads"),
         ratio(rdf.get("seconds"), ours.get("seconds"))],
    ]  # fmt: skip
    targets = {
        "ours / fastest raw pyoxigraph (target <= 1.2)": _div(
            ours.get("seconds"), raw.get("seconds")
        ),
        "ours / raw pyoxigraph bulk_load": _div(ours.get("seconds"), bulk.get("seconds")),
        "rdflib / ours (target >= 14)": _div(rdf.get("seconds"), ours.get("seconds")),
        "ours peak RSS MB (target <= 1536)": ours.get("peak_rss_mb"),
    }
    md = md_table(["loader", "time", "peak RSS", "quads", "time / ours"], rows)
    results = {"ours": ours, "raw_bulk_load": bulk, "raw_load": tx, "rdflib": rdf}
    return {"results": results, "targets": targets, "md": md}


def _mb(r: dict[str, Any]) -> str:
    return f"{r['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in r else str(r.get("error", "-"))


def _div(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


# --------------------------------------------------------------------------------------------
# queries

QUERIES_OURS = """
def main(data, out, repeat, limit):
    # Runs the queries not yet in results.jsonl; a watchdog ends the process (after writing
    # "timeout") when one query runs past the limit: pyoxigraph cannot cancel a query.
    import json, os, statistics, threading, time
    from pathlib import Path
    import pyoxigraph as ox
    from kg.loader.load import load_store, DERIVED_GRAPH
    from kg.sparql.named import load_queries, bind_params
    from kg.sparql.text import inject_values as with_values
    from kg.settings import Settings
    from benchmarks.run import choose_params, VARIANTS
    log = Path(out, "results.jsonl")
    done = {json.loads(l)["name"] for l in log.read_text().splitlines()} if log.is_file() else set()
    t = time.perf_counter()
    st = load_store(Settings(data_dir=Path(data)))
    load = time.perf_counter() - t
    nt = st.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=DERIVED_GRAPH)
    Path(out, "derived.nt").write_bytes(nt)
    picks = choose_params(st)
    texts = {}
    current = {}
    def watchdog():
        while True:
            time.sleep(0.2)
            c = dict(current)
            if c and time.perf_counter() - c["t"] > float(limit):
                with log.open("a") as fh:
                    fh.write(json.dumps({"name": c["name"], "timeout": float(limit)}) + "\\n")
                os._exit(3)
    threading.Thread(target=watchdog, daemon=True).start()
    runs = []
    for name, q in sorted(load_queries().items()):
        values = {p.name: picks[p.name] for p in q.params if p.required}
        runs.append((name, q, values))
        for extra in VARIANTS.get(name, []):
            label = name + " (" + ", ".join(f"{k}={v}" for k, v in extra.items()) + ")"
            runs.append((label, q, {**values, **extra}))
    for name, q, values in runs:
        try:
            text = with_values(q.text, bind_params(q, values))
        except Exception as exc:
            row = {"name": name, "error": str(exc)[:200]}
            text = None
        if text:
            texts[name] = text
        if name in done:
            continue
        if text:
            times, rows = [], 0
            for i in range(int(repeat)):
                current.update(name=name, t=time.perf_counter())
                t = time.perf_counter()
                r = st.query(text, use_default_graph_as_union=True)
                rows = len(list(r)) if not isinstance(r, ox.QueryBoolean) else 1
                times.append(time.perf_counter() - t)
                current.clear()
                if times[0] > 2:
                    break
            row = {"name": name, "p50": statistics.median(times), "runs": len(times),
                   "rows": rows, "params": values}
        with log.open("a") as fh:
            fh.write(json.dumps(row) + "\\n")
    Path(out, "texts.json").write_text(json.dumps(texts))
    return {"load": load}
"""


QUERIES_RDFLIB = """
def main(data, out, repeat, limit):
    import json, signal, statistics, time
    from pathlib import Path
    import rdflib
    from kg.loader.files import discover
    from kg.settings import Settings
    files = [f.path for f in discover(Settings(data_dir=Path(data)))]
    t = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    for f in files:
        ds.graph(rdflib.URIRef(f.as_uri())).parse(f, format="turtle")
    ds.graph(rdflib.URIRef("urn:x-kg:derived")).parse(Path(out, "derived.nt"), format="nt")
    load = time.perf_counter() - t
    class Stop(Exception):
        pass
    def on_alarm(*a):
        raise Stop
    signal.signal(signal.SIGALRM, on_alarm)
    res = {}
    from kg.sparql.text import without_lateral
    for name, text in json.loads(Path(out, "texts.json").read_text()).items():
        text = without_lateral(text)
        times, rows = [], None
        for _ in range(int(repeat)):
            t = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, float(limit))
            try:
                r = ds.query(text)
                rows = 1 if r.type == "ASK" else len(list(r))
            except Stop:
                rows = "timeout"
            except Exception as exc:
                rows = "error: " + str(exc)[:100]
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - t)
            if not isinstance(rows, int) or times[0] > 2:
                break
        res[name] = {"p50": statistics.median(times), "rows": rows}
    return {"load": load, "queries": res}
"""


# Queries also timed with other parameter values: the default of shared-affiliations lists every
# pair of co-members (quadratic in an umbrella's size), min_shared=2 the interlocks.
VARIANTS: dict[str, list[dict[str, str]]] = {"shared-affiliations": [{"min_shared": "2"}]}


def choose_params(store: Any) -> dict[str, str]:
    """Parameter values that exist in a generated graph (hubs, so the queries have work)."""
    pre = (
        "PREFIX mi: <https://w3id.org/integration-kg/ontology#> "
        "PREFIX schema: <https://schema.org/> PREFIX org: <http://www.w3.org/ns/org#> "
    )

    def top(q: str) -> str:
        for r in store.query(pre + q, use_default_graph_as_union=True):
            return r["x"].value
        return ""

    hub = top(
        "SELECT ?x WHERE { ?a mi:recipient ?x . ?x a org:FormalOrganization } "
        "GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1"
    )
    funder = top(
        "SELECT ?x WHERE { ?a schema:funder ?x } GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1"
    )
    body = top(
        "SELECT ?x WHERE { ?m org:organization ?x } GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1"
    )
    source = top(
        "SELECT ?x WHERE { ?q <http://www.w3.org/ns/oa#hasSource> ?x } "
        "GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1"
    )
    project = top(  # the project most awards fund (ties: the first IRI), so its roles have rows
        "SELECT ?x WHERE { ?x mi:runBy ?r . OPTIONAL { ?a schema:fundedItem ?x } } "
        "GROUP BY ?x ORDER BY DESC(COUNT(?a)) ?x LIMIT 1"
    )
    return {
        "org": hub,
        "project": project,
        "node": hub,
        "funder": funder,
        "body": body,
        "programme": "https://w3id.org/integration-kg/id/programme/amif",
        "year": "2020",
        "text": "Welcome",
        "country_code": "DE",
        "target": hub,
        "source": source,
    }


def part_queries(size: str, quick: bool) -> dict[str, Any]:
    data = dataset(size)
    out = WORK / f"queries-{size}"
    out.mkdir(parents=True, exist_ok=True)
    repeat = "3" if quick else "5"
    big = size in ("1M", "10M")
    log = out / "results.jsonl"
    log.unlink(missing_ok=True)
    ours: dict[str, Any] = {}
    for _ in range(10):  # one restart per query stopped by the watchdog
        ours = child(QUERIES_OURS, str(data), str(out), repeat, "60", timeout=1800)
        if "error" not in ours:
            break
    rows_ours = [json.loads(line) for line in log.read_text().splitlines()] if log.is_file() else []
    ours["queries"] = {r.pop("name"): r for r in rows_ours}
    if not ours["queries"]:
        return {"results": {"ours": ours}, "targets": {}, "md": f"ours failed: {ours}\n"}
    limit = "20" if big else "30"
    rdf = child(
        QUERIES_RDFLIB, str(data), str(out), "1" if big or quick else "3", limit, timeout=3000
    )
    rows, worst, min_ratio = [], 0.0, None
    over_300 = below_10 = 0
    for name, o in sorted(ours["queries"].items()):
        r = rdf.get("queries", {}).get(name, {})
        p50 = o.get("p50")
        if o.get("timeout"):
            p50 = None
            worst = max(worst, o["timeout"])
        rp = r.get("p50")
        timeout = r.get("rows") == "timeout"
        failed = str(r.get("rows", "")).startswith("error")  # rdflib could not answer
        rat = (rp / p50) if (p50 and rp and not failed) else None
        if p50:
            worst = max(worst, p50)
        if rat is not None:
            min_ratio = rat if min_ratio is None else min(min_ratio, rat)
            below_10 += rat < 10 and not timeout
        over_300 += bool(o.get("timeout") or (p50 and p50 > 0.3))
        same = "" if r.get("rows") in (o.get("rows"), None) or timeout else f"rows {r.get('rows')}"
        rows.append(
            [
                name,
                fmt_s(p50)
                if p50
                else (f"> {o['timeout']:.0f} s" if o.get("timeout") else o.get("error", "-")),
                o.get("rows"),
                (f"> {limit} s" if timeout else "error" if failed else fmt_s(rp)),
                (">" if timeout else "") + (f"{rat:.0f}x" if rat else "-"),
                f"rdflib {r['rows']}" if failed else same,
            ]
        )
    targets = {
        "worst named-query p50 s (target <= 0.3 at 1M)": round(worst, 3),
        "smallest rdflib / ours ratio (target >= 10)": round(min_ratio, 1) if min_ratio else None,
        "queries over 0.3 s": over_300,
        "queries under 10x rdflib (rdflib finished)": below_10,
        "queries run": len(rows),
        "rdflib load s": rdf.get("load"),
    }
    md = md_table(["query", "ours p50", "rows", "rdflib p50", "rdflib / ours", "note"], rows)
    return {"results": {"ours": ours, "rdflib": rdf}, "targets": targets, "md": md}


# --------------------------------------------------------------------------------------------
# validate

VALIDATE_FAST = """
def main(data, cache):
    import time, statistics
    from pathlib import Path
    from kg.validate.engine import fast_validate
    files = sorted(Path(data).glob("*.ttl"))
    t = time.perf_counter()
    rep = fast_validate(data_files=files, cache=Path(cache))
    full = time.perf_counter() - t
    chunks = sorted(Path(data).glob("orgs-*.ttl"))
    target = chunks[min(1, len(chunks) - 1)]
    original = target.read_text()
    times = []
    try:
        for i in range(3):
            target.write_text(original.replace("schema:value ", "schema:value -", i % 2))
            t = time.perf_counter()
            inc = fast_validate(data_files=files, changed=target, cache=Path(cache))
            times.append(time.perf_counter() - t)
    finally:
        target.write_text(original)
    return {"full": full, "triples": rep.triples, "results": len(rep.results),
            "changed_p50": statistics.median(times), "changed_results": len(inc.results),
            "changed_file": target.name}
"""
VALIDATE_PYSHACL = """
def main(data):
    import time
    from pathlib import Path
    from kg.validate.shacl import validate
    t = time.perf_counter()
    rep = validate(data_files=sorted(Path(data).glob("*.ttl")))
    return {"full": time.perf_counter() - t, "triples": rep.triples, "results": len(rep.results)}
"""


def part_validate(size: str, quick: bool) -> dict[str, Any]:
    data = dataset(size)
    fast = child(VALIDATE_FAST, str(data), str(WORK / f"fastcheck-cache-{size}"), timeout=900)
    limit = 120 if quick else (300 if size in ("1M", "10M") else 600)
    slow = child(VALIDATE_PYSHACL, str(data), timeout=limit)
    slow_t = slow.get("full")
    rows = [
        ["fastcheck, whole graph", fmt_s(fast.get("full")), _mb(fast), fast.get("results"),
         ratio(slow_t, fast.get("full")) if slow_t else f"> {ratio(limit, fast.get('full'))}"],
        ["fastcheck, one changed file", fmt_s(fast.get("changed_p50")), "",
         fast.get("changed_results"),
         ratio(slow_t, fast.get("changed_p50")) if slow_t
         else f"> {ratio(limit, fast.get('changed_p50'))}"],
        ["pySHACL (kg.validate.shacl), whole graph", fmt_s(slow_t) if slow_t else f"> {limit} s",
         _mb(slow),
         slow.get("results"), "1.0x"],
    ]  # fmt: skip
    targets = {
        "fastcheck whole graph s (target <= 20 at 1M)": fast.get("full"),
        "fastcheck one changed file s (target <= 1)": fast.get("changed_p50"),
    }
    md = md_table(["validator", "time", "peak RSS", "results", "pySHACL / this"], rows)
    return {"results": {"fastcheck": fast, "pyshacl": slow}, "targets": targets, "md": md}


# --------------------------------------------------------------------------------------------
# http


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until ``url`` answers (any status) or ``proc`` exits."""
    import httpx

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            httpx.get(url, timeout=2)
            return True
        except httpx.HTTPError:
            time.sleep(0.3)
    return False


def start_ours(data: Path, port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    """``uvicorn --factory api.main:create_app`` on 127.0.0.1 over the generated data."""
    # Every benchmark client comes from 127.0.0.1: lift the per-client limit (default 2).
    env = {"KG_SPARQL_PER_CLIENT": "1000", **os.environ, "KG_DATA_DIR": str(data),
           "KG_SPARQL_WORKERS": str(workers)}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def start_rdflib_endpoint(data: Path, port: int) -> subprocess.Popen[bytes]:
    """rdflib-endpoint (PyPI) from a throw-away venv, serving the same Turtle files."""
    where = tool_venv("rdflib-endpoint", ["rdflib-endpoint[cli]", "uvicorn"])
    from kg.loader.files import discover
    from kg.settings import Settings

    files = [f.path for f in discover(Settings(data_dir=data))]
    derived = WORK / f"queries-{data.name.split('-')[1]}" / "derived.nt"
    if derived.is_file():  # the same derived triples kg.loader.load adds (mi:startYear...)
        files.append(derived)
    return subprocess.Popen(
        [str(where / "bin" / "rdflib-endpoint"), "serve", *map(str, files),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def start_oxigraph_serve(data: Path, port: int) -> subprocess.Popen[bytes]:
    """``oxigraph serve-read-only --union-default-graph`` over the same graph (derived included)."""
    from kg.loader.ondisk import build_store, store_db_path
    from kg.settings import Settings

    store = WORK / f"oxigraph-serve-{data.name}"
    if not store.exists():
        build_store(store, Settings(data_dir=data))
    exe = Path(sys.executable).parent / "oxigraph"
    return subprocess.Popen(
        [str(exe), "serve-read-only", "--location", str(store_db_path(store)),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


HTTP_SERVERS = (
    ("ours", start_ours, "/sparql"),
    ("rdflib-endpoint", start_rdflib_endpoint, "/"),
    ("oxigraph-serve", start_oxigraph_serve, "/query"),
)


def http_mix(url: str, texts: list[str], clients: int, total: int, budget: float) -> dict[str, Any]:
    """POST ``total`` queries (round-robin over ``texts``) with ``clients`` threads."""
    import httpx

    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + budget

    def worker() -> None:
        with httpx.Client(timeout=120) as c:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t = time.perf_counter()
                try:
                    r = c.post(
                        url,
                        content=texts[i % len(texts)].encode(),
                        headers={
                            "Content-Type": "application/sparql-query",
                            "Accept": "application/sparql-results+json",
                        },
                    )
                    ok = r.status_code == 200
                    if not ok:
                        errors.append(f"{r.status_code}")
                except httpx.HTTPError as exc:
                    ok = False
                    errors.append(type(exc).__name__)
                with lock:
                    lat.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    lat.sort()
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "wall": wall,
        "rps": len(lat) / wall if wall else None,
        "p50": statistics.median(lat) if lat else None,
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else None,
    }


def part_http(size: str, quick: bool) -> dict[str, Any]:
    data = dataset(size)
    out = WORK / f"queries-{size}"
    if not (out / "texts.json").is_file():
        part_queries(size, True)
    texts_all = json.loads((out / "texts.json").read_text())
    # The analytic mix: every named query that rdflib's engine answers within 10 s at this size
    # (from the queries part's results; the others would only measure its lack of a timeout).
    names = sorted(texts_all)
    prev = ROOT / "benchmarks" / "results" / f"queries-{size}.json"
    if prev.is_file():
        rq = json.loads(prev.read_text())["results"].get("rdflib", {}).get("queries", {})
        names = [
            n for n in names if isinstance(rq.get(n, {}).get("rows"), int) and rq[n]["p50"] < 10
        ] or names
    texts = [texts_all[k] for k in names]
    res: dict[str, Any] = {}
    plan = [(1, 20), (4, 40), (16, 64)] if not quick else [(1, 10), (4, 20), (16, 32)]
    budget = 90.0 if not quick else 40.0
    for name, start, path in HTTP_SERVERS:
        port = free_port()
        try:
            proc = start(data, port)
        except (subprocess.CalledProcessError, OSError) as exc:
            res[name] = {"error": f"could not start: {exc}"}
            continue
        try:
            if not wait_http(f"http://127.0.0.1:{port}{path}", 600, proc):
                err = (
                    proc.stderr.read().decode()[-300:]
                    if proc.poll() is not None and proc.stderr
                    else ""
                )
                res[name] = {"error": f"did not start: {err}"}
                continue
            url = f"http://127.0.0.1:{port}{path}"
            # rdflib's engine has no LATERAL: it gets the equivalent SPARQL 1.1 text
            mix = [without_lateral(t) for t in texts] if name == "rdflib-endpoint" else texts
            res[name] = {str(c): http_mix(url, mix, c, n, budget) for c, n in plan}
            res[name]["server_rss_mb"] = rss_tree_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
    rows = []
    for c, _ in plan:
        o = res.get("ours", {}).get(str(c), {})
        r = res.get("rdflib-endpoint", {}).get(str(c), {})
        x = res.get("oxigraph-serve", {}).get(str(c), {})
        rows.append([c, _rps(o), fmt_s(o.get("p50")), fmt_s(o.get("p99")), o.get("errors"),
                     _rps(r), fmt_s(r.get("p50")), r.get("errors"),
                     ratio(o.get("rps"), r.get("rps")), _rps(x), fmt_s(x.get("p50")),
                     _div(o.get("rps"), x.get("rps"))])  # fmt: skip
    targets = {
        "ours / rdflib-endpoint req/s with 4 clients (target >= 25)": _div(
            res.get("ours", {}).get("4", {}).get("rps"),
            res.get("rdflib-endpoint", {}).get("4", {}).get("rps"),
        ),
        "ours errors with 16 clients (target 0)": res.get("ours", {}).get("16", {}).get("errors"),
        **{
            f"ours / oxigraph-serve req/s with {c} clients (target >= 0.9)": _div(
                res.get("ours", {}).get(str(c), {}).get("rps"),
                res.get("oxigraph-serve", {}).get(str(c), {}).get("rps"),
            )
            for c in (4, 16)
        },
    }
    md = md_table(
        ["clients", "ours req/s", "ours p50", "ours p99", "ours errors", "rdflib-endpoint req/s",
         "rdflib-endpoint p50", "its errors", "ours / rdflib", "oxigraph-serve req/s",
         "oxigraph-serve p50", "ours / oxigraph-serve"], rows,
    )  # fmt: skip
    res["mix"] = names
    md += f"\nMix ({len(names)} named queries, round-robin): {', '.join(names)}\n"
    return {"results": res, "targets": targets, "md": md}


def _rps(r: dict[str, Any]) -> str:
    return f"{r['rps']:.1f}" if r.get("rps") else str(r.get("error", "-"))


# --------------------------------------------------------------------------------------------
# metrics


def part_metrics(size: str, quick: bool) -> dict[str, Any]:
    bench = ROOT / "benchmarks" / "metrics_bench.py"
    if not bench.is_file():
        return {
            "results": {},
            "targets": {},
            "md": "benchmarks/metrics_bench.py is not there yet\n",
        }
    out = WORK / "metrics.json"
    cmd = [sys.executable, "-m", "benchmarks.metrics_bench", "--json", str(out), "--no-r"]
    if quick:
        cmd.append("--quick")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    data = json.loads(out.read_text()) if out.is_file() else {}
    gf = data.get("brokerage", {}).get("kg_best")
    targets = {"Gould-Fernandez 100k/1M s (target <= 2)": gf if not quick else None}
    md = "```\n" + proc.stdout[-4000:] + "\n```\n"
    return {"results": data, "targets": targets, "md": md}


# --------------------------------------------------------------------------------------------
# reconcile

#: Existing and incoming organisations per size.
RECONCILE_SIZES = {"10k": (10_000, 1_000), "100k": (100_000, 10_000), "1M": (1_000_000, 100_000)}


def part_reconcile(size: str, quick: bool) -> dict[str, Any]:
    existing, incoming = RECONCILE_SIZES.get(size, RECONCILE_SIZES["1M"])
    out = WORK / f"reconcile-{size}.json"
    WORK.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.reconcile_bench", "--existing", str(existing),
           "--incoming", str(incoming), "--json", str(out)]  # fmt: skip
    if quick:
        cmd += ["--sample", "20", "--difflib-sample", "1"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    data = json.loads(out.read_text()) if out.is_file() and proc.returncode == 0 else {}
    if not data:
        return {"results": {"error": proc.stderr[-2000:]}, "targets": {}, "md": proc.stderr[-2000:]}
    from benchmarks.reconcile_bench import markdown

    scan, naive = data["unblocked_rapidfuzz"], data["difflib"]
    targets = {
        f"index + match, {incoming:,} against {existing:,} s (target <= 60)": round(
            data["total_s"], 1
        ),
        "unblocked rapidfuzz (extrapolated) / ours": _div(scan["extrapolated_s"], data["total_s"]),
        "difflib (extrapolated) / ours": _div(naive["extrapolated_s"], data["total_s"]),
        "namesakes in another country proposed (target 0)": data["quality"].get(
            "namesake in another country: proposed (must be 0)"
        ),
    }
    return {"results": data, "targets": targets, "md": markdown(data)}


# --------------------------------------------------------------------------------------------
# remote


def _p50(backend: Any, q: Any, bindings: Any, repeat: int) -> dict[str, Any]:
    from kg.exceptions import KGError
    from kg.sparql.named import run_query

    times: list[float] = []
    rows = None
    try:
        for _ in range(repeat):
            t = time.perf_counter()
            rows = len(run_query(q, bindings, backend=backend).rows)
            times.append(time.perf_counter() - t)
    except KGError as exc:
        return {"error": str(exc).splitlines()[0][:200]}
    return {"p50": statistics.median(times), "rows": rows}


def part_remote(size: str, quick: bool) -> dict[str, Any]:
    """Every named query on Virtuoso (remote mode) and on the embedded store, p50 each."""
    import dataclasses
    import shutil
    import tempfile

    from kg.loader.load import load_store
    from kg.settings import Settings
    from kg.sparql.backend import LocalBackend, remote_backend
    from kg.sparql.named import bind_params, load_queries
    from kg.sparql.upload import upload_graph
    from tests.support.servers import virtuoso_server

    data = dataset(size)
    settings = Settings(data_dir=data)
    store = load_store(settings)
    local = LocalBackend(store)
    picks = choose_params(store)
    repeat = 3 if quick else 5
    res: dict[str, Any] = {"queries": {}}
    WORK.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=WORK, prefix=f"virtuoso-{size}-"))
    with virtuoso_server(folder) as base:
        t = time.perf_counter()
        report = upload_graph(
            f"{base}/sparql", settings, user="dba", password="dba", auth="digest",
            timeout=3600,
        )  # fmt: skip
        res["upload_s"] = time.perf_counter() - t
        res["triples"] = report.total
        remote = remote_backend(
            dataclasses.replace(settings, sparql_endpoint=f"{base}/sparql", query_timeout=120)
        )
        for name, q in sorted(load_queries().items()):
            values = {p.name: picks[p.name] for p in q.params if p.required}
            try:
                bindings = bind_params(q, values)
            except Exception as exc:  # noqa: BLE001 - a parameter the generator lacks
                res["queries"][name] = {"error": str(exc)[:200]}
                continue
            res["queries"][name] = {
                "embedded": _p50(local, q, bindings, repeat),
                "virtuoso": _p50(remote, q, bindings, repeat),
            }
            print(f"  {name}: {res['queries'][name]}", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    rows, slower = [], []
    for name, r in res["queries"].items():
        e, v = r.get("embedded", {}), r.get("virtuoso", {})
        same = e.get("rows") == v.get("rows") if "rows" in e and "rows" in v else None
        ratio_ev = _div(v.get("p50"), e.get("p50"))
        if ratio_ev:
            slower.append(ratio_ev)
        rows.append([name, fmt_s(e.get("p50")) if "p50" in e else e.get("error", r.get("error")),
                     fmt_s(v.get("p50")) if "p50" in v else v.get("error", "-"),
                     e.get("rows"), v.get("rows"), same, ratio_ev])  # fmt: skip
    md = md_table(
        ["query", "embedded p50", "Virtuoso p50", "rows", "Virtuoso rows", "same count",
         "Virtuoso / embedded"], rows,
    )  # fmt: skip
    md += f"\nUpload ({res['triples']} triples, Graph Store Protocol): {res['upload_s']:.1f} s\n"
    targets = {
        "queries with the same row count on both": sum(1 for r in rows if r[5]),
        "named queries": len(rows),
        "median Virtuoso / embedded p50": statistics.median(slower) if slower else None,
    }
    return {"results": res, "targets": targets, "md": md}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "--only", action="append", choices=PARTS, help="run only this part (repeatable)"
    )
    ap.add_argument(
        "--size", action="append", choices=["10k", "100k", "1M", "10M"], help="data size"
    )
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = ap.parse_args(argv)
    parts = args.only or list(DEFAULT_PARTS)
    default_sizes = {
        "load": ["100k", "1M"],
        "queries": ["100k", "1M"],
        "validate": ["100k", "1M"],
        "http": ["100k"],
        "metrics": ["-"],
        "remote": ["100k"],
        "reconcile": ["1M"],
    }
    info = machine()
    print(f"machine: {info}")
    summary: list[list[Any]] = []
    for part in parts:
        sizes = args.size or (["10k"] if args.quick else default_sizes[part])
        if part == "metrics":
            sizes = ["-"]
        for size in sizes:
            print(f"\n== {part} {size} ==", flush=True)
            t0 = time.perf_counter()
            res = globals()[f"part_{part}"](size, args.quick)
            res["machine"] = info
            res["seconds"] = time.perf_counter() - t0
            name = f"{part}-{size}" if size != "-" else part
            md = f"# {part} ({size})\n\nMachine: `{json.dumps(info)}`\n\n{res['md']}\n"
            md += "\n" + md_table(
                ["target", "measured"], [[k, v] for k, v in res["targets"].items()]
            )
            save(name, res, md)
            print(res["md"])
            for k, v in res["targets"].items():
                print(f"  {k}: {v}")
                summary.append([part, size, k, v])
    print("\n" + md_table(["part", "size", "target", "measured"], summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
