"""Every bad input the CLI meets gives one line, ``error: …`` naming the file or variable,
and exit status 2 (issue 13): no traceback, no hang, no crash of the engine.

The commands run as a user runs them (``python -m kg`` in a subprocess), each under a time
limit: a FIFO in the data folder used to hang ``kg build``, 4,000 nested braces killed the
process with signal 11.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def kg(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _data(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.ttl").write_text('@prefix ex: <https://example.org/> .\nex:a ex:p "1" .\n')
    return folder


def _case(name: str, tmp: Path) -> tuple[list[str], dict[str, str], str]:
    """(arguments, environment, text the message must contain) for one bad input."""
    data = _data(tmp / "data")
    store = ["build", "--store", str(tmp / "store")]
    if name == "huge-literal":
        big = '@prefix ex: <https://example.org/> .\nex:b ex:p "' + "x" * (17 << 20) + '" .\n'
        (data / "big.ttl").write_text(big)
        return store, {"KG_DATA_DIR": str(data)}, "big.ttl: a literal or IRI is longer"
    if name == "huge-literal-validate":
        big = '@prefix ex: <https://example.org/> .\nex:b ex:p "' + "x" * (17 << 20) + '" .\n'
        (data / "big.ttl").write_text(big)
        return ["validate"], {"KG_DATA_DIR": str(data)}, "big.ttl: a literal or IRI is longer"
    if name == "symlink-loop":
        (data / "one.ttl").symlink_to(data / "two.ttl")
        (data / "two.ttl").symlink_to(data / "one.ttl")
        return store, {"KG_DATA_DIR": str(data)}, "symbolic links"
    if name == "fifo":
        os.mkfifo(data / "pipe.ttl")
        return store, {"KG_DATA_DIR": str(data)}, "pipe.ttl: not a regular file"
    if name == "folder-named-ttl":
        (data / "x.ttl").mkdir()
        return store, {"KG_DATA_DIR": str(data)}, "x.ttl: is a folder"
    if name == "non-utf8-query-file":
        (tmp / "q.rq").write_bytes(b'SELECT * { ?s ?p "\xff\xfe" }')
        args = ["query", "run", "--file", str(tmp / "q.rq")]
        return args, {"KG_DATA_DIR": str(data)}, "q.rq: not UTF-8"
    if name == "non-utf8-library-query":
        lib = tmp / "queries"
        lib.mkdir()
        (lib / "bad.rq").write_bytes(b'#+ title: bad\nSELECT * { ?s ?p "\xff" }')
        return ["query", "list"], {"KG_QUERIES_DIR": str(lib)}, "bad.rq: not UTF-8"
    if name == "deep-nesting":
        (tmp / "deep.rq").write_text("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000)
        args = ["query", "run", "--file", str(tmp / "deep.rq")]
        return args, {"KG_DATA_DIR": str(data)}, "deeper than 128"
    settings = {
        "timeout-abc": ("KG_QUERY_TIMEOUT", "abc", "KG_QUERY_TIMEOUT='abc' is not a number"),
        "timeout-negative": ("KG_QUERY_TIMEOUT", "-1", "KG_QUERY_TIMEOUT='-1' must be a positive"),
        "max-rows-float": ("KG_MAX_ROWS", "1e5", "KG_MAX_ROWS='1e5' is not a whole number"),
    }
    var, value, text = settings[name]
    (tmp / "q.rq").write_text("ASK {}")
    args = ["query", "run", "--file", str(tmp / "q.rq")]
    return args, {"KG_DATA_DIR": str(data), var: value}, text


CASES = [
    "huge-literal",
    "huge-literal-validate",
    "symlink-loop",
    "fifo",
    "folder-named-ttl",
    "non-utf8-query-file",
    "non-utf8-library-query",
    "deep-nesting",
    "timeout-abc",
    "timeout-negative",
    "max-rows-float",
]


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_one_line_and_exit_2(name: str, tmp_path: Path):
    args, env, text = _case(name, tmp_path)
    res = kg(args, env, tmp_path)
    out = res.stdout + res.stderr
    assert "Traceback" not in out, out[-2000:]
    assert res.returncode == 2, (res.returncode, out[-2000:])
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert text in lines[0], lines[0]
