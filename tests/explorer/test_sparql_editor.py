"""The SPARQL editor (/sparql) in headless Chromium against a real ``kg serve`` (issue 16).

Every shipped named query is opened from the dropdown and checked by YASQE's own syntax checker
(no marker may show: the raw files use Oxigraph's LATERAL, which YASQE flags); examples open
with their example values bound, and their answer is the named query's answer from
``/api/queries/{name}`` (pyoxigraph substitutions: another binding path); the CLI's prefixes
(kg.namespaces.ALL_PREFIXES) are predeclared; an unknown prefix gets one line; results open in
the table's simple view; a numeric column offers a chart; 390 px does not overflow.
"""

from __future__ import annotations

import httpx

from kg.namespaces import ALL_PREFIXES


def _ready(probe) -> None:
    probe.page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    probe.page.wait_for_function("() => document.querySelectorAll('#examples option').length > 1")


_CHECK = """() => {
  const y = window.yasgui.getTab().getYasqe();
  y.checkSyntax();
  return { valid: y.queryValid, markers: document.querySelectorAll('.parseErrorIcon').length,
           selected: document.querySelector('#examples').value,
           shown: document.querySelector('#examples').selectedOptions[0].textContent };
}"""


def _run_and_count(page) -> int:
    page.evaluate("window.__rows = null; window.yasgui.getTab().getYasr().once('drawn', (y) => {"
                  " window.__rows = y.results.getBindings().length; }); "
                  "void window.yasgui.getTab().query()")  # fmt: skip
    page.wait_for_function("() => window.__rows !== null", timeout=30_000)
    return page.evaluate("window.__rows")


def test_every_example_opens_without_syntax_markers(open_page, server):
    names = [q["name"] for q in httpx.get(f"{server}/api/queries").json()]
    probe = open_page("/sparql", width=1440, height=900)
    _ready(probe)
    page = probe.page
    offered = page.eval_on_selector_all("#examples option", "os => os.map(o => o.value)")
    assert sorted(n for n in offered if n) == sorted(names)  # every shipped query is offered
    bad = []
    for name in names:
        page.select_option("#examples", name)
        state = page.evaluate(_CHECK)
        assert state["selected"] == name and f"({name})" in state["shown"]
        if not state["valid"] or state["markers"]:
            bad.append(name)
    assert bad == []
    assert probe.errors == []


def test_example_opens_with_its_values_bound_and_the_form_rebinds(open_page, server, output_dir):
    def expected(code: str) -> int:
        res = httpx.get(f"{server}/api/queries/typology-matrix", params={"country_code": code})
        return len(res.json()["rows"])

    probe = open_page("/sparql", width=1440, height=900)
    _ready(probe)
    page = probe.page
    page.select_option("#examples", "typology-matrix")  # its header's example: country_code DK
    text = page.evaluate("window.yasgui.getTab().getQuery()")
    assert 'VALUES (?country_code) { ("DK") }' in text
    assert page.input_value("#params input[name=country_code]") == "DK"
    assert _run_and_count(page) == expected("DK") > 0
    page.fill("#params input[name=country_code]", "CZ")
    page.click("#params button[type=submit]")
    page.wait_for_function("() => window.yasgui.getTab().getQuery().includes('(\"CZ\")')")
    assert _run_and_count(page) == expected("CZ") > 0
    assert page.evaluate("document.querySelector('#examples').value") == "typology-matrix"
    # Results open in the table's simple view.
    assert page.locator(".yasr .tableControls input[type=checkbox]").first.is_checked()
    page.screenshot(path=output_dir / "sparql-editor-1440x900.png")
    assert probe.errors == []


