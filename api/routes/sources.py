"""The source viewer: ``/sources/{doc}`` shows a source document, ``#L123`` marks a line.

Conventions
-----------
- The page is written here from :func:`kg.entities.sources.source_document`: every line of the
  document is escaped text in ``<li id="L{n}">``, so a link ``/sources/sirius-wp4#L842`` scrolls
  to line 842 and marks it (CSS ``:target``, without script). The script ``sources.js``
  (bundled from ``explorer/src/``) widens the mark to the whole passage a quote starting on
  that line spans, and shows the quote above the text; the passages come in a
  ``<script type="application/json">`` block (data, never run; ``<`` escaped).
- Nothing is loaded from another host; the page keeps the server's Content-Security-Policy.
- An unknown document is a 404 page with one line naming the known ones.
"""

from __future__ import annotations

import html
import json
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.deps import BackendDep
from api.errors import detail_for, status_for
from api.routes.pages import EXPLORER_DIR
from kg.entities.sources import source_document
from kg.exceptions import KGError

router = APIRouter(tags=["sources"])

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · source document</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/explorer/sources-style.css?v={stamp}">
<script type="module" src="/static/explorer/sources.js?v={stamp}"></script>
</head>
<body>
<header class="top">
  <nav><a href="/">Explorer</a> · <a href="/typology">Typology</a> ·
    <a href="/sparql">SPARQL</a> · <a href="/handbook/sources/">Help</a></nav>
  <h1>{title}</h1>
  <p class="meta">{meta}</p>
  <div id="passage" aria-live="polite" hidden></div>
</header>
<script type="application/json" id="quotes">{quotes}</script>
<ol class="doc" id="doc">
{lines}
</ol>
</body>
</html>
"""

_UNKNOWN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unknown source document</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<p id="message">{message}</p>
</body></html>
"""


def _json_for_html(value: Any) -> str:
    # In a <script> block only "</script" could end it early: escape every "<" (and & >).
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _render(doc: dict[str, Any]) -> str:
    quoted: set[int] = set()
    for q in doc["quotes"]:
        if q["start"] and q["end"]:
            quoted.update(range(q["start"], q["end"] + 1))
    lines = "\n".join(
        f'<li id="L{n}"{" class=quoted" if n in quoted else ""}>'
        f'<a class="n" href="#L{n}" aria-label="line {n}">{n}</a>'
        f'<span class="t">{html.escape(text)}</span></li>'
        for n, text in enumerate(doc["lines"], start=1)
    )
    meta = (
        f"{html.escape(doc['file'])} · {len(doc['lines'])} lines · "
        f"{len(doc['quotes'])} passages quoted by the graph (shaded)"
    )
    quotes = [{k: q[k] for k in ("quote", "line", "start", "end", "found")} for q in doc["quotes"]]
    return _PAGE.format(
        title=html.escape(doc["title"]),
        meta=meta,
        quotes=_json_for_html(quotes),
        lines=lines,
        stamp=html.escape(_build_stamp()),
    )


def _build_stamp() -> str:
    # The bundle's build stamp, so that a browser never keeps the script of an older build.
    try:
        return str(json.loads((EXPLORER_DIR / "BUILD.json").read_text(encoding="utf-8"))["stamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return "0"


@router.get("/api/sources/{doc}", summary="A source document: its lines and quoted passages")
async def get_source(doc: str, backend: BackendDep) -> dict[str, Any]:
    """Title, file, lines and the passages the graph quotes (first and last line of each)."""
    return await anyio.to_thread.run_sync(lambda: source_document(doc, backend=backend))


@router.get("/sources/{doc}", include_in_schema=False)
async def source_page(doc: str, backend: BackendDep) -> Response:
    """Serve the document, its lines addressable (``#L123``); 404 with one line if unknown."""
    try:
        data = await anyio.to_thread.run_sync(lambda: source_document(doc, backend=backend))
    except KGError as exc:
        page = _UNKNOWN.format(message=html.escape(detail_for(exc)))
        return HTMLResponse(page, status_code=status_for(exc))
    return HTMLResponse(_render(data), headers={"Cache-Control": "no-cache"})
