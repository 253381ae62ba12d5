"""``kg query list``, ``kg query run`` and ``kg sparql``: the named queries and ad-hoc SPARQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.render import (
    DataOpt,
    Format,
    FormatOpt,
    WideOpt,
    backend,
    errors,
    fail,
    render_rows,
)

__all__ = ["query_app", "sparql_cmd"]

query_app = typer.Typer(help="The library of named SPARQL queries.", no_args_is_help=True)


@query_app.command("list")
def query_list_cmd(fmt: FormatOpt = Format.table) -> None:
    """List the named queries with their parameters."""
    from kg.sparql.named import load_queries

    with errors():
        queries = load_queries()
    rows = [
        {
            "name": q.name,
            "title": q.title,
            "params": ", ".join(f"{p.name}{'' if p.required else '?'}:{p.type}" for p in q.params),
        }
        for q in queries.values()
    ]
    render_rows(rows, ["name", "title", "params"], fmt, title="Named queries")


@query_app.command("run")
def query_run_cmd(
    name: Annotated[str | None, typer.Argument(help="Query name (see `kg query list`)")] = None,
    param: Annotated[
        list[str] | None, typer.Option("-p", "--param", help="Parameter as key=value")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Run a .rq file instead")] = None,
    fmt: FormatOpt = Format.table,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """Run a named query (or a query file) with parameters bound safely."""
    from kg.entities.resolve import resolver
    from kg.sparql.named import parse_param_options, prepare_query, rows_as_dicts, run_query

    if (name is None) == (file is None):
        raise fail("give a query NAME or --file Q.rq (one of the two)")
    with errors():
        be = backend()
        values = parse_param_options(param or [])
        q, text, bindings = prepare_query(name, file, values, resolve=resolver(be))
        result = run_query(q if q else text, bindings, backend=be)
    render_rows(
        rows_as_dicts(result), list(result.columns), fmt, title=q.title if q else "", wide=wide
    )


def sparql_cmd(
    query: Annotated[str, typer.Argument(help="A SPARQL SELECT query")],
    fmt: FormatOpt = Format.table,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """Run an ad-hoc SPARQL SELECT query (the usual prefixes mi:, org:, actor:... predeclared)."""
    from kg.sparql.named import rows_as_dicts, with_default_prefixes

    with errors():
        result = backend().select(with_default_prefixes(query))
    render_rows(rows_as_dicts(result), list(result.columns), fmt, wide=wide)
