"""Networks for the explorer: the list, one network with positions and metrics, its metrics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import BackendDep
from api.errors import http_error
from kg.exceptions import InvalidParameterError, KGError, UnknownNetworkError
from kg.network.view import VIEW_MAX_NODES, list_networks, network_metrics, network_view_json

router = APIRouter(prefix="/api/networks", tags=["networks"])

YearQ = Annotated[int | None, Query(description="Relations whose period overlaps this year")]
FromQ = Annotated[int | None, Query(alias="from", description="Window start year")]
ToQ = Annotated[int | None, Query(alias="to", description="Window end year")]
DatedQ = Annotated[bool, Query(description="Drop relations that state no period")]


# The core's parameter names where the query string spells them differently.
_QUERY_NAMES = {"start": "from", "end": "to"}


def _http_error(exc: KGError) -> HTTPException:
    if isinstance(exc, InvalidParameterError):
        return http_error(exc, _QUERY_NAMES.get(exc.param, exc.param))
    return http_error(exc, "name" if isinstance(exc, UnknownNetworkError) else None)


@router.get("", summary="The networks on offer")
def get_networks() -> list[dict[str, Any]]:
    """List the networks with their titles and descriptions."""
    return list_networks()


@router.get("/{name}", summary="A network with positions and metrics", response_model=None)
def get_network(
    name: str,
    backend: BackendDep,
    year: YearQ = None,
    start: FromQ = None,
    end: ToQ = None,
    dated_only: DatedQ = False,
    max_nodes: Annotated[
        int, Query(ge=0, description="Keep the best-connected nodes; 0 keeps all")
    ] = VIEW_MAX_NODES,
) -> Response:
    """Nodes (attributes, x/y, degree, betweenness, brokerage) and edges (quotes, sources)."""
    try:
        body = network_view_json(
            name,
            year=year,
            start=start,
            end=end,
            dated_only=dated_only,
            max_nodes=max_nodes,
            backend=backend,
        )
    except KGError as exc:
        raise _http_error(exc) from None
    return Response(body, media_type="application/json")


_FIGURE_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
ListQ = Annotated[list[str] | None, Query(description="Keep these values (repeatable)")]


@router.get("/{name}/figure", summary="A report figure of a view (as kg export draws it)")
def get_figure(
    name: str,
    backend: BackendDep,
    fmt: Annotated[str, Query(alias="format", description="svg, png or pdf")] = "pdf",
    country: ListQ = None,
    kind: ListQ = None,
    relation: ListQ = None,
    start: FromQ = None,
    end: ToQ = None,
    dated_only: DatedQ = False,
    colour: Annotated[str, Query(description="kind, country, position, community")] = "kind",
    size: Annotated[str, Query(description="degree, betweenness, brokerage_<role>")] = "degree",
    labels: Annotated[int, Query(ge=0, le=500, description="Label the N largest")] = 25,
) -> Response:
    """Draw the figure ``kg export`` draws for the same options (title, subtitle, legend)."""
    from kg.export.view import view_figure

    try:
        body = view_figure(
            name,
            fmt,
            start=start,
            end=end,
            dated_only=dated_only,
            countries=country or [],
            kinds=kind or [],
            relations=relation or [],
            color_by=colour,
            size_by=size,
            max_labels=labels,
            backend=backend,
        )
    except KGError as exc:
        raise _http_error(exc) from None
    return Response(
        body,
        media_type=_FIGURE_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@router.get("/{name}/metrics", summary="Brokerage, structural holes or centrality rows")
def get_metrics(
    name: str,
    backend: BackendDep,
    metric: Annotated[str, Query(description="brokerage, structural-holes or centrality")] = (
        "brokerage"
    ),
    group: Annotated[str, Query(description="Brokerage partition: kind, country, position")] = (
        "kind"
    ),
    year: YearQ = None,
    start: FromQ = None,
    end: ToQ = None,
    dated_only: DatedQ = False,
) -> dict[str, Any]:
    """One row per node with the metric's columns, plus notes on conventions."""
    try:
        return network_metrics(
            name,
            metric,
            group=group,
            year=year,
            start=start,
            end=end,
            dated_only=dated_only,
            backend=backend,
        )
    except KGError as exc:
        raise _http_error(exc) from None
