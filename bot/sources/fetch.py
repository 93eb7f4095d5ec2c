"""Fetching one URL over HTTP(S): conditional, time-boxed, size-capped, redirects checked.

The fetcher knows nothing of what it fetches. Every failure is a :class:`FetchError`
whose message is one line for the operator, without the credentials a URL may carry.
Every hop's host is checked against an :class:`AddressPolicy` before connecting, and the
address each new connection reached is checked again before the request is sent on it (a
name that resolves anew to another address, DNS rebinding, is caught there).
"""

from __future__ import annotations

import asyncio
import io
import socket
import ssl
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any

import httpx

from bot.sources.addresses import AddressPolicy, AddressRefusedError
from briefing.urls import shown_url, url_problem

USER_AGENT = "briefbot/0.1 (+https://github.com/briefbot)"
DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS = ("content-type", "content-location")
_GZIP = frozenset({"gzip", "x-gzip"})
_INFLATE_PIECE = 256 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONNECTED = "connection.connect_tcp.complete"


class FetchError(Exception):
    """A fetch failed; the message is one line saying what happened.

    Attributes:
        url: the URL that failed (the last one followed), without credentials.
        status: the HTTP status when the server answered with an error, else ``None``.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successful (2xx) or not-modified (304) fetch.

    Attributes:
        url: the final URL, after redirects, without a fragment; it keeps any credentials
            the given URL carried, so show it only through a redacting function.
        content: the decoded body; empty on 304.
        etag: the validator to send next time: the response's, or on a 304 without one,
            the one that was sent.
        last_modified: likewise for ``Last-Modified``.
        headers: the few headers parsers need (``content-type``, ``content-location``),
            lower-case names, present only when the response had them.
    """

    url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    headers: Mapping[str, str]


