"""Polling sources served by a real HTTP server on 127.0.0.1 into a real SQLite file."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import parse_qsl

import pytest

from bot.sources.fetch import Fetcher
from bot.sources.ingestor import Ingestor
from bot.sources.manager import SourceManager
from bot.sources.poller import PollScheduler, SourcePoller
from briefing.sources import Source, SourceError, SourceKind
from storage.briefings import SaveOutcome
from storage.store import Store
from tests.fakes.feeds import RSS, comment_feed, serve_feed
from tests.fakes.http_server import (
    HttpServer,
    Reply,
    Request,
    redirect,
    stalling,
    static,
    zeros,
)

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss version="2.0"><channel><title>&d;</title><item><title>&d;&d;&d;</title></item>
</channel></rss>"""


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(timeout=2.0, allow_private=True) as opened:
        yield opened


@pytest.fixture
def poller(store: Store, fetcher: Fetcher) -> SourcePoller:
    return SourcePoller(store, fetcher, Ingestor(store))


async def test_a_poll_stores_each_entry_with_its_stories_and_comments(
    server: HttpServer, store: Store, poller: SourcePoller
) -> None:
    source = await store.sources.add(serve_feed(server), SourceKind.FEED)
    report = await poller.poll(source)
    assert report.error is None
    assert report.count(SaveOutcome.CREATED) == 2
    latest = await store.briefings.latest()
    assert latest is not None
    assert latest.title == "Harbour Daily: Market Day"
    briefings = [await store.briefings.get(i) for i in (1, 2)]
    first = briefings[0]
    assert first is not None
    assert [s.heading for s in first.stories] == [
        "Harbour Daily: Tides and Ferries",
        "Ferry times change",
        "Quay repairs",
    ]
    assert all("alert" not in s.text and "png" not in s.text for s in first.stories)
    assert all(s.summary for s in first.stories)
    assert [(c.key, c.author) for c in first.comments] == [("1", "Reader 1"), ("2", "Reader 2")]
    assert first.comment_count == 2
    polled = await store.sources.get(source.id or 0)
    assert polled is not None
    assert polled.last_success_at is not None
    assert polled.etag == '"v1"'
    assert polled.next_poll_at is not None


async def test_an_unchanged_feed_is_not_modified_and_writes_nothing(
    server: HttpServer, store: Store, poller: SourcePoller
) -> None:
    source = await store.sources.add(serve_feed(server), SourceKind.FEED)
    await poller.poll(source)
    again = await store.sources.get(source.id or 0)
    assert again is not None
    report = await poller.poll(again)
    assert report.not_modified
    assert report.ingested == ()
    assert server.requests[-1].header("If-None-Match") == '"v1"'


async def test_an_edited_entry_updates_its_stories_in_place(
    server: HttpServer, store: Store, poller: SourcePoller
) -> None:
    source = await store.sources.add(serve_feed(server), SourceKind.FEED)
    await poller.poll(source)
    before = await store.briefings.get(1)
    serve_feed(server, etag='"v2"', extra=" A correction was added.")
    source_now = await store.sources.get(source.id or 0)
    assert source_now is not None
    report = await poller.poll(source_now)
    assert report.count(SaveOutcome.UPDATED) == 1
    assert report.count(SaveOutcome.UNCHANGED) == 1
    after = await store.briefings.get(1)
    assert before is not None
    assert after is not None
    assert "A correction was added." in after.stories[0].text
    assert [s.id for s in after.stories] == [s.id for s in before.stories]


