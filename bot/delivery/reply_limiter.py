"""The rate limiter of every Bot API call the handlers make.

A flood wait (429, ``RetryAfter``) belongs to the chat that was written to: that chat's
requests wait exactly ``retry_after`` and are retried (at most :data:`MAX_RETRIES` times),
while requests to every other chat go on at once. The waiting happens here, per chat, so
no handler sleeps for another chat's limit.

It is also where a failed send is classified, because only here is it known which chat a
request was written to (``data["chat_id"]``), whatever handler or error path made it:
every failed request with a chat id goes to :class:`ChatEvents`, which records a chat
that blocked the bot, removed it or moved. The error is raised on unchanged; the error
handler then only logs it. Calls made with ``rate_limit_args={"outbox": True}`` (the
outbox sender, which paces, retries and classifies by itself) pass straight through.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeAlias

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

MAX_RETRIES = 2
RateLimitArgs: TypeAlias = dict[str, Any]
Result: TypeAlias = bool | JSONDict | list[JSONDict]


class ChatEvents(Protocol):
    """Learns from failed sends about the chat written to (``handlers.chats.ChatStatus``)."""

    async def send_failed(self, chat_id: int, error: TelegramError) -> None:
        """A request to ``chat_id`` failed with ``error`` (never ``RetryAfter``)."""
        ...


# What the outbox sender passes as rate_limit_args: it paces and retries by itself.
OUTBOX_SEND: dict[str, Any] = {"outbox": True}


class ReplyLimiter(BaseRateLimiter[RateLimitArgs]):
    """Per-chat flood waits with bounded retries; see the module docstring.

    Args:
        clock: seconds on a monotonic scale (tests pass a fake one).
        sleep: waits that many seconds (tests pass one that advances the fake clock).
    """

    def __init__(
        self,
        *,
        max_retries: int = MAX_RETRIES,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._max_retries = max_retries
        self._clock = clock
        self._sleep = sleep
        self._ready_at: dict[int | str | None, float] = {}
        self._events: ChatEvents | None = None

    def report_to(self, events: ChatEvents) -> None:
        """Tell ``events`` what failed sends say about their chats (set in post_init)."""
        self._events = events

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Forget the flood waits."""
        self._ready_at.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> Result:
        """Call ``callback`` once this chat's flood wait is over; retry after a new one."""
        if rate_limit_args and rate_limit_args.get("outbox"):
            return await callback(*args, **kwargs)
        chat = _chat_key(data.get("chat_id"))
        attempt = 0
        while True:
            await self._wait_for(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = error._retry_after.total_seconds()  # the int/timedelta property warns
                self._ready_at[chat] = max(self._ready_at.get(chat, 0.0), self._clock() + wait)
                if attempt >= self._max_retries:
                    logger.warning("%s to chat %s: still flood-limited, giving up", endpoint, chat)
                    raise
                attempt += 1
                logger.info("%s to chat %s: flood wait of %ss", endpoint, chat, wait)
            except TelegramError as error:
                await self._classify(chat, error)
                raise

    async def _wait_for(self, chat: int | str | None) -> None:
        # A loop: another request of this chat may have met a longer wait meanwhile.
        while (wait := self._ready_at.get(chat, 0.0) - self._clock()) > 0:
            await self._sleep(wait)
        self._ready_at.pop(chat, None)

    async def _classify(self, chat: int | str | None, error: TelegramError) -> None:
        if not isinstance(chat, int) or self._events is None:
            return
        try:
            await self._events.send_failed(chat, error)
        except Exception:  # recording must never hide the error of the send itself
            logger.exception("could not record what a send to chat %s said", chat)


def _chat_key(chat_id: object) -> int | str | None:
    """Chat ids arrive as int or str (``@channel`` names, or digits)."""
    if isinstance(chat_id, int) or chat_id is None:
        return chat_id
    text = str(chat_id)
    return int(text) if text.lstrip("-").isdigit() else text
