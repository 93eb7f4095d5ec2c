"""A real HTTP/1.1 server on 127.0.0.1 for tests that fetch: a table of routes.

A route maps a path to a :class:`Reply` (served as is) or to a handler that builds one
from the :class:`Request`. Helpers build the usual routes: :func:`static` (with ETag and
Last-Modified, answering conditional GETs with 304, optionally gzipped), :func:`redirect`,
and streamed bodies (:func:`zeros`, :func:`gzipped`, :func:`stalling`) sent with a
Content-Length, chunked, or delimited by closing the connection::

    with serve_http() as server:
        url = server.route("/feed.xml", static(feed_bytes, content_type="application/rss+xml"))
        server.route("/old", redirect("/feed.xml"))
        server.route("/slow", Reply(body=stalling(b"<rss>", server.released)))
"""

from __future__ import annotations

import gzip as gzip_module
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from enum import StrEnum
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

CHUNK_SIZE = 64 * 1024


class Framing(StrEnum):
    """How the end of a streamed body is marked."""

    LENGTH = "length"  # by a Content-Length header the route gives (it may lie)
    CHUNKED = "chunked"  # Transfer-Encoding: chunked
    CLOSE = "close"  # no length: the server closes the connection


@dataclass(frozen=True, slots=True)
class Request:
    """A request the server received; header names are lower case."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]

    def header(self, name: str) -> str | None:
        """One header's value, whatever the case of ``name``."""
        return self.headers.get(name.lower())


