"""Rows of a workbook sheet (openpyxl, read-only) or of a CSV file, with their locators.

A locator is ``SHEET!ROW`` for a workbook (``funding!7``: row 7 of sheet ``funding``, the header
being row 1) and ``FILE.csv!ROW`` for a CSV file (the same numbering, which is also the CSV
line when no cell spans lines). Header cells are stripped; a row whose cells are all empty is
skipped (a spreadsheet's trailing blank rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.exceptions import ImportInputError

__all__ = ["read_table_rows", "sheet_names"]


def _is_xlsx(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm")


def sheet_names(path: Path) -> list[str]:
    """Names of the sheets (workbook) or of the CSV files without ``.csv`` (folder)."""
    if path.is_dir():
        return sorted(p.stem for p in path.glob("*.csv"))
    if _is_xlsx(path):
        wb = _open(path)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    return [path.stem]


def _open(path: Path) -> Any:
    from zipfile import BadZipFile

    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportInputError(f"{path}: not a readable XLSX workbook ({exc})") from None


def read_table_rows(
    path: Path, sheet: str | None
) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    """Yield ``(locator, line, {header: value})`` for each non-empty row.

    Parameters
    ----------
    path : Path
        A workbook, a CSV file, or a folder of CSV files (one per sheet).
    sheet : str, optional
        The sheet (or CSV file stem) to read; ``None``: the first sheet, or the CSV file.

    Raises
    ------
    ImportInputError
        The file cannot be read as a workbook or CSV, or has no header row.
    """
    if _is_xlsx(path):
        yield from _xlsx_rows(path, sheet)
        return
    file = path / f"{sheet}.csv" if path.is_dir() else path
    if not file.is_file():
        return
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportInputError(
            f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise ImportInputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportInputError(f"{file}: not valid CSV ({exc})") from None
    if not rows:
        raise ImportInputError(f"{file}: empty file (a header row is needed)")
    header = [h.strip() for h in rows[0]]
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise ImportInputError(f"{file}: row {n}: {len(cells)} cells but {len(header)} headers")
        yield (
            f"{file.name}!{n}",
            n,
            {h: c.strip() for h, c in zip(header, cells, strict=False) if h},
        )


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    wb = _open(path)
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            return
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            return
        header = [str(h).strip() if h is not None else "" for h in first]
        for n, cells in enumerate(rows, start=2):
            values = [c.strip() if isinstance(c, str) else c for c in cells]
            if all(v is None or v == "" for v in values):
                continue
            yield (
                f"{ws.title}!{n}",
                None,
                {h: v for h, v in zip(header, values, strict=False) if h},
            )
    finally:
        wb.close()
