"""The awards of the funding page: one row per award, filters, sort order and coverage.

The rows come from the named query ``queries/funding-awards.rq``, which gives one row per
award, quote and kind or country value; :func:`award_rows` folds them into one row per award
(quotes, sources and lines as lists, in line order). Every column the source does not state
says ``"not stated"`` (numbers stay ``None``). A group-level award (scope ``group`` or
``country``) stays one row about the group: it is never spread over the group's members.

The page (``explorer/src/funding-filter.js``) filters and sorts the same rows in the browser,
with the same rules as :func:`filter_awards` (the browser tests check that a download from
``/api/funding`` equals the rows the page shows):

- ``funder``, ``programme``, ``recipient``, ``recipient_kind``, ``country``: the row's value is
  one of those given (values as shown, "not stated" included);
- ``year_from`` / ``year_to``: the award's period (start to end; one of them where only one is
  stated) overlaps the window; an award without a year is left out once a bound is set;
- ``amount_min`` / ``amount_max``: the stated amount is within the range (any currency: the
  range is a number, never a conversion); an award without an amount is left out once a bound
  is set;
- ``sort``: one of :data:`SORTABLE`, values the source does not state last in both directions,
  ties in award order.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from kg.exceptions import InvalidParameterError
from kg.sparql.named import rows_as_dicts, run_named
from kg.tabular import LIST_SEPARATOR, rows_to_csv

__all__ = [
    "COLUMNS",
    "NOT_STATED",
    "SORTABLE",
    "AwardFilters",
    "FundingTable",
    "award_rows",
    "coverage",
    "filter_awards",
    "funding_table",
    "page_json",
    "sort_awards",
    "to_columns",
    "to_csv",
]

NOT_STATED = "not stated"
#: A group of several countries has one country value (the README's convention for queries).
SEVERAL_COUNTRIES = "several countries (group-level)"

#: The columns of a row, in table and CSV order.
COLUMNS: tuple[str, ...] = (
    "funder_label",
    "funder_kind",
    "programme_label",
    "recipient_label",
    "recipient_kind",
    "project_label",
    "country",
    "amount",
    "currency",
    "amount_stated",
    "start",
    "end",
    "period",
    "status",
    "scope",
    "quantifier",
    "quote",
    "source",
    "line",
    "award",
    "funder",
    "programme",
    "recipient",
)

#: Columns the table can be sorted on.
SORTABLE: tuple[str, ...] = (
    "funder_label",
    "funder_kind",
    "programme_label",
    "recipient_label",
    "recipient_kind",
    "country",
    "amount",
    "currency",
    "start",
    "end",
    "status",
    "scope",
)
_NUMERIC = {"amount", "start", "end", "line"}
_LISTS = ("quote", "source", "line")


@dataclass(frozen=True)
class AwardFilters:
    """What the funding page shows: value filters, a year window, an amount range, an order.

    Examples
    --------
    >>> AwardFilters(country=("LU",), year_from=2015).active()
    {'country': ('LU',), 'year_from': 2015}
    """

    funder: tuple[str, ...] = ()
    programme: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    recipient_kind: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    sort: str | None = None
    desc: bool = False

    def __post_init__(self) -> None:
        if self.sort is not None and self.sort not in SORTABLE:
            raise InvalidParameterError(
                "sort", f"cannot sort on {self.sort!r} (one of: {', '.join(SORTABLE)})"
            )
        if None not in (self.year_from, self.year_to) and self.year_from > self.year_to:  # type: ignore[operator]
            raise InvalidParameterError(
                "from", f"the year window starts after it ends ({self.year_from} > {self.year_to})"
            )
        if None not in (self.amount_min, self.amount_max) and self.amount_min > self.amount_max:  # type: ignore[operator]
            raise InvalidParameterError(
                "min", f"the amount range is empty ({self.amount_min} > {self.amount_max})"
            )

    def active(self) -> dict[str, Any]:
        """Return the filters that are set (empty tuples, ``None`` and ``desc=False`` left out)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in ((), None, False)
        }


