"""Benchmark ``kg import 360giving`` on a generated package (on demand).

    .venv/bin/python -m benchmarks.import_bench --grants 100000
    .venv/bin/python -m benchmarks.import_bench --grants 1000000   # the issue's target size

The package comes from :func:`kg.synthetic.generate_360giving` (seed 1) under ``$KG_BENCH_DIR``.
Measured in the same run, each in a fresh process (time and peak RSS):

1. ``stream``: :func:`kg.importers.import_file` without the shapes check and without writing
   (ijson, schema validation of every grant, checks, reconciliation, mapping, Turtle);
2. ``full``: the whole import as ``kg import`` runs it (the graph with the import validated
   with the shapes, written);
3. ``baseline``: the plain-Python way: ``json.load`` of the whole file, then one f-string of
   Turtle per grant (funder, recipient, amount), no schema, no checks, no provenance. Its memory
   is what a reader of the whole document (a JSONPath mapping engine such as morph-kgc reads a
   JSON source whole) needs at that size.

Results: ``benchmarks/results/import-360giving-<size>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import time

from benchmarks.common import WORK, child, fmt_s, machine, md_table, ratio, save

OURS = """
def main(src, out, validate):
    import shutil, time
    from pathlib import Path
    from kg.importers import import_file
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    r = import_file("360giving", Path(src), Path(out), validate=validate == "1",
                    dry_run=validate != "1")
    return {"seconds": time.perf_counter() - t, "records": r.records, "counts": r.counts}
"""

BASELINE = """
def main(src, out):
    import json, time
    t = time.perf_counter()
    with open(src, encoding="utf-8") as f:
        pkg = json.load(f)
    with open(out, "w", encoding="utf-8") as w:
        for g in pkg["grants"]:
            w.write(f'<urn:g:{g["id"]}> <urn:funder> <urn:o:{g["fundingOrganization"][0]["id"]}> ;'
                    f' <urn:recipient> <urn:o:{g["recipientOrganization"][0]["id"]}> ;'
                    f' <urn:amount> {g["amountAwarded"]} .\\n')
    return {"seconds": time.perf_counter() - t, "records": len(pkg["grants"])}
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--grants", type=int, default=100_000)
    args = ap.parse_args()
    from kg.synthetic import generate_360giving

    n = args.grants
    size = f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"
    WORK.mkdir(parents=True, exist_ok=True)
    src = WORK / f"grants-{size}.json"
    t = time.perf_counter()
    nbytes = generate_360giving(n, 1, src)
    gen = time.perf_counter() - t
    out = WORK / f"import-{size}"
    stream = child(OURS, str(src), str(out), "0", timeout=3600)
    full = child(OURS, str(src), str(out), "1", timeout=3600)
    base = child(BASELINE, str(src), str(WORK / f"baseline-{size}.nt"), timeout=3600)
    data = {
        "machine": machine(),
        "grants": n,
        "file_mb": nbytes / 1e6,
        "generate_s": gen,
        "stream": stream,
        "full": full,
        "baseline": base,
    }
    rows = [
        [
            name,
            fmt_s(r.get("seconds")),
            f"{r.get('peak_rss_mb', 0):.0f}",
            ratio(r.get("seconds"), base.get("seconds")),
        ]
        for name, r in (
            ("kg import, no shapes check (stream)", stream),
            ("kg import (full)", full),
            ("plain Python baseline", base),
        )
    ]
    md = (
        f"# kg import 360giving, {n:,} grants ({nbytes / 1e6:.0f} MB)\n\n"
        + md_table(["run", "time", "peak RSS (MB)", "× baseline"], rows)
        + "\n\nTarget (issue 15): 1,000,000 grants in ≤ 60 s and ≤ 2 GB.\n"
    )
    for p in save(f"import-360giving-{size}", data, md):
        print(p)
    print(md)


if __name__ == "__main__":
    main()
