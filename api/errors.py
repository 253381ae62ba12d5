"""HTTP status for every :mod:`kg` error type, chosen from the type alone (never its text)."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from kg.exceptions import (
    AmbiguousError,
    InvalidParameterError,
    KGError,
    NotAcceptableError,
    NotFoundError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ServiceRefusedError,
    UploadError,
    WorkerError,
)

__all__ = ["STATUS", "http_error", "kg_error_handler", "status_for"]

#: First match wins: more specific types come before their parents.
STATUS: tuple[tuple[type[KGError], int], ...] = (
    (QueryTimeoutError, 503),
    (QueryMemoryError, 503),
    (WorkerError, 503),
    (NotAcceptableError, 406),
    (NotFoundError, 404),
    (AmbiguousError, 400),
    (InvalidParameterError, 400),
    (ServiceRefusedError, 400),
    (QueryError, 400),
    (UploadError, 502),
    (KGError, 400),
)


def status_for(exc: KGError) -> int:
    """Return the HTTP status of ``exc`` from :data:`STATUS`."""
    return next(status for kind, status in STATUS if isinstance(exc, kind))


def detail_for(exc: KGError, param: str | None = None) -> str:
    """Return the error text, prefixed with the parameter it concerns where one is known."""
    name = param or (exc.param if isinstance(exc, InvalidParameterError) else None)
    return f"parameter {name!r}: {exc}" if name else str(exc)


def http_error(exc: KGError, param: str | None = None) -> HTTPException:
    """Return the :class:`HTTPException` for ``exc`` (``param``: the parameter at fault)."""
    return HTTPException(status_code=status_for(exc), detail=detail_for(exc, param))


async def kg_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Answer any :class:`KGError` a route did not catch with its status and one line."""
    assert isinstance(exc, KGError)
    return JSONResponse({"detail": detail_for(exc)}, status_code=status_for(exc))
