"""``kg generate``: the typer command, mounted by :mod:`kg.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.render import errors as report_errors

__all__ = ["generate_cmd"]


def generate_cmd(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the Turtle files (360giving: the .json file)")
    ],
    orgs: Annotated[
        int | None, typer.Option("--orgs", help="Ordinary organisations (~118 triples each)")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="turtle (a graph) or 360giving (a grants package)")
    ] = "turtle",
    grants: Annotated[int, typer.Option("--grants", help="With --format 360giving")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same bytes)")] = 1,
    errors: Annotated[
        float,
        typer.Option("--errors", help="Rate of injected errors per node, e.g. 0.01 (0: none)"),
    ] = 0.0,
    chunk: Annotated[int, typer.Option("--chunk", help="Organisations per orgs-NNNN.ttl")] = 500,
) -> None:
    """Write a synthetic graph that conforms to the shapes (10k to 10M triples), for scale tests.

    Files: 00-source.ttl, 01-funders.ttl, 02-networks.ttl, orgs-NNNN.ttl, 99-typology.ttl, the
    source text every quote cites (synthetic-s<seed>.txt) and manifest.json (counts and, with
    --errors, where each injected error is). Use it with KG_DATA_DIR=DIR or `kg validate DIR/*.ttl`.
    """
    from kg.synthetic import generate, generate_360giving

    if fmt == "360giving":
        with report_errors():
            size = generate_360giving(grants, seed, out)
        typer.echo(f"{out}: {grants} grants ({size / 1e6:.1f} MB); `kg import 360giving {out}`")
        return
    if fmt != "turtle":
        raise typer.BadParameter("turtle or 360giving", param_hint="--format")
    if orgs is None:
        raise typer.BadParameter("--orgs is required for a Turtle graph", param_hint="--orgs")
    with report_errors():
        stats = generate(orgs, seed, out, errors=errors, chunk=chunk)
    nodes = ", ".join(f"{k} {v}" for k, v in sorted(stats.nodes.items()))
    typer.echo(
        f"{out}: {stats.triples} triples in {len(stats.files)} files "
        f"({stats.bytes / 1e6:.1f} MB, {stats.seconds:.1f} s); {nodes}"
    )
    if stats.errors:
        typer.echo(f"{len(stats.errors)} injected errors, located in {out / 'manifest.json'}")
