"""Issue 16 in a real browser: fitting, labels, typology colouring, direction, years coverage,
the view in the URL, saved views, clusters, the narrow legend and report figures.

Expected values come from the documents through the API (the funders-of query, the network's
own JSON), from kg/viz/palette.json (the one palette) or from an independent computation in
the test (networkx over the API's JSON). Screenshots go to ``test-output/explorer/``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import httpx
import networkx as nx
import pytest

from tests.support.explorer import ready, state

ROOT = Path(__file__).resolve().parents[2]
PALETTE = json.loads((ROOT / "kg" / "viz" / "palette.json").read_text(encoding="utf-8"))
ASTI = "https://w3id.org/integration-kg/id/org/lu-asti"
SVG = "{http://www.w3.org/2000/svg}"


def only_country(page, code: str) -> None:
    page.locator("#country-filter button[data-bulk=none]").click()
    page.locator(f"#country-filter input[value={code}]").check()
    page.wait_for_timeout(600)  # the camera's fit (300 ms animation)


def coverage(probe) -> tuple[float, float, dict]:
    box = probe.page.evaluate("window.__explorer.visibleViewportBox()")
    return (box["x1"] - box["x0"]) / box["width"], (box["y1"] - box["y0"]) / box["height"], box


def assert_no_overlap(labels: list[dict], width: float, height: float) -> None:
    for lab in labels:
        b = lab["box"]
        assert b["x0"] >= 0 and b["y0"] >= 0, lab
        assert b["x1"] <= width and b["y1"] <= height, f"label clipped at the edge: {lab}"
    for a, b in combinations(labels, 2):
        p, q = a["box"], b["box"]
        apart = p["x1"] <= q["x0"] or q["x1"] <= p["x0"] or p["y1"] <= q["y0"] or q["y1"] <= p["y0"]
        assert apart, f"labels overlap: {a['label']!r} and {b['label']!r}"


def test_filtering_to_one_country_fits_the_view(open_page, output_dir):
    probe = open_page("/?network=all", width=1440, height=900)
    ready(probe)
    page = probe.page
    only_country(page, "LU")
    wide, high, box = coverage(probe)
    # The fit fills the limiting direction (78 % of the width or 84 % of the height by design).
    assert max(wide, high) >= 0.6, (wide, high)
    assert box["x0"] >= 0 and box["y0"] >= 0 and box["x1"] <= box["width"]
    assert box["y1"] <= box["height"]
    page.screenshot(path=output_dir / "views-lu-fitted-1440x900.png")
    # Zoomed out by hand, the fit button fits the visible nodes again.
    for _ in range(3):
        page.click("#zoom-out")
        page.wait_for_timeout(250)
    assert max(coverage(probe)[:2]) < 0.6
    page.click("#zoom-reset")
    page.wait_for_timeout(600)
    assert max(coverage(probe)[:2]) >= 0.6
    assert probe.errors == []


def test_zero_sizes_keep_a_readable_minimum(open_page):
    probe = open_page("/?network=funding&size=brokerage_total")
    ready(probe)
    sizes = probe.page.evaluate(
        """() => { const r = window.__explorer.renderer; const out = [];
        r.getGraph().forEachNode((id, a) => out.push([a.brokerage_total, r.getNodeDisplayData(id).size]));
        return out; }"""
    )
    zeros = [s for v, s in sizes if not v]
    assert zeros, "the funding network has nodes with no brokerage"
    assert min(zeros) >= 2.5


@pytest.mark.parametrize(
    "path", ["/?network=funding", "/?network=all", "/?network=all&focus=lu-asti"]
)
def test_labels_never_overlap_nor_clip(open_page, output_dir, path):
    probe = open_page(path, width=1440, height=900)
    ready(probe)
    page = probe.page
    page.wait_for_timeout(700)
    labels = state(probe, "drawnLabels")
    dims = page.evaluate("window.__explorer.renderer.getDimensions()")
    assert len(labels) >= 8
    assert_no_overlap(labels, dims["width"], dims["height"])
    # Each box is as wide as the text is in the page's font (measured here independently).
    widths = page.evaluate(
        """(texts) => { const c = document.createElement('canvas').getContext('2d');
        c.font = 'normal 12px Arial, Helvetica, sans-serif';
        return texts.map((t) => c.measureText(t).width); }""",
        [lab["label"] for lab in labels],
    )
    for lab, w in zip(labels, widths, strict=True):
        assert abs((lab["box"]["x1"] - lab["box"]["x0"]) - (w + 4)) < 1.0, lab
    if "focus" in path:
        assert ASTI in {lab["id"] for lab in labels}, "the selected node is labelled first"
        page.screenshot(path=output_dir / "views-labels-asti.png")
    assert probe.errors == []


def test_danish_municipality_has_no_position_fill(open_page, output_dir, server):
    missing = PALETTE["missing_colour"]
    probe = open_page("/?network=all&colour=position", width=1440, height=900)
    ready(probe)
    page = probe.page
    for name in ("Favrskov Municipality", "Aarhus Municipality"):
        node = page.evaluate(f"window.__explorer.findNode({name!r})")
        assert node, name
        assert page.evaluate(f"window.__explorer.nodeColour({node!r})") == missing
    # The Danish CSOs' position is stated for the group (the country): no fill by default.
    group = page.evaluate("window.__explorer.findNode('Civil-society organisations in Denmark')")
    assert page.evaluate(f"window.__explorer.nodeColour({group!r})") == missing
    assert state(probe, "drawnRings") == []
    legend = page.inner_text("#legend")
    labels = httpx.get(f"{server}/api/networks/all").json()["meta"]["labels"]
    for position in PALETTE["positions"]:
        assert labels["position"][position] in legend, position
    # Asked for, it is drawn as a ring in its position's colour, with its qualifier.
    page.check("#group-positions")
    page.wait_for_timeout(300)
    rings = {r["id"]: r for r in state(probe, "drawnRings")}
    assert group in rings
    assert (
        rings[group]["colour"].lower()
        == PALETTE["category_colours"]["position"]["uncritical-extender"].lower()
    )
    assert "stated for a group (country level; some)" in page.inner_text("#legend")
    assert page.evaluate(f"window.__explorer.nodeColour({group!r})") == missing
    page.screenshot(path=output_dir / "views-position-rings.png")
    assert probe.errors == []


def test_one_colour_per_value_across_networks(open_page):
    probe = open_page("/?network=funding")
    ready(probe)
    page = probe.page
    expected = PALETTE["category_colours"]["kind"]
    seen = {}
    for name in ("funding", "membership", "all"):
        page.select_option("#network", name)
        page.wait_for_function(
            f"() => window.__explorer.network === '{name}' && document.body.dataset.ready === 'true'"
        )
        pairs = page.evaluate(
            "() => window.__explorer.renderer.getGraph().mapNodes((id, a) => [a.kind, a.color])"
        )
        for kind, colour in pairs:
            if kind in expected:
                assert colour == expected[kind], (name, kind)
                seen[kind] = colour
    assert len(seen) >= 5


def test_panel_and_path_read_in_direction(open_page, output_dir, server):
    rows = httpx.get(f"{server}/api/queries/funders-of", params={"org": "lu-asti"}).json()["rows"]
    documents = httpx.get(f"{server}/api/networks/funding").json()["meta"]["documents"]
    probe = open_page("/?network=funding&focus=lu-asti", width=1440, height=900)
    ready(probe)
    page = probe.page
    page.locator("#panel .awards-list").wait_for()
    panel = page.inner_text("#panel")
    assert (
        "Government of Luxembourg → funds → Association de Soutien aux Travailleurs Immigrés"
        in panel
    )
    # Every award of the query, the one from private donations too ("unnamed private donors").
    awards = {r["award"] for r in rows}
    assert page.locator("#panel .awards-list > li").count() == len(awards)
    assert "unnamed private donors → funds → Association de Soutien" in panel
    assert "programme: not stated" in panel and "period: not stated" in panel
    # Sources by title and line, linked to the source viewer.
    row = next(r for r in rows if r["line"])
    href = f"/sources/{documents[row['source']]}#L{row['line']}"
    assert page.locator(f'#panel .awards-list a[href="{href}"]').count() >= 1
    page.screenshot(path=output_dir / "views-panel-asti-awards.png")
    # The path reads each relation in its own direction.
    page.goto(page.url.split("/?")[0] + "/?network=all")
    ready(probe)
    page.click("#path-box summary")
    page.fill("#path-from", "Dysphasie")
    page.locator("#path-from-list li[role=option]").first.click()
    page.fill("#path-to", "Government of Luxembourg")
    page.locator("#path-to-list li[role=option]").first.click()
    page.click("#path-find")
    text = page.inner_text("#path-result")
    assert "Government of Luxembourg → funds → Association de Soutien" in text
    assert probe.errors == []


def test_years_note_counts_the_dated_relations(open_page, server):
    data = httpx.get(f"{server}/api/networks/all").json()
    dated = sum(1 for e in data["edges"] if e.get("start") is not None or e.get("end") is not None)
    probe = open_page("/?network=all")
    ready(probe)
    total = state(probe, "visibleEdgeCount")
    note = probe.page.inner_text("#years-note")
    assert f"{dated} of {total} relations shown state a period" in note
    assert dated < total / 2 and "Most state none" in note


def test_copied_url_reopens_the_same_view(open_page, output_dir):
    probe = open_page("/?network=all", width=1440, height=900)
    ready(probe)
    page = probe.page
    page.locator("#country-filter input[value=DK]").uncheck()
    page.select_option("#colour-by", "country")
    page.select_option("#size-by", "betweenness")
    page.fill("#search", "ASTI")
    page.locator("#search-list li[role=option]").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.__explorer.selected === '{ASTI}'")
    page.wait_for_timeout(900)
    page.click("#zoom-out")
    page.wait_for_timeout(800)
    url = page.url
    before = {
        k: state(probe, k)
        for k in (
            "visibleNodeCount",
            "visibleEdgeCount",
            "colourBy",
            "sizeBy",
            "selected",
            "camera",
        )
    }
    other = open_page("/" + url.split("/", 3)[3], width=1440, height=900)
    ready(other)
    other.page.wait_for_timeout(600)
    after = {k: state(other, k) for k in before}
    for key in ("visibleNodeCount", "visibleEdgeCount", "colourBy", "sizeBy", "selected"):
        assert after[key] == before[key], key
    for key in ("x", "y", "ratio"):
        assert after["camera"][key] == pytest.approx(before["camera"][key], rel=1e-3, abs=1e-3), key
    assert not other.page.locator("#country-filter input[value=DK]").is_checked()
    assert other.page.input_value("#colour-by") == "country"
    other.page.screenshot(path=output_dir / "views-reopened-url.png")
    # A named view, saved locally and exported as JSON.
    page.click("#views-box summary")
    page.fill("#view-name", "Without Denmark")
    page.click("#views-save")
    assert page.locator("#views-list a", has_text="Without Denmark").count() == 1
    with page.expect_download() as info:
        page.click("#views-export")
    target = output_dir / "views.json"
    info.value.save_as(target)
    views = json.loads(target.read_text())["views"]
    assert views[0]["name"] == "Without Denmark" and "hide-country=DK" in views[0]["query"]
    assert probe.errors == [] and other.errors == []


def test_exported_svg_has_the_labels_on_screen(open_page, output_dir):
    probe = open_page("/?network=funding", width=1440, height=900)
    ready(probe)
    page = probe.page
    only_country(page, "LU")
    page.select_option("#size-by", "brokerage_total")
    page.wait_for_timeout(300)
    shown = {lab["label"] for lab in state(probe, "drawnLabels")}
    assert shown
    with page.expect_download() as info:
        page.click("[data-export=svg]")
    target = output_dir / "views-funding-LU.svg"
    info.value.save_as(target)
    root = ET.parse(target).getroot()
    texts = {
        t.text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "labels"
        for t in g.iter(f"{SVG}text")
    }
    assert texts == shown
    subtitle = next(t.text for t in root.iter(f"{SVG}text") if t.get("class") == "subtitle")
    nodes, edges = state(probe, "visibleNodeCount"), state(probe, "visibleEdgeCount")
    assert (
        subtitle
        == f"Luxembourg · colour: kind · size: brokerage total · {nodes} nodes, {edges} edges"
    )
    title = next(t.text for t in root.iter(f"{SVG}text") if t.get("class") == "title")
    assert title == "Funding network"
    assert next(t.text for t in root.iter(f"{SVG}text") if t.get("class") == "source").startswith(
        "Source:"
    )
    # Cropped to the visible part: no wider than the canvas.
    assert float(root.get("width")) < 1440
    with page.expect_download() as info:
        page.click("[data-export=pdf]")
    pdf = output_dir / "views-funding-LU.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert probe.errors == []


def test_communities_and_structure_filters(open_page, server):
    data = httpx.get(f"{server}/api/networks/all").json()
    # Independent check of the structure filters: networkx over the same JSON.
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in data["nodes"])
    g.add_edges_from(
        (e["source"], e["target"]) for e in data["edges"] if e["source"] != e["target"]
    )
    core2 = nx.k_core(g, 2).number_of_nodes()
    largest = len(max(nx.connected_components(g), key=len))
    probe = open_page("/?network=all&colour=community")
    ready(probe)
    page = probe.page
    assert "community 1" in page.inner_text("#legend")
    page.fill("#k-core", "2")
    page.dispatch_event("#k-core", "change")
    assert state(probe, "visibleNodeCount") == core2
    page.fill("#k-core", "0")
    page.dispatch_event("#k-core", "change")
    page.check("#largest")
    assert state(probe, "visibleNodeCount") == largest
    assert probe.errors == []


def test_legend_folds_at_390px(open_page, output_dir):
    probe = open_page("/?network=funding", width=390, height=844)
    ready(probe)
    page = probe.page
    assert page.evaluate("document.querySelector('#legend-box').open") is False
    assert not page.locator("#legend").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    page.screenshot(path=output_dir / "views-390x844.png", full_page=True)
    page.click("#legend-box summary")
    assert page.locator("#legend").is_visible()
    assert probe.errors == []


def test_search_covers_the_whole_graph(open_page, server):
    # Dysphasie.lu has no award: it is not in the funding network, but in "all relations".
    funding = httpx.get(f"{server}/api/networks/funding").json()
    assert not any("dysphasie" in n["id"] for n in funding["nodes"])
    probe = open_page("/?network=funding")
    ready(probe)
    page = probe.page
    page.fill("#search", "Dysphasie")
    option = page.locator("#search-list li[role=option]").first
    option.wait_for()
    assert "not in this network" in option.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => window.__explorer.network === 'all' && document.body.dataset.ready === 'true'"
    )
    page.wait_for_function("() => (window.__explorer.selected || '').includes('dysphasie')")
    # Enter right after typing picks the first suggestion once it arrives.
    page.locator("#search").fill("")
    page.locator("#search").type("Caritas", delay=0)
    page.keyboard.press("Enter")
    page.wait_for_function("() => (window.__explorer.selected || '').includes('caritas')")
    # The path boxes match acronyms (alternative names from the server's search).
    page.click("#path-box summary")
    page.fill("#path-from", "ASTI")
    first = page.locator("#path-from-list li[role=option]").first
    first.wait_for()
    assert "Association de Soutien aux Travailleurs Immigrés" in first.inner_text()
    assert probe.errors == []
