"""Profile ``kg.loader.load.load_store`` on a generated graph with py-spy, native frames included.

``python -m benchmarks.profile --size 1M`` samples every thread (Python and the Rust frames of
pyoxigraph) while the graph loads, and writes ``results/profile-load-<size>.md``: the share of
samples under each phase of the loader (which ``kg.loader.load`` function is on the stack) and the
hottest native functions (demangled with binutils' ``c++filt`` when present). The collapsed stacks
stay in ``$KG_BENCH_DIR`` (``profile-load-<size>.folded``) for a flame graph (speedscope reads
them). py-spy comes from the ``profile`` extra (``make profile`` installs it).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from benchmarks.common import RESULTS, WORK, dataset, machine

LOAD = """
import sys
from pathlib import Path
from kg.loader.load import load_store
from kg.settings import Settings
load_store(Settings(data_dir=Path(sys.argv[1])))
"""

# The loader's phases, by the kg.loader.load function found on a sampled stack (innermost wins).
PHASES = ("derive", "_check_graph", "remove_repeated", "load_file", "discover")


def phase_of(stack: list[str]) -> str:
    """Name the loader phase a sampled stack belongs to."""
    for frame in reversed(stack):
        if "kg/load.py" not in frame:
            continue
        for phase in PHASES:
            # a function's own frame, or a function defined inside it ("derive.<locals>.run")
            if frame.startswith((phase + " ", phase + ".<locals>")):
                return phase
    if not any(".py:" in frame for frame in stack):
        return "native threads (no Python frame)"
    return "other (start-up, imports, waiting threads)"


def demangle(symbols: list[str]) -> dict[str, str]:
    """Readable names for Rust (v0) symbols, with binutils' c++filt when it is there."""
    tool = shutil.which("c++filt")
    if not tool or not symbols:
        return {s: s for s in symbols}
    proc = subprocess.run([tool], input="\n".join(symbols), capture_output=True, text=True)
    names = proc.stdout.splitlines()
    if proc.returncode != 0 or len(names) != len(symbols):
        return {s: s for s in symbols}
    # drop crate hashes such as [60067c94c3399071]
    return {s: re.sub(r"\[[0-9a-f]{16}\]", "", n) for s, n in zip(symbols, names, strict=True)}


def summarise(folded: Path, top: int = 15) -> str:
    """Turn py-spy's collapsed stacks into a per-phase and per-native-function table."""
    phases: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for line in folded.read_text().splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        n = int(count_text)
        stack = stack_text.split(";")
        total += n
        phases[phase_of(stack)] += n
        leaf = stack[-1].split(" (")[0]
        leaves[leaf] += n
    if not total:
        return "no samples\n"
    out = [f"{total} samples (all threads)", "", "| phase | share |", "|---|---|"]
    out += [f"| {p} | {100 * n / total:.1f} % |" for p, n in phases.most_common()]
    hot = leaves.most_common(top)
    names = demangle([f for f, _ in hot])
    out += ["", "| innermost function | share |", "|---|---|"]
    out += [f"| `{names[f][:110]}` | {100 * n / total:.1f} % |" for f, n in hot]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="1M", help="generated graph size: 10k, 100k, 1M or 10M")
    ap.add_argument("--rate", type=int, default=250, help="samples per second")
    args = ap.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is not installed: run `make profile` (pip install -e '.[profile]')")
        return 2
    data = dataset(args.size)
    folded = WORK / f"profile-load-{args.size}.folded"
    cmd = [spy, "record", "--native", "--threads", "--format", "raw", "--rate", str(args.rate)]
    cmd += ["-o", str(folded), "--", sys.executable, "-c", LOAD, str(data)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not folded.is_file():
        print(f"py-spy failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        return 1
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = (
        f"# py-spy profile of kg.loader.load.load_store ({args.size})\n\nMachine: `{machine()}`\n\n"
    )
    text += f"Command: `python -m benchmarks.profile --size {args.size}`\n\n" + summarise(folded)
    out = RESULTS / f"profile-load-{args.size}.md"
    out.write_text(text)
    print(text)
    print(f"written: {out}; collapsed stacks (for a flame graph): {folded}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
