"""Chat membership through real my_chat_member updates, and sends that find a chat gone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.outgoing import OutgoingMessage
from storage.store import Store
from tests.fakes.botapi import BOT_USER
from tests.fakes.telegram_html import parse
from tests.handlers.conftest import ADA, GROUP_CHAT, PRIVATE_CHAT, BotHarness

ALERT = OutgoingMessage(GROUP_CHAT["id"], "alert", "7", "<b>news</b>")


async def _outbox(store: Store, chat_id: int) -> list[tuple[str, str, str]]:
    async with store.database.connection.execute(
        "SELECT kind, item_key, state FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,)
    ) as cursor:
        return [(row["kind"], row["item_key"], row["state"]) async for row in cursor]


def _no_errors(caplog: pytest.LogCaptureFixture) -> bool:
    return not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]


async def test_a_group_that_removes_the_bot_is_inactive_and_its_queue_dropped(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.send("/start@briefbot_test_bot", chat=GROUP_CHAT)
    await harness.store.outbox.enqueue([ALERT])
    harness.api.bot_status_changes(GROUP_CHAT, ADA, "member", "kicked")
    assert await harness.process_pending() == []
    known = await harness.store.chats.get(GROUP_CHAT["id"])
    assert known is not None
    assert (known.active, known.status) == (False, "kicked")
    assert known.left_at is not None
    assert await _outbox(harness.store, GROUP_CHAT["id"]) == [("alert", "7", "dropped")]
    assert _no_errors(caplog)


async def test_the_bot_leaving_a_group_makes_it_inactive(harness: BotHarness) -> None:
    harness.api.bot_status_changes(GROUP_CHAT, ADA, "member", "left")
    await harness.process_pending()
    known = await harness.store.chats.get(GROUP_CHAT["id"])
    assert known is not None
    assert (known.active, known.status, known.title) == (False, "left", "Readers")


async def test_a_user_who_blocks_then_unblocks_the_bot_is_reachable_again(
    harness: BotHarness,
) -> None:
    await harness.send("/start")
    blocked_at, unblocked_at = (
        datetime(2026, 12, 1, 9, tzinfo=UTC),
        datetime(2026, 12, 1, 10, tzinfo=UTC),
    )
    harness.api.bot_status_changes(
        PRIVATE_CHAT, ADA, "member", "kicked", date=int(blocked_at.timestamp())
    )
    await harness.process_pending()
    blocked = await harness.store.chats.get(PRIVATE_CHAT["id"])
    assert blocked is not None
    assert (blocked.active, blocked.left_at) == (False, blocked_at)
    harness.api.bot_status_changes(
        PRIVATE_CHAT, ADA, "kicked", "member", date=int(unblocked_at.timestamp())
    )
    # A private chat is not greeted: the user sends /start when they want to.
    assert await harness.process_pending() == []
    back = await harness.store.chats.get(PRIVATE_CHAT["id"])
    assert back is not None
    assert (back.active, back.status) == (True, "member")
    assert back.member_since == unblocked_at
    assert await _outbox(harness.store, PRIVATE_CHAT["id"]) == []


async def test_a_group_that_adds_the_bot_gets_one_greeting_queued(harness: BotHarness) -> None:
    change = harness.api.bot_status_changes(GROUP_CHAT, ADA, "left", "member")
    assert await harness.process_pending() == []  # the outbox sender sends it, paced
    known = await harness.store.chats.get(GROUP_CHAT["id"])
    assert known is not None
    assert (known.active, known.status) == (True, "member")
    [row] = await _outbox(harness.store, GROUP_CHAT["id"])
    assert (row[0], row[2]) == ("greeting", "pending")
    async with harness.store.database.connection.execute(
        "SELECT text FROM outbox WHERE chat_id = ?", (GROUP_CHAT["id"],)
    ) as cursor:
        [text] = [r["text"] async for r in cursor]
    greeting = parse(text).text  # valid Telegram HTML
    assert f"/today@{BOT_USER['username']}" in greeting
    assert "discussion" in greeting
    # Telegram may deliver an update twice: still one greeting for this join.
    harness.api.redeliver_update({"my_chat_member": change})
    await harness.process_pending()
    assert len(await _outbox(harness.store, GROUP_CHAT["id"])) == 1


async def test_a_group_where_the_bot_stays_a_member_is_not_greeted_again(
    harness: BotHarness,
) -> None:
    await harness.send("/start@briefbot_test_bot", chat=GROUP_CHAT)
    harness.api.bot_status_changes(GROUP_CHAT, ADA, "member", "member")
    await harness.process_pending()
    assert await _outbox(harness.store, GROUP_CHAT["id"]) == []


async def test_a_message_from_a_chat_marked_inactive_makes_it_active(
    harness: BotHarness,
) -> None:
    harness.api.bot_status_changes(GROUP_CHAT, ADA, "member", "kicked")
    await harness.process_pending()
    # Back in the group (the test skips the membership update): a command shows it.
    harness.api.blocked_chats.clear()
    [reply] = await harness.send("/start@briefbot_test_bot", chat=GROUP_CHAT)
    assert reply.chat_id == GROUP_CHAT["id"]
    known = await harness.store.chats.get(GROUP_CHAT["id"])
    assert known is not None
    assert (known.active, known.status) == (True, "member")


async def test_a_reply_to_a_chat_that_blocked_the_bot_drops_its_queue(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.store.outbox.enqueue([OutgoingMessage(PRIVATE_CHAT["id"], "alert", "1", "x")])
    harness.api.blocked_chats.add(PRIVATE_CHAT["id"])
    assert await harness.send("/today") == []
    known = await harness.store.chats.get(PRIVATE_CHAT["id"])
    assert known is not None
    assert not known.active
    assert await _outbox(harness.store, PRIVATE_CHAT["id"]) == [("alert", "1", "dropped")]
    assert _no_errors(caplog)
