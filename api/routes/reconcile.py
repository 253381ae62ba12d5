"""``/reconcile``: the W3C Reconciliation API v0.2 for OpenRefine (:mod:`kg.reconcile.service`).

Every route parses its parameters, calls one :mod:`kg.reconcile.service` function and renders
its answer. The answers are public and read-only, and the specification requires CORS, so each
carries ``Access-Control-Allow-Origin: *`` (no credentials) and ``Cross-Origin-Resource-Policy:
cross-origin``; there is no JSONP (dropped in v0.2). The preview is an HTML page for the
client's frame: its Content-Security-Policy loads nothing (its one style is allowed by hash)
and, alone among the pages, lets any page frame it (``frame-ancestors *``), since OpenRefine
shows it in an iframe of its own origin.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import partial
from typing import Annotated, Any
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import BackendDep
from api.errors import detail_for, status_for

# The rules for the server's own address and for reading a bounded body are the SPARQL
# endpoint's; they are used here as they are, not written again.
from api.routes.sparql import _endpoint_iri, _read_body
from kg.exceptions import InvalidParameterError, KGError
from kg.reconcile.service import (
    PREVIEW_STYLE,
    preview_html,
    propose_properties,
    service,
    suggest,
)

router = APIRouter(prefix="/reconcile", tags=["reconcile"])

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Cross-Origin-Resource-Policy": "cross-origin",
}
_STYLE_HASH = base64.b64encode(hashlib.sha256(PREVIEW_STYLE.encode()).digest()).decode()
#: The preview's policy: nothing may load, its style by hash, any page may frame it.
PREVIEW_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)


def _json(data: Any) -> JSONResponse:
    return JSONResponse(data, headers=CORS)


def _error(exc: KGError) -> JSONResponse:
    return JSONResponse({"detail": detail_for(exc)}, status_code=status_for(exc), headers=CORS)


def _count(param: str, value: str) -> int:
    """Parse a count parameter (FastAPI's own check would answer 422, the protocol wants 400)."""
    if not value.strip().isdigit():
        raise InvalidParameterError(param, f"expected a whole number 0 or more, got {value!r}")
    return int(value)


def _base(request: Request) -> str:
    return _endpoint_iri(request).removesuffix("/sparql")


async def _run(request: Request, func: Any, *args: Any, **kwargs: Any) -> Any:
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs))


async def _params(request: Request) -> dict[str, Any]:
    """Return the query string's parameters and, for a POST, the form's or JSON body's."""
    params: dict[str, Any] = dict(request.query_params)
    if request.method != "POST":
        return params
    cap = request.app.state.settings.max_body_bytes
    body = await _read_body(request, cap)
    if body is None:
        raise InvalidParameterError("queries", f"request body over {cap} bytes")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidParameterError("queries", f"body not UTF-8 (byte {exc.start})") from None
    if kind == "application/json":
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise InvalidParameterError("queries", f"body not JSON ({exc.msg})") from None
        except RecursionError:  # "[[[[..." thousands deep
            raise InvalidParameterError("queries", "body: JSON nested too deeply") from None
        if not isinstance(data, dict):
            raise InvalidParameterError(
                "queries", "body must be a JSON object with queries or extend"
            )
        params.update(data)
    else:  # application/x-www-form-urlencoded, as OpenRefine sends it
        params.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
    return params


_QUERIES = Query(description='A batch: {"q0": {"query": "ASTI", "properties": [...]}}')
_EXTEND = Query(description='{"ids": ["lu-asti"], "properties": [{"id": "country"}]}')


async def _service(request: Request, backend: Any) -> Response:
    try:
        params = await _params(request)
        return _json(await _run(request, service, params, _base(request), backend=backend))
    except KGError as exc:
        return _error(exc)


@router.get("", summary="Reconciliation service: manifest, query batch or data extension")
async def reconcile(
    request: Request,
    backend: BackendDep,
    queries: Annotated[str | None, _QUERIES] = None,
    extend: Annotated[str | None, _EXTEND] = None,
) -> Response:
    """Answer with the manifest (no parameter), candidates (``queries``) or values (``extend``).

    W3C Reconciliation API v0.2. ``callback`` (JSONP) is not honoured: v0.2 requires CORS.
    """
    return await _service(request, backend)


@router.post("", summary="Reconciliation service: query batch or data extension (form or JSON)")
async def reconcile_post(
    request: Request,
    backend: BackendDep,
    queries: Annotated[str | None, _QUERIES] = None,
    extend: Annotated[str | None, _EXTEND] = None,
) -> Response:
    """Answer ``queries`` or ``extend`` sent as a form (as OpenRefine does) or a JSON object."""
    return await _service(request, backend)


@router.options("", include_in_schema=False)
@router.options("/{path:path}", include_in_schema=False)
def preflight() -> Response:
    """CORS preflight (a JSON POST from a browser)."""
    return Response(status_code=204, headers=CORS)


@router.get("/suggest/{what}", summary="Suggest organisations, types or properties by name")
async def suggest_route(
    what: str,
    backend: BackendDep,
    request: Request,
    prefix: Annotated[str, Query(description="What was typed so far")] = "",
    cursor: Annotated[str, Query(description="Skip this many suggestions")] = "0",
) -> Response:
    """Suggest what (``entity``, ``type`` or ``property``) matches ``prefix``."""
    try:
        skip = _count("cursor", cursor)
        answer = await _run(request, suggest, what, prefix, backend=backend, limit=skip + 10)
    except KGError as exc:
        return _error(exc)
    return _json({"result": answer["result"][skip:]})


@router.get("/preview", summary="Preview of an organisation (HTML for the client's frame)")
async def preview(
    request: Request,
    backend: BackendDep,
    id: Annotated[str, Query(description="The organisation's identifier (lu-asti)")] = "",  # noqa: A002 - the specification's name
) -> Response:
    """Label, other names, country, kinds and identifiers of one organisation."""
    try:
        if not id.strip():
            raise InvalidParameterError("id", "required (an organisation such as lu-asti)")
        page = await _run(request, preview_html, id, backend=backend)
    except KGError as exc:
        return _error(exc)
    headers = {**CORS, "Content-Security-Policy": PREVIEW_POLICY}
    return HTMLResponse(page, headers=headers)


@router.get("/properties", summary="Properties offered for data extension (propose properties)")
async def properties(
    request: Request,
    backend: BackendDep,
    type: Annotated[str, Query(description="org:Organization or a kind (kind:cso)")] = "",  # noqa: A002 - the specification's name
    limit: Annotated[str | None, Query(description="At most this many")] = None,
) -> Response:
    """List the properties data extension can fetch for organisations of ``type``."""
    try:
        most = None if limit is None else _count("limit", limit)
        answer = await _run(request, propose_properties, type, most, backend=backend)
    except KGError as exc:
        return _error(exc)
    return _json(answer)
