"""Named queries as API operations: the library with headers, and each query's rows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.deps import BackendDep
from api.errors import http_error
from kg.entities.resolve import resolver
from kg.exceptions import KGError
from kg.sparql.named import load_queries, rows_as_dicts, run_named
from kg.tabular import rows_to_csv

router = APIRouter(prefix="/api/queries", tags=["queries"])


@router.get("", summary="The library of named queries")
def list_queries() -> list[dict[str, Any]]:
    """List every named query with its title, description, parameters and example."""
    return [q.to_dict() for q in load_queries().values()]


@router.get("/{name:path}", summary="Run a named query", response_model=None)
def run_query(name: str, request: Request, backend: BackendDep) -> Response:
    """Run a named query with the query-string parameters; JSON rows, or CSV on Accept: text/csv."""
    params = dict(request.query_params)
    try:
        result = run_named(name, params, backend=backend, resolve=resolver(backend))
    except KGError as exc:
        raise http_error(exc) from None
    rows = rows_as_dicts(result)
    if "text/csv" in request.headers.get("accept", ""):
        body = rows_to_csv(rows, list(result.columns))
        return Response(body, media_type="text/csv; charset=utf-8")
    return JSONResponse({"query": name, "columns": list(result.columns), "rows": rows})
