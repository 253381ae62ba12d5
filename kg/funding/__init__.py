"""Funding flows: every award as one row, filtered, summarised with its coverage (``/funding``)."""

from kg.funding.awards import (
    COLUMNS,
    AwardFilters,
    FundingTable,
    award_rows,
    coverage,
    filter_awards,
    funding_table,
    page_json,
    to_columns,
    to_csv,
)

__all__ = [
    "COLUMNS",
    "AwardFilters",
    "FundingTable",
    "award_rows",
    "coverage",
    "filter_awards",
    "funding_table",
    "page_json",
    "to_columns",
    "to_csv",
]
