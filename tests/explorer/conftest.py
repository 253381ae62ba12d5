"""Fixtures of the explorer tests: an API client, a real ``kg serve``, headless Chromium.

The browser tests drive Debian's ``chromium`` (``/usr/bin/chromium``; ``make test-deps``
installs it) through Playwright for Python; nothing is downloaded. They fail, never skip,
when the browser or the built page (``make web``) is missing, so a green run means the page
was really exercised. Screenshots and exported files go to ``test-output/explorer/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
BUILD_MARKER = ROOT / "api" / "static" / "explorer" / "BUILD.json"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """``test-output/explorer/`` (git-ignored): screenshots and exported files to look at."""
    out = ROOT / "test-output" / "explorer"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A TestClient over ``create_app()`` with its lifespan (store and SPARQL workers)."""
    from fastapi.testclient import TestClient

    from api.main import create_app

    with TestClient(create_app(workers=2)) as c:
        yield c


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def seed_text():
    """``seed_text(file)``: a source document with whitespace runs collapsed to one space."""
    from kg.settings import get_settings

    seeds = get_settings().seeds_dir
    cache: dict[str, str] = {}

    def read(file: str) -> str:
        if file not in cache:
            path = seeds / file
            assert path.is_file(), f"source document {path} is missing (KG_SEEDS_DIR?)"
            cache[file] = _collapse(path.read_text(encoding="utf-8"))
        return cache[file]

    return read


@pytest.fixture(scope="session")
def collapse():
    """Whitespace normalisation used when comparing quotes with their documents."""
    return _collapse


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """A real ``kg serve --host 127.0.0.1 --port <free>`` process; yields its base URL."""
    from tests.support.servers import free_port, wait_http

    if not BUILD_MARKER.is_file():
        pytest.fail(
            "the explorer page is not built: run `make web` "
            "(or `cd explorer && npm ci && npm run build`) before the browser tests"
        )
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    cmd = [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with tempfile.NamedTemporaryFile("w+b", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/api/networks", proc, 120.0, Path(log.name))
        yield base
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        Path(log.name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (fails clearly when missing)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        pytest.fail(
            f"Chromium not found at {CHROMIUM}"
            + (f" (there is one at {found}: set KG_CHROMIUM)" if found else "")
            + ": run `make test-deps` (apt-get install chromium) — the browser tests need it"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev extra
        pytest.fail("Playwright for Python is missing: pip install -e '.[dev]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class PageProbe:
    """A page plus the console errors and page errors it produced."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))


@pytest.fixture
def open_page(browser, server):
    """``open_page(path, width=1280, height=800)`` -> PageProbe, closed after the test."""
    contexts = []

    def opener(path: str, width: int = 1280, height: int = 800) -> PageProbe:
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        contexts.append(ctx)
        page = ctx.new_page()
        probe = PageProbe(page)
        page.goto(server + path)
        return probe

    yield opener
    for ctx in contexts:
        ctx.close()
