"""``kg import FORMAT FILE --out DIR`` and ``kg import template --out FILE.xlsx``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.render import DataOpt, errors, fail, out

__all__ = ["import_cmd"]


class ImportFormat(StrEnum):
    """What ``kg import`` reads (``template`` writes an empty sheet instead)."""

    giving = "360giving"
    iati = "iati"
    sheet = "sheet"
    template = "template"


def import_cmd(
    fmt: Annotated[ImportFormat, typer.Argument(help="360giving, iati, sheet, or template")],
    file: Annotated[
        Path | None, typer.Argument(help="The file (or, for sheet, a folder of CSV files)")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Import folder (add it with --data); for template: the .xlsx to write"
        ),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option("--review", help="Review file with decisions (same/different) to apply"),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write even if the file changed since last time")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and show the changes; write nothing")
    ] = False,
    data: DataOpt = None,
) -> None:
    """Import a 360Giving, IATI or sheet file into Turtle in DIR (validated, with provenance).

    Re-importing a changed file shows what changed (facts added, changed, removed) and asks
    before writing (--yes writes, --dry-run only shows). Organisations that may already be in
    the graph go to DIR/<file>.review.csv; fill its decision column and pass it with --review.
    """
    if out_dir is None:
        raise fail("--out is required (the import folder, or the template .xlsx)")
    console = out()
    if fmt is ImportFormat.template:
        from kg.importers.sheet import write_template

        with errors():
            write_template(out_dir)
        console.print(f"wrote {out_dir}: fill it in, then `kg import sheet {out_dir} --out DIR`")
        return
    if file is None:
        raise fail("give the FILE to import")
    from kg.importers import import_file

    def confirm(diff: object) -> bool:
        _print_diff(diff)
        if yes:
            return True
        if not sys.stdin.isatty():
            console.print("not written: re-run with --yes to write these changes", markup=False)
            return False
        return typer.confirm("Write these changes?", default=False)

    with errors():
        result = import_file(
            fmt.value, file, out_dir, review=review, dry_run=dry_run, confirm=confirm
        )
    if dry_run and result.diff is not None:
        _print_diff(result.diff)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items()) or "no facts"
    verb = "imported" if result.written else "checked (not written)"
    console.print(f"{file}: {result.records} records {verb}: {counts}", markup=False)
    for w in result.warnings:
        console.print(f"note: {w}", markup=False)
    if result.written:
        console.print(f"wrote {result.turtle}; use it with --data {out_dir}", markup=False)
    if result.review is not None and result.candidates:
        console.print(
            f"{result.candidates} candidate matches to review in {result.review} "
            f"(decision: same or different; then --review {result.review})",
            markup=False,
        )
    if not result.written and not dry_run:
        raise typer.Exit(1)


def _print_diff(diff: object) -> None:
    from kg.importers.diff import ImportDiff

    assert isinstance(diff, ImportDiff)
    console = out()
    if diff.empty:
        return
    console.print(f"changes since the earlier import: {diff.summary()}", markup=False)
    for line in diff.lines():
        console.print(line, markup=False)
