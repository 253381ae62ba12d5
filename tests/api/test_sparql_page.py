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
