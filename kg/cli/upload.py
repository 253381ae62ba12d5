"""``kg upload``: the whole graph into a remote SPARQL store, by the Graph Store Protocol."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kg.cli.render import DataOpt, errors, out, render_rows

__all__ = ["Auth", "upload_cmd"]


class Auth(StrEnum):
    """HTTP authentication schemes."""

    basic = "basic"
    digest = "digest"


def upload_cmd(
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint", help="The store's SPARQL query URL (default KG_SPARQL_ENDPOINT)"
        ),
    ] = None,
    graph_store: Annotated[
        str | None,
        typer.Option(
            "--graph-store",
            help="Graph Store Protocol URL (default: …/query → …/store, …/sparql → "
            "…/sparql-graph-crud-auth)",
        ),
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="User (KG_SPARQL_USER)")] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Password (KG_SPARQL_PASSWORD)")
    ] = None,
    auth: Annotated[
        Auth | None, typer.Option("--auth", help="basic or digest (KG_SPARQL_AUTH)")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request")] = 300.0,
    data: DataOpt = None,
) -> None:
    """Put every graph (ontology, data, derived triples) into a remote store, then check counts."""
    from kg.settings import get_settings
    from kg.sparql.upload import upload_graph

    with errors():
        report = upload_graph(
            endpoint,
            get_settings(),
            graph_store=graph_store,
            user=user,
            password=password,
            auth=auth.value if auth else None,
            timeout=timeout,
        )
    rows = [{"graph": g.graph, "sent": g.sent, "stored": g.stored} for g in report.graphs]
    render_rows(
        rows, ["graph", "sent", "stored"], "table", title=f"Uploaded to {report.graph_store}"
    )
    out().print(f"{report.total} triples in {len(rows)} graphs, counts verified", markup=False)
