"""Shared helpers: generated data sets, child processes with peak memory, result files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
WORK = Path(os.environ.get("KG_BENCH_DIR", "/tmp/kg-bench"))
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def machine() -> dict[str, Any]:
    """Describe the machine and the library versions."""
    import pyoxigraph
    import rdflib

    def proc_field(path: str, key: str) -> str:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            return ""
        return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith(key)), "")

    mem = proc_field("/proc/meminfo", "MemTotal")
    cpu = proc_field("/proc/cpuinfo", "model name")
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory": mem,
        "loadavg": os.getloadavg(),
        "pyoxigraph": pyoxigraph.__version__ if hasattr(pyoxigraph, "__version__") else "",
        "rdflib": rdflib.__version__,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def dataset(size: str, seed: int = 1) -> Path:
    """Generate (once) the synthetic graph of about ``size`` triples; return its folder."""
    from kg.synthetic import generate, orgs_for_triples

    out = WORK / f"data-{size}-s{seed}"
    if not (out / "manifest.json").is_file():
        generate(orgs_for_triples(SIZES[size]), seed, out)
    return out


def child(
    code: str, *args: str, timeout: float = 900, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``code`` in a fresh Python; it prints one JSON object last. Adds peak RSS (MB)."""
    wrapper = (
        "import json, resource, sys\n"
        f"{code}\n"
        "_r = main(*sys.argv[1:])\n"
        "_r['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(_r))\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", wrapper, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tool_venv(name: str, packages: list[str]) -> Path:
    """A throw-away virtual environment under the bench folder with ``packages`` (cached)."""
    where = WORK / f"venv-{name}"
    py = where / "bin" / "python"
    marker = where / ".installed"
    if not marker.is_file() or marker.read_text() != " ".join(packages):
        venv.create(where, with_pip=True, clear=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages],
            check=True,
        )
        marker.write_text(" ".join(packages))
    return where


def ratio(a: float | None, b: float | None) -> str:
    """Format ``a / b`` as '12.3x' (or '-' when unknown)."""
    if not a or not b:
        return "-"
    return f"{a / b:.1f}x"


def save(name: str, data: dict[str, Any], markdown: str) -> tuple[Path, Path]:
    """Write ``results/<name>.json`` and ``results/<name>.md``; return both paths."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    j = RESULTS / f"{name}.json"
    m = RESULTS / f"{name}.md"
    j.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    m.write_text(markdown, encoding="utf-8")
    return j, m


def md_table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join("" if c is None else str(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def fmt_s(x: float | None) -> str:
    """Seconds with 3 significant digits, or '-'."""
    if x is None:
        return "-"
    return f"{x:.3g} s" if x >= 0.1 else f"{x * 1000:.3g} ms"


def rss_tree_mb(pid: int) -> float:
    """Resident memory of a process and its children (MB), from /proc."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
        )
        pids += [int(p) for p in out.stdout.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024
