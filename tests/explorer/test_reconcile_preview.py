"""The reconciliation preview as OpenRefine shows it: framed by a page of another origin.

A page served from a second port (another origin, as OpenRefine's own at 127.0.0.1:3333)
frames ``/reconcile/preview?id=lu-asti`` of a real ``kg serve``. Expected: the frame shows
ASTI's label from the curated graph (data/ttl/lu/ewsi-citizens-initiatives.ttl), its one style
applies (the CSP allows it by hash: the heading's 16px comes from it, Chromium's default is
32px), and the browser reports no error (a refused frame or a blocked style would be one).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.servers import free_port


def _host_page(preview: str) -> type[BaseHTTPRequestHandler]:
    body = f'<!doctype html><title>host</title><iframe id=p src="{preview}"></iframe>'.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def test_preview_framed_by_another_origin(browser, server, output_dir: Path) -> None:
    port = free_port()
    host = ThreadingHTTPServer(
        ("127.0.0.1", port), _host_page(f"{server}/reconcile/preview?id=lu-asti")
    )
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    ctx = browser.new_context(viewport={"width": 500, "height": 300})
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{port}/")
        frame = page.frame_locator("#p")
        heading = frame.locator("h1")
        heading.wait_for(timeout=15_000)
        assert heading.inner_text() == "Association de Soutien aux Travailleurs Immigrés"
        assert "ASTI" in frame.locator("body").inner_text()
        assert heading.evaluate("h => getComputedStyle(h).fontSize") == "16px"
        page.screenshot(path=str(output_dir / "reconcile-preview-framed.png"))
        assert errors == []
    finally:
        ctx.close()
        host.shutdown()
        host.server_close()
