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
  ``/static``; the handbook built by ``make docs`` into ``site/`` under ``/handbook``.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from api.deps import SparqlRuntime
from api.errors import kg_error_handler
from api.headers import SecurityHeadersMiddleware
from api.routes import sparql
from api.routes.pages import HandbookFiles
from api.settings import (
    STATIC_DIR,
    handbook_dir,
    public_url,
    sparql_memory_quads,
    sparql_per_client,
    sparql_reserved_workers,
    sparql_workers,
)
from kg import __version__
from kg.exceptions import KGError
from kg.loader.ondisk import build_store, store_db_path
from kg.settings import Settings, get_settings
from kg.sparql.backend import remote_backend
from kg.sparql.pool import PooledBackend, QueryPool, RemoteExecutor

__all__ = ["create_app", "prepare_runtime", "remove_stale_stores"]

# Routers added by other modules, included when present (module name under api.routes).
OPTIONAL_ROUTERS = (
    "queries",
    "entities",
    "networks",
    "funding",
    "pages",
    "docs",
    "typology",
    "sources",
    "editor",
    "reconcile",
)


#: Temporary stores built at start-up are folders named so under the temporary folder.
TMP_PREFIX = "kg-serve-"


def remove_stale_stores(root: Path | None = None) -> list[Path]:
    """Remove the temporary stores of servers that are no longer running; return them.

    A server killed with SIGKILL (or whose start failed) cannot remove its store. Each store
    folder holds the ``pid`` of its server; a folder whose process is gone is removed, and so
    is one without a ``pid`` file that is more than a day old (written by an older version).
    """
    base = root or Path(tempfile.gettempdir())
    removed = []
    for folder in base.glob(TMP_PREFIX + "*"):
        try:
            pid = int((folder / "pid").read_text(encoding="ascii").strip())
            stale = not _alive(pid)
        except (OSError, ValueError):
            try:
                stale = time.time() - folder.stat().st_mtime > 86_400
            except OSError:
                continue
        if stale and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


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
    public_url()  # a bad KG_PUBLIC_URL stops the start, not a request later
    if settings.sparql_endpoint:
        remote = remote_backend(settings)
        return SparqlRuntime(
            settings, RemoteExecutor(remote), remote, limiter, per_client=sparql_per_client()
        )
    tmpdir = None
    if settings.store_path is not None:
        db = store_db_path(settings.store_path)
    else:
        remove_stale_stores()
        tmpdir = Path(tempfile.mkdtemp(prefix=TMP_PREFIX))
        (tmpdir / "pid").write_text(f"{os.getpid()}\n", encoding="ascii")
        build_store(tmpdir / "store", settings)
        db = store_db_path(tmpdir / "store")
    # Workers lose network access, or keep it only to the allow-listed SERVICE endpoints
    # (see kg.sparql.sandbox): the filter is on in both cases.
    size = workers or sparql_workers()
    pool = QueryPool(
        db,
        size=size,
        reserved=sparql_reserved_workers(),
        sandbox=True,
        memory_quads=sparql_memory_quads(),
        service_allow=settings.service_allow,
        memory_mb=settings.worker_memory_mb,
    )
    backend = PooledBackend(pool, timeout=settings.query_timeout)
    return SparqlRuntime(
        settings, pool, backend, limiter, tmpdir=tmpdir, per_client=sparql_per_client()
    )


def _stop_queries_on_signals(runtime: SparqlRuntime) -> Callable[[], None]:
    """On SIGTERM or SIGINT, stop the query workers at once, then let uvicorn shut down.

    uvicorn waits for running requests before the lifespan ends; a runaway query would hold
    it until its deadline and then be cancelled with a traceback. Killing the workers first
    lets each such request answer 503 straight away. Returns a function that restores the
    previous handlers. (Outside the main thread, e.g. under a test client, nothing is done.)
    """
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=runtime.executor.close, name="kg-stop-workers").start()
        chained = previous.get(signum)
        if callable(chained):
            chained(signum, frame)

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread
            return lambda: None

    def restore() -> None:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError):
                signal.signal(sig, old)

    return restore


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
        restore = _stop_queries_on_signals(runtime)
        try:
            yield
        finally:
            restore()
            await anyio.to_thread.run_sync(runtime.close)

    app = FastAPI(
        title="Integration knowledge graph",
        version=__version__,
        description="SPARQL endpoint, named queries, organisation profiles and networks.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # FastAPI's pages load swagger-ui and ReDoc from a CDN: /docs is api.routes.docs.
        docs_url=None,
        redoc_url=None,
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
    # Added last, so it wraps everything (CORS answers and errors included).
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_exception_handler(KGError, kg_error_handler)
    app.include_router(sparql.router)
    for name in OPTIONAL_ROUTERS:
        if importlib.util.find_spec(f"api.routes.{name}") is not None:
            module = importlib.import_module(f"api.routes.{name}")
            app.include_router(module.router)
    # Built by `cd explorer && npm ci && npm run build`; absent in a fresh clone until then.
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    # Built by `make docs` into site/; a 503 page says how to build it until then.
    app.mount("/handbook", HandbookFiles(handbook_dir()), name="handbook")
    return app
