"""The sender against the strict fake Bot API, through PTB's real Bot and a recording request.

Nothing here sleeps: each test awaits the sender's ``drained()`` (nothing pending, nothing in
flight), bounded by a timeout that only a broken sender reaches.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import ExtBot
from telegram.request import RequestData

from bot.delivery.outcomes import RetryPolicy
from bot.delivery.reply_limiter import ReplyLimiter
from bot.delivery.sender import Sender
from briefing.models import Block, BlockKind, Briefing, Story
from briefing.outgoing import Button, OutgoingMessage
from briefing.pacing import Limits, Pacer
from storage.store import Store
from tests.fakes.botapi import TOKEN, ApiError, FakeBotApi, FloodLimits
from tests.fakes.request import RecordingRequest

ADA = 4242
BOB = 5151
GROUP = -777
SUPERGROUP = -100777
DRAIN_TIMEOUT = 30.0
FAST_RETRIES = RetryPolicy(max_attempts=3, first_delay=0.01, max_delay=0.05)
# Where pacing is not the point: Telegram's limits would only make the test slower.
LOOSE = Limits(global_rate=1000.0, private_burst=100, group_spacing=0.0)


class TimedRequest(RecordingRequest):
    """Also notes when each call arrived, on the monotonic clock."""

    def __init__(self, api: FakeBotApi) -> None:
        super().__init__(api)
        self.arrivals: list[tuple[float, str, int | None]] = []

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        params = request_data.json_parameters if request_data else {}
        chat = params.get("chat_id")
        method_name = url.rsplit("/", 1)[-1]
        self.arrivals.append((time.monotonic(), method_name, int(chat) if chat else None))
        return await super().do_request(url, method, request_data)


@pytest.fixture
def api() -> FakeBotApi:
    fake = FakeBotApi()
    fake.add_chats(
        {"id": ADA, "type": "private", "first_name": "Ada"},
        {"id": BOB, "type": "private", "first_name": "Bob"},
        {"id": GROUP, "type": "group", "title": "Readers"},
    )
    return fake


@pytest.fixture
def request_(api: FakeBotApi) -> TimedRequest:
    return TimedRequest(api)


@asynccontextmanager
async def running_sender(
    store: Store, request: TimedRequest, **options: Any
) -> AsyncIterator[Sender]:
    """A started sender on PTB's ExtBot; stopped after the block."""
    bot: ExtBot[Any] = ExtBot(TOKEN, request=request, rate_limiter=ReplyLimiter())
    async with bot:
        defaults: dict[str, Any] = {"policy": FAST_RETRIES, "pacer": Pacer(LOOSE)}
        sender = Sender(store, bot, **{**defaults, **options})
        store.outbox.on_enqueue(sender.wake)
        sender.start()
        try:
            yield sender
        finally:
            await sender.stop()


async def drained(sender: Sender) -> None:
    async with asyncio.timeout(DRAIN_TIMEOUT):
        await sender.drained()


def _message(chat_id: int, key: str, text: str | None = None, **extra: Any) -> OutgoingMessage:
    return OutgoingMessage(chat_id, "alert", key, text or f"<b>{key}</b> for {chat_id}", **extra)


async def _rows(store: Store) -> list[tuple[Any, ...]]:
    async with store.database.connection.execute(
        "SELECT chat_id, item_key, state, attempts, error FROM outbox ORDER BY id"
    ) as cursor:
        return [tuple(row) async for row in cursor]


