"""The ``kg`` command: parse arguments, call one :mod:`kg` function, render the result."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kg.exceptions import KGError

app = typer.Typer(
    help="Knowledge graph of migrant and refugee integration actors, funders and networks.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Piped output (CSV into a file, a test runner) is not wrapped at rich's default 80 columns.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def root() -> None:
    """Load, validate, query, project, measure and serve the integration knowledge graph."""


def fail(exc: Exception, code: int = 2) -> typer.Exit:
    """Print a one-line error (never a traceback) and return the exit to raise."""
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    return typer.Exit(code)


@app.command("check-quotes")
def check_quotes_cmd() -> None:
    """Check that every quote appears verbatim in the document it cites (exit 1 if not)."""
    from kg.load import load_store
    from kg.quotes import check_quotes

    try:
        store = load_store()
        n, problems = check_quotes(store)
    except KGError as exc:
        raise fail(exc) from None
    for p in problems:
        out.print(str(p), markup=False, highlight=False)
    out.print(f"{n} quotes checked, {len(problems)} problems", markup=False)
    if problems:
        raise typer.Exit(1)


def render_rows(
    rows: list[dict[str, object]], columns: list[str], fmt: str, title: str = ""
) -> None:
    """Print rows as a rich table, CSV or JSON (a list of objects)."""
    import csv
    import io
    import json

    from rich.table import Table

    if fmt == "json":
        out.print_json(json.dumps(rows, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(title=title or None, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
        out.print(table)
        out.print(f"{len(rows)} rows", markup=False)


FORMATS = ("table", "csv", "json")


def check_format(fmt: str) -> str:
    """Reject an unknown ``--format`` with a message naming the option."""
    if fmt not in FORMATS:
        raise fail(ValueError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}"))
    return fmt


@app.command("info")
def info_cmd(
    by_country: Annotated[
        bool, typer.Option("--by-country", help="Counts per country and kind")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Count nodes by class, and organisations by kind and country."""
    from kg.info import graph_info

    check_format(fmt)
    try:
        info = graph_info()
    except KGError as exc:
        raise fail(exc) from None
    if by_country:
        # Kinds as rows and countries as columns: about 25 kinds but only a dozen countries,
        # so the table fits a terminal; the first row is the number of distinct organisations.
        countries = sorted(info.by_country)
        rows = [{"kind": "(organisations)"} | {c: info.by_country[c] for c in countries}]
        rows += [
            {"kind": k} | {c: info.by_country_kind.get((c, k), 0) for c in countries}
            for k in sorted(info.by_kind)
        ]
        render_rows(rows, ["kind", *countries], fmt, "Organisations by kind (rows) and country")
        return
    rows = [{"class": k, "count": v} for k, v in info.classes.items()]
    rows += [{"class": f"kind: {k}", "count": v} for k, v in sorted(info.by_kind.items())]
    rows += [{"class": f"country: {k}", "count": v} for k, v in sorted(info.by_country.items())]
    render_rows(rows, ["class", "count"], fmt, "Graph contents")


query_app = typer.Typer(help="The library of named SPARQL queries.", no_args_is_help=True)
app.add_typer(query_app, name="query")


