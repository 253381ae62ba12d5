"""Generate the handbook's reference pages and figures from the project's own files.

Used two ways:

- as an MkDocs hook (``hooks: [docs/gen_reference.py]`` in ``mkdocs.yml``): ``on_files`` adds
  the generated pages and figures to the build as in-memory files, so nothing is written into
  ``docs/`` and ``mkdocs build`` alone is enough;
- as a script, ``python docs/gen_reference.py OUT``, which writes the same pages under ``OUT``
  (to read them without building the site).

Every page is derived, never copied: the ontology from ``ontology/mi.ttl`` (with an example
from ``data/ttl`` where one exists), the shapes from ``ontology/shapes/``, the named queries
from their ``#+`` headers, the CLI from typer's own Markdown generator, the HTTP API from
``api.main.create_app().openapi()`` (the lifespan is not started), the notebook from its
jupytext source, and the tutorials' figures by running the tutorials' own ``>>>`` examples,
so that each figure is what the code printed on its page writes (pytest runs the same
examples and checks their answers).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

__all__ = [
    "PAGES",
    "cli_page",
    "generate",
    "http_api_page",
    "notebook_page",
    "ontology_page",
    "queries_page",
    "shapes_page",
    "tutorial_figures",
]

#: Pages whose examples are run at build time; the figures they write join the site.
TUTORIALS = DOCS / "tutorials"

NOTEBOOK = DOCS / "notebooks" / "brokerage-analysis.py"


# ------------------------------------------------------------------------------- helpers


#: Prefixes of the ontology and shapes files that queries do not declare.
EXTRA_PREFIXES = {
    "sh": "http://www.w3.org/ns/shacl#",
    "shape": "https://w3id.org/integration-kg/shapes#",
    "frapo": "http://purl.org/cerif/frapo/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def _curie(iri: str) -> str:
    """Abbreviate an IRI with the project's prefixes (the IRI itself when none fits)."""
    from kg.namespaces import ALL_PREFIXES

    best = max(
        ((p, ns) for p, ns in {**EXTRA_PREFIXES, **ALL_PREFIXES}.items() if iri.startswith(ns)),
        key=lambda pn: len(pn[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else f"<{iri}>"


def _cell(text: object) -> str:
    """Make a value safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


_BARE = {"integer", "boolean", "decimal"}


def _term(node: Any, graph: Any = None) -> str:
    """Write an rdflib term as Turtle (CURIEs for IRIs, quoted literals, RDF lists in brackets)."""
    from rdflib import RDF, BNode, Literal, URIRef
    from rdflib.collection import Collection

    if isinstance(node, URIRef):
        return _curie(str(node))
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > 120:
            text = text[:117] + "..."
        quoted = json.dumps(text, ensure_ascii=False)
        if node.language:
            return f"{quoted}@{node.language}"
        if node.datatype is not None and str(node.datatype).rsplit("#", 1)[-1] in _BARE:
            return str(node)
        if node.datatype is not None and not str(node.datatype).endswith("#string"):
            return f"{quoted}^^{_curie(str(node.datatype))}"
        return quoted
    if isinstance(node, BNode) and graph is not None:
        if (node, RDF.first, None) in graph:
            return "( " + " ".join(_term(n, graph) for n in Collection(graph, node)) + " )"
        inner = "; ".join(
            f"{_curie(str(p))} {_term(o, graph)}" for p, o in sorted(graph.predicate_objects(node))
        )
        return f"[ {inner} ]"
    return "[]"


def _anchor(curie: str) -> str:
    return curie.replace(":", "-").lower()


# ------------------------------------------------------------------------------- ontology


def ontology_page(root: Path = ROOT) -> str:
    """Return the ontology reference: every class and property of ``ontology/mi.ttl``.

    Parameters
    ----------
    root : Path
        The repository root.

    Returns
    -------
    str
        Markdown: one section per term with its label, definition, parents, domain and range,
        and an example triple from ``data/ttl`` when the data use the term.
    """
    from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

    onto = Graph().parse(root / "ontology" / "mi.ttl")
    data = Graph()
    for f in sorted((root / "data" / "ttl").rglob("*.ttl")):
        data.parse(f)
    kinds = {
        "Classes": [OWL.Class, RDFS.Class],
        "Object properties": [OWL.ObjectProperty],
        "Datatype properties": [OWL.DatatypeProperty],
        "Annotation properties": [OWL.AnnotationProperty],
    }
    out = [
        "# Ontology",
        "",
        "Generated from `ontology/mi.ttl` by `docs/gen_reference.py` at build time: every class",
        "and property the file declares, with its label and definition, and one example from",
        "`data/ttl/` where the curated data use the term (terms filled in by the loader's",
        "derivation rules, such as `mi:startYear`, have none in the files).",
        "",
    ]
    seen: set[URIRef] = set()
    for heading, types in kinds.items():
        terms = sorted(
            {s for t in types for s in onto.subjects(RDF.type, t) if isinstance(s, URIRef)} - seen
        )
        seen.update(terms)
        if not terms:
            continue
        out += [f"## {heading}", ""]
        for term in terms:
            curie = _curie(str(term))
            label = onto.value(term, RDFS.label) or ""
            definition = onto.value(term, SKOS.definition) or onto.value(term, RDFS.comment) or ""
            out += [f"### `{curie}` {{#{_anchor(curie)}}}", ""]
            if label:
                out += [f"**{label}**", ""]
            if definition:
                out += [" ".join(str(definition).split()), ""]
            facts = [
                ("Subclass of", RDFS.subClassOf),
                ("Subproperty of", RDFS.subPropertyOf),
                ("Domain", RDFS.domain),
                ("Range", RDFS.range),
            ]
            for name, pred in facts:
                values = sorted(_term(v, onto) for v in onto.objects(term, pred))
                if values:
                    out += [f"- {name}: " + ", ".join(f"`{v}`" for v in values)]
            example = _example(data, term, is_class=RDF.type in types or OWL.Class in types)
            out += ["", *example, ""]
    return "\n".join(out)


def _example(data: Any, term: Any, *, is_class: bool) -> list[str]:
    """Return Markdown lines with one example use of ``term`` in the data (or say there is none)."""
    from rdflib import RDF, SKOS

    if is_class:
        instances = sorted(data.subjects(RDF.type, term), key=str)
        if not instances:
            return ["*No instance in `data/ttl/`.*"]
        first = instances[0]
        lines = [f"{_term(first)} a {_curie(str(term))}"]
        label = data.value(first, SKOS.prefLabel)
        if label is not None:
            lines[0] += " ;"
            lines.append(f"    skos:prefLabel {_term(label)}")
        lines[-1] += " ."
        head = f"Example ({len(instances)} in `data/ttl/`):"
    else:
        uses = sorted(data.subject_objects(term), key=lambda so: (str(so[0]), str(so[1])))
        if not uses:
            return ["*Not used in `data/ttl/`.*"]
        s, o = uses[0]
        lines = [f"{_term(s)} {_curie(str(term))} {_term(o)} ."]
        head = f"Example ({len(uses)} uses in `data/ttl/`):"
    return [head, "", "```turtle", *lines, "```"]


# ------------------------------------------------------------------------------- shapes


def shapes_page(root: Path = ROOT) -> str:
    """Return the shapes reference: every node shape of ``ontology/shapes/`` and its constraints.

    Parameters
    ----------
    root : Path
        The repository root.

    Returns
    -------
    str
        Markdown: per file, per node shape its targets, severity, comment and a table of the
        property constraints with their messages.
    """
    from rdflib import RDF, RDFS, SH, Graph, URIRef
    from rdflib.collection import Collection

    out = [
        "# Shapes",
        "",
        "Generated from `ontology/shapes/*.shacl.ttl` at build time. `kg validate` runs them",
        "(pySHACL, or `--engine sparql` for the same shapes compiled to SPARQL); violations make",
        "it exit 1, warnings and infos are reported only.",
        "",
    ]
    targets = [
        ("class", SH.targetClass),
        ("subjects of", SH.targetSubjectsOf),
        ("objects of", SH.targetObjectsOf),
        ("node", SH.targetNode),
    ]
    for path in sorted((root / "ontology" / "shapes").glob("*.ttl")):
        g = Graph().parse(path)
        out += [f"## `{path.name}`", ""]
        comment = _file_comment(path)
        if comment:
            out += [comment, ""]
        for shape in sorted(
            (s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)), key=str
        ):
            curie = _curie(str(shape))
            label = g.value(shape, RDFS.label)
            out += [f"### `{curie}`" + (f" — {label}" if label else ""), ""]
            tgt = [
                f"{name} " + ", ".join(f"`{_curie(str(v))}`" for v in sorted(g.objects(shape, p)))
                for name, p in targets
                if (shape, p, None) in g
            ]
            if tgt:
                out += ["Targets: " + "; ".join(tgt) + ".", ""]
            severity = g.value(shape, SH.severity)
            if severity is not None:
                out += [f"Severity: `{_curie(str(severity))}`.", ""]
            if g.value(shape, RDFS.comment):
                out += [" ".join(str(g.value(shape, RDFS.comment)).split()), ""]
            if g.value(shape, SH.sparql) is not None:
                out += ["A SPARQL-based constraint (`sh:sparql`).", ""]
            props = list(g.objects(shape, SH.property))
            if props:
                out += ["| path | constraints | message |", "|---|---|---|"]
                for prop in sorted(props, key=lambda p: str(_shape_path(g, p, Collection))):
                    cons = [
                        f"{_curie(str(pred)).removeprefix('sh:')} {_term(obj, g)}"
                        for pred, obj in sorted(g.predicate_objects(prop))
                        if str(pred).startswith(str(SH))
                        and pred not in (SH.path, SH.message, SH.name, SH.description)
                    ]
                    message = g.value(prop, SH.message) or ""
                    out.append(
                        f"| `{_shape_path(g, prop, Collection)}` "
                        f"| {', '.join(f'`{_cell(c)}`' for c in cons)} "
                        f"| {_cell(message)} |"
                    )
                out.append("")
    return "\n".join(out)


def _shape_path(g: Any, prop: Any, collection: Callable[..., Iterable[Any]]) -> str:
    """Write a property shape's ``sh:path`` (a sequence path as ``a / b``)."""
    from rdflib import SH, BNode

    path = g.value(prop, SH.path)
    if isinstance(path, BNode):
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_curie(str(inverse))}"
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            return " | ".join(_curie(str(p)) for p in collection(g, alternatives))
        return " / ".join(_curie(str(p)) for p in collection(g, path))
    return _curie(str(path))


def _file_comment(path: Path) -> str:
    """Return the ``#`` comment block at the top of a Turtle file, as one paragraph."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(lines)


# ------------------------------------------------------------------------------- queries


def queries_page(root: Path = ROOT) -> str:
    """Return the named-query reference, from the ``#+`` headers of ``queries/``.

    Parameters
    ----------
    root : Path
        The repository root.

    Returns
    -------
    str
        Markdown: per query its title, summary, description, parameters, columns, example call
        and the SPARQL text.
    """
    from dataclasses import replace

    from kg.settings import get_settings
    from kg.sparql.named import load_queries

    settings = replace(get_settings(), queries_dir=root / "queries")
    queries = load_queries(settings)
    out = [
        "# Named queries",
        "",
        "Generated from the `#+` headers of `queries/**/*.rq` at build time (the header format",
        "is in [How to write and add a named query](../how-to/named-query.md)). Each runs as",
        "`kg query run NAME -p key=value`, `GET /api/queries/NAME?key=value` and",
        '`kg.open().query("NAME", key=value)`.',
        "",
        "| query | title |",
        "|---|---|",
    ]
    out += [
        f"| [`{n}`](#{_anchor(n.replace('/', '-'))}) | {_cell(q.title)} |"
        for n, q in queries.items()
    ]
    out.append("")
    for name, q in queries.items():
        out += [f"## `{name}` {{#{_anchor(name.replace('/', '-'))}}}", "", f"**{q.title}**", ""]
        if q.summary:
            out += [q.summary, ""]
        if q.description:
            out += [" ".join(q.description.split()), ""]
        if q.tags:
            out += ["Tags: " + ", ".join(f"`{t}`" for t in q.tags) + ".", ""]
        if q.params:
            out += ["| parameter | type | required | description |", "|---|---|---|---|"]
            for p in q.params:
                kind = p.type + (f" (prefix `{p.prefix}:`)" if p.prefix else "")
                out.append(
                    f"| `{p.name}` | {kind} | {'yes' if p.required else 'no'} "
                    f"| {_cell(p.description)} |"
                )
            out.append("")
        if q.returns:
            out += ["Columns: " + ", ".join(f"`{c}` ({t})" for c, t in q.returns.items()), ""]
        args = " ".join(f"-p {k}={v}" for k, v in q.example.items())
        out += ["```sh", f"kg query run {name}" + (f" {args}" if args else ""), "```", ""]
        out += ['??? note "SPARQL"', "", "    ```sparql"]
        out += [f"    {line}" if line else "" for line in q.text.rstrip().splitlines()]
        out += ["    ```", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------- CLI


def cli_page() -> str:
    """Return the CLI reference, written by typer's own Markdown generator.

    It is what ``typer kg.cli utils docs`` prints.

    Returns
    -------
    str
        Markdown for every command and option of ``kg``.
    """
    import click
    import typer
    from typer.cli import get_docs_for_click

    from kg.cli import app

    command = typer.main.get_command(app)
    body = get_docs_for_click(
        obj=command, ctx=click.Context(command, info_name="kg"), name="kg", title="CLI reference"
    )
    intro = (
        "\n\nGenerated at build time from the typer application `kg.cli.app` with typer's own "
        "documentation generator (what `typer kg.cli utils docs` prints).\n"
    )
    first, _, rest = body.partition("\n")
    return first + intro + rest


# ------------------------------------------------------------------------------- HTTP API


def http_api_page() -> str:
    """Return the HTTP API reference from the app's OpenAPI document (the lifespan is not run).

    Returns
    -------
    str
        Markdown: per path and method the summary, description, parameters and responses.
    """
    from api.main import create_app

    spec = create_app().openapi()
    out = [
        "# HTTP API",
        "",
        f"Generated at build time from `api.main.create_app().openapi()` ({spec['info']['title']} "
        f"{spec['info']['version']}, OpenAPI {spec['openapi']}). A running server serves the same "
        "document at `/openapi.json` and interactive pages at `/docs`; the JSON is also here: "
        "[openapi.json](openapi.json).",
        "",
    ]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            out += [f"## `{method.upper()} {path}`", ""]
            if op.get("summary"):
                out += [f"**{op['summary']}**", ""]
            if op.get("description"):
                out += [op["description"].strip(), ""]
            params = op.get("parameters", [])
            if params:
                out += [
                    "| parameter | in | type | required | description |",
                    "|---|---|---|---|---|",
                ]
                for p in params:
                    out.append(
                        f"| `{p['name']}` | {p['in']} | {_schema_type(p.get('schema', {}))} "
                        f"| {'yes' if p.get('required') else 'no'} "
                        f"| {_cell(p.get('description', ''))} |"
                    )
                out.append("")
            body = op.get("requestBody", {}).get("content", {})
            if body:
                out += ["Request body: " + ", ".join(f"`{t}`" for t in body), ""]
            responses = op.get("responses", {})
            if responses:
                out += ["| status | description | content |", "|---|---|---|"]
                for code, r in responses.items():
                    types = ", ".join(f"`{t}`" for t in r.get("content", {}))
                    out.append(f"| {code} | {_cell(r.get('description', ''))} | {types} |")
                out.append("")
    return "\n".join(out)


def _schema_type(schema: dict[str, Any]) -> str:
    """Describe a JSON schema briefly (``string``, ``integer | null``, ...)."""
    if "anyOf" in schema:
        return " \\| ".join(_schema_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    return str(schema.get("type", "any"))


# ------------------------------------------------------------------------------- notebook


def notebook_page(path: Path = NOTEBOOK) -> str:
    """Render the jupytext notebook as a Markdown page, each code cell with what it printed.

    The cells are executed in order, in one namespace, in a scratch folder (as Jupyter would
    run them), so the page shows the answers of the current graph.

    Parameters
    ----------
    path : Path
        The notebook in jupytext's percent format.

    Returns
    -------
    str
        Markdown with a link to download the source.
    """
    import contextlib
    import io
    import os

    import jupytext

    nb = jupytext.read(path)
    out: list[str] = []
    namespace: dict[str, Any] = {"__name__": "handbook_notebook"}
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "markdown":
                    out += [cell.source, ""]
                elif cell.cell_type == "code":
                    printed = io.StringIO()
                    with contextlib.redirect_stdout(printed):
                        exec(compile(cell.source, str(path), "exec"), namespace)
                    out += ["```python", cell.source, "```", ""]
                    if printed.getvalue().strip():
                        out += ["```text", printed.getvalue().rstrip(), "```", ""]
                if i == 0:
                    out += [
                        f"Download the notebook: [{path.name}]({path.name}) (jupytext percent "
                        "format: open it in Jupyter with jupytext installed, or run it as a "
                        "script). The outputs below were printed when this handbook was built.",
                        "",
                    ]
        finally:
            os.chdir(here)
    return "\n".join(out)


# ------------------------------------------------------------------------------- figures


def tutorial_figures(pages: Path = TUTORIALS) -> dict[str, bytes]:
    """Run each tutorial's ``>>>`` examples in a scratch folder and collect the SVGs they write.

    Parameters
    ----------
    pages : Path
        The folder of the tutorial pages.

    Returns
    -------
    dict
        ``tutorials/figures/<name>.svg`` -> the figure's bytes.

    Raises
    ------
    Exception
        Whatever an example raises: the build stops, as it should when a tutorial is broken.
    """
    import contextlib
    import doctest
    import io
    import os

    from kg.settings import get_settings

    parser = doctest.DocTestParser()
    figures: dict[str, bytes] = {}
    here = Path.cwd()
    saved = dict(os.environ)
    for page in sorted(pages.glob("*.md")):
        examples = parser.get_examples(page.read_text(encoding="utf-8"))
        if not any(".svg" in ex.source for ex in examples):
            continue
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
            os.chdir(tmp)
            try:
                namespace: dict[str, Any] = {"__name__": f"handbook_{page.stem}"}
                for ex in examples:
                    exec(compile(ex.source, str(page), "exec"), namespace)
            finally:
                os.chdir(here)
                os.environ.clear()
                os.environ.update(saved)
                get_settings.cache_clear()
            for svg in sorted(Path(tmp).glob("*.svg")):
                figures[f"tutorials/figures/{svg.name}"] = svg.read_bytes()
    return figures


# ------------------------------------------------------------------------------- pages


#: Generated page (path under the site) -> function returning its Markdown.
PAGES: dict[str, Callable[[], str]] = {
    "reference/ontology.md": ontology_page,
    "reference/shapes.md": shapes_page,
    "reference/queries.md": queries_page,
    "reference/cli.md": cli_page,
    "reference/http-api.md": http_api_page,
    "notebooks/brokerage-analysis.md": notebook_page,
}


def generate() -> dict[str, str | bytes]:
    """Return every generated file of the handbook: the pages, the figures, the OpenAPI JSON.

    Returns
    -------
    dict
        Path under the site -> content.
    """
    from api.main import create_app

    files: dict[str, str | bytes] = {path: make() for path, make in PAGES.items()}
    files["reference/openapi.json"] = json.dumps(create_app().openapi(), indent=2)
    files[f"notebooks/{NOTEBOOK.name}"] = NOTEBOOK.read_text(encoding="utf-8")
    files.update(tutorial_figures())
    return files


# ------------------------------------------------------------------------------- the hook


def on_files(files: Any, config: Any) -> Any:
    """Add the generated files to the MkDocs build (MkDocs hook).

    Parameters
    ----------
    files : mkdocs.structure.files.Files
        The documentation files found in ``docs/``.
    config : mkdocs.config.defaults.MkDocsConfig
        The configuration.

    Returns
    -------
    mkdocs.structure.files.Files
        With the generated pages, figures and JSON added.
    """
    from mkdocs.structure.files import File, InclusionLevel

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for path, content in generate().items():
        existing = files.get_file_from_path(path)
        if existing is not None:  # the notebook's source: excluded from docs/, published here
            files.remove(existing)
        files.append(
            File.generated(config, path, content=content, inclusion=InclusionLevel.INCLUDED)
        )
    return files


#: A Sphinx role left in a rendered docstring (``:meth:`x``` comes out as ``:meth:<code>x</code>``).
_SPHINX_ROLE = re.compile(r":(?:class|meth|func|mod|data|attr|exc|obj|math):<code>~?")


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Drop the Sphinx roles of numpydoc docstrings from a rendered page (MkDocs hook).

    The package's docstrings cross-reference with Sphinx roles (``:class:`Rows```), which
    mkdocstrings renders as text; the name stays, in code.

    Parameters
    ----------
    html : str
        The page's HTML.
    page, config, files
        The page, the configuration and the files (unused).

    Returns
    -------
    str
        The HTML without the role prefixes.
    """
    return _SPHINX_ROLE.sub("<code>", html)


def main(argv: list[str] | None = None) -> int:
    """Write the generated files under the folder given as the only argument."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python docs/gen_reference.py OUT\n")
        return 2
    out = Path(args[0])
    for path, content in generate().items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
