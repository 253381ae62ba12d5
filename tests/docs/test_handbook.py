"""The handbook: its quotes, its examples, and the built site (links, hosts, generated reference).

- Quotes: every block quote of a page that cites ``— `file`, line N`` is checked against the
  source document itself (``../shared/seeds/``): verbatim up to line breaks, and an occurrence
  begins on line N.
- Examples: every code block of the tutorials and how-tos is a ``>>>`` session, so that the
  doctest run (``--doctest-glob=*.md``) covers all of them.
- The site: built with ``mkdocs build --strict`` (``site/`` when it is newer than every source,
  else a fresh build here); every relative ``href``/``src`` resolves to a file of the site (and
  its ``#fragment`` to an id of that page), nothing is loaded from another host, and the
  generated reference pages name every term, query, command and path of their sources, which
  this test reads independently (rdflib on ``mi.ttl``, the ``queries/`` files, the typer app,
  the OpenAPI document).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from itertools import chain
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SEEDS = Path(os.environ.get("KG_SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
PAGES = sorted(DOCS.rglob("*.md"))
#: Where kg serve serves the handbook (mkdocs.yml's site_url): the site's own address.
SITE_URL = "http://127.0.0.1:8000/handbook/"
RUNNABLE = sorted([*(DOCS / "tutorials").glob("*.md"), *(DOCS / "how-to").glob("*.md")])


# ------------------------------------------------------------------------------------ quotes


def _normalised(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; return the text and each character's line."""
    chars: list[str] = []
    lines: list[int] = []
    line, space = 1, False
    for ch in text:
        if ch.isspace():
            if not space:
                chars.append(" ")
                lines.append(line)
            space = True
        else:
            chars.append(ch)
            lines.append(line)
            space = False
        if ch == "\n":
            line += 1
    return "".join(chars), lines


def _cited_quotes(page: Path) -> list[tuple[str, str, int]]:
    """Return ``(quote, file, line)`` for every block quote that ends with a citation."""
    found = []
    blocks: list[list[str]] = []
    previous = False
    for raw in page.read_text(encoding="utf-8").splitlines():
        quoted = raw.startswith(">")
        if quoted and not previous:
            blocks.append([])
        if quoted:
            blocks[-1].append(raw.removeprefix(">").strip())
        previous = quoted
    for lines in blocks:
        cite = next((ln for ln in lines if ln.startswith("—")), None)
        if cite is None:
            continue
        m = re.match(r"— `([^`]+)`, line (\d+)", cite)
        assert m, f"{page.name}: unreadable citation {cite!r}"
        quote = " ".join(ln for ln in lines if ln and not ln.startswith("—"))
        found.append((quote, m.group(1), int(m.group(2))))
    return found


QUOTED = [(page, *q) for page in PAGES for q in _cited_quotes(page)]


def test_every_tutorial_cites_quotes():
    per_page = {p.name for p, *_ in QUOTED}
    tutorials = {p.name for p in (DOCS / "tutorials").glob("*.md")}
    assert tutorials and tutorials <= per_page, tutorials - per_page


@pytest.mark.parametrize(
    ("page", "quote", "file", "line"),
    QUOTED,
    ids=[f"{p.stem}:{f}:{n}" for p, _, f, n in QUOTED],
)
def test_quote_is_verbatim_in_its_document_at_its_line(page, quote, file, line):
    path = SEEDS / file
    if not path.is_file():
        pytest.skip(f"source documents not found in {SEEDS} (KG_SEEDS_DIR)")
    text, lines = _normalised(path.read_text(encoding="utf-8"))
    wanted = " ".join(quote.split())
    starts = [m.start() for m in re.finditer(re.escape(wanted), text)]
    assert starts, f"{page.name}: not verbatim in {file}: {quote[:80]!r}"
    assert line in {lines[i] for i in starts}, (
        f"{page.name}: {quote[:60]!r} begins on line(s) {sorted({lines[i] for i in starts})} "
        f"of {file}, not {line}"
    )


