"""The strict fake Bot API served over HTTP on 127.0.0.1, for the bot as a real process."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.botapi import TOKEN, FakeBotApi

LONG_POLL_CAP = 2.0  # seconds; keeps shutdown quick whatever timeout the bot asks for


class _BotApiHandler(BaseHTTPRequestHandler):
    server: _BotApiServer

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test asserts on the recorded calls instead."""

    def _answer(self) -> None:
        if self.server.api.html_error is not None:
            page = f"<html><body><h1>Error</h1><p>{self.path}</p></body></html>\n"
            self._send(self.server.api.html_error, "text/html", page.encode())
            return
        parts = urlsplit(self.path)
        prefix = f"/bot{TOKEN}/"
        if not parts.path.startswith(prefix):
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = parts.path.removeprefix(prefix)
        params = dict(parse_qsl(parts.query))
        params.update(self._body())
        api = self.server.api
        status, body = api.call(method, params)
        if method == "getUpdates" and status == 200 and not body["result"]:
            timeout = min(float(params.get("timeout", 0) or 0), LONG_POLL_CAP)
            body["result"] = api.take_updates(int(params.get("offset", 0) or 0), timeout)
        self._reply(status, body)

    def _body(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if not raw:
            return {}
        if kind.startswith("application/json"):
            decoded = json.loads(raw)
            return {k: v if isinstance(v, str) else json.dumps(v) for k, v in decoded.items()}
        return dict(parse_qsl(raw.decode(), keep_blank_values=True))

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _BotApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: FakeBotApi) -> None:
        super().__init__(("127.0.0.1", 0), _BotApiHandler)
        self.api = api


@contextmanager
def serve_bot_api(api: FakeBotApi) -> Iterator[str]:
    """Serve ``api`` on a free loopback port; yields the base URL for BRIEFBOT_API_URL."""
    server = _BotApiServer(api)
    thread = threading.Thread(target=server.serve_forever, name="fake-bot-api", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
