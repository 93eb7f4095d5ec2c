"""A chat-completions server on 127.0.0.1 that answers like an OpenAI-compatible API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    """One request the fake server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Script:
    """What the fake server answers; the test changes it before calling."""

    status: int = 200
    body: bytes = b""
    hold: bool = False
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[Recorded] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: ChatServer

    def do_POST(self) -> None:
        script = self.server.script
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        script.requests.append(Recorded(self.path, dict(self.headers.items()), json.loads(raw)))
        if script.hold:
            script.release.wait(timeout=30)
        try:
            self.send_response(script.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(script.body)))
            self.end_headers()
            self.wfile.write(script.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests assert on the recorded requests."""


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = Script()


def completion(content: object, finish_reason: str = "stop") -> bytes:
    """A chat-completions answer as an OpenAI-compatible API sends it."""
    return json.dumps(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
        }
    ).encode()


@contextmanager
def serve_chat_completions() -> Iterator[ChatServer]:
    """Serve on a free loopback port for the block; held answers are released on leaving."""
    chat = ChatServer()
    thread = threading.Thread(
        target=chat.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-llm", daemon=True
    )
    thread.start()
    try:
        yield chat
    finally:
        chat.script.release.set()
        chat.shutdown()
        chat.server_close()
        thread.join()


def base_url(chat: ChatServer) -> str:
    """The ``BRIEFBOT_LLM_URL`` that reaches ``chat``."""
    host, port = chat.server_address[:2]
    return f"http://{host!s}:{port}/v1"
