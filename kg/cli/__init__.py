"""The ``kg`` command: parse arguments, call one :mod:`kg` function, render the result.

One module per command group: :mod:`kg.cli.data` (info, validate, check-quotes, build),
:mod:`kg.cli.query` (query list/run, sparql), :mod:`kg.cli.network` (export, project),
:mod:`kg.cli.metrics` (metrics, report), :mod:`kg.cli.generate`, :mod:`kg.cli.serve`,
:mod:`kg.cli.upload`, :mod:`kg.cli.importer` (import); what
they share (the table/CSV/JSON renderer, one-line errors) is :mod:`kg.cli.render`.
"""

from __future__ import annotations

import sys

import typer

from kg.cli import data, importer, network, query, serve, upload
from kg.cli.generate import generate_cmd
from kg.cli.metrics import metrics_app, report_app
from kg.cli.render import fail
from kg.exceptions import KGError

__all__ = ["app", "main"]

app = typer.Typer(
    help="Knowledge graph of migrant and refugee integration actors, funders and networks.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def root() -> None:
    """Load, validate, query, project, measure and serve the integration knowledge graph."""


app.command("info")(data.info_cmd)
app.command("validate")(data.validate_cmd)
app.command("check-quotes")(data.check_quotes_cmd)
app.command("build")(data.build_cmd)
app.add_typer(query.query_app, name="query")
app.command("sparql")(query.sparql_cmd)
app.command("export")(network.export_cmd)
app.command("project")(network.project_cmd)
app.add_typer(metrics_app, name="metrics", help="Brokerage, structural holes and centrality.")
app.add_typer(report_app, name="report", help="Explanations of metric results.")
app.command("generate")(generate_cmd)
app.command("import")(importer.import_cmd)
app.command("serve")(serve.serve_cmd)
app.command("upload")(upload.upload_cmd)


def main() -> None:  # pragma: no cover - console-script entry point
    """Run the app (console-script entry point)."""
    try:
        app()
    except KGError as exc:
        fail(exc)
        sys.exit(2)
