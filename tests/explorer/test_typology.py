"""The typology page (/typology) and the source viewer (/sources/{doc}) in headless Chromium.

Expected values come from an independent computation: the shipped ``typology-matrix.rq`` (and a
quote query written here) run by pyoxigraph over the Turtle files read straight from ``data/ttl``
and ``ontology/`` in the test, not through :mod:`kg` or the server; and from the source document
itself (SIRIUS WP4 report, ``004_36baa1ab0e5676b8.txt``, line 1688: "Although the CSOs receive
financial support from public sources, they can hardly be viewed as actors who are uncritically
extending the integration policy of the state."). Screenshots go to ``test-output/explorer/``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
POSITION = "https://w3id.org/integration-kg/vocab/position/"
SIRIUS_FILE = "004_36baa1ab0e5676b8.txt"
# The Czech chapter, line 1688 of the SIRIUS WP4 report (read in the document by hand).
CZ_QUOTE = (
    "Although the CSOs receive financial support from public sources, they can hardly be viewed "
    "as actors who are uncritically extending the integration policy of the state."
)

_QUOTES = """
PREFIX mi: <https://w3id.org/integration-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?a ?quote ?line WHERE {
  ?a a mi:PositionAssessment ; prov:wasDerivedFrom ?q .
  ?q oa:hasSelector/oa:exact ?quote ; mi:line ?line .
}
"""


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    """The curated Turtle files and the ontology in a fresh pyoxigraph store (no kg code)."""
    store = ox.Store()
    for path in sorted(
        [*(ROOT / "data" / "ttl").rglob("*.ttl"), *(ROOT / "ontology").rglob("*.ttl")]
    ):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def matrix_rows(graph) -> list[dict[str, object]]:
    """Rows of queries/typology-matrix.rq over that store."""
    text = (ROOT / "queries" / "typology-matrix.rq").read_text(encoding="utf-8")
    rows = []
    for sol in graph.query(text):
        rows.append(
            {
                "country": sol["country"].value,
                "position": sol["position"].value,
                "negated": sol["negated"].value in ("true", "1"),
                "a": sol["a"].value,
                "target_label": sol["target_label"].value,
                "scope": sol["scope"].value,
            }
        )
    assert rows, "the typology-matrix query found no assessment"
    return rows


def _position_ids(graph) -> dict[str, str]:
    q = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?p ?l WHERE {{ ?p skos:inScheme <{POSITION[:-1]}> ; skos:prefLabel ?l }}"""
    return {s["l"].value: s["p"].value for s in graph.query(q)}


def _ready(probe) -> None:
    probe.page.wait_for_selector("body[data-ready=true]", timeout=30_000)


def _dom_statements(page) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "#matrix td .statement",
        """els => els.map(e => ({
            country: e.closest('td').dataset.country,
            position: e.closest('td').dataset.position,
            column: e.closest('td').dataset.label,
            assessment: e.dataset.assessment,
            negated: e.dataset.negated,
            text: e.querySelector('.text').textContent,
            about: e.querySelector('.about').textContent,
            html: e.innerText,
        }))""",
    )


