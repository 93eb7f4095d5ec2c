"""/start, /help and the command menu."""

from __future__ import annotations

import pytest

from tests.fakes.botapi import BOT_USER
from tests.handlers.conftest import EVERYONE_COMMANDS, GROUP_CHAT, PRIVATE_CHAT, BotHarness


async def test_start_greets_in_three_lines(harness: BotHarness) -> None:
    [reply] = await harness.send("/start")
    lines = reply.text.splitlines()
    assert len(lines) == 3
    assert "/today" in reply.text
    assert "/help" in reply.text


async def test_help_lists_every_command(harness: BotHarness) -> None:
    [reply] = await harness.send("/help")
    assert reply.parse_mode == "HTML"
    for command in harness.api.commands:
        assert f"/{command['command']}" in reply.text


async def test_command_menu_is_registered_at_start(harness: BotHarness) -> None:
    assert {c["command"] for c in harness.api.commands} == EVERYONE_COMMANDS


async def test_commands_addressed_to_the_bot_work_in_groups(harness: BotHarness) -> None:
    [reply] = await harness.send(f"/start@{BOT_USER['username']}", chat=GROUP_CHAT)
    assert reply.chat_id == GROUP_CHAT["id"]
    assert "/today" in reply.text


async def test_commands_for_another_bot_are_ignored_in_groups(harness: BotHarness) -> None:
    assert await harness.send("/start@some_other_bot", chat=GROUP_CHAT) == []


async def test_every_chat_that_talks_to_the_bot_is_remembered(harness: BotHarness) -> None:
    await harness.send("/start@briefbot_test_bot", chat=GROUP_CHAT)
    known = await harness.store.chats.get(GROUP_CHAT["id"])
    assert known is not None
    assert (known.type, known.title, known.blocked) == ("supergroup", "Readers", False)


async def test_a_chat_that_blocked_the_bot_is_marked_and_not_answered(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.api.blocked_chats.add(PRIVATE_CHAT["id"])
    assert await harness.send("/start") == []
    known = await harness.store.chats.get(PRIVATE_CHAT["id"])
    assert known is not None
    assert known.blocked
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    harness.api.blocked_chats.clear()
    [greeting] = await harness.send("/start")
    assert "/today" in greeting.text
    unblocked = await harness.store.chats.get(PRIVATE_CHAT["id"])
    assert unblocked is not None
    assert not unblocked.blocked
