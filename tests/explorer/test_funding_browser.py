"""The funding page (``/funding``) in Debian's headless Chromium against a real ``kg serve``.

Expected values are computed independently of the page: the ``funders-of`` named query for
ASTI (another query text), plain SPARQL counts over the shipped graph for the coverage lines,
and the server's CSV for the rows shown. Screenshots go to ``test-output/explorer/``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from urllib.parse import parse_qs, urlparse

from kg.sparql.named import rows_as_dicts, run_named
from tests.explorer.test_funding_api import ASTI_LABEL, count

READY = "() => document.body.dataset.ready === 'true' && window.__funding.ready"


def ready(probe) -> None:
    probe.page.wait_for_function(READY, timeout=30_000)


def links(page, column: str) -> dict[tuple[str, str], float]:
    """The Sankey's drawn links leaving nodes of one column: (source, target) -> value."""
    return {
        (d["source"], d["target"]): float(d["value"])
        for d in page.eval_on_selector_all(
            "#sankey path[data-source]",
            "ps => ps.map(p => ({source: p.dataset.source, target: p.dataset.target, value: p.dataset.value,"
            ' column: document.querySelector(`#sankey rect[data-node="${CSS.escape(p.dataset.source)}"]`)'
            "?.dataset.column}))",
        )
        if d["column"] == column
    }


def test_asti_sankey_and_table_agree_with_funders_of(open_page, output_dir):
    from tests.support import shipped_backend

    expected = rows_as_dicts(run_named("funders-of", {"org": "lu-asti"}, backend=shipped_backend()))
    awards = {r["award"]: r for r in expected}
    probe = open_page(f"/funding?recipient={ASTI_LABEL}", width=1440, height=900)
    ready(probe)
    page = probe.page
    # No award to ASTI states an amount, so the width is the number of awards, and the legend says so.
    assert "Link width: number of awards." in page.inner_text("#sankey-legend")
    per_pair = Counter(
        (
            r["funder_label"],
            "programme not stated"
            if r["programme_label"] == "not stated"
            else r["programme_label"],
        )
        for r in awards.values()
    )
    assert links(page, "funder") == {k: float(v) for k, v in per_pair.items()}
    into_asti = links(page, "programme")
    assert {t for _, t in into_asti} == {ASTI_LABEL}
    assert sum(into_asti.values()) == len(awards)
    # The table: one row per award (all drawn: a handful of rows fits in the scroller).
    cells = page.eval_on_selector_all(
        "#table .tr", "rs => rs.map(r => [...r.querySelectorAll('.td')].map(c => c.textContent))"
    )
    assert len(cells) == len(awards)
    assert Counter(c[0] for c in cells) == Counter(r["funder_label"] for r in awards.values())
    assert {c[3] for c in cells} == {ASTI_LABEL}
    page.screenshot(path=output_dir / "funding-asti-1440x900.png", full_page=True)
    assert probe.errors == []


def test_filter_state_round_trips_through_the_url(open_page, browser, server):
    probe = open_page("/funding", width=1440, height=900)
    ready(probe)
    page = probe.page
    page.select_option("#f-country", "LU")
    page.fill("#f-max", "20000000")
    page.dispatch_event("#f-max", "change")
    page.click("#table button[data-sort=funder_label]")
    page.click("#table button[data-sort=funder_label]")  # second click: descending
    query = parse_qs(urlparse(page.url).query)
    assert query == {
        "country": ["LU"],
        "max": ["20000000"],
        "sort": ["funder_label"],
        "desc": ["true"],
    }
    shown = page.evaluate("window.__funding.shownRows().map(r => r.award)")
    assert shown
    # The copied URL opens the same view in a fresh browser context.
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        again = ctx.new_page()
        again.goto(page.url)
        again.wait_for_function(READY, timeout=30_000)
        assert again.evaluate("window.__funding.shownRows().map(r => r.award)") == shown
        assert again.input_value("#f-country") == "LU"
        assert again.input_value("#f-max") == "20000000"
        assert (
            again.get_attribute("#table button[data-sort=funder_label]", "data-sort")
            == "funder_label"
        )
        assert "descending" in again.eval_on_selector_all(
            "#table [aria-sort]", "hs => hs.map(h => h.getAttribute('aria-sort'))"
        )
    finally:
        ctx.close()
    assert probe.errors == []


def test_csv_download_equals_the_rows_shown(open_page):
    probe = open_page("/funding?country=LU&sort=amount&desc=true", width=1440, height=900)
    ready(probe)
    page = probe.page
    with page.expect_download() as info:
        page.click("#csv")
    text = open(info.value.path(), encoding="utf-8").read()  # noqa: PTH123, SIM115
    table = list(csv.DictReader(io.StringIO(text)))
    shown = page.evaluate("window.__funding.shownRows()")
    assert table and len(table) == len(shown)
    as_csv = [{k: "" if v is None else str(v) for k, v in row.items()} for row in shown]
    assert table == as_csv
    # The rows drawn are those rows, in that order.
    drawn = page.eval_on_selector_all(
        "#table .tr", "rs => rs.map(r => r.querySelector('.td').textContent)"
    )
    assert drawn == [row["funder_label"] for row in table][: len(drawn)]
    with page.expect_download() as info:
        page.click("#json")
    import json

    body = json.loads(open(info.value.path(), encoding="utf-8").read())  # noqa: PTH123, SIM115
    assert [r["award"] for r in body["rows"]] == [r["award"] for r in table]
    assert probe.errors == []


def _line(n: int, k: int, what: str, amounts: int) -> str:
    verb = "states" if k == 1 else "state"
    a = "none states" if amounts == 0 else f"{amounts} {'states' if amounts == 1 else 'state'}"
    return f"{k} of {n} awards {verb} {what}; {a} an amount"


def test_coverage_lines_match_sparql_counts(open_page):
    probe = open_page("/funding", width=1440, height=900)
    ready(probe)
    n = count("")
    amounts = count("FILTER EXISTS { ?a schema:amount/schema:value ?v }")
    year = count("FILTER EXISTS { ?a mi:startYear|mi:endYear ?y }")
    programme = count("FILTER EXISTS { ?a mi:awardedUnder ?p }")
    lines = probe.page.evaluate("window.__funding.coverage")
    assert lines["year"] == _line(n, year, "a year", amounts)
    assert lines["programme"] == _line(n, programme, "a programme", amounts)
    assert probe.page.inner_text("#chart-year .coverage") == lines["year"]
    assert probe.errors == []


def test_screenshots_and_nothing_from_another_host(open_page, server, output_dir):
    for width, height in ((1440, 900), (390, 844)):
        probe = open_page("/funding", width=width, height=height)
        requests: list[str] = []
        probe.page.on("request", lambda r, requests=requests: requests.append(r.url))
        probe.page.reload()
        ready(probe)
        page = probe.page
        path = output_dir / f"funding-{width}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 20_000
        assert requests and all(u.startswith(server) or u.startswith("data:") for u in requests)
        # The page itself never scrolls sideways (the Sankey and the table scroll in their boxes).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#sankey rect[data-node]").count() > 3
        assert probe.errors == []