class Fetcher:
    """One HTTP client, shared by every fetch; close it with :meth:`aclose`.

    Args:
        timeout: seconds for a whole fetch, redirects and body included.
        max_bytes: the largest decoded body accepted.
        max_redirects: how many redirects one fetch may follow.
        allow_private: fetch from loopback, private, link-local and reserved addresses too
            (``BRIEFBOT_ALLOW_PRIVATE_SOURCES``); refused by default.
        policy: the address policy itself, when more than ``allow_private`` is needed.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
        allow_private: bool = False,
        policy: AddressPolicy | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {max_bytes}")
        if max_redirects < 0:
            raise ValueError(f"max_redirects must be 0 or more, not {max_redirects}")
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._policy = policy or AddressPolicy(allow_private=allow_private)
        # Bodies are read raw and decoded here, so that the size cap holds while decoding.
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            # httpx builds the next request of a redirect even when not following it, and
            # raises on a Location it cannot parse: the hook refuses those first, in a line.
            event_hooks={"response": [_vet_redirect]},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client and its connections."""
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``, conditionally when validators are given.

        Raises:
            FetchError: the URL is not a valid http(s) URL, its address is refused, the
                server could not be reached or answered with an error status, too many
                redirects or a loop, the body is larger than the cap, or the whole fetch
                took longer than the timeout.
        """
        start = _parse_url(url)
        conditions: dict[str, str] = {}
        if etag:
            conditions["If-None-Match"] = etag
        if last_modified:
            conditions["If-Modified-Since"] = last_modified
        hops = _Hops(start)
        try:
            async with asyncio.timeout(self._timeout):
                return await self._follow(hops, conditions, etag, last_modified)
        except (TimeoutError, httpx.TimeoutException):
            raise FetchError(self._timed_out(), url=_redact(hops.current)) from None
        except AddressRefusedError as error:
            raise FetchError(str(error), url=_redact(hops.current)) from None
        except httpx.HTTPError as error:
            message = _describe(error, hops.current)
            raise FetchError(message, url=_redact(hops.current)) from error

    def _timed_out(self) -> str:
        return f"timed out after {self._timeout:g} s"

    async def _follow(
        self,
        hops: _Hops,
        conditions: Mapping[str, str],
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        while True:
            await self._check_host(hops.current)
            request = self._client.build_request(
                "GET", hops.current, headers=conditions, extensions={"trace": self._on_trace}
            )
            response = await self._client.send(request, stream=True)
            try:
                self._check_peer(response)
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    hops.follow(_redirect_target(response), self._max_redirects)
                    continue
                if status == HTTPStatus.NOT_MODIFIED:
                    return FetchResult(
                        url=str(response.url),
                        status=status,
                        content=b"",
                        content_type=None,
                        etag=response.headers.get("etag") or etag,
                        last_modified=response.headers.get("last-modified") or last_modified,
                        not_modified=True,
                        headers=_kept_headers(response.headers),
                    )
                if not 200 <= status < 300:
                    raise FetchError(
                        _status_line(response), url=_redact(response.url), status=status
                    )
                content = await self._read_body(response)
                return FetchResult(
                    url=str(response.url),
                    status=status,
                    content=content,
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    not_modified=False,
                    headers=_kept_headers(response.headers),
                )
            finally:
                await response.aclose()

    async def _check_host(self, url: httpx.URL) -> None:
        port = url.port or _DEFAULT_PORTS[url.scheme]
        try:
            await self._policy.check_host(url.host, port)
        except socket.gaierror:
            raise FetchError(f"DNS lookup failed for {url.host}", url=_redact(url)) from None

    async def _on_trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: check each new connection before a request goes on it."""
        if event != _CONNECTED:
            return
        stream = info.get("return_value")
        if stream is None:
            return
        try:
            self._policy.check_peer(stream.get_extra_info("server_addr"))
        except AddressRefusedError:
            await stream.aclose()
            raise

    def _check_peer(self, response: httpx.Response) -> None:
        """The connection's address once more, for a pooled connection opened earlier."""
        stream = response.extensions.get("network_stream")
        if stream is not None:
            self._policy.check_peer(stream.get_extra_info("server_addr"))

    async def _read_body(self, response: httpx.Response) -> bytes:
        """The decoded body, refused as soon as it passes the cap; never read whole first."""
        cap = self._max_bytes
        decoder = _decoder(response)
        if isinstance(decoder, _Identity):
            declared = response.headers.get("content-length", "").strip()
            if declared.isdigit() and int(declared) > cap:
                raise self._too_large(response)
        # BytesIO hands its buffer over without a copy at the end, unlike a bytearray.
        body = io.BytesIO()
        async for raw in response.aiter_raw():
            try:
                decoder.decode_into(body, raw, cap + 1)
            except zlib.error:
                encoding = response.headers.get("content-encoding", "").strip().lower()
                raise FetchError(
                    f"could not decode the {encoding} body: the data is corrupt",
                    url=_redact(response.url),
                ) from None
            if body.tell() > cap:
                raise self._too_large(response)
        return body.getvalue()

    def _too_large(self, response: httpx.Response) -> FetchError:
        size = _format_size(self._max_bytes)
        return FetchError(f"response larger than {size}", url=_redact(response.url))


async def _vet_redirect(response: httpx.Response) -> None:
    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
        _redirect_target(response)


class _Hops:
    """The URLs one fetch has visited, to refuse loops and long chains of redirects."""

    def __init__(self, start: httpx.URL) -> None:
        self.current = start
        self._seen = {str(start)}

    def follow(self, target: httpx.URL, limit: int) -> None:
        key = str(target)
        if key in self._seen:
            raise FetchError(
                f"redirect loop: {_redact(self.current)} leads back to {_redact(target)}",
                url=_redact(self.current),
            )
        if len(self._seen) > limit:
            raise FetchError(f"too many redirects (more than {limit})", url=_redact(target))
        self._seen.add(key)
        self.current = target


class _Identity:
    """A body sent as is."""

    def decode_into(self, body: io.BytesIO, data: bytes, limit: int) -> None:
        body.write(data)


