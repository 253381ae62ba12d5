"""Benchmark kg.metrics on seeded directed stochastic block models (run on demand).

    .venv/bin/python benchmarks/metrics_bench.py            # 100k nodes / 1M edges (+ R sna)
    .venv/bin/python benchmarks/metrics_bench.py --quick    # 10k / 100k, a minute or so
    .venv/bin/python benchmarks/metrics_bench.py --no-r     # skip R sna even if installed

What it measures, all in the same run so that the ratios are fair:

1. Gould-Fernandez brokerage with expected values and z-scores (``kg.metrics.brokerage``
   on an ``nx.DiGraph``) against a plain-Python dict-of-sets loop that only counts (no
   null model), and against R ``sna::brokerage`` when ``Rscript`` with sna is installed.
   The graph-level raw counts of all three are compared.
2. Burt's constraint + effective size + efficiency + hierarchy (``structural_holes``)
   against python-igraph's constraint alone.
3. Exact betweenness on a 10,000-node SBM (1,000 nodes with ``--quick``): kg's numba kernel
   against python-igraph (networkx too at the quick size).
4. The error of k-sampled betweenness against exact values on a 5,000-node SBM.

The graphs: N nodes in 6 near-equal groups, M distinct directed edges (no loops), 60% of
them inside groups, seed N (as in the project's timing notes). Times are wall-clock
seconds; the best of ``--repeat`` runs after one warm-up (which also compiles the numba
kernel). The machine's load is printed: other processes share these 2 cores.
"""

# networkx naming: G, B and H for graphs.
# ruff: noqa: N803, N806

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.metrics import betweenness, brokerage, structural_holes  # noqa: E402


def sbm(n: int, m: int, groups: int = 6, within: float = 0.6, seed: int | None = None):
    """Seeded directed SBM with exactly ``m`` distinct non-loop edges.

    Each edge picks a uniform source; with probability ``within`` its target is uniform in
    the source's group, else uniform in one of the other groups. Duplicates and loops are
    redrawn. Returns (group per node, sources, targets).
    """
    rng = np.random.default_rng(n if seed is None else seed)
    g = np.arange(n) % groups
    rng.shuffle(g)
    members = [np.flatnonzero(g == a) for a in range(groups)]
    sizes = np.array([len(x) for x in members])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate(members)
    keys = np.empty(0, dtype=np.int64)
    while keys.size < m:
        k = int((m - keys.size) * 1.05) + 16
        src = rng.integers(0, n, k)
        gs = g[src]
        same = rng.random(k) < within
        gt = np.where(same, gs, (gs + rng.integers(1, groups, k)) % groups)
        dst = flat[starts[gt] + (rng.random(k) * sizes[gt]).astype(np.int64)]
        ok = src != dst
        keys = np.unique(np.concatenate([keys, src[ok] * n + dst[ok]]))
    keys = rng.permutation(keys)[:m]
    return g, keys // n, keys % n


def to_digraph(g: np.ndarray, src: np.ndarray, dst: np.ndarray) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from((i, {"group": int(x)}) for i, x in enumerate(g.tolist()))
    G.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    return G


CPU: dict[str, float] = {}


def timed(fn: Callable[[], Any], repeat: int, warmup: bool = True) -> tuple[float, float, Any]:
    """Return (best, median, last result) over ``repeat`` runs after an optional warm-up.

    Also records the process CPU time of the best run in ``CPU["last"]`` (all threads): on a
    shared machine wall time depends on the other processes, CPU time much less.
    """
    if warmup:
        fn()
    times = []
    cpus = []
    result = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    CPU["last"] = cpus[times.index(min(times))]
    return min(times), statistics.median(times), result


def gf_python(G: nx.DiGraph) -> list[int]:
    """Plain-Python Gould-Fernandez count (dict of sets); graph-level totals per role."""
    group = dict(G.nodes(data="group"))
    out = {v: set(G.successors(v)) - {v} for v in G}
    totals = [0, 0, 0, 0, 0]
    for i in G:
        oi = out[i]
        gi = group[i]
        for j in oi:
            gj = group[j]
            for k in out[j]:
                if k == i or k in oi:
                    continue
                gk = group[k]
                if gi == gj == gk:
                    totals[0] += 1
                elif gi == gk:
                    totals[1] += 1
                elif gi == gj:
                    totals[2] += 1
                elif gj == gk:
                    totals[3] += 1
                else:
                    totals[4] += 1
    return totals


