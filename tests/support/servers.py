"""Helpers for tests that need real servers on 127.0.0.1 (ours under uvicorn, ``oxigraph serve``,
Virtuoso).

Test modules cannot import each other under ``--import-mode=importlib``, so shared helpers live
here. Servers run as child processes, bound to the loopback interface only, and are stopped
when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from kg.cli.serve import uvicorn_options
from kg.settings import Settings

__all__ = [
    "TOY",
    "RunningServer",
    "free_port",
    "oxigraph_server",
    "uvicorn_process",
    "uvicorn_server",
    "virtuoso_server",
    "wait_http",
    "write_toy_data",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
TOY = "https://example.org/toy/"

_TOY_ORGS = r"""@prefix ex: <https://example.org/toy/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:alpha a ex:Org ;
    rdfs:label "Alpha"@en , "Alpha « tricky » \"quote\" \\ {brace} } ;"@fr ;
    ex:amount 1500.5 ;
    ex:founded "2001-02-03"^^xsd:date ;
    ex:partner ex:beta .
ex:beta a ex:Org ;
    rdfs:label "Beta"@en ;
    ex:amount 20 ;
    ex:founded "1999-12-31"^^xsd:date .
ex:gamma a ex:Org ;
    rdfs:label "Gamma"@en ;
    ex:amount 300 .
