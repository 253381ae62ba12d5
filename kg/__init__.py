"""Knowledge graph of the actors, funders and networks of migrant and refugee integration.

The package loads the curated Turtle graph (``data/ttl/``) with its ontology and code lists,
validates it with SHACL, serves SPARQL from an embedded Oxigraph store, projects relations to
NetworkX and computes brokerage metrics.

The public functions are imported lazily (``kg.validate`` pulls in pySHACL, ``kg.metrics``
numpy and scipy), so that ``import kg`` and the command line start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from kg.exceptions import KGError, LoadError, ProjectionError, QueryError
from kg.settings import Settings, get_settings

__version__ = "0.1.0"

_LAZY = {
    "load_store": "kg.load",
    "validate": "kg.validate",
    "ValidationReport": "kg.validate",
    "check_quotes": "kg.quotes",
    "load_queries": "kg.queries",
    "run_named": "kg.queries",
    "get_backend": "kg.store",
    "build_store": "kg.store",
    "project": "kg.projection",
    "graph_info": "kg.info",
    "metrics": "kg.metrics",
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
    module = import_module(_LAZY[name])
    return module if name == "metrics" else getattr(module, name)
