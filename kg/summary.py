"""Counts that summarise the graph: nodes by class, organisations by kind and by country.

The counts are the answers of the named queries ``reports/class-counts``,
``reports/organisations-by-country-kind`` and ``reports/organisations-by-country`` (in
``queries/reports/``); this module only folds their rows into one :class:`GraphInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.sparql.backend import Backend
from kg.sparql.named import rows_as_dicts, run_named

__all__ = ["GraphInfo", "graph_info"]

#: Where the stated country is missing, counts go under this key.
NO_COUNTRY = "-"


@dataclass
class GraphInfo:
    """Counts by class, by kind, by country and by (country, kind)."""

    classes: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    by_country_kind: dict[tuple[str, str], int] = field(default_factory=dict)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def graph_info(backend: Backend) -> GraphInfo:
    """Count the graph's nodes by class, and organisations by kind, country and both.

    An organisation with two kinds counts once under each kind; ``by_country`` counts distinct
    organisations (one with no country counts under ``"-"``).

    Parameters
    ----------
    backend : Backend
        The store to count in.

    Returns
    -------
    GraphInfo
        The four tables of counts.
    """
    info = GraphInfo()
    for row in rows_as_dicts(run_named("reports/class-counts", backend=backend)):
        info.classes[_local(row["class"])] = int(row["n"])
    for row in rows_as_dicts(run_named("reports/organisations-by-country-kind", backend=backend)):
        country, kind, n = row["country"] or NO_COUNTRY, row["kind"], int(row["n"])
        info.by_country_kind[(country, kind)] = n
        info.by_kind[kind] = info.by_kind.get(kind, 0) + n
    for row in rows_as_dicts(run_named("reports/organisations-by-country", backend=backend)):
        info.by_country[row["country"] or NO_COUNTRY] = int(row["n"])
    return info
