"""Server-only settings on top of :class:`kg.settings.Settings` (read from ``KG_*`` variables).

``KG_SPARQL_MEMORY_QUADS`` sets up to which store size the workers hold a copy in memory.
``KG_HANDBOOK_DIR`` names the built handbook served at ``/handbook`` (default ``site/``).
``KG_SPARQL_WORKERS`` sets how many SPARQL queries can run at once (each in its own worker
process, see :mod:`kg.sparql.pool`); the default is the number of CPUs plus two, at most 8, so
that fast queries still find a worker while a slow one is being timed out.
"""

from __future__ import annotations

import os
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
SPARQL_ASSETS = STATIC_DIR / "sparql"


def handbook_dir() -> Path:
    """Return the folder of the built handbook (``KG_HANDBOOK_DIR``, default ``site/``).

    ``make docs`` builds it (``mkdocs build``) into the checkout's git-ignored ``site/``.
    """
    value = os.environ.get("KG_HANDBOOK_DIR", "").strip()
    if value:
        return Path(value).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "site"


def sparql_memory_quads() -> int:
    """Return the size up to which workers copy the store into memory (``KG_SPARQL_MEMORY_QUADS``).

    Default 300,000 quads (about 120 MB per worker): the shipped graph and anything of its
    order are answered from memory, several times faster than from the on-disk store; a larger
    store is read from disk so that memory does not grow with the number of workers. 0 disables.
    """
    value = os.environ.get("KG_SPARQL_MEMORY_QUADS", "").strip()
    return max(0, int(value)) if value else 300_000


def sparql_workers() -> int:
    """Return the number of SPARQL worker processes (``KG_SPARQL_WORKERS``)."""
    value = os.environ.get("KG_SPARQL_WORKERS", "").strip()
    if value:
        return max(1, int(value))
    return min(8, (os.cpu_count() or 2) + 2)
