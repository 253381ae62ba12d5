"""Knowledge graph of the actors, funders and networks of migrant and refugee integration.

The package loads the curated Turtle graph (``data/ttl/``) with its ontology and code lists,
validates it with SHACL, serves SPARQL from an embedded Oxigraph store, projects relations to
NetworkX and computes brokerage metrics.
"""

from kg.exceptions import KGError, LoadError, QueryError
from kg.settings import Settings, get_settings

__version__ = "0.1.0"

__all__ = ["KGError", "LoadError", "QueryError", "Settings", "__version__", "get_settings"]
