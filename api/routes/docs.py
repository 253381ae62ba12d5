"""The API documentation at ``/docs``: swagger-ui bundled from npm, never from a CDN.

FastAPI's own ``/docs`` loads swagger-ui from a CDN (no version pin) and starts it with an
inline script, which the Content-Security-Policy (:mod:`api.headers`) refuses. This page loads
``swagger-ui-dist`` copied from ``explorer/node_modules`` into ``api/static/docs/`` at build
(``make web``) and starts it with ``docs.js``; without a build it links to the OpenAPI document.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.settings import STATIC_DIR

router = APIRouter(tags=["docs"], include_in_schema=False)

DOCS_ASSETS = STATIC_DIR / "docs"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API · integration knowledge graph</title>
<link rel="icon" href="data:,">
{head}
</head>
<body>
{body}
</body>
</html>
"""


@router.get("/docs")
def docs_page(request: Request) -> HTMLResponse:
    """Serve the interactive API documentation (swagger-ui from the bundle)."""
    root = html.escape(request.scope.get("root_path", "").rstrip("/"))
    openapi = f"{root}{html.escape(request.app.openapi_url or '/openapi.json')}"
    if not (DOCS_ASSETS / "BUILD.json").is_file():
        body = (
            "<p>The interactive documentation is not built in this installation (run "
            f'<code>make web</code>). The <a href="{openapi}">OpenAPI document</a> describes '
            "every operation.</p>"
        )
        return HTMLResponse(_PAGE.format(head="", body=body))
    head = f'<link rel="stylesheet" href="{root}/static/docs/swagger-ui.css">'
    body = (
        f'<div id="swagger-ui" data-openapi="{openapi}"></div>\n'
        f'<script src="{root}/static/docs/swagger-ui-bundle.js"></script>\n'
        f'<script src="{root}/static/docs/docs.js"></script>'
    )
    return HTMLResponse(_PAGE.format(head=head, body=body))
