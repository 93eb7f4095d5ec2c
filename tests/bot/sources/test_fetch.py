"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import re
import socket
import ssl
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator

import pytest
import trustme

from bot.sources.addresses import AddressPolicy
from bot.sources.fetch import USER_AGENT, Fetcher, FetchError
from tests.fakes.http_server import (
    Framing,
    HttpServer,
    Reply,
    Request,
    gzipped,
    http_date,
    redirect,
    serve_http,
    stalling,
    static,
    zeros,
)

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title></channel></rss>'
MODIFIED = http_date(1_767_225_600)  # Thu, 01 Jan 2026 00:00:00 GMT
FIFTY_MB = 50 * 1024 * 1024
# The cap is 10 MB: the body read up to it, plus network and inflating buffers.
MEMORY_BOUND = 20 * 1024 * 1024


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(allow_private=True) as opened:
        yield opened


def _feed_route(server: HttpServer, path: str = "/feed.xml") -> str:
    return server.route(
        path,
        static(
            FEED,
            content_type="application/rss+xml; charset=utf-8",
            etag='"v1"',
            last_modified=MODIFIED,
            headers={"Content-Location": "/feed-2026.xml"},
        ),
    )


async def test_a_200_returns_the_body_and_its_validators(
    server: HttpServer, fetcher: Fetcher
) -> None:
    url = _feed_route(server)
    result = await fetcher.fetch(url)
    assert result.url == url
    assert result.status == 200
    assert result.content == FEED
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', MODIFIED)
    assert result.not_modified is False
    assert result.headers == {
        "content-type": "application/rss+xml; charset=utf-8",
        "content-location": "/feed-2026.xml",
    }
    sent = server.requests[-1]
    assert sent.header("User-Agent") == USER_AGENT
    assert sent.header("If-None-Match") is None


async def test_a_fetch_with_the_validators_is_not_modified(
    server: HttpServer, fetcher: Fetcher
) -> None:
    url = _feed_route(server)
    first = await fetcher.fetch(url)
    again = await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified is True
    assert (again.status, again.content) == (304, b"")
    assert (again.etag, again.last_modified) == ('"v1"', MODIFIED)
    sent = server.requests[-1]
    assert sent.header("If-None-Match") == '"v1"'
    assert sent.header("If-Modified-Since") == MODIFIED


async def test_if_modified_since_alone_gives_304_and_keeps_the_validator(
    server: HttpServer, fetcher: Fetcher
) -> None:
    url = server.route("/dated", static(FEED, last_modified=MODIFIED))
    result = await fetcher.fetch(url, last_modified=MODIFIED)
    assert result.not_modified is True
    assert (result.etag, result.last_modified) == (None, MODIFIED)


async def test_a_changed_etag_gives_the_new_body(server: HttpServer, fetcher: Fetcher) -> None:
    url = _feed_route(server)
    result = await fetcher.fetch(url, etag='"v0"')
    assert result.not_modified is False
    assert (result.content, result.etag) == (FEED, '"v1"')


async def test_redirects_are_followed_and_the_final_url_reported(
    server: HttpServer, fetcher: Fetcher
) -> None:
    final = _feed_route(server, "/2026/feed.xml")
    server.route("/feed", redirect("/old/feed", 301))
    server.route("/old/feed", redirect("../2026/feed.xml#top", 308))
    result = await fetcher.fetch(server.url("/feed"))
    assert result.url == final
    assert result.content == FEED
    assert [r.path for r in server.requests] == ["/feed", "/old/feed", "/2026/feed.xml"]


async def test_the_conditions_are_sent_on_every_hop(server: HttpServer, fetcher: Fetcher) -> None:
    _feed_route(server)
    server.route("/moved", redirect(server.url("/feed.xml"), 307))
    result = await fetcher.fetch(server.url("/moved"), etag='"v1"')
    assert result.not_modified is True
    assert result.url == server.url("/feed.xml")
    assert {r.header("If-None-Match") for r in server.requests} == {'"v1"'}


