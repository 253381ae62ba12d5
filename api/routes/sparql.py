"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (read-only), its service description and editor.

Conventions
-----------
- Queries: ``GET ?query=``, ``POST`` form (``query=``) or ``POST application/sparql-query``
  (UTF-8, as the protocol requires; another charset is 415); ``default-graph-uri`` /
  ``named-graph-uri`` select the dataset (else the union of all graphs), given in the URL or,
  for a form, in the form too. ``HEAD`` answers as ``GET`` without the body.
- Relative IRIs in a query are resolved against the endpoint's URL (SPARQL 1.1 Protocol 2.1.4:
  the base IRI "MAY be the service endpoint"), so ``CONSTRUCT { <s> <p> 1 } WHERE {}`` works.
- Answers are negotiated from ``Accept`` (q-values honoured): SELECT/ASK as SPARQL JSON
  (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD,
  RDF/XML or N3; 406 when nothing acceptable. pyoxigraph serialises every answer.
- Refusals: updates 403 (``update=`` in the URL or a form, or any ``application/sparql-update``
  body; the W3C protocol suite's 14 update tests, ``tests/api/test_w3c_protocol.py``);
  ``SERVICE`` 400 unless allow-listed (``KG_SERVICE_ALLOW``); syntax
  errors 400 with the parser's message and position; bodies over ``KG_MAX_BODY_BYTES`` 413;
  other POST bodies 415; queries past ``KG_QUERY_TIMEOUT`` 503 (the worker is killed); more
  than ``KG_SPARQL_PER_CLIENT`` queries at once from one client address 429. Ad-hoc queries
  leave ``KG_SPARQL_RESERVED`` workers to the named queries and pages.
- Results over ``KG_MAX_ROWS`` rows (or triples) are **truncated**, with the response headers
  ``KG-Truncated: true`` and ``KG-Max-Rows: N``; answers over ``KG_MAX_RESULT_BYTES`` bytes are
  cut to the rows that fit, with ``KG-Truncated: true`` and ``KG-Max-Result-Bytes: N``;
  ``KG-Result-Count`` always gives the number of rows sent. A query that needs more memory
  than ``KG_WORKER_MEMORY_MB`` per worker is stopped with 503 naming the limit.
- ``GET /sparql`` without a query returns the service description (Turtle by default); a browser
  (``Accept: text/html``) gets the YASGUI editor bundled in ``api/static/sparql/``.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from functools import partial
from typing import Annotated
from urllib.parse import parse_qs

import anyio
import mimeparse
import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from api.deps import SparqlRuntime
from api.errors import status_for
from api.settings import SPARQL_ASSETS, public_url
from kg.exceptions import (
    KGError,
    NotAcceptableError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ServiceRefusedError,
    WorkerError,
)
from kg.sparql import text as sparql_text
from kg.sparql.pool import GRAPH_FORMATS, RESULT_FORMATS

router = APIRouter(tags=["sparql"])

EXPOSED_HEADERS = ("KG-Truncated", "KG-Max-Rows", "KG-Max-Result-Bytes", "KG-Result-Count")

# (media type a client may ask for, format) in the server's order of preference: with "*/*"
# or no Accept header, the first entry wins.
RESULT_TYPES: list[tuple[str, str]] = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
]
GRAPH_TYPES: list[tuple[str, str]] = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/x-json+ld", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
    ("text/n3", "n3"),
    ("text/rdf+n3", "n3"),
]
PAGE_TYPES: list[tuple[str, str]] = [
    *GRAPH_TYPES,
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
]

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_TEXT = {"content": {"text/plain": {"schema": {"type": "string"}}}}
_ERRORS = {
    400: {"description": "Invalid query (the parser's message), or SERVICE refused", **_TEXT},
    403: {"description": "SPARQL Update refused: the endpoint is read-only", **_TEXT},
    406: {"description": "No acceptable format for this kind of result", **_TEXT},
    413: {"description": "Request body larger than KG_MAX_BODY_BYTES", **_TEXT},
    414: {"description": "Query string larger than KG_MAX_BODY_BYTES", **_TEXT},
    429: {"description": "The client has KG_SPARQL_PER_CLIENT queries running", **_TEXT},
    415: {"description": "POST body neither form-encoded nor application/sparql-query", **_TEXT},
    503: {"description": "Query stopped at KG_QUERY_TIMEOUT or KG_WORKER_MEMORY_MB", **_TEXT},
}
_RESULTS_200 = {
    200: {
        "description": "Query results (SELECT/ASK) or an RDF graph (CONSTRUCT/DESCRIBE); the "
        "service description or the editor page when there is no query",
        "content": {
            mt: {"schema": {"type": "string"}}
            for mt in dict.fromkeys(
                [m for m, _ in RESULT_TYPES] + [m for m, _ in GRAPH_TYPES] + ["text/html"]
            )
        },
    }
}
_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
            "application/sparql-query": {"schema": {"type": "string"}},
        },
    }
}