async def test_queued_messages_go_with_their_buttons_and_link_to_their_story(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    blocks = (Block(BlockKind.PARAGRAPH, "Text."),)
    saved = await store.briefings.save(Briefing("k", "Daily", (Story("Lead", blocks),)))
    saved_id = saved.briefing_id
    buttons = ((Button("Open", "story:1"), Button("Site", url="https://example.org/")),)
    await store.outbox.enqueue(
        [
            _message(ADA, "a", "<b>Alert</b> &amp; more", buttons=buttons, briefing_id=saved_id),
            _message(BOB, "b"),
        ]
    )
    async with running_sender(store, request_) as sender:
        await drained(sender)
    ada = next(s for s in api.sent if s.chat_id == ADA)
    assert ada.text == "Alert & more"
    assert ada.parse_mode == "HTML"
    assert ada.buttons == [
        [
            {"text": "Open", "callback_data": "story:1"},
            {"text": "Site", "url": "https://example.org/"},
        ]
    ]
    link = await store.chats.linked(ADA, ada.message_id)
    assert link is not None
    assert link.briefing_id == saved.briefing_id
    assert [row[2] for row in await _rows(store)] == ["sent", "sent"]
    assert (await store.outbox.counts()).by_state["sent"] == 2


async def test_a_chat_gets_its_messages_in_order_and_a_poke_wakes_the_sender(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    async with running_sender(store, request_, idle_poll=3600.0) as sender:
        await drained(sender)
        await store.outbox.enqueue([_message(ADA, str(n)) for n in range(5)])
        await drained(sender)
    assert [s.html for s in api.sent] == [f"<b>{n}</b> for {ADA}" for n in range(5)]


async def test_network_errors_and_5xx_are_retried_then_end_with_the_error(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    api.fail_next("sendMessage", ApiError(502, "Bad Gateway"))
    api.fail_next("sendMessage", ApiError(500, "Internal Server Error"))
    await store.outbox.enqueue([_message(ADA, "a")])
    async with running_sender(store, request_) as sender:
        await drained(sender)
        for _ in range(3):
            api.fail_next("sendMessage", ApiError(502, "Bad Gateway"))
        await store.outbox.enqueue([_message(ADA, "b")])
        await drained(sender)
    rows = await _rows(store)
    assert rows[0][:4] == (ADA, "a", "sent", 3)
    assert rows[1][:4] == (ADA, "b", "failed", 3)
    assert rows[1][4] == "NetworkError: Bad Gateway (gave up after 3 attempts)"
    assert len(api.sent) == 1


async def test_retry_after_holds_only_the_chat_it_concerns_and_exactly_as_long(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    api.fail_next("sendMessage", ApiError(429, "Too Many Requests: retry after 1", retry_after=1))
    await store.outbox.enqueue([_message(ADA, "a"), _message(BOB, "b")])
    async with running_sender(store, request_) as sender:
        await drained(sender)
    sends = [(at, chat) for at, method, chat in request_.arrivals if method == "sendMessage"]
    assert [chat for _, chat in sends] == [ADA, BOB, ADA]
    refused_at, retried_at = sends[0][0], sends[2][0]
    assert retried_at - refused_at >= 1.0
    assert sends[1][0] < refused_at + 1.0  # Bob did not wait for Ada's flood limit
    assert [s.chat_id for s in api.sent] == [BOB, ADA]


async def test_a_chat_that_blocked_the_bot_is_marked_and_its_messages_dropped(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    await store.chats.seen(ADA, "private", None)
    api.blocked_chats.add(ADA)
    await store.outbox.enqueue([_message(ADA, "a"), _message(ADA, "b"), _message(BOB, "c")])
    async with running_sender(store, request_) as sender:
        await drained(sender)
    chat = await store.chats.get(ADA)
    assert chat is not None
    assert chat.blocked
    rows = await _rows(store)
    assert [row[2] for row in rows] == ["dropped", "dropped", "sent"]
    assert rows[0][4] == "Forbidden: bot was blocked by the user"
    assert [s.chat_id for s in api.sent] == [BOB]
    assert sum(1 for _, method, chat in request_.arrivals if chat == ADA) == 1


async def test_a_group_that_became_a_supergroup_is_followed(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    await store.chats.seen(GROUP, "group", "Readers")
    api.upgrade_group(GROUP, SUPERGROUP)
    await store.outbox.enqueue([_message(GROUP, "a"), _message(GROUP, "b")])
    async with running_sender(store, request_) as sender:
        await drained(sender)
    assert [s.chat_id for s in api.sent] == [SUPERGROUP, SUPERGROUP]
    assert await store.chats.get(GROUP) is None
    assert await store.chats.get(SUPERGROUP) is not None
    assert [row[:3] for row in await _rows(store)] == [
        (SUPERGROUP, "a", "sent"),
        (SUPERGROUP, "b", "sent"),
    ]


async def test_a_bad_request_ends_that_message_only(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    await store.outbox.enqueue(
        [_message(ADA, "long", "x" * 5000), _message(ADA, "next"), _message(4343, "nobody")]
    )
    async with running_sender(store, request_) as sender:
        await drained(sender)
    rows = await _rows(store)
    assert [row[2] for row in rows] == ["failed", "sent", "failed"]
    assert rows[0][4] == "BadRequest: Message is too long"
    assert rows[2][4] == "BadRequest: Chat not found"
    assert (await store.outbox.counts()).errors == [
        ("BadRequest: Chat not found", 1),
        ("BadRequest: Message is too long", 1),
    ]


async def test_paced_sends_stay_within_telegrams_limits(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    api.flood_limits = FloodLimits()
    await store.outbox.enqueue(
        [_message(ADA, f"a{n}") for n in range(5)] + [_message(GROUP, f"g{n}") for n in range(3)]
    )
    async with running_sender(store, request_, pacer=Pacer()) as sender:
        await drained(sender)
    assert api.flood_refusals == 0
    assert len(api.sent) == 8


async def test_after_stop_nothing_more_is_sent(
    store: Store, api: FakeBotApi, request_: TimedRequest
) -> None:
    async with running_sender(store, request_) as sender:
        await drained(sender)
    await store.outbox.enqueue([_message(ADA, "late")])
    assert api.sent == []
    assert (await store.outbox.counts()).by_state["pending"] == 1
