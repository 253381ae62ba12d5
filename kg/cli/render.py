"""What every ``kg`` command shares: the consoles, one renderer for table/CSV/JSON, errors.

Commands only parse their options, call one :mod:`kg` function and hand its rows to
:func:`render_rows`; an expected failure (:class:`~kg.exceptions.KGError`) becomes one line on
stderr and an exit status, never a traceback (:func:`errors`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kg.exceptions import AmbiguousError, KGError, NotFoundError
from kg.tabular import write_csv

if TYPE_CHECKING:  # pragma: no cover
    from kg.sparql.backend import Backend

__all__ = [
    "DataOpt",
    "Format",
    "FormatOpt",
    "WideOpt",
    "backend",
    "cell_text",
    "err",
    "errors",
    "fail",
    "narrow",
    "out",
    "render_rows",
    "warn",
]


class Format(StrEnum):
    """Output formats of every command that prints rows."""

    table = "table"
    csv = "csv"
    json = "json"


FormatOpt = Annotated[
    Format, typer.Option("--format", help="table (for reading), csv, or json (a list of rows).")
]

WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables: every column, full IRIs and whole texts (CSV and JSON always have them).",
    ),
]

#: Longest cell of a narrow table; a quote is cut there with "…" (``--wide`` shows it whole).
NARROW_CELL = 60


def use_data(dirs: list[Path] | None) -> list[Path] | None:
    """Add ``--data`` folders to the graph, as ``KG_DATA_DIRS`` does (typer callback)."""
    if not dirs:
        return dirs
    for d in dirs:
        if not d.is_dir():
            raise typer.BadParameter(f"{d}: no such folder", param_hint="--data")
    from kg.settings import get_settings

    before = [p for p in os.environ.get("KG_DATA_DIRS", "").split(os.pathsep) if p]
    os.environ["KG_DATA_DIRS"] = os.pathsep.join([*before, *(str(d.resolve()) for d in dirs)])
    get_settings.cache_clear()
    backend.cache_clear()
    return dirs


DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        help="Folder of your own Turtle files (e.g. a `kg import` folder) added to the graph; "
        "repeatable; like KG_DATA_DIRS.",
        callback=use_data,
    ),
]

err = Console(stderr=True, soft_wrap=True, highlight=False)


def out() -> Console:
    """Return a console on the current stdout (built per call, so test runners capture it)."""
    # Piped output (CSV into a file, a test runner) is not wrapped at rich's default 80 columns;
    # COLUMNS, where set, says how wide the reader wants it.
    wide = sys.stdout.isatty() or "COLUMNS" in os.environ
    return Console(file=sys.stdout, soft_wrap=True, highlight=False, width=None if wide else 200)


def exit_code(exc: BaseException) -> int:
    """Exit status for an error: 1 when a name matched nothing or several things, else 2."""
    return 1 if isinstance(exc, NotFoundError | AmbiguousError) else 2


def fail(exc: BaseException | str, code: int | None = None) -> typer.Exit:
    """Print a one-line error (never a traceback) and return the exit to raise."""
    message = str(exc).replace("\n", " ")
    err.print(f"error: {message}", markup=False)
    return typer.Exit(
        code if code is not None else exit_code(exc) if isinstance(exc, Exception) else 2
    )


def warn(message: str) -> None:
    """Print a one-line warning on stderr."""
    err.print(f"warning: {message}", markup=False)


@contextmanager
def errors() -> Iterator[None]:
    """Turn every expected failure into one line on stderr and its exit status."""
    import networkx as nx

    try:
        yield
    except (KGError, nx.NetworkXException, ValueError, OSError) as exc:
        raise fail(exc) from None


@lru_cache(maxsize=1)
def backend() -> Backend:
    """Open the graph once per command (``KG_SPARQL_ENDPOINT``, ``KG_STORE`` or the files)."""
    from kg.settings import get_settings
    from kg.sparql.backend import open_backend

    return open_backend(get_settings())


def cell_text(value: Any) -> str:
    """Text of one table cell: ``–`` for nothing, four significant digits for floats."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    return str(value)


def narrow(
    rows: list[dict[str, Any]], columns: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str], int]:
    """Fit rows to a terminal: labels for IRIs, prefixed names, no empty columns, short cells.

    A column ``x`` with a companion ``x_label`` shows the label under the heading ``x`` (the
    IRI where the label is missing, abbreviated); other IRIs are abbreviated with the
    project's prefixes; a column empty in every row is left out; a cell is cut at
    :data:`NARROW_CELL` characters.

    Parameters
    ----------
    rows : list of dict
        The rows, plain values.
    columns : sequence of str
        Their columns in order.

    Returns
    -------
    tuple
        ``(rows, columns, hidden)``: the narrowed rows and columns, and how many columns were
        left out or merged.

    Examples
    --------
    >>> rows = [{"org": "https://w3id.org/integration-kg/id/org/lu-asti",
    ...          "org_label": "ASTI", "note": None}]
    >>> narrow(rows, ["org", "org_label", "note"])
    ([{'org': 'ASTI'}], ['org'], 2)
    """
    from kg.namespaces import compact

    labelled = {c for c in columns if f"{c}_label" in columns}
    kept = [c for c in columns if not (c.endswith("_label") and c[: -len("_label")] in labelled)]
    kept = [c for c in kept if any(r.get(c) not in (None, "") for r in rows)] if rows else kept

    def cell(row: dict[str, Any], c: str) -> Any:
        value = row.get(f"{c}_label") if c in labelled else None
        value = row.get(c) if value in (None, "") else value
        if isinstance(value, str):
            if value.startswith(("http://", "https://")):
                value = compact(value)
            if len(value) > NARROW_CELL:
                value = value[: NARROW_CELL - 1].rstrip() + "…"
        return value

    return [{c: cell(r, c) for c in kept} for r in rows], kept, len(columns) - len(kept)


def render_rows(
    rows: list[dict[str, Any]],
    columns: Sequence[str] | None,
    fmt: Format | str,
    *,
    title: str = "",
    caption: str = "",
    wide: bool = True,
) -> None:
    """Print rows as a table (with a row count), CSV or JSON (a list of objects).

    Parameters
    ----------
    rows : list of dict
        The rows, plain values.
    columns : sequence of str, optional
        Columns in order; the keys of the first row when omitted.
    fmt : Format
        ``table``, ``csv`` or ``json``.
    title, caption : str
        Shown above and below a table.
    wide : bool
        ``False``: narrow the table to fit a terminal (:func:`narrow`); CSV and JSON are never
        narrowed.
    """
    fmt = Format(fmt)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.csv:
        write_csv(rows, cols, sys.stdout)
        return
    if not wide:
        rows, cols, hidden = narrow(rows, cols)
        if hidden:
            note = f"{hidden} columns merged or empty; --wide shows every column"
            caption = f"{caption} · {note}" if caption else note
    table = Table(title=title or None, caption=caption or None)
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(cell_text(r.get(c)) for c in cols))
    console = out()
    console.print(table)
    console.print(f"{len(rows)} rows", markup=False)
