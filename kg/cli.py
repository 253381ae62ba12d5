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
out = Console(soft_wrap=True)
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


def main() -> None:  # pragma: no cover - console-script entry point
    """Run the app (console-script entry point)."""
    try:
        app()
    except KGError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)


_ = Annotated  # re-exported for the command modules below


@app.command("validate")
def validate_cmd(
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    files: Annotated[
        list[Path] | None, typer.Argument(help="Turtle files to validate instead of data/ttl")
    ] = None,
) -> None:
    """Validate the graph with the SHACL shapes: exit 0 conforms, 1 violations, 2 could not run."""
    import json

    from kg.validate import validate

    if fmt not in ("text", "json"):
        raise fail(ValueError(f"--format must be text or json, not {fmt!r}"))
    try:
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
