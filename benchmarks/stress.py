"""Robustness runs (``make stress``): all traffic to 127.0.0.1, bounded in count and time.

Parts (``--only PART``):

- ``schemathesis``: property-based requests from the API's own OpenAPI document (schemathesis
  from PyPI in a throw-away venv), at least 1,000 cases; checks: no 5xx, responses match the
  schema;
- ``load``: 32 clients, 10,000 requests over the named queries (``/api/queries/{name}``) and
  ``/sparql``; p50/p99, errors, the server's peak memory; then a runaway query while trivial
  ones keep being timed (the server must answer them while the runaway is being stopped);
- ``crash``: SIGKILL ``kg build --store PATH`` in the middle of a load; the previous store must
  open and hold all its quads;
- ``baddata``: a generated graph with injected errors: ``kg build`` refuses it with a located
  message and leaves the store as it was; :func:`kg.validate.engine.fast_validate` locates every
  injected shape error;
- ``attacks``: the attacks of issue 13 against a real ``kg serve`` (:mod:`benchmarks.attacks`):
  SERVICE slips and fuzzed queries (0 requests may reach a host outside the allow-list), a
  1 MB adversarial query, nesting and memory bombs, the byte cap, incomplete heads and header
  floods, charsets, Host, unknown pages, runaways while named queries are timed, and the
  CLI's bad inputs; server + workers under 2 GB RSS, every answer within its deadline + 5 s.

Results: ``benchmarks/results/stress.json`` and ``stress.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.attacks import part_attacks  # noqa: F401 - a part, found by name
from benchmarks.common import ROOT, WORK, dataset, machine, md_table, rss_tree_mb, save, tool_venv
from benchmarks.run import free_port, start_ours, wait_http

PARTS = ("schemathesis", "load", "crash", "baddata", "attacks")
KG = [sys.executable, "-m", "kg"]


class _Server:
    def __init__(self, data: Path, env: dict[str, str] | None = None, workers: int = 2) -> None:
        self.port = free_port()
        old = dict(os.environ)
        os.environ.update(env or {})
        try:
            self.proc = start_ours(data, self.port, workers)
        finally:
            os.environ.clear()
            os.environ.update(old)
        self.url = f"http://127.0.0.1:{self.port}"
        if not wait_http(self.url + "/sparql", 600, self.proc):
            err = self.proc.stderr.read().decode()[-500:] if self.proc.stderr else ""
            raise RuntimeError(f"server did not start: {err}")

    def close(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --------------------------------------------------------------------------------------------


def part_schemathesis(quick: bool) -> dict[str, Any]:
    import httpx

    data = dataset("10k")
    where = tool_venv("schemathesis", ["schemathesis"])
    srv = _Server(data)
    try:
        spec = httpx.get(srv.url + "/openapi.json", timeout=30).json()
        ops = sum(
            1
            for methods in spec.get("paths", {}).values()
            for m in methods
            if m in ("get", "post", "put", "delete", "patch")
        )
        wanted = 300 if quick else 1200
        per_op = max(10, math.ceil(wanted / max(1, ops)))
        cmd = [
            str(where / "bin" / "schemathesis"), "run", srv.url + "/openapi.json",
            "--checks", "not_a_server_error,response_schema_conformance",
            "--max-examples", str(per_op), "--request-timeout", "40",
            "--generation-deterministic", "--no-color",
        ]  # fmt: skip
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1500)
            out, rc = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as exc:
            out, rc = (
                (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else str(exc.stdout),
                124,
            )
        wall = time.perf_counter() - t0
    finally:
        srv.close()
    cases = [int(n) for n in re.findall(r"(\d+) generated", out)]
    summary = [
        ln for ln in out.splitlines() if re.search(r"passed|failed|error|generated|cases", ln, re.I)
    ]
    return {
        "operations": ops,
        "max_examples_per_operation": per_op,
        "exit_code": rc,
        "seconds": wall,
        "cases_reported": sum(cases) if cases else None,
        "summary": summary[-25:],
        "tail": out[-6000:],
    }


# --------------------------------------------------------------------------------------------


def _named_requests(base: str) -> list[tuple[str, str, dict[str, str] | None, bytes | None]]:
    """(method, url, params, body) for every named query with its example, plus /sparql."""
    import httpx

    from benchmarks.run import choose_params  # noqa: F401 - same picks as the benchmark

    lst = httpx.get(base + "/api/queries", timeout=30).json()
    items = lst if isinstance(lst, list) else lst.get("queries", [])
    reqs: list[tuple[str, str, dict[str, str] | None, bytes | None]] = []
    picks = {"org": "de-org-1", "node": "de-org-1", "funder": "de-ministry-of-integration",
             "body": "de-national-umbrella-1", "programme": "amif", "year": "2020",
             "text": "Welcome", "country_code": "DE", "target": "actor:de-org-1"}  # fmt: skip
    for q in items:
        name = q.get("name")
        if not name or name.startswith("projections/"):
            continue
        params = {
            p["name"]: picks.get(p["name"], "") for p in q.get("params", []) if p.get("required")
        }
        reqs.append(("GET", f"{base}/api/queries/{name}", params, None))
    sparql = [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "PREFIX mi: <https://w3id.org/integration-kg/ontology#> "
        "SELECT ?a WHERE { ?a a mi:FundingAward } LIMIT 50",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l } LIMIT 100",
    ]  # fmt: skip
    reqs += [("POST", f"{base}/sparql", None, q.encode()) for q in sparql]
    return reqs


def part_load(quick: bool) -> dict[str, Any]:
    import httpx

    data = dataset("100k")
    # every client is 127.0.0.1: lift the per-client limit of /sparql for the load test
    srv = _Server(data, {"KG_QUERY_TIMEOUT": "5", "KG_SPARQL_PER_CLIENT": "1000"})
    res: dict[str, Any] = {}
    try:
        reqs = _named_requests(srv.url)
        total = 2000 if quick else 10_000
        clients = 32
        lat: list[float] = []
        codes: dict[str, int] = {}
        samples: dict[str, list[str]] = {}
        lock = threading.Lock()
        counter = iter(range(total))
        peak = [0.0]
        stop = threading.Event()
        deadline = time.monotonic() + 900

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], rss_tree_mb(srv.proc.pid))
                time.sleep(0.5)

        def worker() -> None:
            with httpx.Client(timeout=60) as c:
                while time.monotonic() < deadline:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    method, url, params, body = reqs[i % len(reqs)]
                    t = time.perf_counter()
                    try:
                        if method == "GET":
                            r = c.get(url, params=params, headers={"Accept": "application/json"})
                        else:
                            r = c.post(url, content=body, headers={
                                "Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})  # fmt: skip
                        key = str(r.status_code)
                        body = r.text[:160] if r.status_code != 200 else ""
                    except httpx.HTTPError as exc:
                        key = type(exc).__name__
                        body = str(exc)[:160]
                    with lock:
                        lat.append(time.perf_counter() - t)
                        codes[key] = codes.get(key, 0) + 1
                        if body and len(samples.setdefault(key, [])) < 5:
                            samples[key].append(f"{url.rsplit('/', 1)[-1]}: {body}")

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        lat.sort()
        errors = sum(n for k, n in codes.items() if k != "200")
        res["load"] = {
            "clients": clients,
            "requests": len(lat),
            "distinct_requests": len(reqs),
            "wall": wall,
            "rps": len(lat) / wall,
            "p50_ms": 1000 * statistics.median(lat),
            "p99_ms": 1000 * lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            "status_codes": codes,
            "error_samples": samples,
            "errors": errors,
            "server_peak_rss_mb": peak[0],
        }
        # A runaway query (a cartesian product) with a 5 s limit, and trivial queries meanwhile.
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        trivial = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
        out: dict[str, Any] = {}

        def run_away() -> None:
            t = time.perf_counter()
            try:
                r = httpx.post(srv.url + "/sparql", content=runaway.encode(), timeout=120,
                               headers={"Content-Type": "application/sparql-query"})  # fmt: skip
                out["runaway_status"] = r.status_code
            except httpx.HTTPError as exc:
                out["runaway_status"] = type(exc).__name__
            out["runaway_seconds"] = time.perf_counter() - t

        th = threading.Thread(target=run_away)
        th.start()
        small: list[float] = []
        small_codes: dict[int, int] = {}
        with httpx.Client(timeout=30) as c:
            while th.is_alive() and len(small) < 400:
                t = time.perf_counter()
                r = c.post(srv.url + "/sparql", content=trivial.encode(),
                           headers={"Content-Type": "application/sparql-query"})  # fmt: skip
                small.append(time.perf_counter() - t)
                small_codes[r.status_code] = small_codes.get(r.status_code, 0) + 1
                time.sleep(0.05)
        th.join()
        small.sort()
        out.update(
            {
                "trivial_during": len(small),
                "trivial_p50_ms": 1000 * statistics.median(small) if small else None,
                "trivial_max_ms": 1000 * small[-1] if small else None,
                "trivial_codes": small_codes,
                "server_alive_after": srv.proc.poll() is None,
            }
        )
        res["runaway"] = out
    finally:
        srv.close()
    return res


# --------------------------------------------------------------------------------------------


def _count_store(path: Path) -> dict[str, Any]:
    code = (
        "import json, sys; from kg.sparql.backend import open_store; st = open_store(sys.argv[1]); "
        "n = len(st); "
        "r = list(st.query('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }')); "
        "print(json.dumps({'quads': n, 'query': int(r[0]['n'].value)}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout)


def part_crash(quick: bool) -> dict[str, Any]:
    small, big = dataset("10k"), dataset("1M" if not quick else "100k")
    where = WORK / "crash"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    store = where / "store"
    env = {**os.environ, "KG_DATA_DIR": str(small)}
    first = subprocess.run([*KG, "build", "--store", str(store)], cwd=ROOT, env=env,
                           capture_output=True, text=True)  # fmt: skip
    before = _count_store(store)
    kills = []
    for delay in (1.0, 3.0, 6.0):
        env = {**os.environ, "KG_DATA_DIR": str(big)}
        proc = subprocess.Popen([*KG, "build", "--store", str(store)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = _count_store(store)
        kills.append({"after_seconds": delay, "had_finished": finished, "store": after,
                      "same_as_before": after == before,
                      "leftovers": sorted(p.name for p in where.iterdir())})  # fmt: skip
    env = {**os.environ, "KG_DATA_DIR": str(small)}
    again = subprocess.run([*KG, "build", "--store", str(store)], cwd=ROOT, env=env,
                           capture_output=True, text=True)  # fmt: skip
    return {
        "first_build_rc": first.returncode,
        "before": before,
        "kills": kills,
        "rebuild_rc": again.returncode,
        "after_rebuild": _count_store(store),
    }


# --------------------------------------------------------------------------------------------


def part_baddata(quick: bool) -> dict[str, Any]:
    from kg.synthetic import generate, orgs_for_triples
    from kg.validate.engine import fast_validate

    bad = WORK / ("bad-100k" if not quick else "bad-10k")
    orgs = orgs_for_triples(100_000 if not quick else 10_000)
    stats = generate(orgs, 9, bad, errors=0.005, chunk=max(20, orgs // 8))
    good = dataset("10k")
    where = WORK / "baddata"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    store = where / "store"
    subprocess.run([*KG, "build", "--store", str(store)], cwd=ROOT,
                   env={**os.environ, "KG_DATA_DIR": str(good)}, capture_output=True)  # fmt: skip
    before = _count_store(store)
    res: dict[str, Any] = {"injected": len(stats.errors)}
    located = {}
    for kind in ("syntax", "ill-typed"):
        e = next(x for x in stats.errors if x.kind == kind)
        proc = subprocess.run([*KG, "build", "--store", str(store)], cwd=ROOT,
                              env={**os.environ, "KG_DATA_DIR": str(bad)}, capture_output=True,
                              text=True)  # fmt: skip
        msg = (proc.stderr + proc.stdout).strip().splitlines()[-1:] if proc.returncode else []
        located[kind] = {
            "expected": f"{e.file}:{e.line}",
            "build_rc": proc.returncode,
            "message": msg,
            "located": bool(msg) and f"{e.file}:{e.line}" in msg[0],
            "store_unchanged": _count_store(store) == before,
        }
        (bad / e.file).unlink()  # next: the following error
    res["load_errors"] = located
    t = time.perf_counter()
    report = fast_validate(data_files=sorted(bad.glob("*.ttl")), cache=False)
    seconds = time.perf_counter() - t
    left = {p.name for p in bad.glob("*.ttl")}
    expected = {(e.node, e.shape) for e in stats.errors if e.shape and e.file in left}
    found = {
        (re.sub(r"^_:\S+ \(in (.*)\)$", r"\1", r.focus_node), (r.node_shape or "").rsplit("#")[-1])
        for r in report.results
    }
    res["shape_errors"] = {
        "expected": len(expected),
        "found": len(found & expected),
        "missed": sorted(expected - found)[:10],
        "unexpected": len(found - expected),
        "unexpected_note": "nodes pointing at organisations of the two files removed for their "
        "load errors (now dangling references)",
        "results": len(report.results),
        "every_result_names_a_file": all(r.files for r in report.results),
        "fastcheck_seconds": seconds,
        "sample": [str(r) for r in report.results[:3]],
    }
    proc = subprocess.run([*KG, "build", "--store", str(store)], cwd=ROOT,
                          env={**os.environ, "KG_DATA_DIR": str(bad)}, capture_output=True,
                          text=True)  # fmt: skip
    res["build_after_load_errors_removed"] = {
        "rc": proc.returncode,
        "note": "kg build does not run the shapes: a graph that parses is stored even with "
        "shape violations unless validated first",
        "store_changed": _count_store(store) != before,
    }
    return res


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.stress", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "--only", action="append", choices=PARTS, help="run only this part (repeatable)"
    )
    ap.add_argument("--quick", action="store_true", help="smaller data, fewer requests")
    args = ap.parse_args(argv)
    parts = args.only or list(PARTS)
    results: dict[str, Any] = {"machine": machine()}
    old = Path(ROOT / "benchmarks" / "results" / "stress.json")
    if old.is_file():  # keep the parts not re-run
        results = {**json.loads(old.read_text()), **results}
    md = f"# stress\n\nMachine: `{json.dumps(results['machine'])}`\n\n"
    for part in parts:
        print(f"\n== {part} ==", flush=True)
        t0 = time.perf_counter()
        try:
            results[part] = globals()[f"part_{part}"](args.quick)
        except Exception as exc:  # report and go on with the other parts
            results[part] = {"error": f"{type(exc).__name__}: {exc}"}
        results[part]["part_seconds"] = time.perf_counter() - t0
        print(json.dumps(results[part], indent=1, default=str)[:4000])
    for part in PARTS:
        if part in results:
            body = json.dumps(
                {k: v for k, v in results[part].items() if k != "tail"}, indent=1, default=str
            )
            md += f"## {part}\n\n```json\n{body}\n```\n\n"
    md += md_table(["part", "ran"], [[p, "yes" if p in results else "no"] for p in PARTS])
    save("stress", results, md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
