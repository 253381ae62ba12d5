"""Run SPARQL queries in worker processes that can be killed at a deadline.

Conventions
-----------
- pyoxigraph cannot cancel a running query, and a thread cannot be stopped from outside. So
  every query of the API server runs in one of a few worker processes
  (``python -m kg.sparql.worker``), each with the store opened **read-only** from disk. A
  worker that passes the deadline is killed (SIGKILL) and replaced in the background; the other
  workers keep answering, so a runaway query never delays the others beyond its own slot.
- Workers also serialise the results (pyoxigraph's own serialisers), so the server process
  only moves bytes. A result is capped at ``max_rows`` rows (or triples): the worker writes it
  as TSV (N-Triples for graphs) through a writer that stops pyoxigraph after the last allowed
  row, then converts that capped document to the requested format with pyoxigraph's parser and
  serialiser. Every line of those two formats is one row, so the cap is exact and memory stays
  bounded whatever the query returns.
- Workers refuse IP sockets (:func:`kg.sparql.sandbox.forbid_network`); with a ``SERVICE``
  allow-list they may connect only to the allow-listed endpoints
  (:func:`kg.sparql.sandbox.allow_network_to`), so a query cannot make the server call any
  other host, whatever the text checks missed.
- :class:`RemoteExecutor` offers the same :meth:`execute` over a remote endpoint, and
  :class:`PooledBackend` the :class:`kg.sparql.backend.Backend` interface over a pool.

Messages between the server and a worker are length-prefixed pickles over the worker's
stdin/stdout pipes (the worker is a child of this process, so the pickles are trusted).

Why hand-written: a pool must kill one query's process at its deadline and keep the others
running with their stores open. :class:`concurrent.futures.ProcessPoolExecutor` and
:mod:`multiprocessing.pool` cannot cancel a running task (terminating one breaks the whole
executor), and task queues (Celery, RQ) add a broker; neither serialises answers in the
worker. The pool here is ~400 lines over :mod:`subprocess` and pipes.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.exceptions import (
    KGError,
    NotAcceptableError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ServiceRefusedError,
    WorkerError,
)
from kg.namespaces import OUTPUT_PREFIXES
from kg.sparql.backend import (
    Bindings,
    RemoteBackend,
    SelectResult,
    Term,
    parse_graph,
    parse_results,
)

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Answer",
    "PooledBackend",
    "QueryPool",
    "RemoteExecutor",
    "render",
]

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}


@dataclass
class Answer:
    """A serialised query result.

    Attributes
    ----------
    kind : str
        ``bindings`` (SELECT), ``boolean`` (ASK) or ``graph`` (CONSTRUCT / DESCRIBE).
    format : str
        Key of :data:`RESULT_FORMATS` or :data:`GRAPH_FORMATS`.
    media_type : str
        Content type of ``body`` (pyoxigraph's, e.g. ``application/sparql-results+json``).
    body : bytes
        The document.
    count : int
        Rows, triples, or 1 for a boolean.
    truncated : bool
        ``True`` when the result was cut (more than ``max_rows`` rows, or more than
        ``max_bytes`` bytes).
    truncated_by : str or None
        ``"rows"`` or ``"bytes"``: the cap that cut the result.
    stream : iterator of bytes or None
        With ``execute(..., stream=True)``: the body in pieces, read from the worker as they
        are consumed (``body`` is then empty); the worker is held until the end (or until the
        deadline, when it is killed and the stream ends early).
    """

    kind: str
    format: str
    media_type: str
    body: bytes
    count: int
    truncated: bool = False
    truncated_by: str | None = None
    stream: Iterator[bytes] | None = None


@dataclass
class _Request:
    query: str
    result_format: str | None
    graph_format: str | None
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    bindings: dict[str, Term] = field(default_factory=dict)
    max_rows: int | None = None
    max_bytes: int | None = None
    service_allow: tuple[str, ...] = ()
    base_iri: str | None = None


# --------------------------------------------------------------------------------------------
# Serialisation with a row cap (runs in the workers, and in the server for remote results)


class _FullError(Exception):
    """Raised by :class:`_CappedWriter` to stop pyoxigraph's serialiser."""


class _CappedWriter(io.RawIOBase):
    """A binary sink that keeps at most ``lines`` lines and ``max_bytes`` bytes, then stops."""

    def __init__(self, lines: int | None, max_bytes: int | None) -> None:
        super().__init__()
        self.buf = bytearray()
        self.lines = lines
        self.max_bytes = max_bytes
        self.seen = 0
        self.full: str | None = None  # "rows" or "bytes" once a cap was hit

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        if self.max_bytes is not None and len(self.buf) + len(data) > self.max_bytes:
            self.buf += data[: self.max_bytes - len(self.buf)]
            self.full = "bytes"
            raise _FullError
        self.buf += data
        if self.lines is not None:
            self.seen += data.count(b"\n")
            if self.seen > self.lines:
                self.full = "rows"
                raise _FullError
        return len(data)

    def value(self) -> bytes:
        """Return the bytes written, cut after the last complete line allowed by both caps."""
        if self.full is None:
            return bytes(self.buf)
        return _cut_lines(bytes(self.buf), self.lines)


def _cut_lines(data: bytes, lines: int | None, max_bytes: int | None = None) -> bytes:
    """Return the complete lines of ``data`` that fit ``lines`` lines and ``max_bytes`` bytes."""
    end = len(data) if max_bytes is None else min(len(data), max_bytes)
    end = data.rfind(b"\n", 0, end) + 1
    if lines is not None:
        nth = -1
        for _ in range(lines):
            nth = data.find(b"\n", nth + 1, end)
            if nth < 0:
                return data[:end]
        end = min(end, nth + 1)
    return data[:end]


def _capped(write: Any, lines: int | None, max_bytes: int | None) -> tuple[bytes, str | None]:
    sink = _CappedWriter(lines, max_bytes)
    try:
        write(sink)
    except _FullError:
        pass
    except OSError:
        # pyoxigraph reports an exception raised by the sink as an OSError
        if not sink.full:
            raise
    return sink.value(), sink.full


def _fit(
    lines: bytes, convert: Any, max_bytes: int | None, header: int
) -> tuple[bytes, bytes, bool]:
    """Convert line-per-row ``lines``; drop rows until the converted body fits ``max_bytes``.

    Returns the kept lines, the body and whether rows were dropped. ``header`` lines (the TSV
    variable line) are always kept. Each round keeps the share of rows that would fit if every
    row took the same room, so a handful of rounds suffice.
    """
    body = convert(lines)
    dropped = False
    while max_bytes is not None and len(body) > max_bytes:
        rows = lines.count(b"\n") - header
        if rows <= 0:
            break
        keep = min(rows - 1, int(rows * max_bytes / len(body) * 0.95))
        lines = _cut_lines(lines, header + max(keep, 0))
        body, dropped = convert(lines), True
    return lines, body, dropped


def render(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    result_format: str | None,
    graph_format: str | None,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> Answer:
    """Serialise a pyoxigraph result with pyoxigraph's serialisers, capped in rows and bytes.

    Parameters
    ----------
    result : pyoxigraph result
        What :meth:`pyoxigraph.Store.query` (or :func:`pyoxigraph.parse_query_results`) returned.
    result_format : str or None
        Format for SELECT and ASK results (a key of :data:`RESULT_FORMATS`); ``None`` when the
        client accepts none.
    graph_format : str or None
        Format for CONSTRUCT and DESCRIBE results (a key of :data:`GRAPH_FORMATS`).
    max_rows : int, optional
        Keep at most this many rows or triples.
    max_bytes : int, optional
        Keep at most as many rows as fit this many bytes of the final document
        (``KG_MAX_RESULT_BYTES``); the serialiser is stopped as soon as the capped
        intermediate document (TSV or N-Triples) passes it, so memory stays bounded.
    prefixes : mapping, optional
        Prefixes used to abbreviate Turtle and N3 output.

    Raises
    ------
    NotAcceptableError
        The result's kind has no acceptable format.
    """
    if isinstance(result, ox.QueryBoolean):
        if result_format is None:
            raise NotAcceptableError("boolean")
        fmt = RESULT_FORMATS[result_format]
        return Answer("boolean", result_format, fmt.media_type, result.serialize(format=fmt), 1)
    if isinstance(result, ox.QuerySolutions):
        if result_format is None:
            raise NotAcceptableError("bindings")
        fmt = RESULT_FORMATS[result_format]
        tsv, cut = _capped(
            lambda out: result.serialize(out, ox.QueryResultsFormat.TSV),
            _plus_header(max_rows),
            max_bytes,
        )
        if b"\n" not in tsv:  # not even the variable line fitted: keep it, with no rows
            tsv = _tsv_header(result)

        def convert(data: bytes) -> bytes:
            if fmt == ox.QueryResultsFormat.TSV:
                return data
            return ox.parse_query_results(data, ox.QueryResultsFormat.TSV).serialize(format=fmt)

        tsv, body, dropped = _fit(tsv, convert, max_bytes, header=1)
        count = max(tsv.count(b"\n") - 1, 0)
        by = "bytes" if dropped else cut
        return Answer("bindings", result_format, fmt.media_type, body, count, by is not None, by)
    if graph_format is None:
        raise NotAcceptableError("graph")
    gfmt = GRAPH_FORMATS[graph_format]
    if isinstance(result, ox.QueryTriples):
        nt, cut = _capped(
            lambda out: result.serialize(out, ox.RdfFormat.N_TRIPLES), max_rows, max_bytes
        )
    else:  # a list of triples (remote results)
        triples = list(result)
        cut = "rows" if max_rows is not None and len(triples) > max_rows else None
        nt = ox.serialize(triples[:max_rows] if cut else triples, format=ox.RdfFormat.N_TRIPLES)
        if max_bytes is not None and len(nt) > max_bytes:
            nt, cut = _cut_lines(nt, None, max_bytes), "bytes"

    def convert_graph(data: bytes) -> bytes:
        if gfmt == ox.RdfFormat.N_TRIPLES:
            return data
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        ]
        pfx = None
        if gfmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3):
            # only the namespaces the triples use: a long unused prologue is noise
            pfx = {k: v for k, v in (prefixes or {}).items() if f"<{v}".encode() in data}
        return ox.serialize(triples, format=gfmt, prefixes=pfx)

    nt, body, dropped = _fit(nt, convert_graph, max_bytes, header=0)
    by = "bytes" if dropped else cut
    count = nt.count(b"\n")
    return Answer("graph", graph_format, gfmt.media_type, body, count, by is not None, by)


