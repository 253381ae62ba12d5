"""Named queries as API operations: the library with headers, and each query's rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from kg.exceptions import QueryError
from kg.queries import load_queries, rows_as_dicts, run_named
from kg.store import QueryTimeoutError

router = APIRouter(prefix="/api/queries", tags=["queries"])


@router.get("", summary="The library of named queries")
def list_queries() -> list[dict[str, Any]]:
    """List every named query with its title, description, parameters and example."""
    return [q.to_dict() for q in load_queries().values()]


@router.get("/{name:path}", summary="Run a named query", response_model=None)
def run_query(name: str, request: Request) -> Response:
    """Run a named query with the query-string parameters; JSON rows, or CSV on Accept: text/csv."""
    params = dict(request.query_params)
    try:
        result = run_named(name, params)
    except QueryTimeoutError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None
    except QueryError as exc:
        status = 404 if str(exc).startswith("unknown query") else 400
        raise HTTPException(status_code=status, detail=str(exc)) from None
    rows = rows_as_dicts(result)
    if "text/csv" in request.headers.get("accept", ""):
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(result.columns), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8")
    return JSONResponse({"query": name, "columns": list(result.columns), "rows": rows})
