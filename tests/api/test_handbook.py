"""The handbook at /handbook: the built site as static files, or a 503 page saying how to build it.

The app is built without its lifespan (TestClient outside a ``with`` block), so no store is
loaded: the mount needs none. The expected bodies are the files the test writes.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_HANDBOOK_DIR", str(tmp_path))
    return tmp_path


def test_serves_the_built_site_with_index_pages(site):
    (site / "index.html").write_text("<h1>handbook home</h1>", encoding="utf-8")
    (site / "tutorials" / "lost-funding").mkdir(parents=True)
    (site / "tutorials" / "lost-funding" / "index.html").write_text("<h1>lost</h1>", "utf-8")
    (site / "figure.svg").write_text("<svg/>", encoding="utf-8")
    client = TestClient(create_app())
    home = client.get("/handbook/")
    assert home.status_code == 200 and home.text == "<h1>handbook home</h1>"
    page = client.get("/handbook/tutorials/lost-funding/")
    assert page.status_code == 200 and page.text == "<h1>lost</h1>"
    assert client.get("/handbook/figure.svg").headers["content-type"].startswith("image/svg")
    assert client.get("/handbook/no-such-page/").status_code == 404
    # /handbook without the slash goes to the index
    bare = client.get("/handbook", follow_redirects=False)
    assert bare.status_code in (307, 308) and bare.headers["location"].endswith("/handbook/")


def test_says_how_to_build_it_when_missing(site):
    client = TestClient(create_app())
    for path in ("/handbook/", "/handbook/reference/cli/"):
        r = client.get(path)
        assert r.status_code == 503
        assert "make docs" in r.text and "not built" in r.text


def test_a_site_built_after_start_is_served(site):
    client = TestClient(create_app())
    assert client.get("/handbook/").status_code == 503
    (site / "index.html").write_text("<p>now built</p>", encoding="utf-8")
    assert client.get("/handbook/").text == "<p>now built</p>"


def test_real_handbook_home_when_built(repo_root, monkeypatch):
    """After `make docs`, the site's own home page is served (its title comes from mkdocs.yml)."""
    monkeypatch.delenv("KG_HANDBOOK_DIR", raising=False)
    if not (repo_root / "site" / "index.html").is_file():
        pytest.skip("site/ not built (make docs)")
    r = TestClient(create_app()).get("/handbook/")
    assert r.status_code == 200 and "integration-kg handbook" in r.text


def test_inline_scripts_of_a_page_are_allowed_by_hash_only(site):
    # MkDocs Material writes small inline scripts into every page; the page's policy must let
    # exactly those run (by SHA-256, computed here independently) and nothing else inline.
    import base64
    import hashlib

    body = "var __md_scope = new URL('.', location);"
    (site / "index.html").write_text(
        f'<script src="assets/app.js"></script><script>{body}</script>'
        '<script id="__config" type="application/json">{"a": 1}</script>',
        encoding="utf-8",
    )
    client = TestClient(create_app())
    csp = client.get("/handbook/").headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script_src == f"script-src 'self' 'sha256-{digest}'"
    assert "unsafe-inline" not in script_src
    # Other files keep the policy without hashes.
    (site / "figure.svg").write_text("<svg/>", encoding="utf-8")
    other = client.get("/handbook/figure.svg").headers["content-security-policy"]
    assert "script-src 'self';" in other
