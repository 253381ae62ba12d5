"""The SIRIUS typology compared: a country × position matrix of what the sources state.

Conventions
-----------
- The cells are the rows of the ``typology-matrix`` named query, joined by assessment to the
  quotes of ``typology-quotes`` (document, file and line, for the source viewer at
  ``/sources/{doc}#L123``); the rows and columns come from ``typology-frame``: the positions of
  the typology (the five positions and the three modalities of innovative and creative CSOs)
  and the countries of the document that defines it.
- A statement keeps what it is about: a named organisation (scope ``organisation``) or a group
  (``country``: a country's CSOs, ``group``: a kind or subset of CSOs), with the source's
  quantifier ("a number of"). A group-level statement is never turned into a position of the
  group's members; the page says "group-level" on each such statement.
- A negated assessment ("they can hardly be viewed as ... uncritical extenders") is a statement
  too, shown as "not …" in the position's column, never as the position.
- A country of the report without any assessment is listed with ``assessed: false``, which the
  page shows as "no assessment in the report" (the source is silent, not negative).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.entities.profile import entity_ref
from kg.sparql.backend import Backend
from kg.sparql.named import rows_as_dicts, run_named

__all__ = ["NO_ASSESSMENT", "SCOPE_LABELS", "statement_text", "typology_matrix"]

#: What a country row without any statement says.
NO_ASSESSMENT = "no assessment in the report"

#: How the page names what a statement is about, by scope.
SCOPE_LABELS = {
    "organisation": "named organisation",
    "country": "group-level: a country's CSOs",
    "group": "group-level: a kind or subset of CSOs",
}


def statement_text(position: str, negated: bool) -> str:
    """Return the statement as a reader sees it: the position, or "not <position>".

    Examples
    --------
    >>> statement_text("uncritical extender", True)
    'not uncritical extender'
    >>> statement_text("alternative CSO", False)
    'alternative CSO'
    """
    return f"not {position}" if negated else position


def _source_ref(iri: str) -> str:
    """Return a document's name in the viewer's URL (``src:sirius-wp4`` -> ``sirius-wp4``)."""
    return entity_ref(iri).removeprefix("src:")


def _quotes_by_assessment(backend: Backend) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows_as_dicts(run_named("typology-quotes", backend=backend)):
        doc = _source_ref(r["source"])
        line = r.get("line")
        out[r["a"]].append(
            {
                "quote": r["quote"],
                "source": r["source"],
                "source_title": r["source_title"],
                "file": r.get("file"),
                "doc": doc,
                "line": line,
                "href": f"/sources/{doc}" + (f"#L{line}" if line else ""),
            }
        )
    return out


def _frame(backend: Backend) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    positions: list[dict[str, Any]] = []
    countries: dict[str, dict[str, Any]] = {}
    for r in rows_as_dicts(run_named("typology-frame", backend=backend)):
        if r["kind"] == "position":
            positions.append(
                {
                    "id": r["id"],
                    "ref": entity_ref(r["id"]),
                    "notation": r["notation"],
                    "label": r["label"],
                    "broader": r.get("broader"),
                }
            )
        else:
            c = countries.setdefault(
                r["notation"], {"code": r["notation"], "label": r["label"], "in_report": False}
            )
            c["in_report"] = c["in_report"] or r.get("source") is not None
    positions.sort(key=lambda p: p["notation"])
    # The report's countries by name, then any other target country (INT) at the end.
    rows = sorted(countries.values(), key=lambda c: (not c["in_report"], c["label"]))
    return positions, rows


def typology_matrix(*, backend: Backend) -> dict[str, Any]:
    """Return the country × position matrix of the typology statements, with their quotes.

    Parameters
    ----------
    backend : Backend
        Where the graph is.

    Returns
    -------
    dict
        ``positions`` (columns: ``id``, ``ref``, ``notation``, ``label``, ``broader`` for the
        three modalities), ``countries`` (rows: ``code``, ``label``, ``in_report``,
        ``assessed`` and ``statements``, the number of statements), ``cells`` (one per
        non-empty cell: ``country``, ``position`` (its id) and ``statements``), ``coverage``
        (a sentence) and ``no_assessment`` (the mark of an empty row). Each statement has
        ``assessment``, ``text`` ("not …" when negated), ``negated``, ``position``, ``level``,
        ``scope``, ``scope_label``, ``quantifier``, ``quantifier_text``, ``target``,
        ``target_ref``, ``target_label`` and ``quotes`` (``quote``, ``source_title``,
        ``file``, ``doc``, ``line``, ``href``).
    """
    positions, countries = _frame(backend)
    by_label = {p["label"]: p for p in positions}
    quotes = _quotes_by_assessment(backend)
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows_as_dicts(run_named("typology-matrix", backend=backend)):
        position = by_label[r["position"]]
        negated = bool(r["negated"])
        cells[(r["country"], position["id"])].append(
            {
                "assessment": r["a"],
                "text": statement_text(r["position"], negated),
                "negated": negated,
                "position": position["id"],
                "level": r["level"],
                "scope": r["scope"],
                "scope_label": SCOPE_LABELS.get(r["scope"], r["scope"]),
                "quantifier": r["quantifier"],
                "quantifier_text": r["quantifier_text"],
                "target": r["target"],
                "target_ref": entity_ref(r["target"]),
                "target_label": r["target_label"],
                "quotes": quotes.get(r["a"], []),
            }
        )
    counts: dict[str, int] = defaultdict(int)
    for (country, _), statements in cells.items():
        counts[country] += len(statements)
    for c in countries:
        c["statements"] = counts.get(c["code"], 0)
        c["assessed"] = c["statements"] > 0
    order = {p["id"]: i for i, p in enumerate(positions)}
    rank = {c["code"]: i for i, c in enumerate(countries)}
    in_report = [c for c in countries if c["in_report"]]
    assessed = sum(c["assessed"] for c in in_report)
    own = sum(st["scope"] == "organisation" for v in cells.values() for st in v)
    total = sum(counts.values())
    return {
        "positions": positions,
        "countries": countries,
        "cells": [
            {"country": k[0], "position": k[1], "statements": v}
            for k, v in sorted(cells.items(), key=lambda kv: (rank[kv[0][0]], order[kv[0][1]]))
        ],
        "coverage": (
            f"{assessed} of {len(in_report)} countries of the report have a stated position; "
            f"{total} statements: {own} about a named organisation, {total - own} group-level"
        ),
        "no_assessment": NO_ASSESSMENT,
    }