@dataclass
class FundingTable:
    """The rows shown, with their coverage and the size of the whole table."""

    rows: list[dict[str, Any]]
    total: int
    coverage: dict[str, Any]
    filters: AwardFilters = field(default_factory=AwardFilters)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``columns``, ``rows``, ``shown``, ``total``, ``coverage``, ``filters``."""
        return {
            "columns": list(COLUMNS),
            "rows": self.rows,
            "shown": len(self.rows),
            "total": self.total,
            "coverage": self.coverage,
            "filters": self.filters.active(),
        }


def _fold(raw: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per award from the query's rows (one per award, quote, kind and country)."""
    out: dict[str, dict[str, Any]] = {}
    sets: dict[str, dict[str, set[Any]]] = {}
    cites: dict[str, dict[tuple[Any, Any, Any], None]] = {}
    for r in raw:
        key = r["award"]
        if key not in out:
            out[key] = {c: r.get(c) for c in COLUMNS if c not in _LISTS}
            sets[key] = {"funder_kind": set(), "recipient_kind": set(), "country": set()}
            cites[key] = {}
        for c in ("funder_kind", "recipient_kind", "country"):
            if r.get(c) not in (None, NOT_STATED):
                sets[key][c].add(r[c])
        if r.get("quote") is not None:
            cites[key][(r.get("line"), r["quote"], r.get("source"))] = None
    rows = []
    for key, row in out.items():
        for c, values in sets[key].items():
            if not values:
                row[c] = NOT_STATED
            elif c == "country" and len(values) > 1 and row["scope"] != "organisation":
                row[c] = SEVERAL_COUNTRIES
            else:
                row[c] = ", ".join(sorted(values))
        ordered = sorted(cites[key], key=lambda t: (t[0] is None, t[0] or 0, t[1]))
        row["quote"] = [q for _, q, _ in ordered]
        row["source"] = [s for _, _, s in ordered]
        row["line"] = [ln for ln, _, _ in ordered]
        row["period"] = _period(row.get("start"), row.get("end"))
        if row.get("currency") is None:
            row["currency"] = NOT_STATED
        rows.append(row)
    return rows


