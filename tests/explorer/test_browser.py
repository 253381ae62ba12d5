"""The explorer page in a real browser: Debian's headless Chromium against a real ``kg serve``.

Each test saves a screenshot under ``test-output/explorer/`` to look at.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import igraph as ig
import networkx as nx
from PIL import Image

from tests.support.explorer import ready, state

ASTI = "https://w3id.org/integration-kg/id/org/lu-asti"


def test_page_loads_and_draws_the_network(open_page, output_dir):
    probe = open_page("/")
    ready(probe)
    page = probe.page
    assert state(probe, "network") == "funding"
    assert page.locator("#graph canvas").count() >= 2  # sigma's WebGL and label layers
    status = page.inner_text("#status")
    assert "nodes" in status and "edges shown" in status
    assert page.locator("#legend li").count() >= 3
    shot = output_dir / "explorer-1280x800.png"
    page.screenshot(path=shot)
    graph_png = page.locator("#graph").screenshot()
    img = Image.open(io.BytesIO(graph_png)).convert("RGB")
    colours = img.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20, "the graph canvas looks empty"
    non_white = sum(n for n, c in colours if c != (255, 255, 255))
    assert non_white > 0.002 * img.width * img.height
    assert probe.errors == []


def test_every_network_loads(open_page):
    probe = open_page("/")
    ready(probe)
    names = probe.page.eval_on_selector_all("#network option", "os => os.map(o => o.value)")
    loaded = "() => window.__explorer.network === '{}' && document.body.dataset.ready === 'true'"
    for name in ("membership", "partnership", "referral", "funding-programmes", "all"):
        assert name in names
        probe.page.select_option("#network", name)
        probe.page.wait_for_function(loaded.format(name))
        assert state(probe, "visibleNodeCount") > 0
    # A network with no relation yet says so instead of drawing nothing silently.
    for name in (n for n in names if n in ("placement", "revenue")):
        probe.page.select_option("#network", name)
        probe.page.wait_for_function(loaded.format(name))
        if state(probe, "visibleNodeCount") == 0:
            assert "no relation" in probe.page.inner_text("#message")
    assert probe.errors == []


def test_search_asti_focuses_the_node(open_page, output_dir):
    probe = open_page("/?network=all")
    ready(probe)
    page = probe.page
    page.fill("#search", "ASTI")
    option = page.locator("#search-list li[role=option]").first
    option.wait_for()
    assert "Association de Soutien aux Travailleurs Immigrés" in option.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.__explorer.selected === '{ASTI}'")
    page.wait_for_function("() => window.__explorer.cameraRatio < 0.5")
    page.wait_for_timeout(700)  # camera animation
    assert "Association de Soutien aux Travailleurs Immigrés" in page.inner_text("#panel h2")
    box = page.locator("#graph").bounding_box()
    pos = page.evaluate(f"window.__explorer.nodeViewportPosition('{ASTI}')")
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert abs(pos["x"] - centre[0]) < 40 and abs(pos["y"] - centre[1]) < 40
    assert "focus=lu-asti" in page.url
    page.screenshot(path=output_dir / "explorer-search-asti.png")
    assert probe.errors == []


def test_filters_change_the_visible_count(open_page, output_dir):
    probe = open_page("/?network=all")
    ready(probe)
    page = probe.page
    total = state(probe, "visibleNodeCount")
    page.locator("#country-filter input[value=LU]").uncheck()
    without_lu = state(probe, "visibleNodeCount")
    assert 0 < without_lu < total
    assert f"{without_lu} of {total} nodes" in page.inner_text("#status")
    page.locator("#country-filter input[value=LU]").check()
    assert state(probe, "visibleNodeCount") == total
    page.locator("#relation-filter input[value=partnership]").uncheck()
    assert state(probe, "visibleEdgeCount") < state(probe, "visibleNodeCount") * 10
    assert state(probe, "visibleNodeCount") < total
    page.click("#reset-filters")
    assert state(probe, "visibleNodeCount") == total
    # Years: keep only dated relations of 2016-2017.
    page.uncheck("#undated")
    page.eval_on_selector(
        "#year-from", "e => { e.value = 2016; e.dispatchEvent(new Event('input')); }"
    )
    page.eval_on_selector(
        "#year-to", "e => { e.value = 2017; e.dispatchEvent(new Event('input')); }"
    )
    page.wait_for_timeout(200)
    dated = state(probe, "visibleNodeCount")
    assert 0 < dated < total
    legend_total = sum(int(t.strip("()")) for t in page.locator("#legend .count").all_inner_texts())
    assert legend_total == dated, "the legend must count exactly the nodes shown"
    page.screenshot(path=output_dir / "explorer-filtered-2016-2017.png")
    page.fill("#min-degree", "3")
    page.dispatch_event("#min-degree", "change")
    assert state(probe, "visibleNodeCount") <= dated
    assert probe.errors == []


def test_clicking_a_node_shows_its_quotes_and_sources(open_page, output_dir, seed_text, collapse):
    probe = open_page("/?network=all&focus=lu-asti")
    ready(probe)
    page = probe.page
    page.wait_for_function("() => window.__explorer.cameraRatio < 0.5")
    page.keyboard.press("Escape")  # clear the selection made by the URL, then click for real
    page.wait_for_function("() => window.__explorer.selected === null")
    page.wait_for_timeout(600)
    pos = page.evaluate(f"window.__explorer.nodeViewportPosition('{ASTI}')")
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_function(f"() => window.__explorer.selected === '{ASTI}'")
    quotes = page.locator("#panel ul.relations figure.quote")
    assert quotes.count() > 3
    checked = 0
    for i in range(quotes.count()):
        fig = quotes.nth(i)
        text = fig.locator("blockquote").inner_text()
        file = fig.locator("cite").get_attribute("data-file")
        assert fig.locator("cite").inner_text(), "every quote names its source document"
        assert file, f"no source file for quote {text!r}"
        assert collapse(text) in seed_text(file), text
        checked += 1
    assert checked > 3
    # The profile part (names with languages, the organisation's own quotes with lines).
    page.locator("#panel .name-list").wait_for()
    assert "ASTI" in page.inner_text("#panel .name-list")
    page.locator("#panel .sources figure.quote").first.wait_for()
    assert "line" in page.inner_text("#panel .sources")
    link = page.locator("#panel a.org-link")
    assert link.get_attribute("href") == "/org/lu-asti"
    page.screenshot(path=output_dir / "explorer-panel-asti.png")
    assert probe.errors == []


def test_ego_network_and_path(open_page, output_dir):
    probe = open_page("/?network=all&focus=lu-asti")
    ready(probe)
    page = probe.page
    page.click("text=Ego network: 1 hop")
    ego = state(probe, "visibleNodeCount")
    assert 2 < ego < 30
    assert "Ego network of" in page.inner_text("#focus-status")
    page.click("#panel button:has-text('2 hops')")
    assert state(probe, "visibleNodeCount") >= ego
    page.click("#clear-focus")
    page.click("#path-box summary")
    page.fill("#path-from", "Dysphasie")
    page.locator("#path-from-list li[role=option]").first.click()
    page.fill("#path-to", "Government of Luxembourg")
    page.locator("#path-to-list li[role=option]").first.click()
    page.click("#path-find")
    steps = page.locator("#path-result li")
    assert (
        steps.count() >= 2
    )  # Dysphasie.lu - ASTI - Government of Luxembourg: one line per relation
    assert "Association de Soutien" in page.inner_text("#path-result")
    page.screenshot(path=output_dir / "explorer-path.png")
    assert probe.errors == []


def test_exports_produce_files(open_page, output_dir):
    probe = open_page("/?network=funding")
    ready(probe)
    page = probe.page
    nodes = state(probe, "visibleNodeCount")
    edges = state(probe, "visibleEdgeCount")
    files = {}
    for kind in ("png", "svg", "gexf", "graphml", "csv-edges", "csv-nodes"):
        with page.expect_download() as info:
            page.click(f"[data-export={kind}]")
        target = output_dir / f"export-{info.value.suggested_filename}"
        info.value.save_as(target)
        files[kind] = target
        assert target.stat().st_size > 200, kind
    png = Image.open(files["png"])
    assert png.format == "PNG" and png.width > 800
    svg = ET.parse(files["svg"]).getroot()
    assert svg.tag.endswith("svg")
    assert "Funding network" in files["svg"].read_text()
    g = nx.read_gexf(files["gexf"])
    assert g.number_of_nodes() == nodes and g.number_of_edges() == edges
    assert ig.Graph.from_networkx(g).vcount() == nodes
    h = nx.read_graphml(files["graphml"])
    assert h.number_of_nodes() == nodes and h.number_of_edges() == edges
    i = ig.Graph.Read_GraphML(str(files["graphml"]))
    assert i.vcount() == nodes and i.ecount() == edges
    assert "quotes" in i.es.attributes() and "betweenness" in i.vs.attributes()
    rows = list(csv.DictReader(files["csv-edges"].open(encoding="utf-8")))
    assert len(rows) == edges and rows[0]["source_label"]
    assert len(list(csv.DictReader(files["csv-nodes"].open(encoding="utf-8")))) == nodes
    assert probe.errors == []


def test_export_follows_the_filters(open_page, output_dir):
    probe = open_page("/?network=all")
    ready(probe)
    page = probe.page
    page.locator("#country-filter button[data-bulk=none]").click()
    page.locator("#country-filter input[value=LU]").check()
    nodes = state(probe, "visibleNodeCount")
    with page.expect_download() as info:
        page.click("[data-export=graphml]")
    target = output_dir / "export-all-LU.graphml"
    info.value.save_as(target)
    g = nx.read_graphml(target)
    assert g.number_of_nodes() == nodes
    assert {d["country"] for _, d in g.nodes(data=True)} == {"LU"}


def test_keyboard(open_page):
    probe = open_page("/?network=all")
    ready(probe)
    page = probe.page
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("Caritas")
    page.locator("#search-list li[role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__explorer.selected !== null")
    assert "Caritas" in page.inner_text("#panel h2")
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.__explorer.selected === null")
    page.focus("#graph")
    before = state(probe, "cameraRatio")
    page.keyboard.press("+")
    page.wait_for_timeout(300)
    assert state(probe, "cameraRatio") < before
    assert probe.errors == []


def test_narrow_screen(open_page, output_dir):
    probe = open_page("/?network=partnership", width=390, height=844)
    ready(probe)
    page = probe.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    assert page.locator("#graph").bounding_box()["width"] > 350
    page.screenshot(path=output_dir / "explorer-390x844.png")
    page.screenshot(path=output_dir / "explorer-390x844-full.png", full_page=True)
    assert probe.errors == []


def test_organisation_page(open_page, output_dir):
    probe = open_page("/org/lu-asti")
    page = probe.page
    page.locator("h1").filter(has_text="Association de Soutien").wait_for()
    assert "ASTI" in page.inner_text("main")
    funders = page.locator("section.query").filter(has_text="Who funds it")
    funders.locator("table").wait_for()
    assert "Government of Luxembourg" in funders.inner_text()
    page.locator("#q-umbrella-roster").wait_for()
    assert page.locator("figure.quote").count() > 10
    page.screenshot(path=output_dir / "org-lu-asti.png", full_page=True)
    assert probe.errors == []
    missing = open_page("/org/no-such-org")
    missing.page.locator("h1").filter(has_text="No such organisation").wait_for()