def test_matrix_cells_agree_with_the_typology_matrix_query(
    open_page, output_dir, graph, matrix_rows, seed_text
):
    probe = open_page("/typology", width=1440, height=900)
    _ready(probe)
    page = probe.page
    dom = _dom_statements(page)
    ids = _position_ids(graph)
    want = Counter(
        (r["country"], ids[r["position"]], r["a"], str(r["negated"]).lower()) for r in matrix_rows
    )
    got = Counter((d["country"], d["position"], d["assessment"], d["negated"]) for d in dom)
    assert got == want
    for r in matrix_rows:
        shown = next(d for d in dom if d["assessment"] == r["a"])
        assert shown["text"] == ("not " if r["negated"] else "") + r["position"]
        assert r["target_label"] in shown["about"]
        # A group-level statement says so: it is never shown as an organisation's own position.
        assert ("group-level" in shown["about"]) == (r["scope"] != "organisation")
    # The document says the Czech CSOs are *not* uncritical extenders (line 1688).
    assert CZ_QUOTE in seed_text(SIRIUS_FILE)
    cz = [
        d for d in dom if d["country"] == "CZ" and d["position"] == POSITION + "uncritical-extender"
    ]
    assert [d["text"] for d in cz] == ["not uncritical extender"]
    assert CZ_QUOTE in cz[0]["html"]
    target = page.locator("#matrix td[data-country=CZ] .statement.neg a.target")
    assert target.get_attribute("href") == "/org/group:cz-csos"  # the group's page, not a member's
    link = page.locator("#matrix td[data-country=CZ] a.source-link[data-line='1688']")
    assert link.get_attribute("href") == "/sources/sirius-wp4#L1688"
    page.screenshot(path=output_dir / "typology-1440x900.png")
    page.screenshot(path=output_dir / "typology-1440-full.png", full_page=True)
    assert probe.errors == []


def test_country_without_assessment_is_marked(open_page, graph, matrix_rows):
    # Italy is a chapter of the report (mi:country of src:sirius-wp4) with no position stated.
    covered = {
        s["c"].value
        for s in graph.query(
            "PREFIX mi: <https://w3id.org/integration-kg/ontology#> PREFIX skos: "
            "<http://www.w3.org/2004/02/skos/core#> SELECT ?c WHERE { "
            "<https://w3id.org/integration-kg/id/source/sirius-wp4> mi:country/skos:notation ?c }"
        )
    }
    silent = covered - {r["country"] for r in matrix_rows}
    assert "IT" in silent
    probe = open_page("/typology")
    _ready(probe)
    for code in silent:
        row = probe.page.locator(f"#matrix tr[data-country={code}]")
        assert row.locator("td.no-assessment").inner_text() == "no assessment in the report"
        assert row.locator(".statement").count() == 0
    for code in covered - silent:
        assert probe.page.locator(f"#matrix tr[data-country={code}] td.no-assessment").count() == 0
    assert probe.errors == []


def test_csv_export_equals_the_matrix(open_page, output_dir):
    probe = open_page("/typology")
    _ready(probe)
    page = probe.page
    with page.expect_download() as info:
        page.click("#export-csv")
    path = output_dir / "typology-matrix.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    dom = _dom_statements(page)
    want = Counter(
        (d["country"], d["column"].split(" ", 1)[0], d["text"], d["assessment"]) for d in dom
    )
    quotes = {
        d["assessment"]: page.eval_on_selector_all(
            f"[data-assessment='{d['assessment']}'] .quote-text", "qs => qs.map(q => q.textContent)"
        )
        for d in dom
    }
    stated = [r for r in rows if r["statement"] != "no assessment in the report"]
    got = Counter()
    for r in stated:
        match = [d for d in dom if d["country"] == r["country_code"] and d["text"] == r["statement"]
                 and d["column"].split(" ", 1)[0] == r["position_notation"]
                 and r["about"] in d["about"]]  # fmt: skip
        assert len(match) >= 1, r
        got[
            (r["country_code"], r["position_notation"], r["statement"], match[0]["assessment"])
        ] += 1
        assert r["quote"].split(" || ") == quotes[match[0]["assessment"]]
    assert got == want
    silent_dom = page.eval_on_selector_all(
        "#matrix tr.unassessed", "rs => rs.map(r => r.dataset.country)"
    )
    silent_csv = [
        r["country_code"] for r in rows if r["statement"] == "no assessment in the report"
    ]
    assert sorted(silent_csv) == sorted(silent_dom) and silent_dom
    assert probe.errors == []