def test_predeclared_prefixes_and_unknown_prefix_message(open_page):
    probe = open_page("/sparql")
    _ready(probe)
    page = probe.page
    page.evaluate(
        "q => { window.yasgui.getTab().setQuery(q); }",
        "SELECT ?a WHERE { ?a a mi:PositionAssessment ; oa:hasBody position:alternative }",
    )
    assert _run_and_count(page) >= 1  # GR solidarity movements are alternative CSOs (typology.ttl)
    text = page.evaluate("window.yasgui.getTab().getQuery()")
    for name in ("mi", "oa", "position"):
        assert f"PREFIX {name}: <{ALL_PREFIXES[name]}>" in text
    assert page.locator("#editor-message").is_hidden()
    page.evaluate(
        "q => { window.yasgui.getTab().setQuery(q); }",
        "SELECT ?s WHERE { ?s nosuch:thing ?o } LIMIT 1",
    )
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/sparql" in r.url else None)
    page.evaluate("void window.yasgui.getTab().query()")
    page.wait_for_function("() => !document.querySelector('#editor-message').hidden")
    msg = page.inner_text("#editor-message")
    assert '"nosuch:"' in msg and "line 1" in msg and "\n" not in msg
    page.wait_for_timeout(300)
    assert sent == []  # not sent: the message says what to fix instead of a parser error
    assert probe.errors == []


def test_chart_view_for_a_numeric_column(open_page, output_dir):
    probe = open_page("/sparql", width=1440, height=900)
    _ready(probe)
    page = probe.page
    page.evaluate(
        "q => { window.yasgui.getTab().setQuery(q); }",
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 12",
    )
    assert _run_and_count(page) == 12
    page.click(".yasr .select_chart")
    page.wait_for_selector(".kg-chart canvas")
    assert "n by class" in page.inner_text(".kg-chart-note")
    drawn = page.evaluate(
        "() => { const c = document.querySelector('.kg-chart canvas');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++; return n; }"
    )
    assert drawn > 1000
    page.screenshot(path=output_dir / "sparql-chart-1440x900.png")
    assert probe.errors == []


def test_editor_at_390px_does_not_overflow(open_page, output_dir):
    probe = open_page("/sparql", width=390, height=844)
    _ready(probe)
    page = probe.page
    page.select_option("#examples", "typology-matrix")
    _run_and_count(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('header, header *, #params, #params *, .yasqe, .yasr_header')]"
        ".filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + '.' + e.className)"
    )
    page.screenshot(path=output_dir / "sparql-editor-390.png")
    assert width <= 390 and wide == []
    assert probe.errors == []


def test_every_example_text_gives_the_named_query_answer(server):
    """The text the editor opens (SPARQL 1.1, VALUES-bound) answers what ``/api/queries/{name}``
    answers with the same example values (pyoxigraph substitutions, the LATERAL text)."""
    named = {q["name"]: q for q in httpx.get(f"{server}/api/queries").json()}
    examples = httpx.get(f"{server}/api/editor/examples").json()
    assert sorted(e["name"] for e in examples) == sorted(named)
    differ = []
    for e in examples:
        example = named[e["name"]]["example"]
        for p in e["params"]:
            assert p["value"] == example.get(p["name"])
            if p["value"] is not None:
                assert "VALUES" in e["text"], e["name"]
        res = httpx.post(
            f"{server}/sparql",
            data={"query": e["text"]},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert res.status_code == 200, (e["name"], res.text[:300])
        want = httpx.get(f"{server}/api/queries/{e['name']}", params=example, timeout=60)
        assert want.status_code == 200, (e["name"], want.text[:300])
        got = res.json()["results"]["bindings"]
        concat = named[e["name"]].get("concat") or {}
        if concat:
            # The toolkit joins these columns when it reads the rows (the `concat` header,
            # kg.sparql.named.concat_rows); raw SPARQL gives one row per value.
            key = [c for c in res.json()["head"]["vars"] if c not in concat]
            got = {tuple(str(b.get(c)) for c in key) for b in got}
        if len(got) != len(want.json()["rows"]):
            differ.append(e["name"])
    assert differ == []
