"""Server-only settings on top of :class:`kg.settings.Settings` (read from ``KG_*`` variables).

Each is read with :func:`kg.settings.env_number`, so a bad value stops the server with one line
naming its variable.

``KG_SPARQL_MEMORY_QUADS`` sets up to which store size the workers hold a copy in memory.
``KG_HANDBOOK_DIR`` names the built handbook served at ``/handbook`` (default ``site/``).
``KG_SPARQL_WORKERS`` sets how many SPARQL queries can run at once (each in its own worker
process, see :mod:`kg.sparql.pool`); the default is the number of CPUs plus two, at most 8, so
that fast queries still find a worker while a slow one is being timed out.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.exceptions import SettingsError
from kg.settings import env_number

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
    return env_number("KG_SPARQL_MEMORY_QUADS", 300_000, int, zero=True)


def sparql_workers() -> int:
    """Return the number of SPARQL worker processes (``KG_SPARQL_WORKERS``)."""
    return env_number("KG_SPARQL_WORKERS", min(8, (os.cpu_count() or 2) + 2), int)


def sparql_reserved_workers() -> int:
    """Return how many extra workers only named queries and pages use (``KG_SPARQL_RESERVED``).

    Default 1, started on top of ``KG_SPARQL_WORKERS``: runaway queries on ``/sparql`` cannot
    make the pages wait, and ad-hoc queries keep every worker they had
    (:class:`kg.sparql.pool.QueryPool`). 0 disables.
    """
    return env_number("KG_SPARQL_RESERVED", 1, int, zero=True)


def sparql_per_client() -> int:
    """Return how many ``/sparql`` queries one client address may run at once.

    ``KG_SPARQL_PER_CLIENT``, default 2; a client past it gets 429 with ``Retry-After``.
    """
    return env_number("KG_SPARQL_PER_CLIENT", 2, int)


def public_url() -> str | None:
    """Return the server's public base URL (``KG_PUBLIC_URL``), used in the service description.

    Unset, the description names the address the server is bound to; the ``Host`` header of a
    request is never used (it would let any client write the endpoint's IRI).
    """
    value = os.environ.get("KG_PUBLIC_URL", "").strip()
    if not value:
        return None
    if not value.startswith(("http://", "https://")) or any(c in value for c in ' <>"{}|\\^`'):
        raise SettingsError(f"KG_PUBLIC_URL={value!r} is not an http(s) URL")
    return value