R_SCRIPT = r"""
suppressPackageStartupMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
el <- as.matrix(read.csv(args[1], header = FALSE))
cl <- scan(args[2], quiet = TRUE)
n <- length(cl)
g <- cbind(el[, 1] + 1, el[, 2] + 1, 1)
attr(g, "n") <- n
t <- system.time(b <- brokerage(g, cl))[["elapsed"]]
cat(sprintf("%.3f", t), paste(b$raw.gli, collapse = " "), "\n")
"""


def r_sna(g: np.ndarray, src: np.ndarray, dst: np.ndarray) -> tuple[float, list[int]] | None:
    """Time ``sna::brokerage`` in Rscript on the same graph; None when R/sna is missing."""
    if shutil.which("Rscript") is None:
        return None
    check = subprocess.run(
        ["Rscript", "-e", "library(sna)"], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        e = Path(tmp) / "edges.csv"
        c = Path(tmp) / "groups.txt"
        s = Path(tmp) / "bench.R"
        np.savetxt(e, np.column_stack([src, dst]), fmt="%d", delimiter=",")
        np.savetxt(c, g, fmt="%d")
        s.write_text(R_SCRIPT)
        res = subprocess.run(
            ["Rscript", str(s), str(e), str(c)], capture_output=True, text=True, check=True
        )
    parts = res.stdout.split()
    return float(parts[0]), [int(float(x)) for x in parts[1:6]]


def sampling_error(n: int, m: int, ks: list[int], seeds: int) -> list[dict[str, Any]]:
    """Error of k-sampled betweenness against exact values on one SBM."""
    g, s, d = sbm(n, m)
    G = to_digraph(g, s, d)
    exact = np.array(list(betweenness(G, backend="numba").values.values()))
    top = np.argsort(-exact)[:100]
    out = []
    for k in ks:
        med, spear, overlap = [], [], []
        for seed in range(seeds):
            est = np.array(list(betweenness(G, backend="numba", k=k, seed=seed).values.values()))
            med.append(float(np.median(np.abs(est[top] - exact[top]) / exact[top])))
            rank_e = np.argsort(np.argsort(exact))
            rank_s = np.argsort(np.argsort(est))
            spear.append(float(np.corrcoef(rank_e, rank_s)[0, 1]))
            overlap.append(len(set(top[:50]) & set(np.argsort(-est)[:50])) / 50)
        out.append(
            {
                "k": k,
                "median_rel_error_top100": statistics.mean(med),
                "spearman_all": statistics.mean(spear),
                "top50_overlap": statistics.mean(overlap),
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k/100k instead of 100k/1M")
    ap.add_argument("--no-r", action="store_true", help="skip R sna")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument(
        "--only",
        default="brokerage,holes,betweenness,sampling",
        help="comma-separated subset of brokerage,holes,betweenness,sampling",
    )
    args = ap.parse_args()

    n, m = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    nb, mb = (1_000, 10_000) if args.quick else (10_000, 100_000)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": os.getloadavg(),
            "platform": platform.platform(),
            "networkx": nx.__version__,
            "numpy": np.__version__,
        }
    }
    print(f"machine: {results['machine']}")

    only = set(args.only.split(","))
    g, s, d = sbm(n, m)
    G = to_digraph(g, s, d) if only & {"brokerage", "holes"} else nx.DiGraph()
    print(f"\nSBM {n:,} nodes / {G.number_of_edges():,} edges, 6 groups, 60% within, seed {n}")

    if "brokerage" in only:
        _brokerage(G, g, s, d, args, results)
    if "holes" in only:
        _holes(G, n, s, d, args, results)
    if "betweenness" in only:
        _betweenness(nb, mb, args, results)
    if "sampling" in only:
        _sampling(args, results)
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    print(f"\nload average at end: {results['machine']['loadavg_at_end']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def _brokerage(G, g, s, d, args, results) -> None:
    best, med, res = timed(lambda: brokerage(G, "group").z, args.repeat)
    ours = brokerage(G, "group")
    raw = [ours.graph.raw[r] for r in ("coordinator", "itinerant", "representative")]
    raw += [ours.graph.raw[r] for r in ("gatekeeper", "liaison")]
    t0 = time.perf_counter()
    rows = ours.to_rows()
    t_rows = time.perf_counter() - t0
    t0 = time.perf_counter()
    py = gf_python(G)
    t_py = time.perf_counter() - t0
    assert py == raw, (py, raw)
    print("\nGould-Fernandez brokerage with E, sd and z (from an nx.DiGraph):")
    print(
        f"  kg.metrics.brokerage   best {best:7.2f} s   median {med:7.2f} s   "
        f"(CPU {CPU['last']:.2f} s)"
    )
    print(f"  .to_rows() ({len(rows):,} JSON-ready rows)      {t_rows:7.2f} s")
    print(f"  plain Python loop      {t_py:7.2f} s   (counts only)   ratio {t_py / best:6.1f}x")
    results["brokerage"] = {
        "kg_best": best,
        "kg_median": med,
        "kg_cpu": CPU["last"],
        "to_rows": t_rows,
        "python": t_py,
    }
    if not args.no_r:
        r = r_sna(g, s, d)
        if r is None:
            print("  R sna: not installed (apt-get install r-cran-sna)")
        else:
            t_r, r_raw = r
            assert r_raw == raw, (r_raw, raw)
            print(f"  R sna::brokerage       {t_r:7.2f} s   ratio {t_r / best:6.1f}x (same counts)")
            results["brokerage"]["r_sna"] = t_r
    print(f"  graph-level counts w_I w_O b_IO b_OI b_O: {raw}")


def _holes(G, n, s, d, args, results) -> None:
    best, med, _ = timed(lambda: structural_holes(G), args.repeat)
    import igraph as ig

    H = ig.Graph(n=n, edges=np.column_stack([s, d]).tolist(), directed=True)
    ib, imed, ic = timed(lambda: H.constraint(), args.repeat, warmup=False)
    ours_c = structural_holes(G).constraint
    diff = float(np.nanmax(np.abs(np.asarray(ic) - ours_c)))
    print("\nBurt: constraint + effective size + efficiency + hierarchy:")
    cpu = CPU["last"]
    print(
        f"  kg.metrics.structural_holes   best {best:7.2f} s   median {med:7.2f} s   "
        f"(CPU {cpu:.2f} s)"
    )
    print(
        f"  python-igraph constraint only best {ib:7.2f} s   ratio {ib / best:6.1f}x "
        f"(max |diff| {diff:.1e})"
    )
    results["structural_holes"] = {
        "kg_best": best,
        "kg_median": med,
        "kg_cpu": cpu,
        "igraph_constraint": ib,
    }


def _betweenness(nb, mb, args, results) -> None:
    gb, sb, db = sbm(nb, mb)
    B = to_digraph(gb, sb, db)
    print(f"\nExact betweenness, SBM {nb:,} nodes / {mb:,} edges:")
    t0 = time.perf_counter()
    betweenness(B, backend="numba", k=2)  # compile (cached on disk after the first run)
    print(f"  numba compile/load        {time.perf_counter() - t0:7.2f} s (first call only)")
    best, med, r_nb = timed(lambda: betweenness(B, backend="numba"), args.repeat, warmup=False)
    cpu = CPU["last"]
    ib, _, r_ig = timed(lambda: betweenness(B, backend="igraph"), 1, warmup=False)
    diff = max(abs(r_nb.values[v] - r_ig.values[v]) for v in B)
    print(
        f"  {r_nb.implementation:25s} best {best:7.2f} s   median {med:7.2f} s   (CPU {cpu:.2f} s)"
    )
    print(
        f"  python-igraph             {ib:7.2f} s   ratio {ib / best:6.1f}x (max |diff| {diff:.1e})"
    )
    results["betweenness"] = {"kg_best": best, "kg_median": med, "kg_cpu": cpu, "igraph": ib}
    if args.quick:
        xb, _, _ = timed(lambda: betweenness(B, backend="networkx"), 1, warmup=False)
        print(f"  networkx                  {xb:7.2f} s   ratio {xb / best:6.1f}x")
        results["betweenness"]["networkx"] = xb


def _sampling(args, results) -> None:
    ns = 2_000 if args.quick else 5_000
    print(f"\nk-sampled betweenness vs exact, SBM {ns:,} nodes / {ns * 10:,} edges, 5 seeds:")
    err = sampling_error(ns, ns * 10, [ns // 20, ns // 10, ns // 5], 5)
    for e in err:
        print(
            f"  k={e['k']:5d}: median rel. error (top 100) {e['median_rel_error_top100']:.1%}, "
            f"Spearman {e['spearman_all']:.3f}, top-50 overlap {e['top50_overlap']:.0%}"
        )
    results["sampling"] = err


if __name__ == "__main__":
    main()
