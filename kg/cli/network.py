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
) -> None:
    from kg.entities.profile import vocab_labels
    from kg.export import FIGURE_FORMATS, export_network
    from kg.network.projection import project

    kind = (fmt or out_file.suffix.lstrip(".")).lower()
    with errors():
        be = backend()
        g = project(network, year=year, start=start, end=end, dated_only=dated_only, backend=be)
        labels = vocab_labels(backend=be) if kind in FIGURE_FORMATS else None
        export_network(g, out_file, fmt, title=title, color_by=color_by, labels=labels)
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
    color_by: Annotated[str, typer.Option("--color-by", help="kind, country or position")] = "kind",
    title: Annotated[str | None, typer.Option("--title", help="Figure title")] = None,
    data: DataOpt = None,
) -> None:
    """Export a network: a figure for reports (SVG/PNG/PDF with legend) or a file for Gephi."""
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