async def test_five_redirects_are_allowed(server: HttpServer, fetcher: Fetcher) -> None:
    final = _feed_route(server)
    for hop in range(5):
        target = f"/hop{hop + 1}" if hop < 4 else "/feed.xml"
        server.route(f"/hop{hop}", redirect(target))
    result = await fetcher.fetch(server.url("/hop0"))
    assert result.url == final


async def test_a_chain_of_seven_redirects_fails(server: HttpServer, fetcher: Fetcher) -> None:
    _feed_route(server)
    for hop in range(7):
        target = f"/hop{hop + 1}" if hop < 6 else "/feed.xml"
        server.route(f"/hop{hop}", redirect(target))
    with pytest.raises(FetchError, match=r"^too many redirects \(more than 5\)$"):
        await fetcher.fetch(server.url("/hop0"))
    assert len(server.requests) == 6


async def test_a_redirect_loop_fails(server: HttpServer, fetcher: Fetcher) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect(server.url("/a")))
    with pytest.raises(FetchError, match=r"^redirect loop: ") as error:
        await fetcher.fetch(server.url("/a"))
    assert str(error.value) == (
        f"redirect loop: {server.url('/b')} leads back to {server.url('/a')}"
    )
    assert len(server.requests) == 2


async def test_a_redirect_to_itself_is_a_loop(server: HttpServer, fetcher: Fetcher) -> None:
    server.route("/self", redirect("/self", 301))
    with pytest.raises(FetchError, match=r"^redirect loop"):
        await fetcher.fetch(server.url("/self"))


async def test_a_redirect_without_location_fails(server: HttpServer, fetcher: Fetcher) -> None:
    server.route("/nowhere", Reply(302, b""))
    with pytest.raises(FetchError, match=r"^HTTP 302 Found without a Location header$"):
        await fetcher.fetch(server.url("/nowhere"))


async def test_a_redirect_away_from_http_fails(server: HttpServer, fetcher: Fetcher) -> None:
    server.route("/ftp", redirect("ftp://files.example/feed.xml"))
    with pytest.raises(FetchError, match=r"^redirect to a URL that is not http"):
        await fetcher.fetch(server.url("/ftp"))


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (500, "HTTP 500 Internal Server Error"),
        (410, "HTTP 410 Gone"),
        (429, "HTTP 429 Too Many Requests"),
        (599, "HTTP 599"),
    ],
)
async def test_an_error_status_fails_clearly(
    server: HttpServer, fetcher: Fetcher, status: int, message: str
) -> None:
    url = server.route("/broken", Reply(status, b"<html>oops</html>"))
    with pytest.raises(FetchError) as error:
        await fetcher.fetch(url)
    assert str(error.value) == message
    assert error.value.status == status
    assert error.value.url == url