async def test_new_comments_on_an_old_entry_are_added(
    server: HttpServer, store: Store, poller: SourcePoller
) -> None:
    source = await store.sources.add(serve_feed(server), SourceKind.FEED)
    await poller.poll(source)
    serve_feed(server, etag='"v3"', comments=4)
    source_now = await store.sources.get(source.id or 0)
    assert source_now is not None
    report = await poller.poll(source_now)
    assert report.new_comments == 2
    assert report.count(SaveOutcome.CREATED) == 0
    stored = await store.briefings.get(1)
    assert stored is not None
    assert [c.key for c in stored.comments] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(HTTPStatus.INTERNAL_SERVER_ERROR, b"oops"), "HTTP 500"),
        (
            Reply(HTTPStatus.OK, b"<rss><channel><item><title>Broken", {"Content-Type": RSS}),
            "not a feed",
        ),
        (
            Reply(
                HTTPStatus.OK,
                b"<html><body><p>Hello</p></body></html>",
                {"Content-Type": "text/html"},
            ),
            "HTML",
        ),
        (Reply(HTTPStatus.NOT_FOUND, b"gone"), "HTTP 404"),
        (redirect("/bad.xml"), "redirect loop"),
        (Reply(HTTPStatus.OK, zeros(50 * 1024 * 1024), {"Content-Type": RSS}), "larger than"),
        (Reply(HTTPStatus.OK, BOMB, {"Content-Type": RSS}), "entity"),
        (Reply(HTTPStatus.OK, b"\n\n", {"Content-Type": RSS}), "empty"),
    ],
)
async def test_a_failing_source_records_one_line_and_stores_nothing(
    server: HttpServer, store: Store, poller: SourcePoller, reply: Reply, message: str
) -> None:
    source = await store.sources.add(server.route("/bad.xml", reply), SourceKind.FEED)
    report = await poller.poll(source)
    assert report.error is not None
    assert message in report.error
    assert "\n" not in report.error
    failed = await store.sources.get(source.id or 0)
    assert failed is not None
    assert failed.failures == 1
    assert failed.last_error == report.error
    assert await store.briefings.count() == 0


async def test_one_stalled_source_does_not_delay_the_others(
    server: HttpServer, store: Store, poller: SourcePoller
) -> None:
    stalled = server.route("/stalled.xml", Reply(body=stalling(b"<rss", server.released)))
    await store.sources.add(stalled, SourceKind.FEED)
    good = await store.sources.add(serve_feed(server), SourceKind.FEED)
    scheduler = PollScheduler(store, poller)
    assert await scheduler.tick() == 2
    # A tick while both are under way starts nothing twice.
    assert await scheduler.tick() == 0
    polled = await _wait_for_success(store, good.id or 0)
    assert polled.failures == 0
    stalled_source = await store.sources.by_url(stalled)
    assert stalled_source is not None
    assert stalled_source.last_success_at is None
    await scheduler.wait_idle()
    timed_out = await store.sources.by_url(stalled)
    assert timed_out is not None
    assert timed_out.last_error is not None
    assert "timed out" in timed_out.last_error


@pytest.mark.parametrize("pretty_permalinks", [True, False])
async def test_wordpress_posts_and_paginated_comments(
    server: HttpServer, store: Store, poller: SourcePoller, pretty_permalinks: bool
) -> None:
    posts = [
        {
            "id": 7,
            "link": f"{server.base_url}/?p=7",
            "date_gmt": "2026-11-24T06:00:00",
            "modified_gmt": "2026-11-24T06:00:00",
            "title": {"rendered": "Quay Daily: Storm Week"},
            "content": {
                "rendered": "<p>Storm warnings all week.</p><h3>Harbour shut</h3>"
                "<p>The harbour closed on Wednesday.</p>"
            },
            "excerpt": {"rendered": "<p>Storm warnings.</p>"},
        }
    ]

    def comments(request: Request) -> Reply:
        page = int(dict(parse_qsl(request.query))["page"])
        start = (page - 1) * 100
        items = [
            {
                "id": n,
                "post": 7,
                "parent": 0 if n % 2 else n - 1,
                "author_name": f"Reader {n}",
                "date_gmt": "2026-11-24T07:00:00",
                "content": {"rendered": f"<p>Storm comment {n}.</p>"},
            }
            for n in range(start + 1, min(start + 100, 150) + 1)
        ]
        return Reply(
            HTTPStatus.OK, json.dumps(items).encode(), {"Content-Type": "application/json"}
        )

    listing = Reply(
        HTTPStatus.OK, json.dumps(posts).encode(), {"Content-Type": "application/json"}
    )

    def without_permalinks(request: Request) -> Reply:
        route = dict(parse_qsl(request.query)).get("rest_route")
        return comments(request) if route == "/wp/v2/comments" else listing

    if pretty_permalinks:
        server.route("/wp-json/wp/v2/posts", listing)
        server.route("/wp-json/wp/v2/comments", comments)
        root = f"{server.base_url}/wp-json/"
    else:
        server.route("/", without_permalinks)
        root = f"{server.base_url}/?rest_route=/"
    source = await store.sources.add(root, SourceKind.WORDPRESS)
    report = await poller.poll(source)
    assert report.error is None
    stored = await store.briefings.latest()
    assert stored is not None
    assert [s.heading for s in stored.stories] == ["Quay Daily: Storm Week", "Harbour shut"]
    assert len(stored.comments) == 150
    assert stored.comments[1].parent_key == "1"


