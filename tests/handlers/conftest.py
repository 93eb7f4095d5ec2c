"""A real Application with a recording transport, fed real Update objects."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.warnings import PTBUserWarning

from bot.app import build_application
from bot.delivery.reply_limiter import ReplyLimiter
from bot.settings import Settings
from handlers.context import BotApplication
from storage.store import Store
from tests.fakes.botapi import TOKEN, FakeBotApi, JSONDict, Sent
from tests.fakes.clock import FakeClock
from tests.fakes.http_server import HttpServer, serve_http
from tests.fakes.request import RecordingRequest

PRIVATE_CHAT: dict[str, Any] = {"id": 4242, "type": "private", "first_name": "Ada"}
ADA: dict[str, Any] = {"id": 4242, "is_bot": False, "first_name": "Ada", "language_code": "en"}
GROUP_CHAT: dict[str, Any] = {"id": -100777, "type": "supergroup", "title": "Readers"}
BOB_CHAT: dict[str, Any] = {"id": 5151, "type": "private", "first_name": "Bob"}
BOB: dict[str, Any] = {"id": 5151, "is_bot": False, "first_name": "Bob", "language_code": "en"}
# The command menu everyone sees (admins get theirs on top, in their own chat's menu).
EVERYONE_COMMANDS = {
    "today",
    "briefing",
    "search",
    "sources",
    "subscribe",
    "topics",
    "unsubscribe",
    "daily",
    "timezone",
    "settings",
    "delete",
    "notify",
    "help",
    "start",
}
SETTLE_TIMEOUT = 30.0


@dataclass
class BotHarness:
    """Drive the bot like Telegram would, and read back what it sent."""

    application: BotApplication
    api: FakeBotApi
    next_offset: int = field(default=1)

    @property
    def store(self) -> Store:
        return self.application.bot_data.store

    async def send(
        self, text: str, chat: dict[str, Any] = PRIVATE_CHAT, user: dict[str, Any] = ADA
    ) -> list[Sent]:
        """A user sends ``text``; returns the messages the bot sent in answer."""
        self.api.user_sends(chat, user, text)
        return await self.process_pending()

    async def reply(
        self, to: Sent, text: str, chat: dict[str, Any] = PRIVATE_CHAT, user: dict[str, Any] = ADA
    ) -> list[Sent]:
        """A user replies to a message the bot sent."""
        self.api.user_replies(chat, user, text, to)
        return await self.process_pending()

    async def press(self, message: Sent, data: str, user: dict[str, Any] = ADA) -> list[Sent]:
        """A user presses a button with ``data`` under ``message``."""
        self.api.user_presses(user, message, data)
        return await self.process_pending()

    async def inline(self, query: str, offset: str = "", user: dict[str, Any] = ADA) -> JSONDict:
        """A user types ``@bot query`` in any chat; returns the bot's answerInlineQuery."""
        before = len(self.api.inline_answers)
        self.api.user_queries_inline(user, query, offset)
        await self.process_pending()
        [answer] = self.api.inline_answers[before:]
        return answer

    async def process_pending(self) -> list[Sent]:
        """Hand every queued update to the Application; returns what the bot sent."""
        before = len(self.api.sent)
        for data in self.api.take_updates(self.next_offset, 0):
            self.next_offset = data["update_id"] + 1
            with warnings.catch_warnings():
                # The application is not started here: settle() awaits its handlers' tasks.
                warnings.filterwarnings("ignore", "Tasks created via", PTBUserWarning)
                await self.application.process_update(Update.de_json(data, self.application.bot))
        await self.settle()
        return self.api.sent[before:]

    async def settle(self) -> None:
        """Wait for the tasks the bot started (``block=False`` handlers, polls) to finish.

        The harness starts neither the updater nor the job queue, so every other task on
        the loop was started by the bot.
        """
        current = asyncio.current_task()
        async with asyncio.timeout(SETTLE_TIMEOUT):
            while pending := [t for t in asyncio.all_tasks() if t is not current and not t.done()]:
                await asyncio.wait(pending)


def harness_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a harness: a fresh database in ``tmp_path``, Berlin time, and sources
    allowed on 127.0.0.1 (where the tests serve them)."""
    values: dict[str, Any] = {
        "token": TOKEN,
        "database": tmp_path / "bot.sqlite3",
        "timezone": "Europe/Berlin",
        "allow_private_sources": True,
        **overrides,
    }
    return Settings(**values)


@asynccontextmanager
async def running_harness(
    settings: Settings, *, poll_sources: bool = False, limiter: ReplyLimiter | None = None
) -> AsyncIterator[BotHarness]:
    """The application for ``settings`` between its post_init and its post_shutdown."""
    api = FakeBotApi()
    application = build_application(
        settings, request=RecordingRequest(api), poll_sources=poll_sources, limiter=limiter
    )
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        try:
            yield BotHarness(application, api)
        finally:
            assert application.post_shutdown is not None
            await application.post_shutdown(application)


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot as the console chat builds it: no source polling, no admins."""
    async with running_harness(harness_settings(tmp_path)) as running:
        yield running


@pytest.fixture
async def admin_harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The bot as ``briefbot run`` builds it (sources managed), with Ada as its admin."""
    settings = harness_settings(tmp_path, admin_ids=frozenset({ADA["id"]}))
    async with running_harness(settings, poll_sources=True) as running:
        yield running


@pytest.fixture
def clock() -> FakeClock:
    """The reply limiter's time: flood waits pass at once, and are recorded."""
    return FakeClock()


@pytest.fixture
async def clocked_harness(tmp_path: Path, clock: FakeClock) -> AsyncIterator[BotHarness]:
    """The console chat's bot, its reply limiter on ``clock``."""
    limiter = ReplyLimiter(clock=clock.now, sleep=clock.sleep)
    async with running_harness(harness_settings(tmp_path), limiter=limiter) as running:
        yield running


@pytest.fixture
def feed_server() -> Iterator[HttpServer]:
    """A real HTTP server on 127.0.0.1 for the sources the tests add."""
    with serve_http() as running:
        yield running
