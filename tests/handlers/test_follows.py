"""/sources for everyone through real updates: follow buttons, ◀ ▶ pages, stale buttons.

The fake Bot API rejects invalid HTML, texts over 4,096 characters and callback data over
64 bytes, so every answer checked here was also a valid one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from briefing.sources import Source, SourceKind
from handlers.follow_views import NO_SOURCES, NOT_FOLLOWED, SOURCE_GONE
from handlers.follows import STALE_BUTTON
from tests.fakes.botapi import MESSAGE_LIMIT, Sent
from tests.handlers.conftest import BOB, BOB_CHAT, GROUP_CHAT, BotHarness


async def _add(harness: BotHarness, number: int, title: str | None = None) -> Source:
    source = await harness.store.sources.add(
        f"https://news{number}.example.org/feed", SourceKind.FEED
    )
    assert source.id is not None
    if title is not None:
        changed = await harness.store.sources.update(source.id, lambda s: replace(s, title=title))
        assert changed is not None
        return changed
    return source


def _labels(message: Sent) -> list[str]:
    return [button["text"] for row in message.buttons for button in row]


def _data(message: Sent) -> list[str]:
    return [button["callback_data"] for row in message.buttons for button in row]


def _answer(harness: BotHarness) -> dict[str, Any]:
    return harness.api.callback_answers[-1]


async def test_a_chat_without_sources_is_told_so(harness: BotHarness) -> None:
    [answer] = await harness.send("/sources", BOB_CHAT, BOB)
    assert answer.text == NO_SOURCES
    assert answer.buttons == []


async def test_everyone_follows_every_source_and_a_button_unfollows_one(
    admin_harness: BotHarness,
) -> None:
    harbour = await _add(admin_harness, 1, "Harbour <Daily> & Co")
    world = await _add(admin_harness, 2)
    [listing] = await admin_harness.send("/sources", BOB_CHAT, BOB)
    assert listing.text.splitlines()[:2] == ["📚 Sources (2)", ""]
    assert "This chat follows 2 of 2." in listing.text
    assert "✅ Harbour <Daily> & Co\nhttps://news1.example.org/feed" in listing.text
    assert "✅ https://news2.example.org/feed" in listing.text
    assert "#1" not in listing.text  # ids and poll state are for admins
    assert _labels(listing) == ["✅ Harbour <Daily> & Co", "✅ https://news2.example.org/feed"]
    assert _data(listing) == [f"fol:0:0:{harbour.id}", f"fol:0:0:{world.id}"]

    [edited] = await admin_harness.press(listing, f"fol:0:0:{harbour.id}", BOB)
    assert _answer(admin_harness)["text"] == "This chat no longer follows Harbour <Daily> & Co."
    assert edited.message_id == listing.message_id
    assert "This chat follows 1 of 2." in edited.text
    assert f"{NOT_FOLLOWED} Harbour <Daily> & Co" in edited.text
    assert _labels(edited)[0] == f"{NOT_FOLLOWED} Harbour <Daily> & Co"
    assert _data(edited)[0] == f"fol:1:0:{harbour.id}"
    assert await admin_harness.store.follows.followed_source_ids(BOB_CHAT["id"]) == {world.id}
    assert await admin_harness.store.follows.followed_source_ids(4242) == {harbour.id, world.id}

    # The old button again sets the state it names: still unfollowed, not flipped back.
    await admin_harness.press(listing, f"fol:0:0:{harbour.id}", BOB)
    assert _answer(admin_harness)["text"] == "This chat no longer follows Harbour <Daily> & Co."
    assert await admin_harness.store.follows.followed_source_ids(BOB_CHAT["id"]) == {world.id}

    [followed] = await admin_harness.press(listing, f"fol:1:0:{harbour.id}", BOB)
    assert _answer(admin_harness)["text"] == "✅ This chat follows Harbour <Daily> & Co."
    assert "This chat follows 2 of 2." in followed.text


async def test_any_group_member_chooses_for_the_group(admin_harness: BotHarness) -> None:
    source = await _add(admin_harness, 1, "Harbour Daily")
    [listing] = await admin_harness.send("/sources", GROUP_CHAT, BOB)
    await admin_harness.press(listing, f"fol:0:0:{source.id}", BOB)
    assert not await admin_harness.store.follows.is_followed(GROUP_CHAT["id"], source.id or 0)
    assert await admin_harness.store.follows.is_followed(BOB_CHAT["id"], source.id or 0)


async def test_ten_sources_a_page_with_previous_and_next(admin_harness: BotHarness) -> None:
    sources = [await _add(admin_harness, number) for number in range(1, 24)]
    [first] = await admin_harness.send("/sources", BOB_CHAT, BOB)
    assert first.text.startswith("📚 Sources (23) · page 1 of 3")
    assert len(first.buttons) == 11
    assert [b["text"] for b in first.buttons[-1]] == ["▶"]
    [second] = await admin_harness.press(first, first.buttons[-1][0]["callback_data"], BOB)
    assert second.text.startswith("📚 Sources (23) · page 2 of 3")
    assert [b["callback_data"] for b in second.buttons[-1]] == ["srcs:0", "srcs:2"]
    eleventh = sources[10]
    assert second.buttons[0][0]["callback_data"] == f"fol:0:1:{eleventh.id}"
    [redrawn] = await admin_harness.press(second, f"fol:0:1:{eleventh.id}", BOB)
    assert redrawn.text.startswith("📚 Sources (23) · page 2 of 3")
    assert redrawn.buttons[0][0]["text"] == f"{NOT_FOLLOWED} https://news11.example.org/feed"
    [last] = await admin_harness.press(second, "srcs:2", BOB)
    assert len(last.buttons) == 3 + 1
    assert [b["text"] for b in last.buttons[-1]] == ["◀"]
    # A page past the end (sources were removed meanwhile) shows the last one.
    [clamped] = await admin_harness.press(second, "srcs:9", BOB)
    assert clamped.text.startswith("📚 Sources (23) · page 3 of 3")


async def test_a_button_of_a_removed_source_gets_a_short_answer(
    admin_harness: BotHarness,
) -> None:
    gone = await _add(admin_harness, 1, "Gone Daily")
    await _add(admin_harness, 2, "Kept Daily")
    [listing] = await admin_harness.send("/sources", BOB_CHAT, BOB)
    await admin_harness.store.sources.remove(gone.id or 0)
    [redrawn] = await admin_harness.press(listing, f"fol:0:0:{gone.id}", BOB)
    assert _answer(admin_harness)["text"] == SOURCE_GONE
    assert "Gone Daily" not in redrawn.text
    assert _labels(redrawn) == ["✅ Kept Daily"]
    assert await admin_harness.store.follows.unfollowed(BOB_CHAT["id"]) == frozenset()


async def test_a_malformed_button_is_answered_as_expired(admin_harness: BotHarness) -> None:
    await _add(admin_harness, 1)
    [listing] = await admin_harness.send("/sources", BOB_CHAT, BOB)
    for data in ("fol:2:0:1", "fol:0:x:1", "srcs:-1"):
        assert await admin_harness.press(listing, data, BOB) == []
        assert _answer(admin_harness)["text"] == STALE_BUTTON


async def test_admins_see_how_each_source_polls_on_pages_within_the_limit(
    admin_harness: BotHarness,
) -> None:
    store = admin_harness.store.sources
    for number in range(1, 41):
        source = await store.add(
            f"https://news{number}.example.org/" + "a-long-path/" * 30, SourceKind.FEED
        )
        assert source.id is not None
        await store.update(
            source.id, lambda s: replace(s, title="\N{MATHEMATICAL BOLD CAPITAL H}arbour " * 30)
        )
        error = f"<html> & {number} " + "connection reset by peer " * 18
        await store.record_failure(source.id, error, now=datetime(2026, 11, 24, tzinfo=UTC))
    [listing] = await admin_harness.send("/sources")
    pages = [listing]
    for _ in range(3):
        [page] = await admin_harness.press(listing, pages[-1].buttons[-1][-1]["callback_data"])
        pages.append(page)
    assert [p.text.splitlines()[0] for p in pages] == [
        f"📚 Sources (40) · page {number} of 4" for number in range(1, 5)
    ]
    assert all(len(p.text.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT for p in pages)
    assert sum(p.text.count("⚠️ Last error (1 in a row, next try 2026-11-24 ") for p in pages) == 40
    assert sum(p.text.count("): <html> & ") for p in pages) == 40
    assert "#40 · feed · every 15m · last success never" in pages[-1].text
    assert "/removesource ID" in pages[-1].text
    [for_bob] = await admin_harness.send("/sources", BOB_CHAT, BOB)
    assert "Last error" not in for_bob.text
    assert "/removesource" not in for_bob.text
