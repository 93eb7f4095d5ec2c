"""A real Application with a recording transport, fed real Update objects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.settings import Settings
from handlers.context import BotApplication
from storage.store import Store
from tests.fakes.botapi import TOKEN, FakeBotApi, Sent
from tests.fakes.request import RecordingRequest

PRIVATE_CHAT = {"id": 4242, "type": "private", "first_name": "Ada"}
ADA = {"id": 4242, "is_bot": False, "first_name": "Ada", "language_code": "en"}
GROUP_CHAT = {"id": -100777, "type": "supergroup", "title": "Readers"}


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

    async def process_pending(self) -> list[Sent]:
        """Hand every queued update to the Application; returns what the bot sent."""
        before = len(self.api.sent)
        for data in self.api.take_updates(self.next_offset, 0):
            self.next_offset = data["update_id"] + 1
            await self.application.process_update(Update.de_json(data, self.application.bot))
        return self.api.sent[before:]


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    settings = Settings(token=TOKEN, database=tmp_path / "bot.sqlite3", timezone="Europe/Berlin")  # type: ignore[arg-type]
    api = FakeBotApi()
    application = build_application(settings, request=RecordingRequest(api))
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        yield BotHarness(application, api)
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
