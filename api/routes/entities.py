"""Organisation profiles and name search (autocomplete)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import BackendDep
from kg.exceptions import KGError
from kg.network_view import profile_with_metrics
from kg.profile import UnknownEntityError, search_entities

router = APIRouter(prefix="/api", tags=["organisations"])


@router.get("/organisations/{ref:path}", summary="Profile of an organisation")
def get_organisation(ref: str, backend: BackendDep) -> dict[str, Any]:
    """Names, kinds, country, activities and every relation with its quote and source."""
    try:
        return profile_with_metrics(ref, backend=backend)
    except UnknownEntityError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except KGError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None


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
        raise HTTPException(status_code=400, detail=f"parameter 'q': {exc}") from None
