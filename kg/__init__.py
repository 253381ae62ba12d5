"""Knowledge graph of the actors, funders and networks of migrant and refugee integration.

The package loads the curated Turtle graph (``data/ttl/``) with its ontology and code lists,
validates it with SHACL, serves SPARQL from an embedded Oxigraph store, projects relations to
NetworkX and computes brokerage metrics. Subpackages, one per subsystem (see
``docs/architecture.md``): :mod:`kg.loader` (files to a store), :mod:`kg.sparql` (backends,
query workers, named queries, query text), :mod:`kg.validate` (SHACL, the fast engine,
quotes), :mod:`kg.entities` (profiles, search), :mod:`kg.network` (projections, views),
:mod:`kg.metrics`, :mod:`kg.export`, :mod:`kg.viz` and :mod:`kg.cli`.

Start with ``g = kg.open()`` (:mod:`kg.graph`): named queries, SPARQL, networks, metrics and
profiles from one handle. The public functions are imported lazily (``kg.validate_graph``
pulls in pySHACL, ``kg.metrics`` numpy and scipy), so that ``import kg`` and the command line
start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from kg.exceptions import KGError, LoadError, ProjectionError, QueryError
from kg.settings import Settings, get_settings

__version__ = "0.1.0"

# public name -> (module, attribute)
_LAZY: dict[str, tuple[str, str]] = {
    "open": ("kg.graph", "open_graph"),
    "KnowledgeGraph": ("kg.graph", "KnowledgeGraph"),
    "Rows": ("kg.graph", "Rows"),
    "load_store": ("kg.loader.load", "load_store"),
    "build_store": ("kg.loader.ondisk", "build_store"),
    "open_backend": ("kg.sparql.backend", "open_backend"),
    "load_queries": ("kg.sparql.named", "load_queries"),
    "run_named": ("kg.sparql.named", "run_named"),
    "validate_graph": ("kg.validate.shacl", "validate"),
    "ValidationReport": ("kg.validate.report", "ValidationReport"),
    "check_quotes": ("kg.validate.quotes", "check_quotes"),
    "project": ("kg.network.projection", "project"),
    "graph_info": ("kg.summary", "graph_info"),
    "export_network": ("kg.export", "export_network"),
    "metrics": ("kg.metrics", ""),
}

__all__ = [
    "KGError",
    "LoadError",
    "ProjectionError",
    "QueryError",
    "Settings",
    "__version__",
    "get_settings",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module_name, attr = _LAZY[name]
    module = import_module(module_name)
    return getattr(module, attr) if attr else module
