"""The Application built to deliver starts the sender in post_init and stops it cleanly."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import build_application
from bot.delivery.sender import Sender
from briefing.outgoing import OutgoingMessage
from tests.fakes.botapi import FakeBotApi
from tests.fakes.request import RecordingRequest
from tests.handlers.conftest import PRIVATE_CHAT, harness_settings


async def test_a_delivering_application_sends_what_is_queued(tmp_path: Path) -> None:
    api = FakeBotApi()
    api.add_chats(PRIVATE_CHAT)
    application = build_application(
        harness_settings(tmp_path), request=RecordingRequest(api), deliver=True
    )
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        sender = application.bot_data.delivery
        assert isinstance(sender, Sender)
        alert = OutgoingMessage(PRIVATE_CHAT["id"], "alert", "1", "<i>New</i> on your topic")
        await application.bot_data.store.outbox.enqueue([alert])
        async with asyncio.timeout(30):
            await sender.drained()
        assert application.post_stop is not None
        assert application.post_shutdown is not None
        await application.post_stop(application)
        await application.post_shutdown(application)
    assert [s.text for s in api.sent] == ["New on your topic"]
