"""``kg serve``: run the web application (SPARQL endpoint, JSON API, pages) with uvicorn.

The core never imports :mod:`api`: uvicorn is handed the app's import string
(``api.main:create_app``, a factory) and builds the app itself from the ``KG_*`` settings.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.render import DataOpt, errors

__all__ = ["APP_FACTORY", "HTTP_PROTOCOL", "request_head_bytes", "serve_cmd", "uvicorn_options"]

#: What uvicorn imports and calls to build the application.
APP_FACTORY = "api.main:create_app"
#: uvicorn's h11 protocol with a deadline for request heads (``KG_HEAD_TIMEOUT``).
HTTP_PROTOCOL = "api.http:BoundedH11Protocol"


def request_head_bytes(max_body_bytes: int) -> int:
    """Largest request head uvicorn must buffer so GET queries up to the body cap get an answer.

    A query sent as ``?query=`` is percent-encoded: each UTF-8 byte takes up to three
    characters. Below this size h11 drops the connection without a response, so the
    endpoint's own 414 (which names ``KG_MAX_BODY_BYTES``) could never be seen.
    """
    return max(16 * 1024, 3 * max_body_bytes + 64 * 1024)


def uvicorn_options(max_body_bytes: int, max_connections: int) -> dict[str, object]:
    """Return the uvicorn settings ``kg serve`` uses (also given to the test servers).

    Parameters
    ----------
    max_body_bytes : int
        ``KG_MAX_BODY_BYTES``: sizes the request-head limit (:func:`request_head_bytes`).
    max_connections : int
        ``KG_MAX_CONNECTIONS``: connections beyond it are answered 503 by uvicorn.
    """
    return {
        "http": HTTP_PROTOCOL,
        "h11_max_incomplete_event_size": request_head_bytes(max_body_bytes),
        "limit_concurrency": max_connections,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 3,
    }


def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    data: DataOpt = None,
) -> None:
    """Serve the SPARQL endpoint, the JSON API and the explorer pages."""
    import uvicorn

    from kg.settings import get_settings

    with errors():
        s = get_settings()
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=host,
            port=port,
            log_level="info",
            **uvicorn_options(s.max_body_bytes, s.max_connections),  # type: ignore[arg-type]
        )
