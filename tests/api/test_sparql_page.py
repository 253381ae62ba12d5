"""The YASGUI editor at /sparql in headless Chromium: loads offline, runs a query, offers examples.

Skipped when Debian's ``chromium``, Playwright for Python or the built assets (``make web``) are
missing. A screenshot is saved under the test's temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.settings import SPARQL_ASSETS
from tests.support.servers import TOY, uvicorn_server, write_toy_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.skipif(
        not (SPARQL_ASSETS / "sparql.js").is_file(), reason="web assets not built (make web)"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    toy = write_toy_data(tmp_path_factory.mktemp("toy-page") / "ttl", items=5)
    with uvicorn_server({"KG_DATA_DIR": str(toy), "KG_SPARQL_WORKERS": "1"}) as base:
        yield base


def test_editor_runs_a_query_offline(server: str, tmp_path: Path):
    errors: list[str] = []
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "request",
                lambda r: None if r.url.startswith((server, "data:")) else outside.append(r.url),
            )
            page.goto(f"{server}/sparql")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            page.evaluate(
                "q => { const t = window.yasgui.getTab(); t.setQuery(q); t.query(); }",
                f"SELECT ?org WHERE {{ ?org a <{TOY}Org> }} ORDER BY ?org",
            )
            page.wait_for_selector(f"text={TOY}gamma", timeout=30_000)
            page.screenshot(path=str(tmp_path / "sparql-editor.png"))
            examples = page.locator("#examples option").count()
            has_library = page.request.get(f"{server}/api/queries").status == 200
        finally:
            browser.close()
    assert errors == []
    assert outside == []  # nothing from a CDN or any other host
    if has_library:
        assert examples > 1  # the named queries are offered as examples


def _launch(p):
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking"],
    )  # fmt: skip


def test_endpoint_from_the_url_is_ignored(server: str):
    """``#endpoint=`` cannot point the editor elsewhere; ``#query=`` still fills it (issue 13)."""
    import socket
    import threading
    from urllib.parse import quote

    hits: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    foreign = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hits.append(conn.recv(4096))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    query = f"SELECT ?org WHERE {{ ?org a <{TOY}Org> }} ORDER BY ?org"
    fragment = f"#endpoint={quote(foreign, safe='')}&query={quote(query, safe='')}"
    try:
        with playwright.sync_playwright() as p:
            browser = _launch(p)
            try:
                page = browser.new_page()
                page.goto(f"{server}/sparql{fragment}")
                page.wait_for_selector("body[data-ready=true]", timeout=30_000)
                endpoint = page.evaluate("() => window.yasgui.getTab().getEndpoint()")
                shown = page.evaluate("() => window.yasgui.getTab().getQuery()")
                page.evaluate("() => window.yasgui.getTab().query()")
                page.wait_for_selector(f"text={TOY}gamma", timeout=30_000)
                stored = page.evaluate("() => JSON.stringify(window.localStorage)")
                # a second visit (no fragment) finds nothing stored from the first
                page.goto(f"{server}/sparql")
                page.wait_for_selector("body[data-ready=true]", timeout=30_000)
                second = page.evaluate("() => window.yasgui.getTab().getEndpoint()")
            finally:
                browser.close()
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
    assert endpoint == f"{server}/sparql"
    assert second == f"{server}/sparql"
    assert shown == query
    assert foreign not in stored and "yagui" not in stored  # no tab, endpoint or answer kept
    assert hits == []


def test_docs_page_loads_offline(server: str):
    """``/docs`` is swagger-ui from the bundle: no CDN, no inline script, no CSP violation."""
    errors: list[str] = []
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = _launch(p)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "request",
                lambda r: None if r.url.startswith((server, "data:")) else outside.append(r.url),
            )
            page.goto(f"{server}/docs")
            page.wait_for_selector(".opblock-tag", timeout=30_000)
            tags = page.locator(".opblock-tag").count()
        finally:
            browser.close()
    assert errors == []
    assert outside == []
    assert tags >= 1