async def test_adding_a_page_finds_its_feed_and_polls_it(
    server: HttpServer, store: Store, poller: SourcePoller, fetcher: Fetcher
) -> None:
    feed_url = serve_feed(server)
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        b"</head><body>Harbour</body></html>"
    )
    page_url = server.route("/", static(page, content_type="text/html"))
    manager = SourceManager(store, fetcher, poller)
    added = await manager.add(page_url, interval_seconds=600)
    assert added.source.url == feed_url
    assert added.source.kind is SourceKind.FEED
    assert added.source.interval_seconds == 600
    assert added.first_poll.count(SaveOutcome.CREATED) == 2
    with pytest.raises(SourceError, match="already polled as source"):
        await manager.add(feed_url)


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://example.org/feed", "http:// or https://"), ("not a url", "http:// or https://")],
)
async def test_adding_something_that_is_not_a_source_says_why(
    store: Store, poller: SourcePoller, fetcher: Fetcher, url: str, message: str
) -> None:
    with pytest.raises(SourceError, match=message):
        await SourceManager(store, fetcher, poller).add(url)
    assert await store.sources.list() == []


async def test_opml_import_and_export(
    server: HttpServer, store: Store, poller: SourcePoller, fetcher: Fetcher
) -> None:
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="News"><outline type="rss" text="Harbour" xmlUrl="https://example.org/feed"/>
<outline type="rss" text="Quay &amp; Co" xmlUrl="https://example.net/rss"/></outline>
<outline type="rss" text="Bad" xmlUrl="gopher://old.example/feed"/></body></opml>"""
    manager = SourceManager(store, fetcher, poller)
    imported = await manager.import_opml(opml, interval_seconds=1800)
    assert [s.url for s in imported.added] == [
        "https://example.org/feed",
        "https://example.net/rss",
    ]
    assert all("gopher" not in url for url, _ in imported.rejected)
    again = await manager.import_opml(opml, interval_seconds=1800)
    assert again.already_there == ("https://example.org/feed", "https://example.net/rss")
    exported = await manager.export_opml()
    assert 'xmlUrl="https://example.org/feed"' in exported
    assert 'version="2.0"' in exported


async def _wait_for_success(store: Store, source_id: int) -> Source:
    """Wait (bounded) until a poll of the source has been recorded as a success."""
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while datetime.now(UTC) < deadline:
        source = await store.sources.get(source_id)
        if source is not None and source.last_success_at is not None:
            return source
        await asyncio.sleep(0.01)
    raise AssertionError("the good source was not polled while the other one stalled")


def _entries_feed(base: str, comment_urls: list[str]) -> bytes:
    """A feed with one entry per comment feed URL, newest first, without comment counts."""
    items = "".join(
        f"""<item><title>Harbour Daily: Entry {n}</title><link>{base}/post/{n}</link>
<guid isPermaLink="false">{base}/?p={n}</guid>
<pubDate>Tue, 24 Nov 2026 06:{n % 60:02d}:00 +0000</pubDate>
<wfw:commentRss>{url}</wfw:commentRss>
<description>The ferry left on time on day {n}. The tide was high.</description></item>"""
        for n, url in enumerate(comment_urls, start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
<channel><title>Harbour Daily</title><link>{base}</link>{items}</channel></rss>""".encode()