def _tsv_header(result: ox.QuerySolutions) -> bytes:
    return ("\t".join(f"?{v.value}" for v in result.variables) + "\n").encode()


def _plus_header(max_rows: int | None) -> int | None:
    return None if max_rows is None else max_rows + 1


def output_prefixes(query: str) -> dict[str, str]:
    """Prefixes for Turtle output: the project's usual ones plus the query's own."""
    from kg.sparql.text import prefixes

    out = dict(OUTPUT_PREFIXES)
    with contextlib.suppress(Exception):  # a lexing problem only costs abbreviations
        out.update({k: v for k, v in prefixes(query).items() if k})
    return out


# --------------------------------------------------------------------------------------------
# The worker pool

_HEADER = struct.Struct(">Q")


def write_frame(stream: Any, obj: Any) -> None:
    """Write one length-prefixed pickle to a binary stream and flush it."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


#: Answers larger than this travel from the worker in pieces of this size.
CHUNK_BYTES = 1 << 20


def write_answer(stream: Any, status: str, payload: Any) -> None:
    """Write a worker's reply: one frame, or for a large answer its head and body in pieces.

    A large body goes as ``("ok_chunked", answer without body)``, then frames of at most
    :data:`CHUNK_BYTES` bytes and an empty one, so the server can pass it on as it arrives
    instead of holding it whole.
    """
    if status != "ok" or len(payload.body) <= CHUNK_BYTES:
        write_frame(stream, (status, payload))
        return
    body, payload.body = payload.body, b""
    write_frame(stream, ("ok_chunked", payload))
    for i in range(0, len(body), CHUNK_BYTES):
        write_frame(stream, body[i : i + CHUNK_BYTES])
    write_frame(stream, b"")


def read_frame(stream: Any) -> Any:
    """Read one frame written by :func:`write_frame` (blocking); ``EOFError`` at the end."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - written by our own child process