async def test_an_unknown_path_is_a_404(server: HttpServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
        await fetcher.fetch(server.url("/missing"))


async def test_a_stalled_body_times_out(server: HttpServer) -> None:
    slow = Reply(
        200,
        stalling(b"<rss><channel>", server.released),
        {"Content-Length": "4096"},
        Framing.LENGTH,
    )
    url = server.route("/slow", slow)
    async with Fetcher(timeout=0.5, allow_private=True) as fetcher:
        with pytest.raises(FetchError, match=r"^timed out after 0\.5 s$"):
            await fetcher.fetch(url)


async def test_a_body_trickling_past_the_total_timeout_fails(server: HttpServer) -> None:
    # Each byte arrives well within any per-read timeout; only the total is exceeded.
    # Bounded (about 30 s): should the total timeout not hold, the body ends, nothing is
    # raised and the test fails instead of hanging.
    def trickle() -> Iterator[bytes]:
        for _ in range(600):
            if server.released.wait(0.05):
                return
            yield b" "

    url = server.route("/trickle", Reply(200, trickle, {}, Framing.CHUNKED))
    async with Fetcher(timeout=0.5, allow_private=True) as fetcher:
        with pytest.raises(FetchError, match=r"^timed out after 0\.5 s$"):
            await fetcher.fetch(url)


async def test_a_server_that_never_answers_times_out(server: HttpServer) -> None:
    def never(request: Request) -> Reply:
        server.released.wait()
        return Reply(200, b"late")

    url = server.route("/never", never)
    async with Fetcher(timeout=0.5, allow_private=True) as fetcher:
        with pytest.raises(FetchError, match=r"^timed out after 0\.5 s$"):
            await fetcher.fetch(url)


async def _fetch_measured(fetcher: Fetcher, url: str) -> tuple[FetchError, int]:
    """The error a fetch raises, with its peak traced memory."""
    tracemalloc.start()
    try:
        await fetcher.fetch(url)
    except FetchError as error:
        peak = tracemalloc.get_traced_memory()[1]
        return error, peak
    finally:
        tracemalloc.stop()
    raise AssertionError(f"{url} was fetched whole")


@pytest.mark.parametrize(
    ("declared", "framing"),
    [
        pytest.param({"Content-Length": str(FIFTY_MB)}, Framing.LENGTH, id="declared"),
        pytest.param({}, Framing.CHUNKED, id="chunked"),
        pytest.param({}, Framing.CLOSE, id="no-length"),
    ],
)
async def test_a_50_mb_body_is_refused_while_streaming(
    server: HttpServer, fetcher: Fetcher, declared: dict[str, str], framing: Framing
) -> None:
    url = server.route("/huge", Reply(200, zeros(FIFTY_MB), declared, framing))
    error, peak = await _fetch_measured(fetcher, url)
    assert str(error) == "response larger than 10 MB"
    assert peak < MEMORY_BOUND


async def test_a_gzip_bomb_is_refused_without_inflating_it(
    server: HttpServer, fetcher: Fetcher
) -> None:
    # 200 MB of zeros is about 200 KB compressed, sent in 64 KB chunks, each of which
    # inflates to about 64 MB if decoded whole (httpx's own decoder peaks near 140 MB).
    bomb = Reply(200, gzipped(zeros(200 * 1024 * 1024)), {"Content-Encoding": "gzip"})
    url = server.route("/bomb", bomb)
    error, peak = await _fetch_measured(fetcher, url)
    assert str(error) == "response larger than 10 MB"
    assert peak < MEMORY_BOUND


async def test_an_understated_length_reads_only_the_declared_bytes(
    server: HttpServer, fetcher: Fetcher
) -> None:
    url = server.route(
        "/liar", Reply(200, zeros(FIFTY_MB), {"Content-Length": "100"}, Framing.LENGTH)
    )
    result = await fetcher.fetch(url)
    assert result.content == bytes(100)


async def test_a_body_at_the_cap_is_accepted(server: HttpServer) -> None:
    url = server.route("/exact", Reply(200, zeros(1024), {}, Framing.CHUNKED))
    async with Fetcher(max_bytes=1024, allow_private=True) as fetcher:
        assert len((await fetcher.fetch(url)).content) == 1024
    async with Fetcher(max_bytes=1023, allow_private=True) as fetcher:
        with pytest.raises(FetchError, match=r"^response larger than 1023 bytes$"):
            await fetcher.fetch(url)


async def test_gzip_content_is_decoded(server: HttpServer, fetcher: Fetcher) -> None:
    url = server.route("/feed.gz", static(FEED, content_type="application/rss+xml", gzip=True))
    result = await fetcher.fetch(url)
    assert result.content == FEED
    assert "gzip" in (server.requests[-1].header("Accept-Encoding") or "")


async def test_a_gzip_body_in_several_members_is_decoded_whole(
    server: HttpServer, fetcher: Fetcher
) -> None:
    members = gzip.compress(FEED[:40]) + gzip.compress(FEED[40:])
    url = server.route("/members", Reply(200, members, {"Content-Encoding": "gzip"}))
    assert (await fetcher.fetch(url)).content == FEED


@pytest.mark.parametrize(
    "packed",
    [
        pytest.param(zlib.compress(FEED), id="zlib-wrapped"),
        pytest.param(zlib.compress(FEED, wbits=-zlib.MAX_WBITS), id="raw"),
    ],
)
async def test_deflate_content_is_decoded(
    server: HttpServer, fetcher: Fetcher, packed: bytes
) -> None:
    url = server.route("/deflate", Reply(200, packed, {"Content-Encoding": "deflate"}))
    assert (await fetcher.fetch(url)).content == FEED


async def test_a_corrupt_gzip_body_fails_clearly(server: HttpServer, fetcher: Fetcher) -> None:
    url = server.route("/corrupt", Reply(200, b"\x1f\x8bnot gzip", {"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match=r"^could not decode the gzip body: the data is corrupt$"):
        await fetcher.fetch(url)


async def test_an_unsupported_encoding_fails_clearly(server: HttpServer, fetcher: Fetcher) -> None:
    url = server.route("/br", Reply(200, b"\x0b\x02\x80", {"Content-Encoding": "br"}))
    with pytest.raises(FetchError, match=r"^unsupported content encoding 'br'$"):
        await fetcher.fetch(url)


async def test_a_truncated_body_fails_clearly(server: HttpServer, fetcher: Fetcher) -> None:
    short = Reply(200, lambda: [b"<rss>"], {"Content-Length": "1000"}, Framing.LENGTH)
    url = server.route("/short", short)
    host = url.split("/")[2]
    with pytest.raises(FetchError) as error:
        await fetcher.fetch(url)
    assert str(error.value) == f"{host} closed the connection before the response was complete"


async def test_connection_refused_fails_clearly(fetcher: Fetcher) -> None:
    # Bound but not listening: connecting is refused, and no other process can take the port.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(f"http://127.0.0.1:{port}/feed.xml")
    assert str(error.value) == f"connection refused by 127.0.0.1:{port}"
    assert error.value.status is None


async def test_an_unknown_host_fails_the_dns_lookup(fetcher: Fetcher) -> None:
    # RFC 6761: names under .invalid never resolve.
    with pytest.raises(FetchError, match=r"^DNS lookup failed for briefbot-test\.invalid$"):
        await fetcher.fetch("http://briefbot-test.invalid/feed.xml")


async def test_tls_to_a_plain_http_server_fails_clearly(
    server: HttpServer, fetcher: Fetcher
) -> None:
    url = _feed_route(server).replace("http://", "https://")
    with pytest.raises(FetchError, match=r"^TLS error with 127\.0\.0\.1: "):
        await fetcher.fetch(url)


async def test_an_untrusted_certificate_fails_clearly(fetcher: Fetcher) -> None:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(tls)
    with serve_http(tls) as secure:
        url = secure.route("/feed.xml", static(FEED))
        with pytest.raises(FetchError, match=r"^TLS certificate of 127\.0\.0\.1 not accepted: "):
            await fetcher.fetch(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example/feed.xml", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("feed.example/rss", "not an http(s) URL"),
        ("http://", "the URL has no host"),
        ("http://news.example:port/", "invalid port 'port' (1 to 65535)"),
    ],
)
async def test_urls_that_are_not_http_are_refused(
    fetcher: Fetcher, url: str, message: str
) -> None:
    with pytest.raises(FetchError) as error:
        await fetcher.fetch(url)
    assert str(error.value) == message


async def test_credentials_never_reach_a_message(server: HttpServer, fetcher: Fetcher) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))
    base = server.base_url.replace("http://", "http://ann:s3cret@")
    failures = []
    for url in (f"{base}/missing", f"{base}/a", "http://ann:s3cret@briefbot-test.invalid/"):
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(url)
        failures.append(error.value)
    assert [str(f).split(":")[0] for f in failures] == [
        "HTTP 404 Not Found",
        "redirect loop",
        "DNS lookup failed for briefbot-test.invalid",
    ]
    for failure in failures:
        assert "s3cret" not in f"{failure} {failure.url}"
        assert "ann" not in f"{failure} {failure.url}"
    assert server.requests[0].header("Authorization") is not None


async def test_concurrent_fetches_share_one_client(server: HttpServer, fetcher: Fetcher) -> None:
    urls = [_feed_route(server, f"/feed{n}.xml") for n in range(10)]
    results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert [r.url for r in results] == urls
    assert all(r.content == FEED for r in results)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, "timeout must be positive"),
        ({"max_bytes": 0}, "max_bytes must be positive"),
        ({"max_redirects": -1}, "max_redirects must be 0 or more"),
    ],
)
def test_bad_options_are_refused(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fetcher(**options)  # type: ignore[arg-type]


# -- the address policy: no loopback, private or reserved address unless allowed ----------

ALLOW_HINT = "; set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true to allow it"


async def _public_resolver(host: str, port: int) -> list[str]:
    """A DNS that answers every name with a public address (example.com's)."""
    return ["93.184.216.34"]


async def test_a_loopback_source_is_refused_by_default(server: HttpServer) -> None:
    url = _feed_route(server)
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(url)
    assert str(error.value) == f"refused: 127.0.0.1 is a loopback address{ALLOW_HINT}"
    assert error.value.url == url
    assert server.requests == []


async def test_a_name_resolving_to_loopback_is_refused(server: HttpServer) -> None:
    url = _feed_route(server).replace("127.0.0.1", "localhost")
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(url)
    assert re.fullmatch(
        rf"refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address{ALLOW_HINT}",
        str(error.value),
    )
    assert server.requests == []


async def test_a_redirect_to_another_local_address_is_refused(server: HttpServer) -> None:
    # The first hop is let through (as if public); the hop it redirects to is not.
    server.route("/internal.txt", static(b"the intranet's secrets", content_type="text/plain"))
    port = server.server_address[1]
    server.route("/feed", redirect(f"http://127.0.0.2:{port}/internal.txt"))
    policy = AddressPolicy.exempting(["127.0.0.1/32"])
    async with Fetcher(policy=policy) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(server.url("/feed"))
    assert str(error.value) == f"refused: 127.0.0.2 is a loopback address{ALLOW_HINT}"
    assert [r.path for r in server.requests] == ["/feed"]


async def test_a_name_that_connects_elsewhere_than_it_resolved_is_refused(
    server: HttpServer,
) -> None:
    # DNS rebinding: the check's lookup says public, the connection lands on loopback.
    url = _feed_route(server).replace("127.0.0.1", "localhost")
    async with Fetcher(policy=AddressPolicy(resolver=_public_resolver)) as fetcher:
        with pytest.raises(FetchError) as error:
            await fetcher.fetch(url)
    assert re.fullmatch(
        rf"refused: connected to (127\.0\.0\.1|::1), a loopback address{ALLOW_HINT}",
        str(error.value),
    )
    assert server.requests == []  # refused before the request was sent


async def test_allowing_private_sources_fetches_them(server: HttpServer) -> None:
    url = _feed_route(server)
    async with Fetcher(allow_private=True) as fetcher:
        assert (await fetcher.fetch(url)).content == FEED


async def test_an_unknown_host_fails_the_dns_lookup_under_the_policy() -> None:
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError, match=r"^DNS lookup failed for briefbot-test\.invalid$"):
            await fetcher.fetch("http://briefbot-test.invalid/feed.xml")


