"""The SPARQL backend that every command, API route and projection goes through.

Conventions
-----------
- A backend answers three kinds of query: :meth:`~Backend.select` (rows of pyoxigraph terms),
  :meth:`~Backend.ask` (a bool) and :meth:`~Backend.graph` (CONSTRUCT / DESCRIBE triples).
  Queries are strings that Oxigraph (or the remote endpoint) parses; nothing here pre-parses them
  with rdflib, which would silently run rdflib's slow engine.
- Without a dataset (no ``FROM`` in the query, no ``default_graph``), queries see the union of
  the named graphs: every file of ``data/ttl/`` is its own named graph (:mod:`kg.loader.load`).
- Parameters are bound as RDF terms, never pasted as text: locally with pyoxigraph's
  ``substitutions=``; where Oxigraph refuses a substitution (the variable is not projected by a
  SELECT) and for remote endpoints, by a ``VALUES`` block written with pyoxigraph's own term
  serialisation at the start of the WHERE group (:func:`kg.sparql.text.inject_values`).
- A remote store sees exactly the project's graphs: queries that name no dataset are sent with
  them as ``default-graph-uri`` and ``named-graph-uri`` (:func:`remote_backend`,
  ``KG_SPARQL_GRAPHS``), so a store's other graphs (Virtuoso's system graphs) stay out.
- Dialects: :func:`supports_lateral` asks a backend once whether it has ``LATERAL``;
  :func:`kg.sparql.named.query_text` sends the SPARQL 1.1 rewrite to those that do not.
- :func:`open_backend` opens, in order: a remote endpoint (``KG_SPARQL_ENDPOINT``), a persisted
  store opened read-only (``KG_STORE`` / ``Settings.store_path``), or an in-memory store loaded
  from the Turtle files. Every function of :mod:`kg` that reads the graph takes its backend as
  an argument: the CLI opens one per command, the API server makes its own (queries in killable
  worker processes, :class:`kg.sparql.pool.PooledBackend`) and hands it to routes through a
  FastAPI dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import pyoxigraph as ox

from kg.exceptions import KGError, QueryError, QueryTimeoutError, SettingsError
from kg.settings import Settings, get_settings
from kg.sparql import text as sparql_text

if TYPE_CHECKING:  # pragma: no cover
    import httpx

__all__ = [
    "LATERAL_PROBE",
    "Backend",
    "LocalBackend",
    "QueryTimeoutError",
    "RemoteBackend",
    "SelectResult",
    "Term",
    "http_auth",
    "open_backend",
    "project_graphs",
    "query_store",
    "remote_backend",
    "supports_lateral",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Bindings = Mapping[str, Term]


@dataclass
class SelectResult:
    """Rows of a SELECT query.

    Attributes
    ----------
    columns : list of str
        The projected variable names, in the query's order.
    rows : list of dict
        One dict per solution mapping every column to a pyoxigraph term, or ``None`` when the
        variable is unbound.
    """

    columns: list[str]
    rows: list[dict[str, Term | None]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        return iter(self.rows)


@runtime_checkable
class Backend(Protocol):
    """What every SPARQL backend offers (local store, worker pool or remote endpoint)."""

    def select(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> SelectResult:
        """Run a SELECT query; return its columns and rows of terms."""
        ...

    def ask(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> bool:
        """Run an ASK query."""
        ...

    def graph(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query; return its triples."""
        ...


# --------------------------------------------------------------------------------------------
# Running a query on a pyoxigraph store (shared by LocalBackend and the query workers)

_POSITION = re.compile(
    r"^(?:Parser )?error (?:at|between) (\d+):(\d+)(?:\s*(?:and|-)\s*\d+:\d+)?: ?"
)


def syntax_error(exc: SyntaxError, query: str) -> QueryError:
    """Turn Oxigraph's ``SyntaxError`` into a :class:`QueryError` with line, column and context.

    The parser's own message is kept verbatim; the offending line and a caret follow it.
    """
    message = str(exc)
    m = _POSITION.match(message)
    if not m:
        return QueryError(f"SPARQL syntax error: {message}")
    line, col = int(m.group(1)), int(m.group(2))
    detail = message[m.end() :]
    lines = query.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    err = QueryError(
        f"SPARQL syntax error at line {line}, column {col}: {detail}\n"
        f"  {text}\n  {' ' * max(col - 1, 0)}^"
    )
    err.line, err.column = line, col  # type: ignore[attr-defined]  # for callers that locate it
    return err


def _graph_term(iri: str | ox.NamedNode) -> ox.NamedNode:
    try:
        return iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"invalid graph IRI {iri!r}: {exc}") from None


