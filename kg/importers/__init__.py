"""Bring your own data: ``kg import`` of 360Giving, IATI and the researcher's sheet.

- :mod:`kg.importers.run`: :func:`import_file` (read, reconcile, validate, diff, write).
- :mod:`kg.importers.giving360`, :mod:`kg.importers.iati`, :mod:`kg.importers.sheet`: one module
  per format (reading, checks, mapping to the ontology).
- :mod:`kg.importers.common`: shared checks, quotes and the graph builder;
  :mod:`kg.importers.turtle`: deterministic Turtle; :mod:`kg.importers.tables`: sheet and CSV rows.
- :mod:`kg.importers.reconciling`: matches against the graph and the review file;
  :mod:`kg.importers.diff`: what changed since the earlier import.
"""

from __future__ import annotations

from kg.importers.run import FORMATS, ImportResult, import_file, lookup_records

__all__ = ["FORMATS", "ImportResult", "import_file", "lookup_records"]