def test_quote_checker_rejects_a_changed_quote(tmp_path):
    """The checker can fail: a word changed in a quote is not found."""
    page = tmp_path / "p.md"
    page.write_text(
        "> CLAE was founded in 1986 and is funded by government.\n>\n"
        "> — `000_bb8b49f7e06df230.txt`, line 127\n",
        encoding="utf-8",
    )
    [(quote, file, line)] = _cited_quotes(page)
    path = SEEDS / file
    if not path.is_file():
        pytest.skip("source documents not found")
    text, _ = _normalised(path.read_text(encoding="utf-8"))
    assert " ".join(quote.split()) not in text
    assert "CLAE was founded in 1985 and is funded by government." in text


# ------------------------------------------------------------------------------------ examples


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_code_block_is_a_doctest_session(page):
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)
    # a page may have no code (not-yet-available.md); a tutorial always has
    assert blocks or page.parent.name != "tutorials", f"{page.name} has no examples"
    for lang, body in blocks:
        assert lang == "pycon" and body.lstrip().startswith(">>>"), (
            f"{page.name}: a ```{lang} block that the doctest run would not execute"
        )
        # doctest ends an expected output at a blank line: the block must end with one
        assert body.endswith("\n\n"), f"{page.name}: a pycon block without its closing blank line"


# ------------------------------------------------------------------------------------ the site


def _newest_source() -> float:
    sources = chain(
        DOCS.rglob("*"),
        [ROOT / "mkdocs.yml"],
        (ROOT / "ontology").rglob("*.ttl"),
        (ROOT / "data" / "ttl").rglob("*.ttl"),
        (ROOT / "queries").rglob("*.rq"),
        (ROOT / "kg").rglob("*.py"),
        (ROOT / "api").rglob("*.py"),
    )
    return max(p.stat().st_mtime for p in sources if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The built handbook: site/ when up to date (make docs), else built here."""
    built = ROOT / "site"
    if (built / "index.html").is_file() and (built / "index.html").stat().st_mtime > (
        _newest_source()
    ):
        return built
    out = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    r = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return out


class _Refs(HTMLParser):
    """Collect ``href``/``src`` of a page, its element ids, and what it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src"):
                self.refs.append((tag, name, value))


def _parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15, "the site looks empty"
    return pages


def _broken_links(site: Path) -> list[str]:
    parsed = {p: _parse(p) for p in _pages(site)}
    broken = []
    for page, refs in parsed.items():
        for tag, _attr, value in refs.refs:
            if value.startswith(SITE_URL):
                value = "/handbook/" + value.removeprefix(SITE_URL)
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue  # external: checked for loading by another test, not followed
            if parts.path.startswith("/"):  # root-absolute: only under /handbook/ (404.html)
                if not parts.path.startswith("/handbook/"):
                    broken.append(f"{page.relative_to(site)}: <{tag}> {value} (outside /handbook)")
                    continue
                target = site / unquote(parts.path.removeprefix("/handbook/"))
            elif not parts.path:
                target = page
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site)}: <{tag}> {value}"
            if not target.is_file():
                broken.append(where)
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(where + " (no such anchor)")
    return broken


def test_every_internal_link_resolves(site):
    assert _broken_links(site) == []


def test_link_checker_finds_a_broken_link(site, tmp_path):
    """The checker can fail: a copy of one page with a dead link and a dead anchor."""
    copy = tmp_path / "site"
    (copy / "sub").mkdir(parents=True)
    html = (site / "index.html").read_text(encoding="utf-8")
    (copy / "index.html").write_text(html, encoding="utf-8")
    (copy / "sub" / "index.html").write_text(
        '<a href="../no-such-page/">x</a><a href="../index.html#no-such-anchor">y</a>'
        + "<p></p>" * 20,
        encoding="utf-8",
    )
    for i in range(20):  # enough pages for the "site looks empty" guard
        (copy / f"p{i}.html").write_text('<a href="index.html">home</a>', encoding="utf-8")
    broken = _broken_links(copy)
    assert any("no-such-page" in b for b in broken)
    assert any("no such anchor" in b for b in broken)