# --------------------------------------------------------------------------------------------
# Content negotiation


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """Parse an ``Accept`` header into ``(type, subtype, q)`` with python-mimeparse.

    Malformed parts (no ``/``, an unreadable ``q``) are skipped rather than failing the request.
    """
    ranges = []
    for part in header.split(","):
        try:
            mtype, subtype, params = mimeparse.parse_media_range(part)
            q = float(params.get("q", 1))
        except (ValueError, mimeparse.MimeTypeParseException):
            continue
        ranges.append((mtype.lower(), subtype.lower(), min(max(q, 0.0), 1.0)))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    # mimeparse's "fitness": the most specific matching range decides (RFC 9110, 12.5.1).
    parsed = [(m, s, {"q": str(q)}) for m, s, q in ranges]
    return float(mimeparse.quality_parsed(media_type, parsed))


def negotiate(header: str | None, candidates: list[tuple[str, str]]) -> str | None:
    """Pick the format the client prefers among ``candidates`` (server order breaks ties).

    A format's quality is the best quality of its media types, except that a client refusing
    the type we would send (``q=0`` on exactly that type) rules the format out.

    Returns
    -------
    str or None
        The chosen format, or ``None`` when every candidate has quality 0.
    """
    if not header or not header.strip():
        return candidates[0][1]
    ranges = parse_accept(header)
    if not ranges:
        return candidates[0][1]
    quality: dict[str, float] = {}
    refused: set[str] = set()
    for media_type, fmt in candidates:
        if fmt not in quality:  # the first type listed for a format is the one sent
            mtype, _, subtype = media_type.partition("/")
            if any(r[:2] == (mtype, subtype) and r[2] == 0 for r in ranges):
                refused.add(fmt)
        quality[fmt] = max(quality.get(fmt, 0.0), _quality(media_type, ranges))
    chosen, best = None, 0.0
    for fmt, q in quality.items():  # dicts keep the server's order
        if fmt not in refused and q > best:
            chosen, best = fmt, q
    return chosen


def _acceptable(candidates: list[tuple[str, str]]) -> str:
    return ", ".join(dict.fromkeys(m for m, _ in candidates))


# --------------------------------------------------------------------------------------------
# Responses


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(
        message + "\n", status_code=status, headers={"Cache-Control": "no-store", **(headers or {})}
    )


def _read_only() -> PlainTextResponse:
    return _text(403, "This SPARQL endpoint is read-only: SPARQL Update is not accepted.")


#: How much of the text the server reads to find the query form (SELECT, ..., or an update verb).
#: A longer prologue is left to the worker: Oxigraph's query parser refuses updates anyway.
_FORM_SCAN = 64 * 1024


def _runtime(request: Request) -> SparqlRuntime:
    return request.app.state.sparql


def _endpoint_url(request: Request) -> str:
    # The base IRI of relative IRIs in a query: the endpoint's own IRI (never the Host header).
    return _endpoint_iri(request)


