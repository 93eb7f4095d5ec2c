"""/daily, /timezone and /settings: when the chat's daily edition comes, in which zone.

Any member of a group may change the group's settings, as with topics: the edition goes to
the chat, and whoever finds the time wrong changes it with one tap.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, time, tzinfo

import tzfpy
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from briefing.daily_schedule import (
    ScheduleError,
    format_daily_time,
    next_after,
    parse_daily_time,
    parse_zone,
    zone_of,
)
from handlers.context import BotContext
from handlers.errors import answer_button
from handlers.html import bold, escape
from storage.chat_settings import ChatSettings

SETTINGS_PREFIX = "cfg:"
COMMON_TIMES = ("07:00", "08:00", "12:00", "18:00")
COMMON_ZONES = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York")
OFF_WORDS = frozenset({"off", "stop", "none", "no"})
DEFAULT_WORDS = frozenset({"default", "reset"})
DAILY_USAGE = (
    "Send /daily HH:MM for an edition every day at that time (24-hour clock, this chat's "
    "time zone), e.g. /daily 07:30; /daily off stops it."
)
ZONE_USAGE = (
    "Send /timezone Area/City, e.g. /timezone Europe/Berlin, or an offset such as "
    "/timezone UTC+02:00; /timezone default goes back to the bot's zone. In a private chat, "
    "sharing a location sets its zone too."
)
NO_ZONE_THERE = "I could not tell the time zone of that place. " + ZONE_USAGE
STALE_SETTING = "That button is from an older version. Send /settings for the current ones."
_BUTTON = re.compile(r"cfg:(d|z):(.{1,58})")


async def daily(update: Update, context: BotContext) -> None:
    """/daily HH:MM turns the daily edition on at that local time; /daily off stops it."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    typed = " ".join(context.args or []).strip()
    current = await context.bot_data.store.chat_settings.get(chat.id)
    if not typed:
        await message.reply_text(f"{escape(_daily_line(current, context))}\n{DAILY_USAGE}")
        return
    if typed.lower() in OFF_WORDS:
        if current.daily_time is None:
            await message.reply_text("The daily edition is already off. " + DAILY_USAGE)
            return
        await _store(context, chat.id, current.timezone, None)
        await message.reply_text("🗞 Daily edition off. /daily HH:MM turns it on again.")
        return
    try:
        wanted = parse_daily_time(typed)
    except ScheduleError as error:
        await message.reply_text(escape(str(error)))
        return
    stored = await _store(context, chat.id, current.timezone, wanted)
    await message.reply_text(escape(_daily_line(stored, context)) + " /daily off stops it.")


async def timezone(update: Update, context: BotContext) -> None:
    """/timezone Area/City (or an offset) sets the zone of the chat's times."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    typed = " ".join(context.args or []).strip()
    current = await context.bot_data.store.chat_settings.get(chat.id)
    if not typed:
        await message.reply_text(f"{escape(_zone_line(current, context))}\n{ZONE_USAGE}")
        return
    try:
        name = None if typed.lower() in DEFAULT_WORDS else parse_zone(typed)
    except ScheduleError as error:
        await message.reply_text(escape(str(error)))
        return
    await message.reply_text(await _set_zone(context, current, name))


async def location(update: Update, context: BotContext) -> None:
    """A location shared in a private chat sets the chat's zone to that place's."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or message.location is None:
        return
    place = message.location
    # The first lookup loads the zone map: keep it off the event loop.
    found = await asyncio.to_thread(tzfpy.get_tz, place.longitude, place.latitude)
    try:
        name = parse_zone(found)
    except ScheduleError:
        await message.reply_text(escape(NO_ZONE_THERE))
        return
    current = await context.bot_data.store.chat_settings.get(chat.id)
    await message.reply_text(await _set_zone(context, current, name))


async def _set_zone(context: BotContext, current: ChatSettings, name: str | None) -> str:
    """Store a new zone (keeping the daily time) and say what it means, as HTML."""
    stored = await _store(context, current.chat_id, name, _daily_time(current))
    lines = [_zone_line(stored, context)]
    if stored.daily_time is not None:
        lines.append(_daily_line(stored, context))
    return escape(" ".join(lines))