class _Inflater:
    """A gzip or deflate body, inflated a bounded piece at a time.

    httpx's own decoders inflate each network chunk whole, so one 64 KB chunk of a "gzip
    bomb" becomes 64 MB at once; inflating in pieces up to the cap keeps it a memory bound.
    """

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in _GZIP
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        self._started = False
        self._finished = False

    def decode_into(self, body: io.BytesIO, data: bytes, limit: int) -> None:
        """Inflate ``data`` onto ``body``, stopping once ``body`` holds ``limit`` bytes."""
        pending = data
        while pending and body.tell() < limit and not self._finished:
            room = min(limit - body.tell(), _INFLATE_PIECE)
            try:
                body.write(self._inflater.decompress(pending, room))
            except zlib.error:
                # RFC 9110's "deflate" is zlib-wrapped, yet some servers send it raw.
                if self._started or self._gzip or self._wbits < 0:
                    raise
                self._wbits = -zlib.MAX_WBITS
                self._inflater = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            if not self._inflater.eof:
                pending = self._inflater.unconsumed_tail
                continue
            pending = self._inflater.unused_data
            if self._gzip and pending.startswith(b"\x1f\x8b"):
                # Another gzip member follows (RFC 1952 allows several).
                self._inflater = zlib.decompressobj(self._wbits)
            else:
                self._finished = True  # bytes after the stream are padding: ignored


def _decoder(response: httpx.Response) -> _Identity | _Inflater:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return _Identity()
    if encoding in _GZIP or encoding == "deflate":
        return _Inflater(encoding)
    raise FetchError(f"unsupported content encoding {encoding[:40]!r}", url=_redact(response.url))


def _parse_url(url: str) -> httpx.URL:
    url = url.strip()
    problem = url_problem(url)
    if problem is not None:
        raise FetchError(problem, url=shown_url(url))
    try:
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018 (decodes an IDNA host: it may raise)
    except (httpx.InvalidURL, ValueError, TypeError) as error:
        reason = _one_line(str(error))
        raise FetchError(
            "invalid URL" + (f": {reason}" if "@" not in reason else ""), url=shown_url(url)
        ) from None
    return parsed.copy_with(fragment=None)  # never sent; kept out of the final URL


def _redirect_target(response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(
            f"{_status_line(response)} without a Location header",
            url=_redact(response.url),
            status=response.status_code,
        )
    try:
        target = response.url.join(location)
        problem = url_problem(str(target))
        target.host  # noqa: B018 (decodes an IDNA host: it may raise)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise FetchError("redirect to an invalid URL", url=_redact(response.url)) from None
    if target.scheme not in ("http", "https"):
        raise FetchError("redirect to a URL that is not http(s)", url=_redact(response.url))
    if problem is not None:
        raise FetchError(f"redirect to an invalid URL: {problem}", url=_redact(response.url))
    return target.copy_with(fragment=None)


def _status_line(response: httpx.Response) -> str:
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = _one_line(response.reason_phrase)[:80]
    return f"HTTP {response.status_code} {phrase}".rstrip()


def _kept_headers(headers: httpx.Headers) -> dict[str, str]:
    return {name: headers[name] for name in KEPT_HEADERS if name in headers}


def _describe(error: httpx.HTTPError, url: httpx.URL) -> str:
    """One line naming what went wrong, from the root cause where there is one."""
    host = url.host
    where = f"{host}:{url.port}" if url.port else host
    for cause in _causes(error):
        if isinstance(cause, socket.gaierror):
            return f"DNS lookup failed for {host}"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {where}"
        if isinstance(cause, ConnectionResetError):
            return f"connection reset by {where}"
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or cause.reason or "unknown reason"
            return f"TLS certificate of {host} not accepted: {reason}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error with {host}: {cause.reason or _one_line(str(cause))}"
    detail = _one_line(str(error)) or type(error).__name__
    if isinstance(error, httpx.RemoteProtocolError):
        if "closed" in detail or "incomplete" in detail:
            return f"{where} closed the connection before the response was complete"
        return f"invalid HTTP response from {where}: {detail}"
    if isinstance(error, httpx.ConnectError):
        return f"could not connect to {where}: {detail}"
    if isinstance(error, httpx.NetworkError):
        return f"connection to {where} failed: {detail}"
    return f"request to {where} failed: {detail}"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and everything that caused it, groups included, each once."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)


def _redact(url: httpx.URL) -> str:
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _format_size(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"