def _refusing_url() -> str:
    """A URL on a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/comments"


async def _comment_keys(store: Store, briefing_id: int) -> list[str]:
    stored = await store.briefings.get(briefing_id)
    assert stored is not None
    return [c.key for c in stored.comments]


async def test_bad_comment_feeds_fail_alone_and_every_entry_is_stored(
    server: HttpServer, store: Store, poller: SourcePoller
) -> None:
    server.route("/data", redirect("data:text/plain,hello"))
    server.route("/good", static(comment_feed(server.base_url, 2), content_type=RSS))
    urls = [_refusing_url(), server.url("/data"), server.url("/good")]
    feed_url = server.route("/feed.xml", static(_entries_feed(server.base_url, urls)))
    source = await store.sources.add(feed_url, SourceKind.FEED)
    report = await poller.poll(source)
    assert report.error is None
    assert report.count(SaveOutcome.CREATED) == 3
    assert len(report.comments.failed) == 2
    assert "connection refused" in report.comments.failed[0]
    assert await _comment_keys(store, 3) == ["1", "2"]
    polled = await store.sources.get(source.id or 0)
    assert polled is not None
    assert polled.failures == 0
    assert polled.last_success_at is not None
    assert polled.last_error is not None
    assert polled.last_error.startswith("comments of 2 entries not read")
    assert "comments of 2 entries not read" in report.describe()
    # Stored without a count, so the next poll reads their discussion again.
    first = await store.briefings.get(1)
    assert first is not None
    assert first.comment_count is None


class _InFlight:
    """Counts the requests a route is serving at once; each waits for ``together`` others."""

    def __init__(self, together: int, body: bytes) -> None:
        self._barrier = threading.Barrier(together, timeout=10)
        self._lock = threading.Lock()
        self._now = 0
        self.most = 0
        self._body = body

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            self._now += 1
            self.most = max(self.most, self._now)
        try:
            self._barrier.wait()  # only passes once `together` requests are in flight
        finally:
            with self._lock:
                self._now -= 1
        return Reply(HTTPStatus.OK, self._body, {"Content-Type": RSS})


async def test_comment_feeds_are_read_concurrently_a_few_at_a_time(
    server: HttpServer, store: Store, fetcher: Fetcher
) -> None:
    in_flight = _InFlight(3, comment_feed(server.base_url, 1))
    urls = [server.route(f"/comments/{n}", in_flight) for n in range(6)]
    feed_url = server.route("/feed.xml", static(_entries_feed(server.base_url, urls)))
    poller = SourcePoller(store, fetcher, Ingestor(store), comment_fetches_at_once=3)
    report = await poller.poll(await store.sources.add(feed_url, SourceKind.FEED))
    assert report.error is None
    assert report.comments.describe() is None
    assert in_flight.most == 3
    assert [await _comment_keys(store, n) for n in range(1, 7)] == [["1"]] * 6


async def test_comment_feeds_past_the_cap_are_skipped_and_reported(
    server: HttpServer, store: Store, fetcher: Fetcher
) -> None:
    body = static(comment_feed(server.base_url, 1), content_type=RSS)
    urls = [server.route(f"/comments/{n}", body) for n in range(5)]
    feed_url = server.route("/feed.xml", static(_entries_feed(server.base_url, urls)))
    poller = SourcePoller(store, fetcher, Ingestor(store), comment_feeds_per_poll=2)
    report = await poller.poll(await store.sources.add(feed_url, SourceKind.FEED))
    assert report.count(SaveOutcome.CREATED) == 5
    assert report.comments.over_cap == 3
    assert sum(r.path.startswith("/comments/") for r in server.requests) == 2
    assert "comments of 3 entries skipped (over the cap" in report.describe()
    assert [await _comment_keys(store, n) for n in range(1, 6)] == [["1"], ["1"], [], [], []]


async def test_a_stalled_comment_feed_is_given_up_at_the_polls_deadline(
    server: HttpServer, store: Store
) -> None:
    stalled = server.route("/comments/slow", Reply(body=stalling(b"<rss", server.released)))
    good = server.route("/comments/good", static(comment_feed(server.base_url, 1)))
    feed_url = server.route("/feed.xml", static(_entries_feed(server.base_url, [stalled, good])))
    # The fetch alone would wait a minute; the poll's deadline for comments is half a second.
    async with Fetcher(timeout=60.0, allow_private=True) as patient:
        poller = SourcePoller(store, patient, Ingestor(store), comments_deadline=0.5)
        report = await poller.poll(await store.sources.add(feed_url, SourceKind.FEED))
    assert report.error is None
    assert report.count(SaveOutcome.CREATED) == 2
    assert report.comments.past_deadline == 1
    assert "comments of 1 entry skipped (past the poll's deadline)" in report.describe()
    assert await _comment_keys(store, 2) == ["1"]