async def settings(update: Update, context: BotContext) -> None:
    """Show the chat's settings, with buttons to change them."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    current = await context.bot_data.store.chat_settings.get(chat.id)
    text, keyboard = settings_view(current, context)
    await message.reply_text(text, reply_markup=keyboard)


async def settings_button(update: Update, context: BotContext) -> None:
    """A button of /settings: change the time or the zone, and show the settings anew."""
    query, chat = update.callback_query, update.effective_chat
    if query is None:
        return
    match = _BUTTON.fullmatch(query.data or "")
    if chat is None or match is None:
        await answer_button(query, STALE_SETTING, show_alert=True)
        return
    current = await context.bot_data.store.chat_settings.get(chat.id)
    try:
        if match[1] == "d":
            wanted = None if match[2] == "off" else parse_daily_time(match[2])
            stored = await _store(context, chat.id, current.timezone, wanted)
        else:
            stored = await _store(context, chat.id, parse_zone(match[2]), _daily_time(current))
    except ScheduleError:
        await answer_button(query, STALE_SETTING, show_alert=True)
        return
    await answer_button(query, _daily_line(stored, context))
    text, keyboard = settings_view(stored, context)
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        # Pressed twice: the message already shows this; anything else is a real failure.
        if "not modified" not in error.message.lower():
            raise


def settings_view(current: ChatSettings, context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    """The /settings message and its buttons (a ✓ marks the current choices)."""
    text = "\n".join(
        [
            bold("⚙️ Settings of this chat"),
            escape(_daily_line(current, context)),
            escape(_zone_line(current, context)),
            "",
            "Other times: /daily HH:MM. Other zones: /timezone Area/City or /timezone UTC+02:00.",
        ]
    )
    times = [("off", "Off")] + [(t, t) for t in COMMON_TIMES]
    time_row = [
        _button(label, f"d:{value}", (current.daily_time or "off") == value)
        for value, label in times
    ]
    zone_name = current.timezone or context.bot_data.zone.key
    zone_row = [_button(zone, f"z:{zone}", zone == zone_name) for zone in COMMON_ZONES]
    return text, InlineKeyboardMarkup([time_row, zone_row[:2], zone_row[2:]])


def _button(label: str, data: str, chosen: bool) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        f"✓ {label}" if chosen else label, callback_data=SETTINGS_PREFIX + data
    )


async def _store(
    context: BotContext, chat_id: int, zone_name: str | None, daily_time: time | None
) -> ChatSettings:
    """Store a zone and a daily time, and when the next edition is due with them."""
    zone = _zone(zone_name, context)
    next_at = next_after(context.bot_data.clock(), daily_time, zone) if daily_time else None
    text = format_daily_time(daily_time) if daily_time else None
    repository = context.bot_data.store.chat_settings
    await repository.set_schedule(
        chat_id, timezone=zone_name, daily_time=text, next_daily_at=next_at
    )
    return await repository.get(chat_id)


def _daily_line(current: ChatSettings, context: BotContext) -> str:
    if current.daily_time is None or current.next_daily_at is None:
        return "🗞 Daily edition: off."
    local = current.next_daily_at.astimezone(_zone(current.timezone, context))
    return f"🗞 Daily edition: every day at {current.daily_time}; the next one {_when(local)}."


def _zone_line(current: ChatSettings, context: BotContext) -> str:
    zone = _zone(current.timezone, context)
    now = context.bot_data.clock().astimezone(zone)
    name = current.timezone or f"{context.bot_data.zone.key} (the bot's default)"
    return f"🕰 Time zone: {name}; it is {now:%H:%M} there now."


def _when(local: datetime) -> str:
    return f"on {local:%a} {local.day} {local:%b} at {local:%H:%M}"


def _zone(name: str | None, context: BotContext) -> tzinfo:
    if name is None:
        return context.bot_data.zone
    try:
        return zone_of(name)
    except (ValueError, KeyError):  # no longer in the system's tz database
        return context.bot_data.zone


def _daily_time(current: ChatSettings) -> time | None:
    return parse_daily_time(current.daily_time) if current.daily_time else None


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("daily", daily),
        CommandHandler("timezone", timezone),
        CommandHandler("settings", settings),
        MessageHandler(
            filters.LOCATION & filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE, location
        ),
        CallbackQueryHandler(settings_button, pattern=f"^{SETTINGS_PREFIX}"),
    ]
