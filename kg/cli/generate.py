"""``kg generate``: the typer command, mounted by :mod:`kg.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.render import errors as report_errors

__all__ = ["generate_cmd"]


def generate_cmd(
    orgs: Annotated[int, typer.Option("--orgs", help="Ordinary organisations (~118 triples each)")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the Turtle files into")],
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
    from kg.synthetic import generate

    with report_errors():
        stats = generate(orgs, seed, out, errors=errors, chunk=chunk)
    nodes = ", ".join(f"{k} {v}" for k, v in sorted(stats.nodes.items()))
    typer.echo(
        f"{out}: {stats.triples} triples in {len(stats.files)} files "
        f"({stats.bytes / 1e6:.1f} MB, {stats.seconds:.1f} s); {nodes}"
    )
    if stats.errors:
        typer.echo(f"{len(stats.errors)} injected errors, located in {out / 'manifest.json'}")
