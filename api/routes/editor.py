"""What the SPARQL editor at ``/sparql`` offers: the named queries ready to run, the prefixes.

``/api/editor/examples`` lists every named query as the editor opens it (SPARQL 1.1 text, the
example values bound), ``/api/editor/examples/{name}?param=value`` binds other values (the
editor's parameter form) and ``/api/editor/prefixes`` gives the predeclared prefixes (those of
the CLI). See :mod:`kg.sparql.editor`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.errors import http_error
from kg.exceptions import KGError
from kg.sparql.editor import editor_example, editor_examples, editor_prefixes

router = APIRouter(prefix="/api/editor", tags=["editor"])


@router.get("/examples", summary="The named queries as the SPARQL editor opens them")
def get_examples() -> list[dict[str, Any]]:
    """Name, title, parameters (with the bound value) and runnable text of every named query."""
    return editor_examples()


@router.get("/prefixes", summary="The prefixes the SPARQL editor predeclares")
def get_prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI (the same as the CLI's ad-hoc queries)."""
    return editor_prefixes()


@router.get("/examples/{name:path}", summary="One named query with the given parameter values")
def get_example(name: str, request: Request) -> dict[str, Any]:
    """Return the query text with the query-string parameters bound (missing ones unbound)."""
    try:
        return editor_example(name, dict(request.query_params))
    except KGError as exc:
        raise http_error(exc) from None
