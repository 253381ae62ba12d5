"""uvicorn's h11 protocol with a deadline for request heads (``kg serve`` uses it).

uvicorn times out idle keep-alive connections but not a request head that arrives slowly or
never ends: a client could hold any number of connections, each buffering up to the head
limit (three times ``KG_MAX_BODY_BYTES``, see :func:`kg.cli.serve.request_head_bytes`). Here
every request head must be complete within ``KG_HEAD_TIMEOUT`` seconds (default 10) of the
connection opening or of the previous response; otherwise the server answers 408 and closes
the connection. Bodies are read by the routes, which stop at ``KG_MAX_BODY_BYTES``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.settings import get_settings

__all__ = ["BoundedH11Protocol"]

_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: 48\r\n\r\n"
    b"The request head did not arrive in time (408).\r\n"
)


class BoundedH11Protocol(H11Protocol):
    """:class:`uvicorn.protocols.http.h11_impl.H11Protocol` with a request-head deadline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_timeout = get_settings().head_timeout
        self._head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _waiting_for_head(self) -> bool:
        return self.conn.their_state is h11.IDLE

    def _head_expired(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._waiting_for_head():
            return
        if self.conn.our_state is h11.IDLE:  # nothing sent on this cycle yet
            self.transport.write(_TIMEOUT_ANSWER)
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the deadline of the first request head."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Parse as uvicorn does; stop the deadline once the head is complete."""
        super().data_received(data)
        if not self._waiting_for_head():
            self._disarm()

    def on_response_complete(self) -> None:
        """After a response, the next request head has its own deadline."""
        super().on_response_complete()
        if self._waiting_for_head():
            self._disarm()
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline with the connection."""
        self._disarm()
        super().connection_lost(exc)
