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
- Workers refuse IP sockets (:func:`kg.sparql.sandbox.forbid_network`) unless a ``SERVICE``
  allow-list is configured, so a query cannot make the server call other hosts.
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
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.exceptions import (
    NotAcceptableError,
    QueryError,
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
        ``True`` when the result had more than ``max_rows`` rows and was cut.
    """

    kind: str
    format: str
    media_type: str
    body: bytes
    count: int
    truncated: bool = False


@dataclass
class _Request:
    query: str
    result_format: str | None
    graph_format: str | None
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    bindings: dict[str, Term] = field(default_factory=dict)
    max_rows: int | None = None
    base_iri: str | None = None


# --------------------------------------------------------------------------------------------
# Serialisation with a row cap (runs in the workers, and in the server for remote results)


class _FullError(Exception):
    """Raised by :class:`_CappedWriter` to stop pyoxigraph's serialiser."""


class _CappedWriter(io.RawIOBase):
    """A binary sink that keeps at most ``lines`` complete lines, then stops the writer."""

    def __init__(self, lines: int | None) -> None:
        super().__init__()
        self.buf = bytearray()
        self.lines = lines
        self.seen = 0
        self.full = False

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.buf += data
        if self.lines is not None:
            self.seen += data.count(b"\n")
            if self.seen > self.lines:
                self.full = True
                raise _FullError
        return len(data)

    def value(self) -> bytes:
        """Return the bytes written, cut after the last allowed line when the cap was hit."""
        if not self.full or self.lines is None:
            return bytes(self.buf)
        end = -1
        for _ in range(self.lines):
            end = self.buf.index(b"\n", end + 1)
        return bytes(self.buf[: end + 1])


def _capped(write: Any, lines: int | None) -> tuple[bytes, bool]:
    sink = _CappedWriter(lines)
    try:
        write(sink)
    except _FullError:
        pass
    except OSError:
        # pyoxigraph reports an exception raised by the sink as an OSError
        if not sink.full:
            raise
    return sink.value(), sink.full


def render(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    result_format: str | None,
    graph_format: str | None,
    *,
    max_rows: int | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> Answer:
    """Serialise a pyoxigraph result with pyoxigraph's serialisers, capped at ``max_rows``.

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
        tsv, truncated = _capped(
            lambda out: result.serialize(out, ox.QueryResultsFormat.TSV), _plus_header(max_rows)
        )
        count = max(tsv.count(b"\n") - 1, 0)
        if fmt == ox.QueryResultsFormat.TSV:
            body = tsv
        else:
            body = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt)
        return Answer("bindings", result_format, fmt.media_type, body, count, truncated)
    if graph_format is None:
        raise NotAcceptableError("graph")
    gfmt = GRAPH_FORMATS[graph_format]
    if isinstance(result, ox.QueryTriples):
        nt, truncated = _capped(lambda out: result.serialize(out, ox.RdfFormat.N_TRIPLES), max_rows)
        triples = None
    else:  # a list of triples (remote results)
        triples = list(result)
        truncated = max_rows is not None and len(triples) > max_rows
        triples = triples[:max_rows] if truncated else triples
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    count = nt.count(b"\n")
    if gfmt == ox.RdfFormat.N_TRIPLES:
        body = nt
    else:
        if triples is None:
            triples = [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
            ]
        pfx = None
        if gfmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3):
            # only the namespaces the triples use: a long unused prologue is noise
            pfx = {k: v for k, v in (prefixes or {}).items() if f"<{v}".encode() in nt}
        body = ox.serialize(triples, format=gfmt, prefixes=pfx)
    return Answer("graph", graph_format, gfmt.media_type, body, count, truncated)


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
        self, db_path: Path, sandbox: bool, start_timeout: float, memory_quads: int
    ) -> None:
        cmd = [sys.executable, "-m", "kg.sparql.worker", str(db_path)]
        if sandbox:
            cmd.append("--sandbox")
        if memory_quads:
            cmd += ["--memory-quads", str(memory_quads)]
        env = dict(os.environ)
        # The child must import this checkout's kg package, wherever the server was started.
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(  # noqa: S603 - our own module, no shell
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True
        )
        self.fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        try:
            hello = self.recv(time.monotonic() + start_timeout)
        except (_DeadlineError, EOFError):
            self.kill()
            raise WorkerError(f"a SPARQL worker did not start (store {db_path})") from None
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


class QueryPool:
    """A fixed number of worker processes over one read-only on-disk store.

    Parameters
    ----------
    db_path : path-like
        The Oxigraph folder (see :func:`kg.sparql.backend.store_db_path`).
    size : int
        Number of workers, i.e. of queries that can run at the same time.
    sandbox : bool
        Forbid network sockets in the workers (no ``SERVICE`` calls possible).
    start_timeout : float
        Seconds a worker may take to start and open the store.
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
    ) -> None:
        self.db_path = Path(db_path)
        self.memory_quads = memory_quads
        self.size = max(1, size)
        self.sandbox = sandbox
        self.start_timeout = start_timeout
        self._idle: list[_Worker] = []
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
        return _Worker(self.db_path, self.sandbox, self.start_timeout, self.memory_quads)

    def _acquire(self, deadline: float) -> _Worker:
        with self._cond:
            while not self._idle:
                if self._closed:
                    raise WorkerError("the query pool is closed")
                left = deadline - time.monotonic()
                if (left <= 0 or not self._cond.wait(left)) and not self._idle:
                    raise _DeadlineError
            return self._idle.pop()

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                worker.stop()
                return
            self._idle.append(worker)
            self._cond.notify()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now and start its replacement in the background."""
        worker.kill()
        self.restarts += 1

        def respawn() -> None:
            while not self._closed:
                try:
                    self._release(self._spawn())
                    return
                except WorkerError:
                    time.sleep(1.0)  # the store may be briefly unavailable; try again

        threading.Thread(target=respawn, name="kg-sparql-respawn", daemon=True).start()

    def run(self, request: _Request, timeout: float) -> Answer:
        """Run one request in a worker; see :meth:`execute`."""
        deadline = time.monotonic() + timeout
        for attempt in range(2):
            try:
                worker = self._acquire(deadline)
            except _DeadlineError:
                raise QueryTimeoutError(
                    f"no query worker became free within {timeout:g} s (all {self.size} busy)"
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
            except _DeadlineError:
                self._replace(worker)
                raise QueryTimeoutError(
                    f"the query ran longer than {timeout:g} s (KG_QUERY_TIMEOUT) and was stopped"
                ) from None
            except EOFError:
                self._replace(worker)
                raise WorkerError(
                    "the query worker died while running the query (out of memory?)"
                ) from None
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
        timeout: float = 30.0,
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
        timeout : float
            Seconds before the worker is killed.
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
            base_iri=base_iri,
        )
        return self.run(request, timeout)

    def close(self) -> None:
        """Stop every idle worker; busy ones are stopped when their query returns."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for w in idle:
            w.stop()

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unwrap(status: str, payload: Any) -> Answer:
    if status == "ok":
        return payload
    if status == "syntax" or status == "query":
        raise QueryError(payload)
    if status == "service":
        raise ServiceRefusedError(payload)
    if status == "not_acceptable":
        raise NotAcceptableError(payload)
    raise WorkerError(f"query failed in the worker: {payload}")


def handle(store: ox.Store, request: _Request, *, sandboxed: bool) -> tuple[str, Any]:
    """Run one request on ``store`` and return ``(status, payload)`` (used by the workers)."""
    from kg.sparql.backend import query_store

    try:
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
            prefixes=output_prefixes(request.query),
        )
        return "ok", answer
    except NotAcceptableError as exc:
        return "not_acceptable", exc.kind
    except QueryError as exc:
        return "query", str(exc)
    except PermissionError as exc:
        if sandboxed:
            return "service", (
                "the query tried to open a network connection (SERVICE is disabled on this "
                f"endpoint): {exc}"
            )
        return "error", str(exc)
    except OSError as exc:
        if "SERVICE" in request.query.upper():
            return "query", f"SERVICE call failed: {exc}"
        return "error", str(exc)
    except (RuntimeError, ValueError, TypeError) as exc:
        return "query", str(exc)


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
        timeout: float = 30.0,
        base_iri: str | None = None,
    ) -> Answer:
        """Run a query on the endpoint; see :meth:`QueryPool.execute`."""
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
            result, result_format, graph_format, max_rows=max_rows, prefixes=output_prefixes(query)
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self.backend.close()