async def _answer(
    request: Request, query: str, default_graph: list[str], named_graphs: list[str]
) -> Response:
    runtime = _runtime(request)
    s = runtime.settings
    # Only the prologue is read here (at most _FORM_SCAN characters); SERVICE and nesting are
    # checked in the worker, under the deadline (kg.sparql.pool.handle).
    form = sparql_text.query_form(query[:_FORM_SCAN])
    if form == "UPDATE":
        return _read_only()
    accept = request.headers.get("accept")
    result_format = negotiate(accept, RESULT_TYPES)
    graph_format = negotiate(accept, GRAPH_TYPES)
    if form in ("SELECT", "ASK") and result_format is None:
        return _text(406, f"Acceptable for {form} results: {_acceptable(RESULT_TYPES)}")
    if form in ("CONSTRUCT", "DESCRIBE") and graph_format is None:
        return _text(406, f"Acceptable for {form} results: {_acceptable(GRAPH_TYPES)}")
    if result_format is None and graph_format is None:
        return _text(406, f"Acceptable: {_acceptable(RESULT_TYPES + GRAPH_TYPES)}")
    run = partial(
        runtime.executor.execute,
        query,
        result_format=result_format,
        graph_format=graph_format,
        default_graph=default_graph or None,
        named_graphs=named_graphs or None,
        max_rows=s.max_rows,
        max_bytes=s.max_result_bytes,
        timeout=s.query_timeout,
        stream=True,
        base_iri=_endpoint_url(request),
    )
    client = request.client.host if request.client else ""
    if runtime.running.get(client, 0) >= runtime.per_client:
        return _text(
            429,
            f"This client already has {runtime.per_client} queries running "
            "(KG_SPARQL_PER_CLIENT); wait for one to finish.",
            {"Retry-After": "1"},
        )
    runtime.running[client] = runtime.running.get(client, 0) + 1
    try:
        answer = await anyio.to_thread.run_sync(run, limiter=runtime.limiter)
    except NotAcceptableError as exc:
        types = RESULT_TYPES if exc.kind in ("bindings", "boolean") else GRAPH_TYPES
        return _text(406, f"Acceptable for this query's results: {_acceptable(types)}")
    except QueryTimeoutError as exc:
        return _text(503, f"Query timed out: {exc}")
    except QueryMemoryError as exc:
        return _text(status_for(exc), str(exc))
    except ServiceRefusedError as exc:
        return _text(400, str(exc))
    except QueryError as exc:
        return _text(400, str(exc))
    except WorkerError as exc:
        return _text(status_for(exc), str(exc))
    except KGError as exc:  # the remote endpoint could not be reached
        return _text(502, str(exc))
    finally:
        _done(runtime, client)
    headers = {"Vary": "Accept", "KG-Result-Count": str(answer.count)}
    if answer.truncated:
        headers["KG-Truncated"] = "true"
        if answer.truncated_by == "bytes":
            headers["KG-Max-Result-Bytes"] = str(s.max_result_bytes)
        else:
            headers["KG-Max-Rows"] = str(s.max_rows)
    if answer.stream is not None:  # a large answer, passed on as the worker sends it
        return StreamingResponse(
            _relay(answer.stream), media_type=answer.media_type, headers=headers
        )
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _done(runtime: SparqlRuntime, client: str) -> None:
    runtime.running[client] -= 1
    if not runtime.running[client]:
        del runtime.running[client]


