"""Validation of the graph: SHACL shapes (pySHACL), the fast SPARQL engine, and source quotes.

- :mod:`kg.validate.report`: :class:`ValidationReport` / :class:`ValidationResult`, the one
  result type of every engine.
- :mod:`kg.validate.shacl`: pySHACL over an rdflib graph (the reference engine).
- :mod:`kg.validate.engine`: the shapes compiled to whole-graph SPARQL on Oxigraph (fast).
- :mod:`kg.validate.quotes`: every quote found verbatim in the document it cites.
"""

from __future__ import annotations

from kg.validate.report import ValidationReport, ValidationResult

__all__ = ["ValidationReport", "ValidationResult"]