def _period(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return NOT_STATED
    return f"{'?' if start is None else start}–{'?' if end is None else end}"


_cache: dict[int, tuple[object, list[dict[str, Any]]]] = {}
_lock = threading.Lock()


def award_rows(*, backend: Any, cached: bool = True) -> list[dict[str, Any]]:
    """Return every award of the graph as one row (:data:`COLUMNS`), in award order.

    Parameters
    ----------
    backend : Backend
        Where the graph is (``queries/funding-awards.rq`` runs there).
    cached : bool
        Keep the rows per backend (the graph does not change while a server runs).

    Returns
    -------
    list of dict
        One row per award; ``quote``, ``source`` and ``line`` are lists in line order.

    Examples
    --------
    >>> from kg.sparql.backend import open_backend
    >>> rows = award_rows(backend=open_backend())
    >>> asti = [r for r in rows if r["recipient"] == "https://w3id.org/integration-kg/id/org/lu-asti"]
    >>> sorted({r["funder_label"] for r in asti})[:2]
    ['Government of Luxembourg', 'not stated']
    """
    if cached:
        with _lock:
            hit = _cache.get(id(backend))
        if hit is not None and hit[0] is backend:
            return hit[1]
    rows = _fold(rows_as_dicts(run_named("funding-awards", backend=backend)))
    if cached:
        with _lock:
            _cache[id(backend)] = (backend, rows)
            while len(_cache) > 4:
                _cache.pop(next(iter(_cache)))
    return rows


def _years(row: Mapping[str, Any]) -> tuple[int, int] | None:
    lo = row.get("start") if row.get("start") is not None else row.get("end")
    hi = row.get("end") if row.get("end") is not None else row.get("start")
    return None if lo is None else (lo, hi)


def filter_awards(rows: Sequence[Mapping[str, Any]], f: AwardFilters) -> list[dict[str, Any]]:
    """Return the rows ``f`` keeps, in ``f``'s order (see the module's rules).

    Examples
    --------
    >>> rows = [{"country": "LU", "start": 2015, "end": None, "amount": None},
    ...         {"country": "DK", "start": None, "end": None, "amount": 10.0}]
    >>> [r["country"] for r in filter_awards(rows, AwardFilters(year_from=2010))]
    ['LU']
    >>> [r["country"] for r in filter_awards(rows, AwardFilters(amount_max=50))]
    ['DK']
    """
    values = {
        c: set(getattr(f, c))
        for c in ("funder", "programme", "recipient", "recipient_kind", "country")
        if getattr(f, c)
    }
    column = {
        "funder": "funder_label",
        "programme": "programme_label",
        "recipient": "recipient_label",
    }
    window = f.year_from is not None or f.year_to is not None
    ranged = f.amount_min is not None or f.amount_max is not None
    out = []
    for row in rows:
        if any(row.get(column.get(c, c)) not in v for c, v in values.items()):
            continue
        if window:
            span = _years(row)
            if span is None:
                continue
            if f.year_from is not None and span[1] < f.year_from:
                continue
            if f.year_to is not None and span[0] > f.year_to:
                continue
        if ranged:
            amount = row.get("amount")
            if amount is None:
                continue
            if f.amount_min is not None and amount < f.amount_min:
                continue
            if f.amount_max is not None and amount > f.amount_max:
                continue
        out.append(dict(row))
    return sort_awards(out, f.sort, desc=f.desc) if f.sort else out


def sort_awards(
    rows: list[dict[str, Any]], column: str, *, desc: bool = False
) -> list[dict[str, Any]]:
    """Sort on ``column`` (stable); values not stated go last in both directions.

    Strings compare by code point (as JavaScript's ``<`` does), so the page and the
    downloads agree.

    Examples
    --------
    >>> rows = [{"amount": None}, {"amount": 5}, {"amount": 9}]
    >>> [r["amount"] for r in sort_awards(rows, "amount", desc=True)]
    [9, 5, None]
    """
    stated = [r for r in rows if r.get(column) not in (None, NOT_STATED)]
    missing = [r for r in rows if r.get(column) in (None, NOT_STATED)]
    # reverse=True keeps equal rows in their order, as the page's comparator does
    stated.sort(key=lambda r: r[column], reverse=desc)
    return stated + missing


def coverage(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Count the rows stating each sparse field; sum the amounts per currency (never across).

    Examples
    --------
    >>> row = {"start": 2015, "end": None, "amount": 5.0, "currency": "EUR", "country": "LU",
    ...        "programme_label": "not stated", "funder_label": "X", "funder_kind": "government"}
    >>> coverage([row])["amount_by_currency"]
    {'EUR': 5.0}
    """
    n_year = n_amount = n_programme = n_funder = n_kind = n_country = 0
    by_currency: dict[str, float] = {}
    for r in rows:
        n_year += _years(r) is not None
        if r.get("amount") is not None:
            n_amount += 1
            cur = str(r.get("currency") or NOT_STATED)
            by_currency[cur] = by_currency.get(cur, 0) + r["amount"]
        n_programme += r.get("programme_label") not in (None, NOT_STATED)
        n_funder += not str(r.get("funder_label") or NOT_STATED).startswith(NOT_STATED)
        n_kind += r.get("funder_kind") not in (None, NOT_STATED)
        n_country += r.get("country") not in (None, NOT_STATED)
    return {
        "awards": len(rows),
        "year": n_year,
        "amount": n_amount,
        "programme": n_programme,
        "funder": n_funder,
        "funder_kind": n_kind,
        "country": n_country,
        "amount_by_currency": dict(sorted(by_currency.items())),
    }


def funding_table(filters: AwardFilters | None = None, *, backend: Any) -> FundingTable:
    """Return the awards ``filters`` keep, in their order, with the coverage of those rows.

    Parameters
    ----------
    filters : AwardFilters, optional
        What to show (everything by default).
    backend : Backend
        Where the graph is.

    Returns
    -------
    FundingTable
        ``rows`` (:data:`COLUMNS`), ``total`` (awards in the graph) and ``coverage``.

    Examples
    --------
    >>> from kg.sparql.backend import open_backend
    >>> t = funding_table(AwardFilters(country=("LU",)), backend=open_backend())
    >>> {r["country"] for r in t.rows}, len(t.rows) < t.total
    ({'LU'}, True)
    """
    f = filters or AwardFilters()
    everything = award_rows(backend=backend)
    rows = filter_awards(everything, f)
    return FundingTable(rows=rows, total=len(everything), coverage=coverage(rows), filters=f)


def to_columns(table: FundingTable) -> dict[str, Any]:
    """Return the rows in the page's compact form: per column, distinct values and row codes.

    A list cell (``quote``, ``source``, ``line``) is one value, its items joined as in the CSV
    (:data:`kg.tabular.LIST_SEPARATOR`), so the page shows and sorts exactly the CSV's text.
    100,000 awards with a few hundred funders and programmes take a fraction of the rows' JSON.

    Examples
    --------
    >>> t = FundingTable(rows=[{"country": "LU"}, {"country": "DK"}, {"country": "LU"}], total=3,
    ...                  coverage={})
    >>> to_columns(t)["data"]["country"]
    {'values': ['LU', 'DK'], 'codes': [0, 1, 0]}

    A column whose values are all distinct has no codes (``None``: row ``i`` has value ``i``),
    and IRIs sharing a namespace give it once as ``prefix``.
    """
    data: dict[str, dict[str, Any]] = {}
    for c in COLUMNS:
        index: dict[Any, int] = {}
        codes = []
        for row in table.rows:
            v = row.get(c)
            if isinstance(v, list):
                v = LIST_SEPARATOR.join("" if x is None else str(x) for x in v)
            codes.append(index.setdefault(v, len(index)))
        values = list(index)
        column: dict[str, Any] = {"values": values, "codes": codes}
        if len(values) == len(codes) > 1:  # every value distinct (award IRIs, quotes): no codes
            column["codes"] = None
        texts = [v for v in values if isinstance(v, str)]
        prefix = os.path.commonprefix(texts) if len(texts) == len(values) > 1 else ""
        if prefix.startswith("http"):  # IRIs: the shared namespace once, not once per award
            column["prefix"] = prefix
            column["values"] = [v[len(prefix) :] for v in values]
        data[c] = column
    out = table.to_dict()
    del out["rows"]
    return {**out, "data": data}


_page_cache: dict[int, tuple[object, bytes]] = {}


def page_json(*, backend: Any) -> bytes:
    """Return the page's first answer: every award in :func:`to_columns` form, as UTF-8 JSON.

    The page filters in the browser, so it always asks for the whole table; serialising
    100,000 awards takes longer than the page may wait, so the text is kept per backend.
    """
    with _lock:
        hit = _page_cache.get(id(backend))
    if hit is not None and hit[0] is backend:
        return hit[1]
    body = to_columns(funding_table(backend=backend))
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with _lock:
        _page_cache[id(backend)] = (backend, text)
        while len(_page_cache) > 4:
            _page_cache.pop(next(iter(_page_cache)))
    return text


def to_csv(table: FundingTable) -> str:
    """Return the rows as CSV (:data:`COLUMNS`; lists joined with `` | ``, empty if not stated)."""
    return rows_to_csv(table.rows, COLUMNS)