@query_app.command("list")
def query_list_cmd(
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """List the named queries with their parameters."""
    from kg.queries import load_queries

    check_format(fmt)
    try:
        queries = load_queries()
    except KGError as exc:
        raise fail(exc) from None
    rows = [
        {
            "name": q.name,
            "title": q.title,
            "params": ", ".join(f"{p.name}{'' if p.required else '?'}:{p.type}" for p in q.params),
        }
        for q in queries.values()
    ]
    render_rows(rows, ["name", "title", "params"], fmt, "Named queries")


@query_app.command("run")
def query_run_cmd(
    name: Annotated[str | None, typer.Argument(help="Query name (see `kg query list`)")] = None,
    param: Annotated[
        list[str] | None, typer.Option("-p", "--param", help="Parameter as key=value")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Run a .rq file instead")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Run a named query (or a query file) with parameters bound safely."""
    from kg.queries import bind_params, get_query, parse_param_options, read_query
    from kg.store import get_backend

    check_format(fmt)
    if (name is None) == (file is None):
        raise fail(ValueError("give a query NAME or --file Q.rq (one of the two)"))
    try:
        if file is not None:
            if not file.is_file():
                raise KGError(f"--file {file}: no such file")
            q = read_query(file) if file.read_text().startswith("#+") else None
            text = file.read_text(encoding="utf-8")
            values = parse_param_options(param or [])
            bindings = bind_params(q, values) if q else {}
            if values and q is None:
                raise KGError(f"{file}: parameters given but the file declares none (#+ params)")
        else:
            q = get_query(name or "")
            text = q.text
            bindings = bind_params(q, parse_param_options(param or []))
        result = get_backend().select(text, bindings)
    except KGError as exc:
        raise fail(exc) from None
    from kg.queries import rows_as_dicts

    render_rows(rows_as_dicts(result), list(result.columns), fmt, q.title if q else "")


@app.command("sparql")
def sparql_cmd(
    query: Annotated[str, typer.Argument(help="A SPARQL SELECT query")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Run an ad-hoc SPARQL SELECT query (the usual prefixes mi:, org:, actor:... predeclared)."""
    from kg.queries import rows_as_dicts, with_default_prefixes
    from kg.store import get_backend

    check_format(fmt)
    try:
        result = get_backend().select(with_default_prefixes(query))
    except KGError as exc:
        raise fail(exc) from None
    render_rows(rows_as_dicts(result), list(result.columns), fmt)


@app.command("build")
def build_cmd(
    store: Annotated[Path, typer.Option("--store", help="Folder of the on-disk store")],
) -> None:
    """Load the graph into an on-disk Oxigraph store (reopened later with KG_STORE=PATH)."""
    from kg.store import build_store

    try:
        n = build_store(store)
    except KGError as exc:
        raise fail(exc) from None
    out.print(f"built {store} ({n} quads); use it with KG_STORE={store}", markup=False)


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Serve the SPARQL endpoint, the JSON API and the explorer pages."""
    from api.main import serve

    try:
        serve(host=host, port=port)
    except KGError as exc:
        raise fail(exc) from None


@app.command("project")
def project_cmd(
    name: Annotated[str, typer.Argument(help="funding, funding-programmes, membership, ...")],
    out_file: Annotated[Path, typer.Option("--out", help="Output file: .graphml .gexf .csv .json")],
    year: Annotated[
        int | None, typer.Option("--year", help="Relations overlapping this year")
    ] = None,
    start: Annotated[int | None, typer.Option("--from", help="Window start year")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Window end year")] = None,
    dated_only: Annotated[
        bool, typer.Option("--dated-only", help="Drop undated relations")
    ] = False,
) -> None:
    """Project a network from the graph and write it as GraphML, GEXF, CSV edges or JSON."""
    from kg.export import write_network
    from kg.projection import project

    try:
        g = project(name, year=year, start=start, end=end, dated_only=dated_only)
        write_network(g, out_file)
    except KGError as exc:
        raise fail(exc) from None
    out.print(
        f"{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> {out_file}",
        markup=False,
    )


@app.command("export")
def export_cmd(
    network: Annotated[
        str, typer.Option("--network", help="funding, membership, partnership, all, ...")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="svg, png, pdf, graphml, gexf, cyjs, csv, json, jsonld")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="Output file")],
    year: Annotated[
        int | None, typer.Option("--year", help="Relations overlapping this year")
    ] = None,
    start: Annotated[int | None, typer.Option("--from", help="Window start year")] = None,
    end: Annotated[int | None, typer.Option("--to", help="Window end year")] = None,
    color_by: Annotated[str, typer.Option("--color-by", help="kind, country or position")] = "kind",
    title: Annotated[str | None, typer.Option("--title", help="Figure title")] = None,
) -> None:
    """Export a network: a figure for reports (SVG/PNG with legend) or a file for Gephi."""
    from kg.export_more import export_network
    from kg.projection import project

    try:
        g = project(network, year=year, start=start, end=end)
        export_network(g, out_file, fmt, title=title, color_by=color_by)
    except KGError as exc:
        raise fail(exc) from None
    out.print(
        f"{network}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> {out_file}",
        markup=False,
    )


def _mount() -> None:
    """Attach the command groups that live in their own modules."""
    from kg.cli_metrics import metrics_app, report_app

    app.add_typer(metrics_app, name="metrics", help="Brokerage, structural holes and centrality.")
    app.add_typer(report_app, name="report", help="Explanations of metric results.")

    from kg.cli_generate import generate_cmd

    app.command("generate")(generate_cmd)


_mount()


def main() -> None:  # pragma: no cover - console-script entry point
    """Run the app (console-script entry point)."""
    try:
        app()
    except KGError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)


@app.command("validate")
def validate_cmd(
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    files: Annotated[
        list[Path] | None, typer.Argument(help="Turtle files to validate instead of data/ttl")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="shacl (pySHACL) or sparql (whole-graph rules, fast)")
    ] = "shacl",
    changed: Annotated[
        Path | None,
        typer.Option("--changed", help="With --engine sparql: re-check one changed file"),
    ] = None,
) -> None:
    """Validate the graph with the SHACL shapes: exit 0 conforms, 1 violations, 2 could not run."""
    import json

    if fmt not in ("text", "json"):
        raise fail(ValueError(f"--format must be text or json, not {fmt!r}"))
    if engine not in ("shacl", "sparql"):
        raise fail(ValueError(f"--engine must be shacl or sparql, not {engine!r}"))
    if changed is not None and engine != "sparql":
        raise fail(ValueError("--changed needs --engine sparql"))
    try:
        if engine == "sparql":
            from kg.fastcheck import fast_validate

            report = fast_validate(data_files=files or None, changed=changed)
        else:
            from kg.validate import validate

            report = validate(data_files=files or None)
    except KGError as exc:
        raise fail(exc) from None
    if fmt == "json":
        out.print_json(json.dumps(report.to_dict()))
    else:
        for r in report.results:
            out.print(str(r), markup=False, highlight=False)
        counts = {k: len(v) for k, v in report.by_severity().items()}
        verdict = "conforms" if report.conforms else "does NOT conform"
        out.print(f"{report.triples} triples: {verdict} {counts or ''}", markup=False)
    raise typer.Exit(0 if report.conforms else 1)
