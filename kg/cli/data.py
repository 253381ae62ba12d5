"""``kg info``, ``kg validate``, ``kg check-quotes`` and ``kg build``: the graph as data."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.render import DataOpt, FormatOpt, backend, errors, out, render_rows
from kg.cli.render import Format as RowFormat

__all__ = ["build_cmd", "check_quotes_cmd", "info_cmd", "validate_cmd"]


class ReportFormat(StrEnum):
    """How ``kg validate`` prints its report."""

    text = "text"
    json = "json"


class Engine(StrEnum):
    """Validation engines."""

    shacl = "shacl"
    sparql = "sparql"


def check_quotes_cmd(data: DataOpt = None) -> None:
    """Check every quote: verbatim in its document, or (imports) in its record (exit 1 if not)."""
    from kg.importers import lookup_records
    from kg.loader.load import load_store
    from kg.validate.quotes import check_quotes

    with errors():
        n, problems = check_quotes(load_store(), records=lookup_records)
    console = out()
    for p in problems:
        console.print(str(p), markup=False)
    console.print(f"{n} quotes checked, {len(problems)} problems", markup=False)
    if problems:
        raise typer.Exit(1)


def info_cmd(
    by_country: Annotated[
        bool, typer.Option("--by-country", help="Counts per country and kind")
    ] = False,
    fmt: FormatOpt = RowFormat.table,
    data: DataOpt = None,
) -> None:
    """Count nodes by class, and organisations by kind and country."""
    from kg.summary import graph_info

    with errors():
        info = graph_info(backend())
    if by_country:
        # Kinds as rows and countries as columns: about 25 kinds but only a dozen countries,
        # so the table fits a terminal; the first row is the number of distinct organisations.
        countries = sorted(info.by_country)
        rows = [{"kind": "(organisations)"} | {c: info.by_country[c] for c in countries}]
        rows += [
            {"kind": k} | {c: info.by_country_kind.get((c, k), 0) for c in countries}
            for k in sorted(info.by_kind)
        ]
        render_rows(rows, ["kind", *countries], fmt, title="Organisations by kind and country")
        return
    rows = [{"class": k, "count": v} for k, v in info.classes.items()]
    rows += [{"class": f"kind: {k}", "count": v} for k, v in sorted(info.by_kind.items())]
    rows += [{"class": f"country: {k}", "count": v} for k, v in sorted(info.by_country.items())]
    render_rows(rows, ["class", "count"], fmt, title="Graph contents")


def validate_cmd(
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json")] = (
        ReportFormat.text
    ),
    files: Annotated[
        list[Path] | None, typer.Argument(help="Turtle files to validate instead of data/ttl")
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="shacl (pySHACL) or sparql (whole-graph rules, fast)")
    ] = Engine.shacl,
    changed: Annotated[
        Path | None,
        typer.Option("--changed", help="With --engine sparql: re-check one changed file"),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Validate the graph with the SHACL shapes: exit 0 conforms, 1 violations, 2 could not run."""
    if changed is not None and engine is not Engine.sparql:
        raise typer.BadParameter("--changed needs --engine sparql", param_hint="--changed")
    with errors():
        if engine is Engine.sparql:
            from kg.validate.engine import fast_validate

            report = fast_validate(data_files=files or None, changed=changed)
        else:
            from kg.validate.shacl import validate

            report = validate(data_files=files or None)
    console = out()
    if fmt is ReportFormat.json:
        console.print_json(json.dumps(report.to_dict()))
    else:
        for r in report.results:
            console.print(str(r), markup=False)
        counts = {k: len(v) for k, v in report.by_severity().items()}
        verdict = "conforms" if report.conforms else "does NOT conform"
        console.print(f"{report.triples} triples: {verdict} {counts or ''}", markup=False)
    raise typer.Exit(0 if report.conforms else 1)


def build_cmd(
    store: Annotated[Path, typer.Option("--store", help="Folder of the on-disk store")],
    data: DataOpt = None,
) -> None:
    """Load the graph into an on-disk Oxigraph store (reopened later with KG_STORE=PATH)."""
    from kg.loader.ondisk import build_store

    with errors():
        n = build_store(store)
    out().print(f"built {store} ({n} quads); use it with KG_STORE={store}", markup=False)
