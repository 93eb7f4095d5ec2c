"""/daily, /timezone and /settings through real updates, with the bot's clock set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.daily import DailyTicker
from handlers.commands import bot_commands
from handlers.settings import ZONE_USAGE
from storage.chat_settings import ChatSettings
from tests.bot.test_daily import CountingEditions, SetClock
from tests.fakes.botapi import Sent
from tests.handlers.conftest import ADA, GROUP_CHAT, PRIVATE_CHAT, BotHarness

CHAT = PRIVATE_CHAT["id"]
NOW = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)  # 06:00 in Berlin, the harness's default zone
TIME_FORMAT = "A time is HH:MM on a 24-hour clock, from 00:00 to 23:59, e.g. /daily 07:30."


@pytest.fixture
def clocked(harness: BotHarness) -> BotHarness:
    harness.application.bot_data.clock = SetClock(NOW)
    return harness


async def test_daily_sets_the_time_in_the_bot_zone_and_says_when(clocked: BotHarness) -> None:
    [reply] = await clocked.send("/daily 07:30")
    assert reply.text == (
        "🗞 Daily edition: every day at 07:30; the next one on Wed 2 Dec at 07:30."
        " /daily off stops it."
    )
    assert await clocked.store.chat_settings.get(CHAT) == ChatSettings(
        CHAT, None, "07:30", None, datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
    )


async def test_a_time_already_past_today_is_first_due_tomorrow(clocked: BotHarness) -> None:
    [reply] = await clocked.send("/daily 5:45")
    assert "the next one on Thu 3 Dec at 05:45" in reply.text
    settings = await clocked.store.chat_settings.get(CHAT)
    assert settings.next_daily_at == datetime(2026, 12, 3, 4, 45, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["25:00", "7", "noon", "07:30 pm", "<b>7</b>"])
async def test_a_bad_time_gets_one_line_with_the_format(clocked: BotHarness, typed: str) -> None:
    [reply] = await clocked.send(f"/daily {typed}")
    assert reply.text == TIME_FORMAT
    assert await clocked.store.chat_settings.get(CHAT) == ChatSettings(CHAT)


async def test_daily_alone_shows_the_state_and_the_usage(clocked: BotHarness) -> None:
    [reply] = await clocked.send("/daily")
    assert reply.text.startswith("🗞 Daily edition: off.\nSend /daily HH:MM")
    assert "/daily off stops it" in reply.text


async def test_daily_off_stops_it(clocked: BotHarness) -> None:
    await clocked.send("/daily 07:30")
    [off] = await clocked.send("/daily off")
    assert off.text == "🗞 Daily edition off. /daily HH:MM turns it on again."
    assert await clocked.store.chat_settings.due(NOW + timedelta(days=3)) == []
    [again] = await clocked.send("/daily OFF")
    assert again.text.startswith("The daily edition is already off.")


async def test_timezone_moves_the_next_edition_to_that_zone(clocked: BotHarness) -> None:
    await clocked.send("/daily 07:30")
    [reply] = await clocked.send("/timezone america/new_york")
    assert reply.text == (
        "🕰 Time zone: America/New_York; it is 00:00 there now."
        " 🗞 Daily edition: every day at 07:30; the next one on Wed 2 Dec at 07:30."
    )
    settings = await clocked.store.chat_settings.get(CHAT)
    assert settings.timezone == "America/New_York"
    assert settings.next_daily_at == datetime(2026, 12, 2, 12, 30, tzinfo=UTC)


async def test_timezone_takes_an_offset_and_default(clocked: BotHarness) -> None:
    [reply] = await clocked.send("/timezone UTC+2")
    assert reply.text == "🕰 Time zone: UTC+02:00; it is 07:00 there now."
    [back] = await clocked.send("/timezone default")
    assert back.text == "🕰 Time zone: Europe/Berlin (the bot's default); it is 06:00 there now."
    assert (await clocked.store.chat_settings.get(CHAT)).timezone is None


@pytest.mark.parametrize("typed", ["Mars/Olympus", "../../etc/passwd", "UTC+99", "<i>x</i>"])
async def test_a_bad_zone_gets_one_line_with_an_example(clocked: BotHarness, typed: str) -> None:
    await clocked.send("/daily 07:30")
    [reply] = await clocked.send(f"/timezone {typed}")
    assert "\n" not in reply.text
    assert "/timezone" in reply.text
    assert "e.g." in reply.text or "like" in reply.text
    assert (await clocked.store.chat_settings.get(CHAT)).timezone is None


async def test_settings_buttons_change_the_time_and_the_zone(clocked: BotHarness) -> None:
    [shown] = await clocked.send("/settings")
    assert shown.text.splitlines()[:3] == [
        "⚙️ Settings of this chat",
        "🗞 Daily edition: off.",
        "🕰 Time zone: Europe/Berlin (the bot's default); it is 06:00 there now.",
    ]
    labels = [[b["text"] for b in row] for row in shown.buttons]
    assert labels == [
        ["✓ Off", "07:00", "08:00", "12:00", "18:00"],
        ["UTC", "Europe/London"],
        ["✓ Europe/Berlin", "America/New_York"],
    ]
    assert all(len(b["callback_data"].encode()) <= 64 for row in shown.buttons for b in row)
    [edited] = await clocked.press(shown, shown.buttons[0][2]["callback_data"])
    assert edited.message_id == shown.message_id
    assert "every day at 08:00; the next one on Wed 2 Dec at 08:00" in edited.text
    assert edited.buttons[0][2]["text"] == "✓ 08:00"
    [zoned] = await clocked.press(edited, edited.buttons[1][0]["callback_data"])
    assert "🕰 Time zone: UTC; it is 05:00 there now." in zoned.text
    assert (await clocked.store.chat_settings.get(CHAT)).next_daily_at == datetime(
        2026, 12, 2, 8, 0, tzinfo=UTC
    )
    [off] = await clocked.press(zoned, zoned.buttons[0][0]["callback_data"])
    assert "🗞 Daily edition: off." in off.text


async def test_the_current_choice_pressed_again_edits_nothing(clocked: BotHarness) -> None:
    [shown] = await clocked.send("/settings")
    # "Off" is the current choice: the message already shows it ("message is not modified").
    assert await clocked.press(shown, shown.buttons[0][0]["callback_data"]) == []
    assert clocked.api.callback_answers[-1]["text"] == "🗞 Daily edition: off."


async def test_an_unknown_settings_button_gets_one_line(clocked: BotHarness) -> None:
    [shown] = await clocked.send("/settings")
    assert await clocked.press(shown, "cfg:d:99:99") == []
    assert clocked.api.callback_answers[-1]["text"].startswith("That button is from an older")
    assert await clocked.store.chat_settings.get(CHAT) == ChatSettings(CHAT)


async def test_a_group_sets_its_own_time(clocked: BotHarness) -> None:
    [reply] = await clocked.send("/daily@briefbot_test_bot 12:00", chat=GROUP_CHAT)
    assert "every day at 12:00" in reply.text
    assert (await clocked.store.chat_settings.get(GROUP_CHAT["id"])).daily_time == "12:00"
    assert (await clocked.store.chat_settings.get(CHAT)).daily_time is None


async def test_a_daily_set_by_command_is_queued_by_the_tick(clocked: BotHarness) -> None:
    await clocked.send("/daily 07:30")
    clock = SetClock(NOW + timedelta(minutes=90))
    ticker = DailyTicker(
        clocked.store,
        CountingEditions(),
        default_zone=clocked.application.bot_data.zone,
        clock=clock,
    )
    assert await ticker.tick() == 1
    assert await ticker.tick() == 0
    async with clocked.store.database.connection.execute(
        "SELECT chat_id, kind, item_key FROM outbox"
    ) as cursor:
        assert [tuple(r) async for r in cursor] == [(CHAT, "edition", "2026-12-02")]


def test_the_commands_are_in_the_menu() -> None:
    names = [c.command for c in bot_commands()]
    assert {"daily", "timezone", "settings"} <= set(names)


async def _share_location(
    harness: BotHarness, chat: dict[str, Any], lat: float, lng: float
) -> list[Sent]:
    harness.api.user_sends(chat, ADA, "", location={"latitude": lat, "longitude": lng})
    return await harness.process_pending()


async def test_a_location_in_a_private_chat_sets_its_zone(clocked: BotHarness) -> None:
    await clocked.send("/daily 07:30")
    [reply] = await _share_location(clocked, PRIVATE_CHAT, 40.7128, -74.0060)
    assert reply.text.startswith("🕰 Time zone: America/New_York; it is 00:00 there now.")
    assert (await clocked.store.chat_settings.get(CHAT)).next_daily_at == datetime(
        2026, 12, 2, 12, 30, tzinfo=UTC
    )


async def test_a_location_without_a_zone_gets_one_line(clocked: BotHarness) -> None:
    [reply] = await _share_location(clocked, PRIVATE_CHAT, 100.0, 0.0)  # off the map
    assert reply.text == "I could not tell the time zone of that place. " + ZONE_USAGE
    assert (await clocked.store.chat_settings.get(CHAT)).timezone is None


async def test_a_location_at_sea_takes_the_nautical_zone(clocked: BotHarness) -> None:
    [reply] = await _share_location(clocked, PRIVATE_CHAT, -60.0, -30.0)
    assert reply.text == "🕰 Time zone: Etc/GMT+2; it is 03:00 there now."


async def test_a_location_in_a_group_changes_nothing(clocked: BotHarness) -> None:
    assert await _share_location(clocked, GROUP_CHAT, 40.7128, -74.0060) == []
    assert (await clocked.store.chat_settings.get(GROUP_CHAT["id"])).timezone is None
