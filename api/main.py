"""The web application: ``create_app(settings)`` builds it, ``serve(host, port)`` runs it.

Conventions
-----------
- The lifespan prepares the SPARQL backend once (:func:`prepare_runtime`): a remote endpoint
  when ``KG_SPARQL_ENDPOINT`` is set; otherwise a pool of worker processes over a read-only
  on-disk store, either ``KG_STORE`` or one built from the Turtle files into a temporary folder
  at start-up (removed at shutdown). The backend is stored on ``app.state``; routes receive it
  through the :data:`api.deps.BackendDep` dependency and pass it to every :mod:`kg` call.
- Routers live in ``api/routes/``, one per resource, each included under its own prefix and tag.
  ``sparql`` is always there; the others are included when their module exists.
- Front-end assets built from ``explorer/`` into ``api/static/`` (git-ignored) are served under
  ``/static``.
"""

from __future__ import annotations

import importlib
import importlib.util
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from api.deps import SparqlRuntime
from api.errors import kg_error_handler
from api.routes import sparql
from api.settings import STATIC_DIR, sparql_memory_quads, sparql_workers
from kg import __version__
from kg.exceptions import KGError
from kg.loader.ondisk import build_store, store_db_path
from kg.settings import Settings, get_settings
from kg.sparql.backend import remote_backend
from kg.sparql.pool import PooledBackend, QueryPool, RemoteExecutor

__all__ = ["create_app", "prepare_runtime"]

# Routers added by other modules, included when present (module name under api.routes).
OPTIONAL_ROUTERS = ("queries", "entities", "networks", "pages")


def prepare_runtime(settings: Settings, workers: int | None = None) -> SparqlRuntime:
    """Open or build the store and start the SPARQL workers (or connect to the remote endpoint).

    Parameters
    ----------
    settings : Settings
        ``sparql_endpoint``, ``store_path``, ``query_timeout`` and ``service_allow`` are used.
    workers : int, optional
        Number of worker processes (default :func:`api.settings.sparql_workers`).

    Returns
    -------
    SparqlRuntime
        Close it at shutdown.
    """
    limiter = anyio.CapacityLimiter(64)
    if settings.sparql_endpoint:
        remote = remote_backend(settings)
        return SparqlRuntime(settings, RemoteExecutor(remote), remote, limiter)
    tmpdir = None
    if settings.store_path is not None:
        db = store_db_path(settings.store_path)
    else:
        tmpdir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        build_store(tmpdir / "store", settings)
        db = store_db_path(tmpdir / "store")
    # Workers lose network access unless some SERVICE is allow-listed (see kg.sparql.sandbox).
    pool = QueryPool(
        db,
        size=workers or sparql_workers(),
        sandbox=not settings.service_allow,
        memory_quads=sparql_memory_quads(),
    )
    backend = PooledBackend(pool, timeout=settings.query_timeout)
    return SparqlRuntime(settings, pool, backend, limiter, tmpdir=tmpdir)


def _operation_id(route: APIRoute) -> str:
    tag = route.tags[0] if route.tags else "api"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None, *, workers: int | None = None) -> FastAPI:
    """Build the FastAPI application.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to :func:`kg.settings.get_settings` (the ``KG_*`` environment variables).
    workers : int, optional
        Number of SPARQL worker processes (``KG_SPARQL_WORKERS``).

    Returns
    -------
    FastAPI
        Run it with uvicorn (``uvicorn --factory api.main:create_app``, as ``kg serve`` does).
    """
    s = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await anyio.to_thread.run_sync(partial(prepare_runtime, s, workers))
        app.state.settings = s
        app.state.sparql = runtime
        app.state.backend = runtime.backend
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(runtime.close)

    app = FastAPI(
        title="Integration knowledge graph",
        version=__version__,
        description="SPARQL endpoint, named queries, organisation profiles and networks.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    if s.cors_origins:  # off by default: only listed origins may read answers from a browser
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(s.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=list(sparql.EXPOSED_HEADERS),
            allow_credentials=False,
            max_age=600,
        )
    app.add_exception_handler(KGError, kg_error_handler)
    app.include_router(sparql.router)
    for name in OPTIONAL_ROUTERS:
        if importlib.util.find_spec(f"api.routes.{name}") is not None:
            module = importlib.import_module(f"api.routes.{name}")
            app.include_router(module.router)
    # Built by `cd explorer && npm ci && npm run build`; absent in a fresh clone until then.
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return app
