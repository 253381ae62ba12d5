"""The SIRIUS typology compared: ``/typology`` (the page) and ``/api/typology`` (its data).

The page is a static HTML file built from ``explorer/src/typology.html`` into
``api/static/explorer/``; its script (``typology.js``) draws the matrix from ``/api/typology``,
the rows of :func:`kg.entities.typology.typology_matrix`.
"""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import BackendDep
from api.routes.pages import _page
from kg.entities.typology import typology_matrix

router = APIRouter(tags=["typology"])


@router.get("/api/typology", summary="The typology matrix: country × position, with quotes")
async def get_typology(backend: BackendDep) -> dict[str, Any]:
    """Positions (columns), countries (rows) and the statements of each non-empty cell."""
    return await anyio.to_thread.run_sync(lambda: typology_matrix(backend=backend))


@router.get("/typology", include_in_schema=False)
def typology_page() -> Response:
    """Serve the typology page (the matrix is drawn by its script from ``/api/typology``)."""
    return _page("typology.html")