# -- URL shapes that used to crash --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:99999/", "invalid port '99999' (1 to 65535)"),
        ("http://127.0.0.1:0/", "invalid port '0' (1 to 65535)"),
        ("http://xn--ls8h.la:1/", "invalid international host name"),
        ("http://news.example/" + "a" * 5000, "the URL is longer than 2,048 characters"),
        ("http://news.example/a\nb", "the URL contains spaces or control characters"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("data:text/html,<b>x</b>", "not an http(s) URL"),
    ],
)
async def test_malformed_urls_fail_in_one_line(fetcher: Fetcher, url: str, message: str) -> None:
    with pytest.raises(FetchError) as error:
        await fetcher.fetch(url)
    assert str(error.value) == message
    assert len(error.value.url) <= 120


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("data:text/plain,hello", "redirect to a URL that is not http(s)"),
        ("javascript:alert(1)", "redirect to a URL that is not http(s)"),
        ("http://127.0.0.1:99999/", "redirect to an invalid URL"),
        ("http://xn--ls8h.la:1/", "redirect to an invalid URL"),
        ("/" + "a" * 5000, "redirect to an invalid URL"),
    ],
)
async def test_a_redirect_to_a_bad_url_fails_in_one_line(
    server: HttpServer, fetcher: Fetcher, location: str, message: str
) -> None:
    url = server.route("/moved", redirect(location))
    with pytest.raises(FetchError) as error:
        await fetcher.fetch(url)
    assert str(error.value).startswith(message)
    assert error.value.url == url
    assert [r.path for r in server.requests] == ["/moved"]
