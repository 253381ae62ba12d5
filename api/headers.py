"""Security headers on every response: one ASGI middleware, one table of headers.

Conventions
-----------
- Every page is built from ``explorer/`` into ``api/static/`` and loads its scripts and styles
  from this server only, so the Content-Security-Policy allows scripts from ``'self'`` and
  nothing inline: text that a page inserts unescaped (YASR's table, say) cannot run as script,
  and ``connect-src 'self'`` keeps the SPARQL editor from sending queries to another host.
- Styles may be inline (YASGUI, CodeMirror and swagger-ui set them); images and fonts may be
  ``data:`` URLs (bundled icons) or ``blob:`` (exported figures).
- ``frame-ancestors 'none'``: no page can be framed (click-jacking). ``nosniff``: a SPARQL answer
  is never read as HTML or script. ``Referrer-Policy: no-referrer``: a query in the URL is not
  sent on to the sites a page links to.
- A header a route set itself is kept (a route may narrow the policy); the middleware only adds
  what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "SecurityHeadersMiddleware"]

#: The policy of every response (HTML pages above all).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: Added to every response that does not set them itself.
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

_ENCODED = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]


class SecurityHeadersMiddleware:
    """Add :data:`SECURITY_HEADERS` to every HTTP response of ``app``.

    Parameters
    ----------
    app : ASGI application
        The application to wrap (Starlette's ``add_middleware`` passes it).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection; add the headers to ``http.response.start``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in _ENCODED if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