class _DeadlineError(Exception):
    pass


class _Worker:
    """One worker process and its pipes."""

    def __init__(
        self,
        db_path: Path,
        sandbox: bool,
        start_timeout: float,
        memory_quads: int,
        memory_mb: int | None = None,
        service_allow: Sequence[str] = (),
    ) -> None:
        # The worker must run the code of this server, not a ``kg`` that happens to be in the
        # current directory: ``-m`` would put the current directory first on sys.path, so the
        # module is run with sys.path[0] set to the folder this very package was imported from.
        root = str(Path(__file__).resolve().parents[2])  # the folder holding kg/
        boot = (
            f"import runpy, sys; sys.path[0] = {root!r}; "
            "runpy.run_module('kg.sparql.worker', run_name='__main__', alter_sys=True)"
        )
        cmd = [sys.executable, "-c", boot, str(db_path)]
        if sandbox:
            cmd.append("--sandbox")
            if service_allow:  # the filter then checks every destination against the list
                cmd += ["--service-allow", " ".join(service_allow)]
        if memory_quads:
            cmd += ["--memory-quads", str(memory_quads)]
        if memory_mb:
            cmd += ["--memory-mb", str(memory_mb)]
        self.memory_mb = memory_mb
        self.adhoc = False  # running an ordinary request (QueryPool counts them)
        env = dict(os.environ)
        env.pop("PYTHONSTARTUP", None)
        env["RUST_BACKTRACE"] = "0"  # a failed allocation logs one line, not a backtrace
        # glibc reserves 64 MB of address space per thread arena; RocksDB starts many threads,
        # which would spend RLIMIT_AS on reservations rather than on queries.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        self.proc = subprocess.Popen(  # noqa: S603 - our own module, no shell
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True
        )
        self.fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        try:
            hello = self.recv(time.monotonic() + start_timeout)
        except (_DeadlineError, EOFError):
            self.kill()
            hint = f"; is KG_WORKER_MEMORY_MB={memory_mb} too small?" if memory_mb else ""
            raise WorkerError(f"a SPARQL worker did not start (store {db_path}){hint}") from None
        if hello[0] != "ready":
            self.kill()
            raise WorkerError(f"a SPARQL worker could not open the store: {hello[1]}")
        self.sandboxed = bool(hello[1].get("sandboxed"))
        self.in_memory = bool(hello[1].get("in_memory"))

    def send(self, obj: Any) -> None:
        write_frame(self.proc.stdin, obj)

    def _read(self, n: int, deadline: float) -> bytes:
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _DeadlineError
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                raise _DeadlineError
            chunk = os.read(self.fd, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def recv(self, deadline: float) -> Any:
        (size,) = _HEADER.unpack(self._read(_HEADER.size, deadline))
        return pickle.loads(self._read(size, deadline))  # noqa: S301 - our own child

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                stream.close()  # type: ignore[union-attr]

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.stdin.close()  # type: ignore[union-attr]  # EOF: the worker exits
            self.proc.wait(timeout=2)
        self.kill()


class _Pieces:
    """The body of a chunked answer, read from its worker as it is consumed.

    The worker goes back to the pool once the last piece is read, and is killed and replaced
    otherwise: when the reader stops early (:meth:`close`, or the object is dropped), or at the
    deadline, when a timer kills it so that a client that reads slowly or never cannot hold a
    worker longer than a query may run.
    """

    def __init__(self, pool: QueryPool, worker: _Worker, deadline: float) -> None:
        self.pool, self.worker, self.deadline = pool, worker, deadline
        self.finished = False
        self.closed = False
        self.timer = threading.Timer(max(0.0, deadline - time.monotonic()), worker.kill)
        self.timer.daemon = True
        self.timer.start()

    def __iter__(self) -> _Pieces:
        return self

    def __next__(self) -> bytes:
        if self.closed:
            raise StopIteration
        try:
            piece = self.worker.recv(self.deadline)
        except (_DeadlineError, EOFError, OSError, ValueError):
            self.close()  # cut short: the client sees an incomplete body
            raise StopIteration from None
        if not piece:
            self.finished = True
            self.close()
            raise StopIteration
        return piece

    def close(self) -> None:
        """Give the worker back (all read) or replace it (not all read); idempotent."""
        if self.closed:
            return
        self.closed = True
        self.timer.cancel()
        if self.finished:
            self.pool._release(self.worker)
        else:
            self.pool._replace(self.worker)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def _collect(worker: _Worker, deadline: float) -> bytes:
    pieces = []
    while piece := worker.recv(deadline):
        pieces.append(piece)
    return b"".join(pieces)


class QueryPool:
    """A fixed number of worker processes over one read-only on-disk store.

    Parameters
    ----------
    db_path : path-like
        The Oxigraph folder (see :func:`kg.sparql.backend.store_db_path`).
    size : int
        Number of workers for ordinary (ad-hoc) queries, i.e. of those that can run at once.
    sandbox : bool
        Filter the workers' network access: none at all, or with ``service_allow`` only to the
        listed endpoints' addresses.
    start_timeout : float
        Seconds a worker may take to start and open the store.
    reserved : int
        Extra workers for priority requests (named queries, pages), started on top of
        ``size``: ad-hoc queries never take more than ``size``, so runaway ``/sparql`` queries
        cannot hold every worker, and priority requests may use any worker. (At most ``size``
        ordinary requests run at once.)
    memory_mb : int, optional
        Address space of each worker in MiB (``RLIMIT_AS``, ``KG_WORKER_MEMORY_MB``); a query
        that needs more ends with :class:`~kg.exceptions.QueryMemoryError` and the worker is
        replaced.
    service_allow : sequence of str
        ``SERVICE`` IRIs queries may call (``KG_SERVICE_ALLOW``); checked in the worker by
        :func:`kg.sparql.text.check_service` before the query runs.
    memory_quads : int
        Workers copy the store into memory when it holds at most this many quads (0: never).
        Oxigraph's in-memory store answered the named queries 3-7x faster than RocksDB;
        each copy costs roughly 0.4 kB per quad in every worker.

    Notes
    -----
    A query first waits for a free worker, then runs; both count against its timeout. At the
    deadline the worker is killed and a new one started in a background thread.
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        *,
        size: int = 2,
        sandbox: bool = True,
        start_timeout: float = 60.0,
        memory_quads: int = 0,
        service_allow: Sequence[str] = (),
        memory_mb: int | None = None,
        reserved: int = 0,
    ) -> None:
        self.db_path = Path(db_path)
        self.memory_mb = memory_mb
        self.reserved = max(0, reserved)
        self.service_allow = tuple(service_allow)
        self.memory_quads = memory_quads
        self.size = max(1, size) + self.reserved  # every worker, the reserved ones included
        self.sandbox = sandbox
        self.start_timeout = start_timeout
        self._idle: list[_Worker] = []
        self._live: set[_Worker] = set()  # idle and busy, so that close() can stop them all
        self._adhoc = 0  # ordinary (not priority) requests running now
        self._cond = threading.Condition()
        self._closed = False
        self.restarts = 0
        workers: list[_Worker | BaseException] = []

        def start() -> None:
            try:
                workers.append(self._spawn())
            except BaseException as exc:  # noqa: BLE001 - reported below
                workers.append(exc)

        threads = [threading.Thread(target=start) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        errors = [w for w in workers if isinstance(w, BaseException)]
        self._idle = [w for w in workers if isinstance(w, _Worker)]
        if errors:
            self.close()
            raise errors[0]
        self.sandboxed = all(w.sandboxed for w in self._idle)
        self.in_memory = all(w.in_memory for w in self._idle)

    def _spawn(self) -> _Worker:
        worker = _Worker(
            self.db_path,
            self.sandbox,
            self.start_timeout,
            self.memory_quads,
            self.memory_mb,
            self.service_allow,
        )
        with self._cond:
            self._live.add(worker)
            closed = self._closed
        if closed:  # the pool was closed while this one started
            worker.stop()
        return worker

    def _acquire(self, deadline: float, priority: bool) -> _Worker:
        # At most size - reserved ordinary requests run at once; priority ones take any worker.
        def free() -> bool:
            return bool(self._idle) and (priority or self._adhoc < self.size - self.reserved)

        with self._cond:
            while not free():
                if self._closed:
                    raise WorkerError("the query pool is closed")
                left = deadline - time.monotonic()
                if (left <= 0 or not self._cond.wait(left)) and not free():
                    raise _DeadlineError
            worker = self._idle.pop()
            worker.adhoc = not priority
            self._adhoc += worker.adhoc
            return worker

    def _done_with(self, worker: _Worker) -> None:
        """Forget that ``worker`` ran an ordinary request (under the lock)."""
        if worker.adhoc:
            worker.adhoc = False
            self._adhoc -= 1

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            self._done_with(worker)
            if self._closed:
                worker.stop()
                return
            self._idle.append(worker)
            self._cond.notify_all()  # a priority waiter may take what an ordinary one may not

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now and start its replacement in the background."""
        worker.kill()
        with self._cond:
            self._live.discard(worker)
            self._done_with(worker)
            self._cond.notify_all()
        self.restarts += 1

        def respawn() -> None:
            while not self._closed:
                try:
                    self._release(self._spawn())
                    return
                except WorkerError:
                    time.sleep(1.0)  # the store may be briefly unavailable; try again

        threading.Thread(target=respawn, name="kg-sparql-respawn", daemon=True).start()

    def run(
        self, request: _Request, timeout: float, *, priority: bool = False, stream: bool = False
    ) -> Answer:
        """Run one request in a worker; see :meth:`execute`."""
        deadline = time.monotonic() + timeout
        for attempt in range(2):
            try:
                worker = self._acquire(deadline, priority)
            except _DeadlineError:
                busy = (
                    f"all {self.size} busy"
                    if priority
                    else (
                        f"{self.size - self.reserved} of {self.size} run ad-hoc queries, all busy"
                    )
                )
                raise QueryTimeoutError(
                    f"no query worker became free within {timeout:g} s ({busy})"
                ) from None
            try:
                worker.send(request)
            except (BrokenPipeError, OSError):
                self._replace(worker)  # died while idle: try another one once
                if attempt == 0:
                    continue
                raise WorkerError("the query worker died; try again") from None
            try:
                status, payload = worker.recv(deadline)
                if status == "ok_chunked":
                    if stream:  # the caller reads the pieces; the worker is theirs till then
                        payload.stream = _Pieces(self, worker, deadline)
                        return payload
                    payload.body = _collect(worker, deadline)
                    status = "ok"
            except _DeadlineError:
                self._replace(worker)
                raise QueryTimeoutError(
                    f"the query ran longer than {timeout:g} s (KG_QUERY_TIMEOUT) and was stopped"
                ) from None
            except EOFError:
                if self._closed:  # close() killed it: the server is stopping
                    raise WorkerError(
                        "the server is stopping; the query was not finished"
                    ) from None
                self._replace(worker)
                raise _died(worker) from None
            self._release(worker)
            return _unwrap(status, payload)
        raise WorkerError("no query worker available")  # pragma: no cover

    def execute(
        self,
        query: str,
        *,
        result_format: str | None = "json",
        graph_format: str | None = "turtle",
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Bindings | None = None,
        max_rows: int | None = None,
        max_bytes: int | None = None,
        timeout: float = 30.0,
        priority: bool = False,
        stream: bool = False,
        base_iri: str | None = None,
    ) -> Answer:
        """Run a query in a worker and return its serialised result.

        Parameters
        ----------
        query : str
            SPARQL query text.
        result_format, graph_format : str or None
            Output format for SELECT/ASK and for CONSTRUCT/DESCRIBE (``None``: not acceptable).
        default_graph, named_graphs : sequence of str, optional
            Protocol dataset (``default-graph-uri`` / ``named-graph-uri``).
        bindings : mapping of str to term, optional
            Parameter values (see :func:`kg.sparql.backend.query_store`).
        max_rows : int, optional
            Row (or triple) cap.
        max_bytes : int, optional
            Byte cap of the answer (``KG_MAX_RESULT_BYTES``).
        timeout : float
            Seconds before the worker is killed.
        priority : bool
            May use the reserved workers (the named queries and pages, through
            :class:`PooledBackend`); ad-hoc ``/sparql`` queries may not.
        stream : bool
            Return a large answer as :attr:`Answer.stream` (pieces read from the worker as
            they are consumed) instead of a whole ``body``.
        base_iri : str, optional
            Base IRI for the query's relative IRIs (the endpoint's URL).

        Raises
        ------
        QueryError
            Syntax error or a binding problem (HTTP 400).
        ServiceRefusedError
            The query tried to open a network connection in a sandboxed worker.
        NotAcceptableError
            The result kind has no acceptable format.
        QueryTimeoutError
            The deadline passed.
        WorkerError
            The worker died.
        """
        request = _Request(
            query=query,
            result_format=result_format,
            graph_format=graph_format,
            default_graph=list(default_graph) if default_graph else None,
            named_graphs=list(named_graphs) if named_graphs else None,
            bindings=dict(bindings or {}),
            max_rows=max_rows,
            max_bytes=max_bytes,
            service_allow=self.service_allow,
            base_iri=base_iri,
        )
        return self.run(request, timeout, priority=priority, stream=stream)

    def close(self) -> None:
        """Stop every worker: idle ones let finish, busy ones (a runaway query) killed.

        A server stopping (SIGTERM) must not wait for a query's deadline, nor leave a worker
        reading a store that is being removed.
        """
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = self._live - set(idle)
            self._live = set()
            self._cond.notify_all()
        for w in busy:
            w.kill()
        for w in idle:
            w.stop()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _died(worker: _Worker) -> KGError:
    """Return the error for a worker that died during a query, chosen from how it ended."""
    code = worker.proc.returncode
    killed = code is not None and -code in (signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV)
    if killed and worker.memory_mb:
        # RLIMIT_AS: an allocation failed and Rust aborted (or the kernel's OOM killer struck)
        return QueryMemoryError(
            f"the query needed more memory than a query worker may use "
            f"({worker.memory_mb} MB, KG_WORKER_MEMORY_MB) and was stopped"
        )
    return WorkerError(f"the query worker died while running the query (exit status {code})")


def _unwrap(status: str, payload: Any) -> Answer:
    if status == "ok":
        return payload
    if status == "syntax" or status == "query":
        raise QueryError(payload)
    if status == "service":
        raise ServiceRefusedError(payload)
    if status == "memory":
        raise QueryMemoryError(payload)
    if status == "not_acceptable":
        raise NotAcceptableError(payload)
    raise WorkerError(f"query failed in the worker: {payload}")


def handle(store: ox.Store, request: _Request, *, sandboxed: bool) -> tuple[str, Any]:
    """Run one request on ``store`` and return ``(status, payload)`` (used by the workers)."""
    from kg.sparql.backend import query_store
    from kg.sparql.text import check_service

    try:
        # Here, under the deadline, not in the server: reading a hostile megabyte takes seconds.
        check_service(request.query, request.service_allow)
        result = query_store(
            store,
            request.query,
            request.bindings,
            default_graph=request.default_graph,
            named_graphs=request.named_graphs,
            base_iri=request.base_iri,
        )
        answer = render(
            result,
            request.result_format,
            request.graph_format,
            max_rows=request.max_rows,
            max_bytes=request.max_bytes,
            prefixes=output_prefixes(request.query),
        )
        return "ok", answer
    except NotAcceptableError as exc:
        return "not_acceptable", exc.kind
    except ServiceRefusedError as exc:
        return "service", str(exc)
    except QueryError as exc:
        return "query", str(exc)
    except PermissionError as exc:
        if sandboxed:
            where = (
                "to a host outside the SERVICE allow-list"
                if request.service_allow
                else "(SERVICE is disabled on this endpoint)"
            )
            return "service", f"the query tried to open a network connection {where}: {exc}"
        return "error", str(exc)
    except OSError as exc:
        if "SERVICE" in request.query.upper():
            return "query", f"SERVICE call failed: {exc}"
        return "error", str(exc)
    except (RuntimeError, ValueError, TypeError) as exc:
        return "query", str(exc)
    except MemoryError:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        shown = f"{limit // 2**20} MB, " if limit != resource.RLIM_INFINITY else ""
        return "memory", (
            "the query needed more memory than a query worker may use "
            f"({shown}KG_WORKER_MEMORY_MB) and was stopped"
        )


# --------------------------------------------------------------------------------------------
# Backends over a pool or a remote endpoint


class PooledBackend:
    """The :class:`~kg.sparql.backend.Backend` interface over a :class:`QueryPool` (with timeouts).

    Parameters
    ----------
    pool : QueryPool
        The workers.
    timeout : float
        Default time limit of a query in seconds.
    """

    def __init__(self, pool: QueryPool, *, timeout: float = 30.0) -> None:
        self.pool = pool
        self.timeout = timeout
        self.lateral: bool | None = None  # found by kg.sparql.backend.supports_lateral()

    def _run(
        self,
        query: str,
        bindings: Bindings | None,
        timeout: float | None,
        result_format: str | None,
        graph_format: str | None,
    ) -> Answer:
        return self.pool.execute(
            query,
            result_format=result_format,
            graph_format=graph_format,
            bindings=bindings,
            timeout=self.timeout if timeout is None else timeout,
            priority=True,  # the named queries and pages keep the reserved workers
        )

    def select(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> SelectResult:
        """Run a SELECT query in a worker; return its columns and rows of terms."""
        try:
            answer = self._run(query, bindings, timeout, "tsv", None)
        except NotAcceptableError:
            raise QueryError("expected a SELECT query, got a CONSTRUCT or DESCRIBE query") from None
        if answer.kind != "bindings":
            raise QueryError("expected a SELECT query, got an ASK query")
        res = ox.parse_query_results(answer.body, ox.QueryResultsFormat.TSV)
        columns = [v.value for v in res.variables]  # type: ignore[union-attr]
        return SelectResult(columns, [{c: sol[c] for c in columns} for sol in res])

    def ask(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> bool:
        """Run an ASK query in a worker."""
        try:
            answer = self._run(query, bindings, timeout, "tsv", None)
        except NotAcceptableError:
            raise QueryError("expected an ASK query, got a CONSTRUCT or DESCRIBE query") from None
        if answer.kind != "boolean":
            raise QueryError("expected an ASK query, got a SELECT query")
        return bool(ox.parse_query_results(answer.body, ox.QueryResultsFormat.TSV))

    def graph(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query in a worker; return its triples."""
        try:
            answer = self._run(query, bindings, timeout, None, "ntriples")
        except NotAcceptableError:
            raise QueryError(
                "expected a CONSTRUCT or DESCRIBE query, got a SELECT or ASK query"
            ) from None
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
        ]

    def __repr__(self) -> str:
        return f"PooledBackend({self.pool.db_path}, workers={self.pool.size})"


class RemoteExecutor:
    """:meth:`QueryPool.execute` over a remote SPARQL endpoint (used by the API in remote mode).

    The endpoint is asked for what the query form produces: SPARQL results (JSON, else XML) for
    SELECT and ASK, RDF (N-Triples, else Turtle or RDF/XML) for CONSTRUCT and DESCRIBE. Some
    stores (Virtuoso) answer a CONSTRUCT with a results table when the Accept header allows one.
    The answer is parsed with pyoxigraph and re-serialised in the client's format, with the same
    row cap as the local pool. A query without its own ``BASE`` gets the endpoint's URL as base
    (``BASE <…>`` is prepended), so relative IRIs mean what they mean on the local endpoint.
    """

    RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
    GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
    ACCEPT = (
        "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
        "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.4"
    )

    def __init__(self, backend: RemoteBackend) -> None:
        self.backend = backend

    def execute(
        self,
        query: str,
        *,
        result_format: str | None = "json",
        graph_format: str | None = "turtle",
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Bindings | None = None,
        max_rows: int | None = None,
        max_bytes: int | None = None,
        timeout: float = 30.0,
        stream: bool = False,
        base_iri: str | None = None,
    ) -> Answer:
        """Run a query on the endpoint; see :meth:`QueryPool.execute` (never streamed)."""
        from kg.sparql.text import inject_values, query_form, with_base

        if bindings:
            query = inject_values(query, bindings)
        form = query_form(query)
        if base_iri:
            query = with_base(query, base_iri)
        accept = {
            "SELECT": self.RESULTS_ACCEPT,
            "ASK": self.RESULTS_ACCEPT,
            "CONSTRUCT": self.GRAPH_ACCEPT,
            "DESCRIBE": self.GRAPH_ACCEPT,
        }.get(form or "", self.ACCEPT)
        resp = self.backend.post(
            query,
            accept=accept,
            timeout=timeout,
            default_graph=default_graph,
            named_graphs=named_graphs,
        )
        ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        result: Any
        if form in ("CONSTRUCT", "DESCRIBE") or (
            form is None and ox.QueryResultsFormat.from_media_type(ctype) is None
        ):
            result = parse_graph(resp, base_iri=base_iri)
        else:
            result = parse_results(resp)
        return render(
            result,
            result_format,
            graph_format,
            max_rows=max_rows,
            max_bytes=max_bytes,
            prefixes=output_prefixes(query),
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self.backend.close()
