"""Rows of results as CSV: the one CSV writer of the CLI, the API and the network exports.

A row is a mapping from column name to a plain value; ``None`` (unbound, not stated) is
written as an empty cell, lists as their items joined with `` | `` (the convention of the
GraphML and GEXF exports and of Kumu's spreadsheets).

Examples
--------
>>> print(rows_to_csv([{"a": 1, "b": None}, {"a": "x,y", "b": ["p", "q"]}], ["a", "b"]), end="")
a,b
1,
"x,y",p | q
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

__all__ = ["LIST_SEPARATOR", "cell", "rows_to_csv", "write_csv"]

#: How list values are joined into one cell.
LIST_SEPARATOR = " | "


def cell(value: Any) -> Any:
    """Return the CSV form of one value (``None`` → ``""``, lists joined)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], stream: IO[str]) -> None:
    """Write a header line and one line per row to ``stream``.

    Parameters
    ----------
    rows : iterable of mapping
        The rows; keys that are not in ``columns`` are left out.
    columns : sequence of str
        The header, in order.
    stream : text file
        Where to write (opened with ``newline=""`` when it is a file).
    """
    w = csv.writer(stream, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([cell(row.get(c)) for c in columns])


def rows_to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Return the CSV text of :func:`write_csv`."""
    buf = io.StringIO()
    write_csv(rows, columns, buf)
    return buf.getvalue()