async def _relay(pieces: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Pass the pieces on as they come (the worker is held until the last, or the deadline)."""
    try:
        async for piece in iterate_in_threadpool(pieces):
            yield piece
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:  # a client gone mid-answer: the worker is replaced
            await anyio.to_thread.run_sync(close)


# --------------------------------------------------------------------------------------------
# Routes

GraphParam = Annotated[
    list[str],
    Query(alias="default-graph-uri", description="IRI of a graph of the default graph"),
]
NamedParam = Annotated[
    list[str], Query(alias="named-graph-uri", description="IRI of a named graph to expose")
]


@router.get(
    "/sparql",
    summary="SPARQL query (GET), service description, or the editor page",
    response_model=None,
    responses={**_RESULTS_200, **_ERRORS},
)
async def sparql_get(
    request: Request,
    query: Annotated[str | None, Query(description="SPARQL query")] = None,
    default_graph_uri: GraphParam = [],  # noqa: B006 - FastAPI copies defaults per request
    named_graph_uri: NamedParam = [],  # noqa: B006
) -> Response:
    """Run a query given as ?query=, or describe the service when there is none."""
    params = request.query_params
    if "update" in params:
        return _read_only()
    if query is None:
        return await _describe(request)
    if len(params.getlist("query")) > 1:
        return _text(400, "Give exactly one query parameter.")
    if len(query.encode("utf-8")) > _runtime(request).settings.max_body_bytes:
        return _text(414, "The query is longer than this endpoint accepts (KG_MAX_BODY_BYTES).")
    return await _answer(request, query, default_graph_uri, named_graph_uri)


@router.head("/sparql", include_in_schema=False)
async def sparql_head(
    request: Request,
    query: Annotated[str | None, Query(description="SPARQL query")] = None,
    default_graph_uri: GraphParam = [],  # noqa: B006 - FastAPI copies defaults per request
    named_graph_uri: NamedParam = [],  # noqa: B006
) -> Response:
    """Answer as ``GET`` would, without the body (the server drops it)."""
    return await sparql_get(request, query, default_graph_uri, named_graph_uri)


@router.post(
    "/sparql",
    summary="SPARQL query (POST form or application/sparql-query)",
    response_model=None,
    responses={**_RESULTS_200, **_ERRORS},
    openapi_extra=_POST_BODY,
)
async def sparql_post(request: Request) -> Response:
    """Run a query sent as a form (query=) or as an application/sparql-query body."""
    ctype, _, ctype_params = request.headers.get("content-type", "").partition(";")
    ctype = ctype.strip().lower()
    if ctype == "application/sparql-update":
        return _read_only()
    if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        return _text(
            415,
            "POST a form (application/x-www-form-urlencoded, query=...) or an "
            "application/sparql-query body.",
        )
    body = await _read_body(request, _runtime(request).settings.max_body_bytes)
    if body is None:
        return _text(413, "The request body is larger than this endpoint accepts.")
    if ctype == "application/sparql-query":
        charset = _charset(ctype_params)
        if charset.lower().replace("-", "").replace("_", "") != "utf8":
            return _text(
                415,
                f"An application/sparql-query body is UTF-8 (SPARQL 1.1 Protocol 2.1.3); "
                f"charset={charset!r} is not accepted.",
            )
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _text(400, f"The query is not valid UTF-8: {exc}")
        graphs, named = [], []
    else:
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as exc:
            return _text(400, f"The form is not valid UTF-8: {exc}")
        if "update" in form:
            return _read_only()
        queries = form.get("query", [])
        if len(queries) != 1:
            return _text(400, "Give exactly one query field in the form.")
        query = queries[0]
        graphs, named = form.get("default-graph-uri", []), form.get("named-graph-uri", [])
    # The dataset may also be in the URL (the W3C suite's query_post_form puts it there).
    params = request.query_params
    graphs = [*params.getlist("default-graph-uri"), *graphs]
    named = [*params.getlist("named-graph-uri"), *named]
    return await _answer(request, query, graphs, named)


def _charset(params: str) -> str:
    for p in params.split(";"):
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or "utf-8"
    return "utf-8"


async def _read_body(request: Request, cap: int) -> bytes | None:
    """Read the body, or return ``None`` as soon as it exceeds ``cap`` bytes."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------
# Service description and editor page


async def _describe(request: Request) -> Response:
    fmt = negotiate(request.headers.get("accept"), PAGE_TYPES)
    if fmt is None:
        return _text(406, f"Acceptable: {_acceptable(PAGE_TYPES)}")
    if fmt == "html":
        return HTMLResponse(editor_page(request))
    runtime = _runtime(request)
    graphs = runtime.cache.get("graphs")
    if graphs is None:
        graphs = await anyio.to_thread.run_sync(_graph_sizes, runtime, limiter=runtime.limiter)
        runtime.cache["graphs"] = graphs
    endpoint = _endpoint_iri(request)
    triples = service_description(endpoint, runtime, graphs)
    gfmt = GRAPH_FORMATS[fmt]
    prefixes = {"sd": SD, "void": VOID, "formats": "http://www.w3.org/ns/formats/"}
    pfx = prefixes if gfmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3) else None
    body = ox.serialize(triples, format=gfmt, prefixes=pfx)
    return Response(body, media_type=gfmt.media_type, headers={"Vary": "Accept"})


def _endpoint_iri(request: Request) -> str:
    """Return the endpoint's IRI: ``KG_PUBLIC_URL`` + ``/sparql``, else the bound address.

    Never the client's ``Host`` header, which anyone can set.
    """
    base = public_url()
    if base is None:
        host, port = request.scope.get("server") or ("127.0.0.1", 80)
        host = f"[{host}]" if ":" in str(host) else host
        base = f"{request.url.scheme}://{host}:{port}{request.scope.get('root_path', '')}"
    return base.rstrip("/") + "/sparql"


def _graph_sizes(runtime: SparqlRuntime) -> list[tuple[str, int]]:
    try:
        res = runtime.backend.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
            timeout=runtime.settings.query_timeout,
        )
    except KGError:
        return []  # the description is still useful without sizes
    return [
        (row["g"].value, int(row["n"].value))
        for row in res.rows
        if isinstance(row.get("g"), ox.NamedNode) and row.get("n") is not None
    ]


