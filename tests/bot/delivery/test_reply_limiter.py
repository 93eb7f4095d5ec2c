"""The reply limiter on a real ExtBot against the strict fake Bot API, on a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram.error import ChatMigrated, Forbidden, RetryAfter
from telegram.ext import ExtBot

from bot.delivery.reply_limiter import ReplyLimiter
from briefing.outgoing import OutgoingMessage
from briefing.query import parse
from handlers.chats import ChatStatus
from storage.store import Store
from tests.fakes.botapi import TOKEN, ApiError, FakeBotApi
from tests.fakes.clock import FakeClock
from tests.fakes.request import RecordingRequest

CHAT_A: dict[str, Any] = {"id": -100111, "type": "supergroup", "title": "A"}
CHAT_B: dict[str, Any] = {"id": 222, "type": "private", "first_name": "B"}
USER: dict[str, Any] = {"id": 222, "is_bot": False, "first_name": "B"}


def _flood(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


@pytest.fixture
def api() -> FakeBotApi:
    api = FakeBotApi()
    for chat in (CHAT_A, CHAT_B):
        api.user_sends(chat, USER, "hello")  # Telegram knows both chats
    return api


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> ReplyLimiter:
    return ReplyLimiter(clock=clock.now, sleep=clock.sleep)


@pytest.fixture
async def bot(api: FakeBotApi, limiter: ReplyLimiter) -> AsyncIterator[ExtBot[dict[str, Any]]]:
    request = RecordingRequest(api)
    async with ExtBot(
        TOKEN, request=request, get_updates_request=request, rate_limiter=limiter
    ) as running:
        yield running


def _sends(api: FakeBotApi) -> list[tuple[int, str]]:
    return [(int(p["chat_id"]), p["text"]) for m, p in api.calls if m == "sendMessage"]


async def test_a_flood_wait_delays_only_its_own_chat(
    api: FakeBotApi, bot: ExtBot[dict[str, Any]], clock: FakeClock
) -> None:
    api.fail_next("sendMessage", _flood(5), chat_id=CHAT_A["id"])
    clock.hold.clear()
    to_a = asyncio.create_task(bot.send_message(CHAT_A["id"], "for A"))
    await clock.sleeping.wait()  # A is in its flood wait
    await bot.send_message(CHAT_B["id"], "for B")
    assert not to_a.done()
    clock.hold.set()
    sent = await to_a
    assert sent.text == "for A"
    assert _sends(api) == [
        (CHAT_A["id"], "for A"),
        (CHAT_B["id"], "for B"),
        (CHAT_A["id"], "for A"),
    ]
    assert clock.sleeps == [5.0]
    assert clock.time == 5.0


async def test_later_requests_of_the_waiting_chat_wait_too(
    api: FakeBotApi, bot: ExtBot[dict[str, Any]], clock: FakeClock
) -> None:
    api.fail_next("sendMessage", _flood(4), chat_id=CHAT_A["id"])
    clock.hold.clear()
    first = asyncio.create_task(bot.send_message(CHAT_A["id"], "first"))
    await clock.sleeping.wait()
    second = asyncio.create_task(bot.send_message(CHAT_A["id"], "second"))
    await bot.send_message(CHAT_B["id"], "for B")
    clock.hold.set()
    await asyncio.gather(first, second)
    texts = [text for chat, text in _sends(api)]
    assert texts[:2] == ["first", "for B"]
    assert sorted(texts[2:]) == ["first", "second"]
    assert clock.sleeps == [4.0, 4.0]  # each of A's requests waited out the same flood wait
    assert clock.time == 4.0


async def test_retries_are_bounded_then_the_flood_wait_is_raised(
    api: FakeBotApi, bot: ExtBot[dict[str, Any]], clock: FakeClock
) -> None:
    for _ in range(3):
        api.fail_next("sendMessage", _flood(2), chat_id=CHAT_A["id"])
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT_A["id"], "for A")
    assert len(_sends(api)) == 3
    assert clock.sleeps == [2.0, 2.0]


async def test_outbox_sends_pass_straight_through(
    api: FakeBotApi, bot: ExtBot[dict[str, Any]], clock: FakeClock
) -> None:
    api.fail_next("sendMessage", _flood(9), chat_id=CHAT_A["id"])
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT_A["id"], "alert", rate_limit_args={"outbox": True})
    assert len(_sends(api)) == 1
    assert clock.sleeps == []


async def test_a_send_to_a_chat_that_blocked_the_bot_marks_that_chat(
    api: FakeBotApi, bot: ExtBot[dict[str, Any]], limiter: ReplyLimiter, store: Store
) -> None:
    limiter.report_to(ChatStatus(store))
    for chat in (CHAT_A, CHAT_B):
        await store.chats.seen(chat["id"], chat["type"], "x")
    await store.outbox.enqueue([OutgoingMessage(CHAT_B["id"], "alert", "1", "x")])
    api.blocked_chats.add(CHAT_B["id"])
    with pytest.raises(Forbidden):
        await bot.send_message(CHAT_B["id"], "hello")
    b, a = await store.chats.get(CHAT_B["id"]), await store.chats.get(CHAT_A["id"])
    assert b is not None
    assert a is not None
    assert (b.active, a.active) == (False, True)
    async with store.database.connection.execute("SELECT state FROM outbox") as cursor:
        assert [row["state"] async for row in cursor] == ["dropped"]


async def test_a_group_that_moved_goes_on_under_its_new_id(
    api: FakeBotApi, bot: ExtBot[dict[str, Any]], limiter: ReplyLimiter, store: Store
) -> None:
    limiter.report_to(ChatStatus(store))
    await store.chats.seen(CHAT_A["id"], "group", "A")
    await store.outbox.enqueue([OutgoingMessage(CHAT_A["id"], "alert", "1", "x")])
    await store.subscriptions.subscribe(CHAT_A["id"], parse("harbour"), "harbour")
    moved = ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=-100999,
    )
    api.fail_next("sendMessage", moved, chat_id=CHAT_A["id"])
    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(CHAT_A["id"], "hello")
    assert raised.value.new_chat_id == -100999
    assert await store.chats.get(CHAT_A["id"]) is None
    supergroup = await store.chats.get(-100999)
    assert supergroup is not None
    assert supergroup.active
    assert [t.label for t in await store.subscriptions.topics(-100999)] == ["harbour"]
    async with store.database.connection.execute("SELECT chat_id, state FROM outbox") as cursor:
        assert [tuple(row) async for row in cursor] == [(-100999, "pending")]