"""


def write_toy_data(folder: Path, items: int = 300) -> Path:
    """Write a small Turtle data folder (three organisations, ``items`` numbered items).

    ``orgs.ttl`` holds ``ex:alpha`` (two labels, one full of quotes, braces and a backslash),
    ``ex:beta`` and ``ex:gamma`` with amounts and founding dates; ``items.ttl`` holds
    ``ex:item<i> a ex:Item ; ex:rank i`` for i in 0..items-1. Returns ``folder``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "orgs.ttl").write_text(_TOY_ORGS, encoding="utf-8")
    lines = [f"@prefix ex: <{TOY}> ."]
    lines += [f"ex:item{i} a ex:Item ; ex:rank {i} ." for i in range(items)]
    (folder / "items.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(
    url: str,
    proc: subprocess.Popen[bytes],
    timeout: float,
    log: Path,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Poll ``url`` until it answers below 500; raise with the server's log if it dies first."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, headers=dict(headers or {}), timeout=2).status_code < 500:
                return
        time.sleep(0.1)
    raise RuntimeError(
        f"server did not answer at {url} within {timeout} s:\n{log.read_text()[-4000:]}"
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@dataclass
class RunningServer:
    """A server started by :func:`uvicorn_process`: its URL, process and log file."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path


@contextlib.contextmanager
def uvicorn_server(
    env: Mapping[str, str] | None = None, *, startup_timeout: float = 120.0
) -> Iterator[str]:
    """Run ``uvicorn --factory api.main:create_app`` on a free port; yield its base URL.

    See :func:`uvicorn_process` (which also gives the process and its log).
    """
    with uvicorn_process(env, startup_timeout=startup_timeout) as running:
        yield running.url


@contextlib.contextmanager
def uvicorn_process(
    env: Mapping[str, str] | None = None, *, startup_timeout: float = 120.0
) -> Iterator[RunningServer]:
    """Run ``uvicorn --factory api.main:create_app`` on a free port; yield its base URL.

    Parameters
    ----------
    env : mapping, optional
        Extra environment variables (``KG_DATA_DIR``, ``KG_QUERY_TIMEOUT``...).
    startup_timeout : float
        Seconds allowed for loading the data and starting the workers.
    """
    port = free_port()
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), full_env.get("PYTHONPATH")) if p
    )
    settings = Settings()
    options = uvicorn_options(
        int(full_env.get("KG_MAX_BODY_BYTES", settings.max_body_bytes)),
        int(full_env.get("KG_MAX_CONNECTIONS", settings.max_connections)),
    )
    # as `kg serve` does: the head deadline, the head limit (so over-long GET queries get the
    # endpoint's 414), the connection limit
    cmd = [
        sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--http", str(options["http"]),
        "--h11-max-incomplete-event-size", str(options["h11_max_incomplete_event_size"]),
        "--limit-concurrency", str(options["limit_concurrency"]),
        "--timeout-keep-alive", str(options["timeout_keep_alive"]),
        "--timeout-graceful-shutdown", str(options["timeout_graceful_shutdown"]),
    ]  # fmt: skip
    with tempfile.NamedTemporaryFile("w+b", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(  # noqa: S603 - fixed command
            cmd, cwd=REPO_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(
            f"{base}/sparql", proc, startup_timeout, Path(log.name), {"Accept": "text/turtle"}
        )
        yield RunningServer(base, proc, Path(log.name))
    finally:
        _stop(proc)
        with contextlib.suppress(OSError):
            os.unlink(log.name)


def _oxigraph_executable() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` server is not installed (pip install oxigraph)")
    return found


@contextlib.contextmanager
def oxigraph_server(
    location: Path, *, union_default_graph: bool = True, timeout_s: int | None = 10
) -> Iterator[str]:
    """Run ``oxigraph serve --location LOCATION`` on a free loopback port; yield its base URL.

    Queries go to ``<base>/query``, updates to ``<base>/update``. ``timeout_s`` is the server's
    own query timeout, so a query a test abandons does not keep a core busy.
    """
    port = free_port()
    cmd = [
        _oxigraph_executable(),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if union_default_graph:
        cmd.append("--union-default-graph")
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    with tempfile.NamedTemporaryFile("w+b", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/query?query=ASK%7B%7D", proc, 60, Path(log.name))
        yield base
    finally:
        _stop(proc)
        with contextlib.suppress(OSError):
            os.unlink(log.name)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {vad}
VADInstallDir = {vad}/
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
ServerThreads = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""

#: The Debian package's server binary (``apt-get install virtuoso-opensource``).
VIRTUOSO = "virtuoso-t"


@contextlib.contextmanager
def virtuoso_server(folder: Path, *, startup_timeout: float = 120.0) -> Iterator[str]:
    """Run Virtuoso (``virtuoso-t``) from a ``virtuoso.ini`` in ``folder``; yield its base URL.

    Both its ports (SQL and HTTP) are bound to 127.0.0.1; the database lives in ``folder`` and
    the server is stopped when the block ends. Queries go to ``<base>/sparql``, Graph Store
    Protocol uploads to ``<base>/sparql-graph-crud-auth`` (digest authentication, ``dba`` /
    ``dba``, the password of a new database).

    Raises
    ------
    RuntimeError
        ``virtuoso-t`` is not installed (``make test-deps`` installs it as root), or the server
        did not start.
    """
    exe = shutil.which(VIRTUOSO)
    if exe is None:
        raise RuntimeError(
            "Virtuoso is not installed: `virtuoso-t` is not on PATH. Run `make test-deps` as root "
            "or `sudo apt-get install virtuoso-opensource` (Debian), then rerun the tests."
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    vad = "/usr/share/virtuoso-opensource-7/vad"
    ini.write_text(
        VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port, vad=vad),
        encoding="utf-8",
    )
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - fixed command
            [exe, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, startup_timeout, log)
        yield base
    finally:
        _stop(proc)


def one_row_endpoint(value: str) -> type[BaseHTTPRequestHandler]:
    """Return a request handler that answers any GET or POST with one SPARQL JSON row, ``?x = value``.

    The stand-in for an allow-listed ``SERVICE`` endpoint (tests and ``make stress``); serve it
    with :class:`http.server.ThreadingHTTPServer` on 127.0.0.1.
    """
    body = json.dumps(
        {
            "head": {"vars": ["x"]},
            "results": {"bindings": [{"x": {"type": "literal", "value": value}}]},
        }
    ).encode()

    class OneRowEndpoint(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer()

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer()

        def log_message(self, *args: object) -> None:
            pass

    return OneRowEndpoint
