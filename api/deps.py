"""Dependencies shared by the routers: the app's settings, backend and SPARQL runtime.

Route handlers take them as annotated parameters, e.g. ``def f(backend: BackendDep)``; tests
replace them with ``app.dependency_overrides``.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request

from kg.settings import Settings
from kg.sparql.backend import Backend
from kg.sparql.pool import QueryPool, RemoteExecutor


@dataclass
class SparqlRuntime:
    """What the lifespan prepares once: the executor of raw queries and the backend.

    Attributes
    ----------
    settings : Settings
        The app's settings.
    executor : QueryPool or RemoteExecutor
        Runs protocol queries and returns serialised answers.
    backend : Backend
        The same store behind the :class:`kg.sparql.backend.Backend` interface, for the
        other routers.
    limiter : anyio.CapacityLimiter
        Threads waiting on SPARQL workers; separate from Starlette's pool, so SPARQL traffic
        cannot starve the other routes' threads.
    tmpdir : Path or None
        A store built at start-up for this server (removed at shutdown).
    per_client : int
        ``/sparql`` queries one client address may have running at once.
    running : dict
        Queries running now, per client address (the event loop's own bookkeeping).
    """

    settings: Settings
    executor: QueryPool | RemoteExecutor
    backend: Backend
    limiter: anyio.CapacityLimiter
    tmpdir: Path | None = None
    per_client: int = 2
    cache: dict[str, Any] = field(default_factory=dict)
    running: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        """Stop the workers (or close the HTTP client) and remove a temporary store."""
        self.executor.close()
        if self.tmpdir is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.tmpdir)


def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    return request.app.state.settings


def get_app_backend(request: Request) -> Backend:
    """Return the app's backend (queries run in killable workers, with the timeout)."""
    return request.app.state.backend


def get_sparql_runtime(request: Request) -> SparqlRuntime:
    """Return the SPARQL runtime prepared by the lifespan."""
    return request.app.state.sparql


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
BackendDep = Annotated[Backend, Depends(get_app_backend)]
SparqlDep = Annotated[SparqlRuntime, Depends(get_sparql_runtime)]
