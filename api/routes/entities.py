"""Organisation profiles and name search (autocomplete)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query

from api.deps import BackendDep
from api.errors import http_error
from kg.entities.profile import ORG_QUERIES, search_entities
from kg.exceptions import KGError
from kg.network.view import profile_with_metrics

router = APIRouter(prefix="/api", tags=["organisations"])


def profile_links(ref: str, iri: str) -> dict[str, Any]:
    """URLs of the organisation's page, JSON, explorer view, SPARQL and named queries."""
    short = quote(ref, safe=":")
    # A CURIE works for every parameter, with or without a default prefix.
    curie = quote(ref if ":" in ref else f"actor:{ref}", safe=":")
    return {
        "page": f"/org/{short}",
        "api": f"/api/organisations/{short}",
        "explorer": f"/?network=all&focus={short}",
        "sparql": "/sparql?query=" + quote(f"DESCRIBE <{iri}>", safe=""),
        "queries": {
            name: f"/api/queries/{name}?{param}={curie}" for name, param in ORG_QUERIES.items()
        },
    }


@router.get("/organisations/{ref:path}", summary="Profile of an organisation")
def get_organisation(ref: str, backend: BackendDep) -> dict[str, Any]:
    """Names, kinds, country, activities and every relation with its quote and source."""
    try:
        profile = profile_with_metrics(ref, backend=backend)
    except KGError as exc:
        raise http_error(exc) from None
    return profile | {"links": profile_links(profile["ref"], profile["id"])}


@router.get("/search", summary="Organisations whose names contain the text")
def search(
    backend: BackendDep,
    q: Annotated[str, Query(description="Part of a name or acronym")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Autocomplete: matching organisations, shortest match first."""
    try:
        return {"q": q, "results": search_entities(q, limit=limit, backend=backend)}
    except KGError as exc:
        raise http_error(exc, "q") from None