def test_nothing_is_loaded_from_another_host(site):
    loaded = []
    for page in _pages(site):
        for tag, attr, value in _parse(page).refs:
            external = urlsplit(value).scheme in ("http", "https") or value.startswith("//")
            external = external and not value.startswith(SITE_URL)
            # <a href> is a link a reader may follow; everything else is fetched by the browser
            if external and not (tag == "a" and attr == "href"):
                loaded.append(f"{page.relative_to(site)}: <{tag} {attr}={value}>")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if url.startswith(("http:", "https:", "//")):
                loaded.append(f"{css.relative_to(site)}: url({url})")
    for f in chain(site.rglob("*.html"), site.rglob("*.css"), site.rglob("*.js")):
        if "fonts.googleapis" in f.read_text(encoding="utf-8", errors="replace"):
            loaded.append(f"{f.relative_to(site)}: Google fonts")
    assert loaded == []


def _text(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def _plain(html: str) -> str:
    """The page's text without tags (code blocks are split into highlighted spans)."""
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_ontology_reference_has_every_term(site):
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    onto = Graph().parse(ROOT / "ontology" / "mi.ttl")
    mi = "https://w3id.org/integration-kg/ontology#"
    types = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {
        str(s).removeprefix(mi)
        for t in types
        for s in onto.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(mi)
    }
    assert len(terms) >= 50
    html = _text(site, "reference/ontology")
    missing = [t for t in sorted(terms) if f'id="mi-{t.lower()}"' not in html]
    assert missing == []
    # a definition and an example taken from the files
    assert "One funding relation stated by a source" in html
    assert "actor:anon-1-cso-ch a mi:AnonymousOrganisation" in _plain(html)


def test_shapes_reference_has_every_shape(site):
    shapes = set()
    for f in (ROOT / "ontology" / "shapes").glob("*.ttl"):
        shapes |= set(re.findall(r"^shape:(\S+) a sh:NodeShape", f.read_text("utf-8"), re.M))
    assert len(shapes) >= 40
    html = _text(site, "reference/shapes")
    assert [s for s in sorted(shapes) if f"shape:{s}" not in html] == []


def test_query_reference_has_every_query(site):
    names = sorted(
        str(p.relative_to(ROOT / "queries").with_suffix("")).replace(os.sep, "/")
        for p in (ROOT / "queries").rglob("*.rq")
    )
    html = _text(site, "reference/queries")
    assert [n for n in names if f'id="{n.replace("/", "-")}"' not in html] == []
    assert "Who funds an organisation" in html  # a title from a #+ header


def test_cli_reference_has_every_command(site):
    import click
    import typer

    from kg.cli import app

    def commands(cmd: click.Command, prefix: str) -> list[str]:
        out = [prefix]
        for name, sub in getattr(cmd, "commands", {}).items():
            out += commands(sub, f"{prefix} {name}")
        return out

    html = _text(site, "reference/cli")
    every = commands(typer.main.get_command(app), "kg")[1:]  # the page's title stands for `kg`
    assert len(every) > 15
    assert [c for c in every if f"<code>{c}</code>" not in html] == []


def test_http_reference_has_every_path(site):
    from api.main import create_app

    paths = create_app().openapi()["paths"]
    html = _text(site, "reference/http-api")
    missing = [
        f"{m.upper()} {p}"
        for p, ops in paths.items()
        for m in ops
        if f"{m.upper()} {p}" not in html
    ]
    assert len(paths) > 5 and missing == []


def test_python_reference_documents_the_api(site):
    html = _text(site, "reference/python-api")
    for name in ("kg.graph.open_graph", "kg.graph.KnowledgeGraph", "kg.graph.Rows"):
        assert f'id="{name}"' in html, name
    assert 'id="kg.graph.KnowledgeGraph.brokerage"' in html
    assert "Gould" in html  # a numpydoc References section rendered


def test_tutorial_figures_and_notebook_are_in_the_site(site):
    for page in sorted((DOCS / "tutorials").glob("*.md")):
        figures = re.findall(r"\]\((figures/[^)]+\.svg)\)", page.read_text(encoding="utf-8"))
        assert figures, f"{page.name} has no figure"
        for fig in figures:
            svg = site / "tutorials" / fig
            assert svg.is_file() and b"<svg" in svg.read_bytes()[:2000], fig
    assert (site / "notebooks" / "brokerage-analysis.py").is_file()
    notebook = _text(site, "notebooks/brokerage-analysis")
    assert "0 totals differ from the brute force" in notebook  # executed at build time
