"""The awards of the funding page as JSON or CSV: ``GET /api/funding`` with the page's filters.

The query string is the page's own (``/funding?country=LU&from=2015`` shows what
``/api/funding?country=LU&from=2015&format=csv`` downloads), so a download holds exactly the rows
the page shows, in its order.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import BackendDep
from api.errors import http_error
from kg.exceptions import InvalidParameterError, KGError
from kg.funding import AwardFilters, funding_table, page_json, to_columns, to_csv

router = APIRouter(prefix="/api/funding", tags=["funding"])

# The core's parameter names where the query string spells them differently.
_QUERY_NAMES = {
    "year_from": "from",
    "year_to": "to",
    "amount_min": "min",
    "amount_max": "max",
    "recipient_kind": "kind",
}


@router.get("", summary="Funding awards (the rows of /funding)", response_model=None)
def get_funding(
    backend: BackendDep,
    funder: Annotated[list[str], Query(description="Funder labels (as shown)")] = [],  # noqa: B006
    programme: Annotated[list[str], Query(description="Programme labels")] = [],  # noqa: B006
    recipient: Annotated[list[str], Query(description="Recipient labels")] = [],  # noqa: B006
    kind: Annotated[list[str], Query(description="Recipient kinds (cso, government...)")] = [],  # noqa: B006
    country: Annotated[list[str], Query(description="Recipient countries (LU, DK...)")] = [],  # noqa: B006
    year_from: Annotated[int | None, Query(alias="from", description="Periods ending from")] = None,
    year_to: Annotated[int | None, Query(alias="to", description="Periods starting until")] = None,
    amount_min: Annotated[float | None, Query(alias="min", description="Smallest amount")] = None,
    amount_max: Annotated[float | None, Query(alias="max", description="Largest amount")] = None,
    sort: Annotated[str | None, Query(description="Column to sort on")] = None,
    desc: Annotated[bool, Query(description="Sort in descending order")] = False,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv")] = "json",  # noqa: A002
    layout: Annotated[
        Literal["rows", "columns"], Query(description="JSON rows, or per-column codes (the page)")
    ] = "rows",
) -> Response:
    """Return the awards the filters keep, with the coverage of sparse fields."""
    try:
        filters = AwardFilters(
            funder=tuple(funder),
            programme=tuple(programme),
            recipient=tuple(recipient),
            recipient_kind=tuple(kind),
            country=tuple(country),
            year_from=year_from,
            year_to=year_to,
            amount_min=amount_min,
            amount_max=amount_max,
            sort=sort or None,
            desc=desc,
        )
        if format == "json" and layout == "columns" and not filters.active():
            # the page's first request: the whole table, serialised once per server
            return Response(page_json(backend=backend), media_type="application/json")
        table = funding_table(filters, backend=backend)
    except KGError as exc:
        raise _http_error(exc) from None
    if format == "csv":
        return Response(
            to_csv(table),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="funding-awards.csv"'},
        )
    body = to_columns(table) if layout == "columns" else table.to_dict()
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        media_type="application/json",
        headers={"Content-Disposition": 'inline; filename="funding-awards.json"'},
    )


def _http_error(exc: KGError) -> HTTPException:
    if isinstance(exc, InvalidParameterError):
        return http_error(exc, _QUERY_NAMES.get(exc.param, exc.param))
    return http_error(exc)