def test_svg_and_png_exports(open_page, output_dir):
    import xml.etree.ElementTree as ET

    from PIL import Image

    probe = open_page("/typology")
    _ready(probe)
    page = probe.page
    with page.expect_download() as info:
        page.click("#export-svg")
    svg = output_dir / "typology-matrix.svg"
    info.value.save_as(svg)
    texts = " ".join(t.text or "" for t in ET.parse(svg).iter("{http://www.w3.org/2000/svg}text"))
    labels = page.eval_on_selector_all("#matrix tbody th", "ths => ths.map(t => t.textContent)")
    for label in labels:
        first = label.split(" (")[0].split()[0]
        assert first in texts
    assert "no assessment in the report" in texts
    with page.expect_download() as info:
        page.click("#export-png")
    png = output_dir / "typology-matrix.png"
    info.value.save_as(png)
    with Image.open(png) as img:
        assert img.width > 1000 and img.height > 400
    assert probe.errors == []


def test_typology_at_390px_does_not_overflow(open_page, output_dir):
    probe = open_page("/typology", width=390, height=844)
    _ready(probe)
    page = probe.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#matrix .statement").count() > 0
    page.screenshot(path=output_dir / "typology-390.png")
    assert probe.errors == []


def test_source_viewer_highlights_the_quoted_passage(open_page, output_dir, graph, collapse):
    quotes = [
        (s["quote"].value, int(s["line"].value))
        for s in graph.query(_QUOTES)
        if s["line"] is not None
    ]
    assert (CZ_QUOTE, 1688) in quotes
    # The Czech passage and the two longest assessment quotes (likely to span lines).
    sample = [(CZ_QUOTE, 1688), *sorted(quotes, key=lambda q: -len(q[0]))[:2]]
    probe = open_page("/sources/sirius-wp4#L1688", width=1440, height=900)
    _ready(probe)
    page = probe.page
    for i, (quote, line) in enumerate(sample):
        if i:
            page.evaluate(f"window.location.hash = '#L{line}'")
            page.wait_for_function(f"document.body.dataset.highlighted?.startsWith('{line}-')")
        marked = collapse(" ".join(page.locator("ol.doc li.hl .t").all_inner_texts()))
        assert quote in marked, (line, quote)
        assert page.locator(f"#L{line}.hl").count() == 1
        assert quote in page.inner_text("#passage")
    page.evaluate("window.location.hash = '#L1688'")
    page.wait_for_function("document.body.dataset.highlighted === '1688-1689'")
    box = page.locator("#L1688").bounding_box()
    assert 0 < box["y"] < 900  # scrolled into view
    page.screenshot(path=output_dir / "source-viewer-1440x900.png")
    assert probe.errors == []


def test_source_viewer_at_390px(open_page, output_dir):
    probe = open_page("/sources/sirius-wp4#L842", width=390, height=844)
    _ready(probe)
    assert probe.page.evaluate("document.documentElement.scrollWidth") <= 390
    probe.page.screenshot(path=output_dir / "source-viewer-390.png")
    assert probe.errors == []


def test_source_viewer_unknown_document_and_headers(server):
    import httpx

    res = httpx.get(f"{server}/sources/no-such-report")
    assert res.status_code == 404
    message = res.text.split('<p id="message">')[1].split("</p>")[0]
    assert "\n" not in message and "no-such-report" in message and "sirius-wp4" in message
    page = httpx.get(f"{server}/sources/sirius-wp4")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'id="L10596"' in page.text  # every line addressable (the file has 10,596 lines)
    # Nothing from another host: every src/href is relative to this server (or a fragment).
    import re

    refs = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert refs and all(r.startswith(("/", "#", "data:")) for r in refs)


def test_source_page_escapes_the_document():
    from api.routes.sources import _render

    doc = {
        "title": "T <b>",
        "file": "x.txt",
        "lines": ["<script>alert(1)</script>", "a & b"],
        "quotes": [
            {
                "quote": "</script><script>x()</script>",
                "line": 1,
                "start": 1,
                "end": 1,
                "found": True,
            }
        ],
    }
    out = _render(doc)
    assert "<script>alert(1)" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "</script><script>x()" not in out
    assert "T &lt;b&gt;" in out and "a &amp; b" in out
