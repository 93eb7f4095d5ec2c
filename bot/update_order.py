"""Updates processed concurrently, yet in order within each chat."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

RUNNING = 64
WAITING = 4096


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs up to ``running`` updates at once; the updates of one chat one after another.

    An update waits for the previous update of its chat (``effective_chat``) to finish, so
    a chat sees its answers in the order it asked; updates without a chat are not ordered.
    Waiting updates take no running slot: a chat with a long queue (or a flood wait) never
    holds back the others. PTB's own bound (``max_concurrent_updates``) caps the updates
    held here at all, waiting or running, at ``waiting``.

    Order holds because PTB starts one task per update, in the order they arrive, and each
    task takes its place in its chat's queue before it first waits.
    """

    def __init__(self, running: int = RUNNING, waiting: int = WAITING) -> None:
        super().__init__(max(running, waiting))
        self._running = asyncio.BoundedSemaphore(running)
        self._last: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once the earlier updates of its chat are done."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._running:
                await coroutine
            return
        previous = self._last.get(chat.id)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last[chat.id] = done
        try:
            if previous is not None:
                await asyncio.shield(previous)  # a cancelled waiter must not cancel it
            async with self._running:
                await coroutine
        finally:
            if inspect.iscoroutine(coroutine) and inspect.getcoroutinestate(coroutine) == (
                inspect.CORO_CREATED
            ):
                coroutine.close()  # cancelled before its turn: never started
            if not done.done():
                done.set_result(None)
            if self._last.get(chat.id) is done:
                del self._last[chat.id]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free; PTB waits for the running updates itself."""