BodyStream = Callable[[], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server answers.

    Attributes:
        body: bytes (sent with a Content-Length unless ``headers`` declares one), or a
            function returning an iterable of chunks, sent with ``framing``.
        framing: how a streamed body ends; ignored for a bytes body.
    """

    status: int = 200
    body: bytes | BodyStream = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    framing: Framing = Framing.CHUNKED


Handler = Callable[[Request], Reply]


def static(
    body: bytes,
    *,
    content_type: str = "application/octet-stream",
    etag: str | None = None,
    last_modified: str | None = None,
    gzip: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Handler:
    """A document that answers conditional GETs with 304 when the validators match."""
    payload = gzip_module.compress(body) if gzip else body
    fixed = {"Content-Type": content_type, **(headers or {})}
    if etag is not None:
        fixed["ETag"] = etag
    if last_modified is not None:
        fixed["Last-Modified"] = last_modified
    if gzip:
        fixed["Content-Encoding"] = "gzip"

    def handle(request: Request) -> Reply:
        if _not_modified(request, etag, last_modified):
            validators = {k: v for k, v in fixed.items() if k in ("ETag", "Last-Modified")}
            return Reply(HTTPStatus.NOT_MODIFIED, b"", validators)
        return Reply(HTTPStatus.OK, payload, fixed)

    return handle


def redirect(location: str, status: int = HTTPStatus.FOUND) -> Reply:
    """A redirect to ``location`` (absolute, or relative to the request)."""
    return Reply(status, b"", {"Location": location})


def zeros(size: int, chunk_size: int = CHUNK_SIZE) -> BodyStream:
    """``size`` zero bytes in chunks, made as they are sent, never all at once."""

    def chunks() -> Iterator[bytes]:
        block = bytes(chunk_size)
        sent = 0
        while sent < size:
            piece = block[: min(chunk_size, size - sent)]
            sent += len(piece)
            yield piece

    return chunks


def gzipped(stream: BodyStream, chunk_size: int = CHUNK_SIZE) -> BodyStream:
    """``stream`` gzip-compressed on the fly, sent in chunks of ``chunk_size`` compressed
    bytes (send it with Content-Encoding: gzip)."""

    def chunks() -> Iterator[bytes]:
        compressor = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
        pending = bytearray()
        for chunk in stream():
            pending += compressor.compress(chunk)
            while len(pending) >= chunk_size:
                yield bytes(pending[:chunk_size])
                del pending[:chunk_size]
        pending += compressor.flush()
        if pending:
            yield bytes(pending)

    return chunks


def stalling(first: bytes, release: threading.Event) -> BodyStream:
    """Sends ``first``, then nothing more until ``release`` is set."""

    def chunks() -> Iterator[bytes]:
        yield first
        release.wait()

    return chunks


def http_date(timestamp: float) -> str:
    """An HTTP date (for Last-Modified) from a POSIX timestamp."""
    return formatdate(timestamp, usegmt=True)


class HttpServer(ThreadingHTTPServer):
    """The server; routes may be added while it runs."""

    daemon_threads = True
    request_queue_size = 128  # many concurrent fetches connect at once

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _RouteHandler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self._scheme = "https" if tls is not None else "http"
        self.released = threading.Event()
        self._routes: dict[str, Reply | Handler] = {}
        self._requests: list[Request] = []
        self._lock = threading.Condition()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (``https`` when serving TLS)."""
        return f"{self._scheme}://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def route(self, path: str, reply: Reply | Handler) -> str:
        """Serve ``reply`` at ``path`` (matched with its query, else without); its URL."""
        with self._lock:
            self._routes[path] = reply
        return self.url(path)

    @property
    def requests(self) -> list[Request]:
        """The requests received so far, in order."""
        with self._lock:
            return list(self._requests)

    def wait_for_request(self, path: str, timeout: float = 10.0) -> None:
        """Block until a request for ``path`` has arrived; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not any(request.path == path for request in self._requests):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no request for {path} within {timeout} s")
                self._lock.wait(remaining)

    def answer(self, request: Request) -> Reply:
        """The reply for ``request``: its route's, or 404."""
        with self._lock:
            self._requests.append(request)
            self._lock.notify_all()
            target = self._routes.get(f"{request.path}?{request.query}") or self._routes.get(
                request.path
            )
        if target is None:
            return Reply(HTTPStatus.NOT_FOUND, b"no such route", {"Content-Type": "text/plain"})
        return target if isinstance(target, Reply) else target(request)


class _RouteHandler(BaseHTTPRequestHandler):
    server: HttpServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection's thread ends after this

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests assert on ``server.requests`` instead."""

    def _serve(self, *, send_body: bool) -> None:
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, parts.path, parts.query, headers)
        try:
            reply = self.server.answer(request)
        except Exception as error:  # a broken handler in a test: say so in the reply
            reply = Reply(500, f"handler failed: {error!r}".encode(), {})
        try:
            self._send(reply, send_body=send_body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a size cap or a timeout): expected in these tests.
            self.close_connection = True

    def _send(self, reply: Reply, *, send_body: bool) -> None:
        self.send_response(reply.status)
        declared = {name.lower() for name in reply.headers}
        for name, value in reply.headers.items():
            self.send_header(name, value)
        body = reply.body
        if isinstance(body, bytes):
            if "content-length" not in declared:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        if reply.framing is Framing.CHUNKED:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.framing is Framing.CLOSE:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not send_body:
            return
        for chunk in body():
            if not chunk:
                continue
            if reply.framing is Framing.CHUNKED:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                self.wfile.write(chunk)
        if reply.framing is Framing.CHUNKED:
            self.wfile.write(b"0\r\n\r\n")
        else:
            # A streamed body's declared length may be a lie: never reuse the connection.
            self.close_connection = True


def _not_modified(request: Request, etag: str | None, last_modified: str | None) -> bool:
    """RFC 9110 13.1: If-None-Match wins over If-Modified-Since."""
    if_none_match = request.header("If-None-Match")
    if if_none_match is not None:
        if etag is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = request.header("If-Modified-Since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False


@contextmanager
def serve_http(tls: ssl.SSLContext | None = None) -> Iterator[HttpServer]:
    """Run an :class:`HttpServer` on a free loopback port for the block, over TLS if given.

    On leaving, ``server.released`` is set so that stalled replies finish, then the server
    stops.
    """
    server = HttpServer(tls)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-http", daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
