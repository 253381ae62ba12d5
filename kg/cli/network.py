"""``kg export`` (and its alias ``kg project``): a network to a file, for Gephi or for a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.render import DataOpt, backend, errors, out

__all__ = ["export_cmd", "project_cmd"]

YearOpt = Annotated[int | None, typer.Option("--year", help="Relations overlapping this year")]
FromOpt = Annotated[int | None, typer.Option("--from", help="Window start year")]
ToOpt = Annotated[int | None, typer.Option("--to", help="Window end year")]
DatedOpt = Annotated[bool, typer.Option("--dated-only", help="Drop undated relations")]
OutOpt = Annotated[
    Path, typer.Option("--out", help="Output file; its suffix names the format unless --format")
]


def _export(
    network: str,
    out_file: Path,
    fmt: str | None,
    *,
    year: int | None,
    start: int | None,
    end: int | None,
    dated_only: bool,
    color_by: str,
    title: str | None,
    countries: list[str] | None = None,
    kinds: list[str] | None = None,
    relations: list[str] | None = None,
    size_by: str = "degree",
    top_labels: int = 25,
) -> None:
    from kg.export.view import export_view

    with errors():
        g = export_view(
            network,
            out_file,
            fmt,
            year=year,
            start=start,
            end=end,
            dated_only=dated_only,
            countries=countries or [],
            kinds=kinds or [],
            relations=relations or [],
            color_by=color_by,
            size_by=size_by,
            max_labels=top_labels,
            title=title,
            backend=backend(),
        )
    out().print(
        f"{network}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> {out_file}",
        markup=False,
    )


def export_cmd(
    network: Annotated[
        str, typer.Option("--network", help="funding, membership, partnership, all, ...")
    ],
    out_file: OutOpt,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="svg, png, pdf, graphml, gexf, cyjs, csv, json, jsonld"),
    ] = None,
    year: YearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    dated_only: DatedOpt = False,
    color_by: Annotated[
        str,
        typer.Option("--color-by", "--colour", help="kind, country, position or community"),
    ] = "kind",
    title: Annotated[str | None, typer.Option("--title", help="Figure title")] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Keep this country (repeatable): LU")
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Keep this kind (repeatable): cso")
    ] = None,
    relation: Annotated[
        list[str] | None,
        typer.Option("--relation", help="Keep this relation type (repeatable): funding"),
    ] = None,
    size_by: Annotated[
        str,
        typer.Option(
            "--size", help="degree, betweenness, brokerage_total, brokerage_<role> or uniform"
        ),
    ] = "degree",
    top_labels: Annotated[
        int, typer.Option("--labels", min=0, help="Label the N largest nodes (figures)")
    ] = 25,
    data: DataOpt = None,
) -> None:
    """Export a network: a figure for reports (SVG/PNG/PDF with legend) or a file for Gephi.

    The filters and the colour and size options are those of the explorer page, and a figure
    carries the same title and subtitle as the page's export of the same view.
    """
    _export(
        network,
        out_file,
        fmt,
        year=year,
        start=start,
        end=end,
        dated_only=dated_only,
        color_by=color_by,
        title=title,
        countries=country,
        kinds=kind,
        relations=relation,
        size_by=size_by,
        top_labels=top_labels,
    )


def project_cmd(
    name: Annotated[str, typer.Argument(help="funding, funding-programmes, membership, ...")],
    out_file: OutOpt,
    year: YearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    dated_only: DatedOpt = False,
    data: DataOpt = None,
) -> None:
    """Write a network to a file: ``kg export --network NAME --out FILE`` (format from suffix)."""
    _export(
        name,
        out_file,
        None,
        year=year,
        start=start,
        end=end,
        dated_only=dated_only,
        color_by="kind",
        title=None,
    )
