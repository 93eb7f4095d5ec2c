"""/sources, /addsource and /removesource through real updates, against feeds on 127.0.0.1.

The fake Bot API rejects invalid HTML and texts over 4,096 characters, so every test that
gets an answer also proves the answer was valid.
"""

from __future__ import annotations

import socket

import pytest

from briefing.sources import SourceKind
from handlers.source_views import ADMINS_ONLY
from tests.fakes.feeds import serve_feed
from tests.fakes.http_server import HttpServer
from tests.handlers.conftest import BOB, BOB_CHAT, EVERYONE_COMMANDS, GROUP_CHAT, BotHarness


async def test_an_admin_adds_lists_and_removes_a_feed(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    url = serve_feed(feed_server)
    [added] = await admin_harness.send(f"/addsource {url} 30m")
    assert added.parse_mode == "HTML"
    assert added.text.splitlines() == [
        "✅ Added #1 · feed · every 30m",
        url,
        "First poll: 2 entries: 2 new, 0 updated, 2 new comments",
    ]
    [today] = await admin_harness.send("/today")
    assert "Harbour Daily: Market Day" in today.text

    [listing] = await admin_harness.send("/sources")
    assert "#1 · feed · every 30m · last success 20" in listing.text
    assert url in listing.text
    assert "error" not in listing.text

    [removed] = await admin_harness.send("/removesource 1")
    assert removed.text.startswith("🗑 Removed #1 · feed · every 30m")
    assert "Its briefings stay." in removed.text
    [empty] = await admin_harness.send("/sources")
    assert "No sources yet" in empty.text
    assert await admin_harness.store.briefings.count() == 2


async def test_the_default_interval_and_removal_by_url_or_hash_id(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    url = serve_feed(feed_server)
    [added] = await admin_harness.send(f"/addsource {url}")
    assert "every 15m" in added.text
    [removed] = await admin_harness.send(f"/removesource {url}")
    assert "Removed #1" in removed.text
    [again] = await admin_harness.send(f"/addsource {url}")
    [source] = await admin_harness.store.sources.list()
    assert f"Added #{source.id} " in again.text
    [removed] = await admin_harness.send(f"/removesource #{source.id}")
    assert f"Removed #{source.id} " in removed.text
    assert await admin_harness.store.sources.list() == []


async def test_adding_a_stored_source_again_names_the_stored_one(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    url = serve_feed(feed_server)
    await admin_harness.send(f"/addsource {url}")
    [again] = await admin_harness.send(f"/addsource {url} 1h")
    assert again.text == f"⚠️ already polled as source 1 ({url})"


@pytest.mark.parametrize("command", ["/addsource {url}", "/removesource 1"])
async def test_anyone_else_is_refused(
    admin_harness: BotHarness, feed_server: HttpServer, command: str
) -> None:
    url = serve_feed(feed_server)
    await admin_harness.store.sources.add(url, SourceKind.FEED)
    [refused] = await admin_harness.send(command.format(url=url), chat=BOB_CHAT, user=BOB)
    assert refused.text == ADMINS_ONLY
    assert feed_server.requests == []
    assert len(await admin_harness.store.sources.list()) == 1


async def test_an_admin_may_manage_sources_in_a_group(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    [listing] = await admin_harness.send("/sources@briefbot_test_bot", chat=GROUP_CHAT)
    assert listing.chat_id == GROUP_CHAT["id"]
    assert "No sources yet" in listing.text
    [refused] = await admin_harness.send("/addsource", chat=GROUP_CHAT, user=BOB)
    assert refused.text == ADMINS_ONLY


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/feed.xml", "a source must be an http:// or https:// address"),
        ("<script>", "a source must be an http:// or https:// address"),
        ('http://[<b>&"x', "'http://[<b>&\"x' is not a valid URL"),
    ],
)
async def test_a_bad_url_gets_its_reason_in_valid_html(
    admin_harness: BotHarness, url: str, reason: str
) -> None:
    [answer] = await admin_harness.send(f"/addsource {url}")
    assert answer.text == f"⚠️ {reason}"
    assert await admin_harness.store.sources.list() == []


async def test_an_unreachable_or_missing_feed_stores_nothing(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    [refused] = await admin_harness.send(f"/addsource http://127.0.0.1:{port}/feed.xml")
    assert refused.text.startswith(f"⚠️ cannot read http://127.0.0.1:{port}/feed.xml:")
    missing = feed_server.url('/missing?a=1&b="<x>"')
    [answer] = await admin_harness.send(f"/addsource {missing}")
    assert answer.text.startswith("⚠️ cannot read ")
    assert "404" in answer.text
    assert await admin_harness.store.sources.list() == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/addsource", "Usage: /addsource URL [INTERVAL]"),
        ("/addsource https://example.org/feed 1h extra", "Usage: /addsource URL [INTERVAL]"),
        ("/addsource https://example.org/feed 5x", "'5x' is not an interval like 15m"),
        ("/addsource https://example.org/feed 30s", "an interval must be between 1m and 7d"),
        ("/removesource", "Usage: /removesource ID_OR_URL"),
        ("/removesource 1 2", "Usage: /removesource ID_OR_URL"),
        ("/removesource 99", "No source matches 99. Send /sources to see them."),
        ("/removesource <b>&", "No source matches <b>&."),
    ],
)
async def test_missing_or_bad_arguments_get_a_usage_line(
    admin_harness: BotHarness, feed_server: HttpServer, command: str, expected: str
) -> None:
    [answer] = await admin_harness.send(command)
    assert expected in answer.text
    assert feed_server.requests == []


async def test_help_shows_the_admin_section_to_admins_only(admin_harness: BotHarness) -> None:
    [for_admin] = await admin_harness.send("/help")
    assert "Admin" in for_admin.text
    assert "/addsource URL [INTERVAL] — " in for_admin.text
    assert "/removesource ID_OR_URL — " in for_admin.text
    [for_bob] = await admin_harness.send("/help", chat=BOB_CHAT, user=BOB)
    assert "addsource" not in for_bob.text
    assert {c["command"] for c in admin_harness.api.commands} == EVERYONE_COMMANDS


async def test_without_source_polling_the_commands_point_to_briefbot_run(
    harness: BotHarness,
) -> None:
    for command in ("/addsource https://example.org/feed", "/removesource 1"):
        [answer] = await harness.send(command)
        assert "briefbot run" in answer.text
        assert "briefbot sources" in answer.text
