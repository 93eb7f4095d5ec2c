"""Source URLs through real updates: private addresses refused, bad URLs answered in one
line, credentials never shown, and cards linking only to http(s)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from briefing.models import Block, BlockKind, Briefing, Story
from tests.fakes.feeds import serve_feed
from tests.fakes.http_server import HttpServer
from tests.handlers.conftest import ADA, BotHarness, harness_settings, running_harness

ALLOW_HINT = "set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true to allow it"


@pytest.fixture
async def guarded_harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """As ``admin_harness``, with the default address policy: private sources refused."""
    settings = harness_settings(
        tmp_path, admin_ids=frozenset({ADA["id"]}), allow_private_sources=False
    )
    async with running_harness(settings, poll_sources=True) as running:
        yield running


async def test_a_loopback_source_is_refused_in_one_line(
    guarded_harness: BotHarness, feed_server: HttpServer
) -> None:
    url = serve_feed(feed_server)
    [answer] = await guarded_harness.send(f"/addsource {url}")
    assert answer.text == (
        f"⚠️ cannot read {url}: refused: 127.0.0.1 is a loopback address; {ALLOW_HINT}"
    )
    assert feed_server.requests == []
    assert await guarded_harness.store.sources.list() == []
    assert await guarded_harness.store.briefings.count() == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:99999/", "invalid port '99999' (1 to 65535)"),
        ("http://xn--ls8h.la:1/", "invalid international host name"),
        ("http://news.example/" + "a" * 3000, "the URL is longer than 2,048 characters"),
    ],
)
async def test_a_malformed_source_url_is_answered_in_one_line(
    admin_harness: BotHarness, url: str, reason: str
) -> None:
    [answer] = await admin_harness.send(f"/addsource {url}")
    assert answer.text == f"⚠️ not a usable source address: {reason}"
    assert await admin_harness.store.sources.list() == []


async def test_credentials_are_used_for_fetching_and_never_shown(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    url = serve_feed(feed_server).replace("http://", "http://ann:s3cret@")
    [added] = await admin_harness.send(f"/addsource {url}")
    assert added.text.startswith("✅ Added #1 · feed")
    feed_requests = [r for r in feed_server.requests if r.path == "/feed.xml"]
    assert {r.header("Authorization") for r in feed_requests} == {"Basic YW5uOnMzY3JldA=="}
    [listing] = await admin_harness.send("/sources")
    [today] = await admin_harness.send("/today")
    [card] = await admin_harness.press(today, today.buttons[0][0]["callback_data"])
    for message in (added, listing, today, card):
        assert "s3cret" not in f"{message.html} {message.buttons}"
        assert "ann:" not in f"{message.html} {message.buttons}"
    [read] = [b for row in card.buttons for b in row if b["text"] == "Read at the source"]
    assert read["url"].startswith(f"{feed_server.base_url}/post/")
    stored = await admin_harness.store.briefings.latest()
    assert stored is not None
    assert "s3cret" not in f"{stored.key} {stored.url} {[s.url for s in stored.stories]}"


@pytest.mark.parametrize(
    "stored_url",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"],
)
async def test_a_card_links_only_to_http_sources(harness: BotHarness, stored_url: str) -> None:
    # As a briefing stored before links were checked would be.
    story = Story("Harbour news", (Block(BlockKind.PARAGRAPH, "Ships came in."),), url=stored_url)
    await harness.store.briefings.save(
        Briefing(key="old", title="Harbour Daily", stories=(story,), url=stored_url)
    )
    [today] = await harness.send("/today")
    [card] = await harness.press(today, today.buttons[0][0]["callback_data"])
    assert "<a " not in card.html
    assert not [b for row in card.buttons for b in row if "url" in b]


async def test_a_card_strips_stored_credentials_from_its_link(harness: BotHarness) -> None:
    story = Story("Harbour news", (Block(BlockKind.PARAGRAPH, "Ships came in."),))
    await harness.store.briefings.save(
        Briefing(key="old", title="Harbour Daily", stories=(story,), url="http://a:b@x.example/1")
    )
    [today] = await harness.send("/today")
    [card] = await harness.press(today, today.buttons[0][0]["callback_data"])
    assert [{"text": "Read at the source", "url": "http://x.example/1"}] in card.buttons