def query_store(
    store: ox.Store,
    query: str,
    bindings: Bindings | None = None,
    *,
    default_graph: Sequence[str | ox.NamedNode] | None = None,
    named_graphs: Sequence[str | ox.NamedNode] | None = None,
    base_iri: str | None = None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run ``query`` on ``store`` with the project's dataset and binding rules.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    query : str
        SPARQL query text.
    bindings : mapping of str to term, optional
        Variable name (without ``?``) to term.
    default_graph, named_graphs : sequence of IRIs, optional
        The protocol's ``default-graph-uri`` / ``named-graph-uri``. When neither they nor the
        query's ``FROM`` clauses name a dataset, the default graph is the union of all graphs.
    base_iri : str, optional
        The IRI that relative IRIs of the query are resolved against (the endpoint's URL for
        the protocol, SPARQL 1.1 Protocol 2.1.4); without it a relative IRI is a syntax error.

    Returns
    -------
    pyoxigraph.QuerySolutions or pyoxigraph.QueryBoolean or pyoxigraph.QueryTriples
        The lazy pyoxigraph result.

    Raises
    ------
    QueryError
        A syntax error (with line and column), a binding Oxigraph cannot apply, or brackets
        nested deeper than :data:`kg.sparql.text.MAX_NESTING`.
    """
    sparql_text.check_nesting(query)  # before Oxigraph's recursive parser sees it
    kwargs: dict[str, Any] = {}
    if base_iri:
        kwargs["base_iri"] = base_iri
    if default_graph:
        kwargs["default_graph"] = [_graph_term(g) for g in default_graph]
    if named_graphs:
        kwargs["named_graphs"] = [_graph_term(g) for g in named_graphs]
    dataset = "default_graph" in kwargs or "named_graphs" in kwargs
    if not dataset and "FROM" not in query.upper():
        kwargs["use_default_graph_as_union"] = True  # cheap path: no FROM anywhere in the text
    elif not dataset and not sparql_text.has_dataset_clause(query):
        kwargs["use_default_graph_as_union"] = True  # "FROM" only inside a string or an IRI
    try:
        if not bindings:
            return store.query(query, **kwargs)
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            return store.query(query, substitutions=subs, **kwargs)
        except RuntimeError as exc:
            if "projection" not in str(exc):
                raise QueryError(str(exc)) from None
        # Oxigraph substitutes only variables a SELECT/DESCRIBE projects: bind the others with a
        # VALUES block at the start of the WHERE group (terms serialised by pyoxigraph).
        return store.query(sparql_text.inject_values(query, bindings), **kwargs)
    except SyntaxError as exc:
        raise syntax_error(exc, query) from None
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def _select_result(res: Any) -> SelectResult:
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError(f"expected a SELECT query, got {_form_of(res)}")
    columns = [v.value for v in res.variables]
    return SelectResult(columns, [{c: sol[c] for c in columns} for sol in res])


def _ask_result(res: Any) -> bool:
    if not isinstance(res, ox.QueryBoolean):
        raise QueryError(f"expected an ASK query, got {_form_of(res)}")
    return bool(res)


def _graph_result(res: Any) -> list[ox.Triple]:
    if not isinstance(res, ox.QueryTriples):
        raise QueryError(f"expected a CONSTRUCT or DESCRIBE query, got {_form_of(res)}")
    return list(res)


def _form_of(res: Any) -> str:
    if isinstance(res, ox.QuerySolutions):
        return "a SELECT query"
    if isinstance(res, ox.QueryBoolean):
        return "an ASK query"
    return "a CONSTRUCT or DESCRIBE query"


class LocalBackend:
    """A pyoxigraph store in this process (in memory, or a persisted store opened read-only).

    ``timeout`` is accepted for interface compatibility but cannot be enforced: pyoxigraph has no
    way to interrupt a query. The API server runs queries through
    :class:`kg.sparql.pool.PooledBackend` instead, whose worker processes are killed at the
    deadline.
    """

    def __init__(self, store: ox.Store, *, path: Path | None = None) -> None:
        self.store = store
        self.path = path

    def query(
        self,
        query: str,
        bindings: Bindings | None = None,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run any query form and return pyoxigraph's lazy result (see :func:`query_store`)."""
        return query_store(
            self.store, query, bindings, default_graph=default_graph, named_graphs=named_graphs
        )

    def select(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> SelectResult:
        """Run a SELECT query; return its columns and rows of terms."""
        return _select_result(self.query(query, bindings))

    def ask(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> bool:
        """Run an ASK query."""
        return _ask_result(self.query(query, bindings))

    def graph(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query; return its triples."""
        return _graph_result(self.query(query, bindings))

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"LocalBackend({where})"


# --------------------------------------------------------------------------------------------
# Remote endpoints (SPARQL 1.1 protocol over HTTP)

_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


def http_auth(user: str | None, password: str | None, auth: str = "basic") -> httpx.Auth | None:
    """Return httpx's Basic or Digest authentication for ``user`` (``None`` without a user).

    Raises
    ------
    SettingsError
        ``auth`` is neither ``basic`` nor ``digest``.
    """
    import httpx

    if not user:
        return None
    if auth == "digest":
        return httpx.DigestAuth(user, password or "")
    if auth == "basic":
        return httpx.BasicAuth(user, password or "")
    raise SettingsError(f"auth={auth!r}: give basic or digest")


class RemoteBackend:
    """Any SPARQL 1.1 endpoint, queried over HTTP with httpx.

    Parameters
    ----------
    endpoint : str
        The query URL (e.g. ``http://127.0.0.1:7878/query`` for ``oxigraph serve``,
        ``http://127.0.0.1:8890/sparql`` for Virtuoso).
    user, password : str, optional
        HTTP authentication.
    auth : {"basic", "digest"}
        The authentication scheme (Virtuoso's protected endpoints want digest).
    timeout : float
        Default time limit of a query in seconds; the connection is dropped at the deadline.
    graphs : sequence of str, optional
        The project's graphs. When given, a query that names no dataset of its own (no
        ``FROM``, no ``default-graph-uri``) is sent with these graphs as both its default
        graphs and its named graphs, so it sees exactly what the embedded store shows (the union
        of the project's graphs) and nothing else the store holds (Virtuoso's system graphs).
        When ``None``, the endpoint decides what the default graph is (``oxigraph serve
        --union-default-graph``; Fuseki's ``tdb2:unionDefaultGraph true``).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        timeout: float = 30.0,
        graphs: Sequence[str] | None = None,
    ) -> None:
        import httpx

        self.endpoint = endpoint
        self.timeout = timeout
        self.graphs = list(graphs) if graphs else None
        self.lateral: bool | None = None  # found by supports_lateral() on first use
        self._client = httpx.Client(
            auth=http_auth(user, password, auth),
            follow_redirects=True,
            headers={"User-Agent": "kg"},
        )

    def post(
        self,
        query: str,
        *,
        accept: str,
        timeout: float | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> httpx.Response:
        """POST a query (form-encoded) and return the successful response.

        Raises
        ------
        QueryTimeoutError
            No complete answer within ``timeout`` seconds.
        QueryError
            The endpoint rejected the query (HTTP 400), with its message.
        KGError
            The endpoint could not be reached or failed otherwise.
        """
        import httpx

        data: dict[str, str | list[str]] = {"query": query}
        if (
            self.graphs
            and not default_graph
            and not named_graphs
            and not sparql_text.has_dataset_clause(query)
        ):
            default_graph = named_graphs = self.graphs
        if default_graph:
            data["default-graph-uri"] = list(default_graph)
        if named_graphs:
            data["named-graph-uri"] = list(named_graphs)
        limit = self.timeout if timeout is None else timeout
        try:
            resp = self._client.post(
                self.endpoint, data=data, headers={"Accept": accept}, timeout=limit
            )
        except httpx.TimeoutException:
            raise QueryTimeoutError(
                f"the remote endpoint gave no answer within {limit:g} s; the query was abandoned"
            ) from None
        except httpx.HTTPError as exc:
            raise KGError(f"cannot reach SPARQL endpoint {self.endpoint}: {exc}") from None
        if resp.status_code == 400:
            raise QueryError(f"the endpoint rejected the query: {resp.text.strip()[:2000]}")
        if resp.status_code in (408, 503, 504) and "time" in resp.text.lower():
            raise QueryTimeoutError(f"the endpoint stopped the query: {resp.text.strip()[:500]}")
        if resp.status_code >= 300:
            raise KGError(
                f"SPARQL endpoint {self.endpoint} answered {resp.status_code}: "
                f"{resp.text.strip()[:500]}"
            )
        return resp

    def _run(self, query: str, bindings: Bindings | None, accept: str, timeout: float | None):
        if bindings:
            query = sparql_text.inject_values(query, bindings)
        return self.post(query, accept=accept, timeout=timeout)

    def select(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> SelectResult:
        """Run a SELECT query; return its columns and rows of terms."""
        resp = self._run(query, bindings, _RESULTS_JSON, timeout)
        return _select_result(parse_results(resp))

    def ask(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> bool:
        """Run an ASK query."""
        resp = self._run(query, bindings, _RESULTS_JSON, timeout)
        return _ask_result(parse_results(resp))

    def graph(
        self, query: str, bindings: Bindings | None = None, timeout: float | None = None
    ) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query; return its triples."""
        resp = self._run(query, bindings, _GRAPH_ACCEPT, timeout)
        return parse_graph(resp)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __repr__(self) -> str:
        return f"RemoteBackend({self.endpoint})"


def _media_type(resp: httpx.Response) -> str:
    return resp.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_results(resp: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
    """Parse a SPARQL results response (JSON, XML or TSV) into pyoxigraph objects."""
    fmt = ox.QueryResultsFormat.from_media_type(_media_type(resp)) or ox.QueryResultsFormat.JSON
    try:
        return ox.parse_query_results(resp.content, fmt)
    except (SyntaxError, ValueError) as exc:
        raise KGError(f"unreadable SPARQL results from the endpoint: {exc}") from None


def parse_graph(resp: httpx.Response, *, base_iri: str | None = None) -> list[ox.Triple]:
    """Parse an RDF response (N-Triples, Turtle, RDF/XML, JSON-LD...) into triples.

    ``base_iri`` resolves relative IRIs in the document (some stores write them).
    """
    ctype = _media_type(resp)
    if ctype in ("application/sparql-results+json", "application/sparql-results+xml"):
        raise QueryError("expected a CONSTRUCT or DESCRIBE query, got a SELECT or ASK query")
    fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.TURTLE
    try:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(resp.content, fmt, base_iri=base_iri)
        ]
    except (SyntaxError, ValueError) as exc:
        raise KGError(f"unreadable RDF from the endpoint: {exc}") from None


LATERAL_PROBE = "ASK { BIND(1 AS ?x) LATERAL { BIND(?x AS ?y) } }"


def supports_lateral(backend: Backend) -> bool:
    """Whether ``backend`` evaluates ``LATERAL`` (Oxigraph, Jena ≥ 4.7), found by a probe.

    The probe is an ``ASK`` with a trivial ``LATERAL`` (:data:`LATERAL_PROBE`): true means
    supported; a refusal (syntax error) means not. The answer is kept on backends that have a
    ``lateral`` attribute (:class:`RemoteBackend`); an embedded Oxigraph store answers at once.
    """
    known = getattr(backend, "lateral", None)
    if known is not None:
        return bool(known)
    if isinstance(backend, LocalBackend):
        return True  # pyoxigraph, in this process
    try:
        answer = backend.ask(LATERAL_PROBE)
    except QueryTimeoutError:
        raise
    except QueryError:
        answer = False
    if hasattr(backend, "lateral"):
        backend.lateral = answer  # type: ignore[attr-defined]
    return answer


def project_graphs(settings: Settings) -> list[str]:
    """Return the IRIs of the project's graphs: one per ontology and data file, and the derived one.

    Only the file names are read (nothing is parsed). Without a data folder the list is empty:
    the project's graphs are unknown here, and :func:`remote_backend` leaves the dataset to the
    endpoint.
    """
    from kg.exceptions import LoadError
    from kg.loader.files import discover
    from kg.namespaces import DERIVED_GRAPH_IRI

    try:
        files = discover(settings)
    except LoadError:
        return []
    return [*dict.fromkeys(f.graph.value for f in files), DERIVED_GRAPH_IRI]


def remote_backend(settings: Settings) -> RemoteBackend:
    """Return the :class:`RemoteBackend` that ``settings`` describe (``KG_SPARQL_*``).

    Its dataset is ``KG_SPARQL_GRAPHS`` (comma-separated IRIs; ``*`` for the endpoint's own
    default graph) or else the project's graphs (:func:`project_graphs`; the endpoint's own
    default graph when there is no data folder to list them from).

    Raises
    ------
    SettingsError
        No endpoint is configured.
    """
    if not settings.sparql_endpoint:
        raise SettingsError("no SPARQL endpoint given (set KG_SPARQL_ENDPOINT)")
    graphs: list[str] | None
    if settings.sparql_graphs == ("*",):
        graphs = None
    else:
        graphs = list(settings.sparql_graphs) or project_graphs(settings)
    return RemoteBackend(
        settings.sparql_endpoint,
        user=settings.sparql_user,
        password=settings.sparql_password,
        auth=settings.sparql_auth,
        timeout=settings.query_timeout,
        graphs=graphs,
    )


def open_backend(settings: Settings | None = None) -> Backend:
    """Open the backend that ``settings`` describe (a new one on each call).

    Parameters
    ----------
    settings : Settings, optional
        Defaults to :func:`kg.settings.get_settings` (the ``KG_*`` environment variables).

    Returns
    -------
    Backend
        :class:`RemoteBackend` when ``sparql_endpoint`` is set; else :class:`LocalBackend` over
        the store at ``store_path`` (opened read-only) or over an in-memory store loaded from
        the files. Callers keep it and pass it on: nothing in :mod:`kg` looks a backend up.
    """
    s = settings or get_settings()
    if s.sparql_endpoint:
        return remote_backend(s)
    from kg.loader.ondisk import open_store

    if s.store_path is not None:
        return LocalBackend(open_store(s.store_path), path=s.store_path)
    from kg.loader.load import load_store

    return LocalBackend(load_store(s))
