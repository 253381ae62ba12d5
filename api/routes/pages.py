"""The explorer page at ``/``, organisation pages at ``/org/{ref}``, the handbook at ``/handbook``.

Both are static HTML files built from ``explorer/`` (``npm ci && npm run build``) into the
git-ignored ``api/static/explorer/``; their scripts and styles are served by the app's
``/static`` mount. The handbook is the MkDocs site built by ``make docs`` into ``site/``
(:class:`HandbookFiles`, mounted by :func:`api.main.create_app`). Without a build the pages say
how to make one (503).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from api.deps import BackendDep
from api.errors import detail_for, status_for
from api.headers import CONTENT_SECURITY_POLICY
from api.settings import STATIC_DIR
from kg.entities.profile import resolve_entity
from kg.exceptions import KGError

router = APIRouter(tags=["pages"], include_in_schema=False)

EXPLORER_DIR = STATIC_DIR / "explorer"

_NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The explorer page is not built</h1>
<p>Build it with <code>make web</code> (or <code>cd explorer &amp;&amp; npm ci &amp;&amp;
npm run build</code>) and reload.</p>
<p>Meanwhile: the <a href="/sparql">SPARQL editor</a>, the <a href="/api/queries">named
queries</a> and the <a href="/docs">API documentation</a> work.</p>
</body></html>
"""


def _page(name: str) -> Response:
    path: Path = EXPLORER_DIR / name
    if not (EXPLORER_DIR / "BUILD.json").is_file() or not path.is_file():
        return HTMLResponse(_NOT_BUILT, status_code=503)
    # The HTML names its bundle with a build stamp, so the page itself must not be cached.
    return FileResponse(path, media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/")
def explorer_page() -> Response:
    """Serve the network explorer."""
    return _page("index.html")


_UNKNOWN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unknown organisation</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>No such organisation</h1>
<p>{message}</p>
<p>Search from the <a href="/">explorer</a>.</p>
</body></html>
"""


@router.get("/org/{ref:path}")
async def organisation_page(ref: str, backend: BackendDep) -> Response:
    """Serve an organisation's page (its profile and the named queries about it); 404 if unknown."""
    try:
        await anyio.to_thread.run_sync(lambda: resolve_entity(ref, backend=backend))
    except KGError as exc:
        page = _UNKNOWN.format(message=html.escape(detail_for(exc)))
        return HTMLResponse(page, status_code=status_for(exc))
    return _page("org.html")


_HANDBOOK_NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Handbook not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The handbook is not built</h1>
<p>Build it with <code>make docs</code> (or <code>.venv/bin/mkdocs build --strict</code> in the
checkout; it needs the <code>docs</code> extra: <code>pip install -e '.[docs]'</code>) and
reload. It is written into <code>site/</code> (or the folder named by
<code>KG_HANDBOOK_DIR</code>).</p>
<p>Meanwhile: the <a href="/docs">API documentation</a> and the <a href="/sparql">SPARQL
editor</a> work.</p>
</body></html>
"""


class HandbookFiles(StaticFiles):
    """The built handbook as static files (``html=True``), or a 503 page saying how to build it.

    The folder is looked at on every request, so a handbook built after the server started is
    served without a restart.
    """

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True, check_dir=False)
        self.site = Path(directory)

    async def check_config(self) -> None:
        """Accept a missing folder (answered by :meth:`get_response` with a 503 page)."""
        if (self.site / "index.html").is_file():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Any:
        """Serve ``path`` from the site, or the not-built page when there is no site.

        MkDocs Material writes a few small inline scripts into every page (its configuration
        and helpers); rather than allowing inline scripts, an HTML page's policy lists the
        SHA-256 of exactly the inline scripts that page holds, so nothing else inline can run.
        """
        if not (self.site / "index.html").is_file():
            return HTMLResponse(_HANDBOOK_NOT_BUILT, status_code=503)
        response = await super().get_response(path, scope)
        file = getattr(response, "path", None)
        if file is not None and str(file).endswith(".html"):
            hashes = _inline_script_hashes(Path(file))
            if hashes:
                response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
                    "script-src 'self'", "script-src 'self' " + " ".join(hashes)
                )
        return response


_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S
)


def _inline_script_hashes(page: Path) -> list[str]:
    """CSP source expressions (``'sha256-…'``) of the inline scripts of one HTML file."""
    text = page.read_text(encoding="utf-8", errors="replace")
    return sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            for body in _INLINE_SCRIPT.findall(text)
        }
    )


@router.get("/funding")
def funding_page() -> Response:
    """Serve the funding-flows page (Sankey, charts and the table of awards)."""
    return _page("funding.html")