def format_iri(fmt: ox.RdfFormat) -> str:
    """Return the W3C format IRI of ``fmt`` (http://www.w3.org/ns/formats/).

    pyoxigraph 0.5 names JSON-LD ``https://www.w3.org/ns/formats/data/JSON-LD``, which is not
    the registered IRI; every other format's IRI is pyoxigraph's.
    """
    if fmt == ox.RdfFormat.JSON_LD:
        return "http://www.w3.org/ns/formats/JSON-LD"
    return fmt.iri


def service_description(
    endpoint: str, runtime: SparqlRuntime, graphs: list[tuple[str, int]]
) -> list[ox.Triple]:
    """Return the SPARQL 1.1 Service Description of this endpoint as triples."""
    sd = lambda local: ox.NamedNode(SD + local)  # noqa: E731 - a local shorthand
    svc = ox.NamedNode(endpoint)
    s = runtime.settings
    t = [
        ox.Triple(svc, RDF_TYPE, sd("Service")),
        ox.Triple(svc, sd("endpoint"), svc),
        ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(
            svc,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(
                "Read-only SPARQL endpoint of the integration knowledge graph. "
                f"Queries time out after {s.query_timeout:g} s; results are truncated to "
                f"{s.max_rows} rows (header KG-Truncated); SERVICE is "
                + ("limited to an allow-list." if s.service_allow else "disabled."),
                language="en",
            ),
        ),
    ]
    if s.service_allow:
        t.append(ox.Triple(svc, sd("feature"), sd("BasicFederatedQuery")))
    t += [ox.Triple(svc, sd("resultFormat"), ox.NamedNode(f.iri)) for f in RESULT_FORMATS.values()]
    t += [
        ox.Triple(svc, sd("resultFormat"), ox.NamedNode(format_iri(f)))
        for f in GRAPH_FORMATS.values()
    ]
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    t += [
        ox.Triple(svc, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
    ]
    if graphs:
        total = sum(n for _, n in graphs)
        t.append(ox.Triple(default, ox.NamedNode(VOID + "triples"), ox.Literal(total)))
    for i, (iri, n) in enumerate(graphs):
        named, graph = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        t += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(iri)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), ox.Literal(n)),
        ]
    return t


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL editor · integration knowledge graph</title>
<link rel="icon" href="data:,">
{head}
<style>
  body {{ margin: 0; font-family: system-ui, sans-serif; }}
  header {{ display: flex; flex-wrap: wrap; gap: 1rem; align-items: center;
           padding: .5rem 1rem; border-bottom: 1px solid #ccc; }}
  header h1 {{ font-size: 1.1rem; margin: 0; }}
  header a {{ color: #0b57a4; }}
  main {{ padding: .5rem 1rem; }}
  textarea {{ width: 100%; min-height: 16rem; font-family: monospace; }}
</style>
</head>
<body>
<header>
  <h1>SPARQL · integration knowledge graph</h1>
  <nav><a href="{root}/">Explorer</a> · <a href="{root}/docs">API</a> ·
    <a href="{root}/sparql" type="text/turtle" rel="alternate">service description</a></nav>
  <label hidden>Example: <select id="examples">
    <option value="">choose a named query…</option></select></label>
</header>
<main>
{body}
</main>
</body>
</html>
"""

_DEFAULT_QUERY = """SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n)
LIMIT 25"""


def editor_page(request: Request) -> str:
    """Return the editor page: YASGUI when the assets are built, a plain form otherwise."""
    root = html.escape(request.scope.get("root_path", "").rstrip("/"))
    if (SPARQL_ASSETS / "sparql.js").is_file():
        head = f'<link rel="stylesheet" href="{root}/static/sparql/sparql.css">'
        body = (
            f'<div id="yasgui" data-endpoint="{root}/sparql" data-queries="{root}/api/queries">'
            "</div>\n"
            f"<noscript>{_plain_form(root)}</noscript>\n"
            f'<script src="{root}/static/sparql/sparql.js"></script>'
        )
    else:
        head = ""
        body = (
            "<p>The YASGUI editor is not built in this installation (run <code>make web</code>, "
            "i.e. <code>cd explorer &amp;&amp; npm ci &amp;&amp; npm run build</code>). "
            "This plain form sends queries to the same endpoint.</p>\n" + _plain_form(root)
        )
    return _PAGE.format(head=head, body=body, root=root)


def _plain_form(root: str) -> str:
    return (
        f'<form method="get" action="{root}/sparql">'
        f'<label for="q">Query</label><textarea id="q" name="query">'
        f"{html.escape(_DEFAULT_QUERY)}</textarea>"
        "<p><button type=submit>Run (JSON results)</button></p></form>"
    )
