"""The sender: takes due messages from the outbox and sends them, paced, one per chat at once.

Durability comes from the outbox: a message stays ``pending`` until Telegram's answer is
recorded, so after a crash everything pending is sent, and only a message that was in flight
(at most one per chat) may be sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.delivery.outcomes import (
    Blocked,
    Migrated,
    Outcome,
    Permanent,
    RetryPolicy,
    Transient,
    classify,
)
from bot.delivery.reply_limiter import OUTBOX_SEND
from briefing.outgoing import OutgoingMessage
from briefing.pacing import Pacer
from storage.outbox import QueuedMessage
from storage.store import Store
from storage.timestamps import utc_now

logger = logging.getLogger(__name__)

BATCH = 500  # chats' next messages read at once
IDLE_POLL_SECONDS = 30.0  # look at the outbox this often even when nobody pokes
STOP_TIMEOUT_SECONDS = 10.0  # in-flight sends get this long to finish at shutdown
PRUNE_SECONDS = 30.0
RESTART_SECONDS = 5.0  # after an unexpected error in the loop itself


class Sender:
    """The delivery service of one process: :meth:`start` in post_init, :meth:`stop` in
    post_shutdown; :meth:`wake` when something was queued."""

    def __init__(
        self,
        store: Store,
        bot: ExtBot[Any],
        *,
        pacer: Pacer | None = None,
        policy: RetryPolicy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = utc_now,
        batch: int = BATCH,
        idle_poll: float = IDLE_POLL_SECONDS,
        stop_timeout: float = STOP_TIMEOUT_SECONDS,
    ) -> None:
        self._store = store
        self._bot = bot
        self._pacer = pacer or Pacer()
        self._policy = policy or RetryPolicy()
        self._monotonic = monotonic
        self._clock = clock
        self._batch = batch
        self._idle_poll = idle_poll
        self._stop_timeout = stop_timeout
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._drained = asyncio.Event()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._task: asyncio.Task[None] | None = None
        self._pruned_at = monotonic()

    def start(self) -> None:
        """Start sending in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next poll."""
        self._drained.clear()
        self._wake.set()

    async def drained(self) -> None:
        """Wait until nothing is pending in the outbox and nothing is in flight."""
        await self._drained.wait()

    async def stop(self) -> None:
        """Stop taking messages; give in-flight sends ``stop_timeout`` to finish.

        A send cut off here stays pending and goes again at the next start.
        """
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        tasks = list(self._in_flight.values())
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=self._stop_timeout)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            logger.warning("outbox: %d sends cut off at shutdown; they go again", len(late))

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._loop()
            except Exception as error:  # e.g. the database is locked: say so, go on later
                logger.error(
                    "outbox sender: %s: %s; again in %.0fs",
                    type(error).__name__,
                    error,
                    RESTART_SECONDS,
                )
                await self._sleep(RESTART_SECONDS)

    async def _loop(self) -> None:
        buffer: list[QueuedMessage] = []
        while not self._stopping.is_set():
            index, earliest = self._pick(buffer)
            if index is None:
                self._wake.clear()
                buffer = await self._store.outbox.due(
                    self._clock(), limit=self._batch, skip_chats=set(self._in_flight)
                )
                self._prune()
                index, earliest = self._pick(buffer)
                if index is None:
                    await self._idle(earliest, refreshed=not buffer)
                    continue
            gap = self._pacer.global_ready_at() - self._monotonic()
            if gap > 0:
                await self._sleep(gap)
                continue
            self._launch(buffer.pop(index))

    def _pick(self, buffer: list[QueuedMessage]) -> tuple[int | None, float]:
        """The first buffered message whose chat may be written to now, else the earliest
        time one may."""
        now = self._monotonic()
        earliest = math.inf
        for index, queued in enumerate(buffer):
            chat_id = queued.message.chat_id
            if chat_id in self._in_flight:
                continue
            ready = self._pacer.chat_ready_at(chat_id, now)
            if ready <= now:
                return index, now
            earliest = min(earliest, ready)
        return None, earliest

    async def _idle(self, earliest: float, *, refreshed: bool) -> None:
        """Nothing may go now: wait for a chat's turn, a finished send, a poke, a retry."""
        timeout = min(self._idle_poll, earliest - self._monotonic())
        # With sends in flight their chats' messages count as due: each finished send wakes.
        if refreshed and not self._in_flight:
            due_at = await self._store.outbox.next_due_at()
            if due_at is None:
                if not self._wake.is_set():  # else something was queued since the refresh
                    self._drained.set()
            else:
                timeout = min(timeout, (due_at - self._clock()).total_seconds())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, timeout))

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    def _prune(self) -> None:
        now = self._monotonic()
        if now - self._pruned_at >= PRUNE_SECONDS:
            self._pacer.prune(now)
            self._pruned_at = now

    def _launch(self, queued: QueuedMessage) -> None:
        chat_id = queued.message.chat_id
        self._pacer.record(chat_id, self._monotonic())
        self._drained.clear()
        self._in_flight[chat_id] = asyncio.create_task(
            self._deliver(queued), name=f"outbox-{queued.id}"
        )

    async def _deliver(self, queued: QueuedMessage) -> None:
        """Send one message and record the answer; never raises."""
        message = queued.message
        try:
            try:
                sent = await self._bot.send_message(
                    message.chat_id,
                    message.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=_keyboard(message),
                    rate_limit_args=OUTBOX_SEND,
                )
            except Exception as error:
                await self._failed(queued, classify(error))
            else:
                await self._store.outbox.mark_sent(queued.id, sent.message_id, now=self._clock())
        except Exception as error:  # recording failed (the database went away): stays pending
            logger.error(
                "outbox message %d: not recorded: %s: %s", queued.id, type(error).__name__, error
            )
        finally:
            del self._in_flight[message.chat_id]
            self._wake.set()

    async def _failed(self, queued: QueuedMessage, outcome: Outcome) -> None:
        outbox = self._store.outbox
        chat_id = queued.message.chat_id
        if isinstance(outcome, Migrated):
            logger.info("outbox: chat %d is now %d; moving it", chat_id, outcome.new_chat_id)
            await self._store.chats.migrate(chat_id, outcome.new_chat_id)
        elif isinstance(outcome, Blocked):
            await self._store.chats.mark_blocked(chat_id)
            dropped = await outbox.drop_pending(chat_id, outcome.error)
            logger.info("outbox: chat %d: %s; %d dropped", chat_id, outcome.error, dropped)
        elif isinstance(outcome, Permanent):
            logger.warning("outbox message %d to %d: %s", queued.id, chat_id, outcome.error)
            await outbox.fail(queued.id, outcome.error)
        else:
            await self._retry(queued, outcome)

    async def _retry(self, queued: QueuedMessage, outcome: Transient) -> None:
        attempts = queued.attempts + 1
        if attempts >= self._policy.max_attempts:
            error = f"{outcome.error} (gave up after {attempts} attempts)"
            logger.warning("outbox message %d: %s", queued.id, error)
            await self._store.outbox.fail(queued.id, error)
            return
        if outcome.wait is not None:
            # Honour retry_after exactly, and for this chat only.
            wait = outcome.wait
            self._pacer.hold(queued.message.chat_id, self._monotonic() + wait)
        else:
            wait = self._policy.delay(attempts)
        logger.info("outbox message %d: %s; again in %.1fs", queued.id, outcome.error, wait)
        at = self._clock() + timedelta(seconds=wait)
        await self._store.outbox.retry_later(queued.id, outcome.error, at=at)


def _keyboard(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
            for row in message.buttons
        ]
    )
