"""/briefing DATE: the edition of a past day; alone, a button for each of the last 7 days.

The day's edition is the one /today and the daily delivery show (``handlers.edition``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.callbacks import DAY_PREFIX, day_button_data, parse_day_button
from handlers.context import BotContext
from handlers.edition import render_day
from handlers.edition_view import long_day
from handlers.errors import answer_button
from handlers.html import escape
from handlers.zones import chat_zone

ARCHIVE_DAYS = 7
BRIEFING_HIGHLIGHTS = 3
USAGE = (
    "Send /briefing YYYY-MM-DD for that day's edition (e.g. /briefing 2026-11-30),"
    " /briefing yesterday, or /briefing alone for the last 7 days."
)
STALE_DAY = "That button no longer works: send /briefing again."
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


_ARCHIVE = "/briefing shows the last 7 days."


async def briefing(update: Update, context: BotContext) -> None:
    """Show the edition of the day given; alone, offer the last 7 days as buttons."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    zone = await chat_zone(context, chat.id)
    today = message.date.astimezone(zone).date()
    parts = (message.text or "").split(maxsplit=1)
    typed = parts[1].strip() if len(parts) == 2 else ""
    if not typed:
        await message.reply_text("Which day?", reply_markup=days_keyboard(today))
        return
    day = parse_day(typed, today)
    if isinstance(day, str):
        await message.reply_text(day, parse_mode=None)
        return
    await _show(message, context, chat.id, day, zone)


async def show_day(update: Update, context: BotContext) -> None:
    """A day button of /briefing: show that day's edition."""
    button, chat = update.callback_query, update.effective_chat
    if button is None:
        return
    day = parse_day_button(button.data)
    if chat is None or day is None or not isinstance(button.message, Message):
        await answer_button(button, STALE_DAY, show_alert=True)
        return
    await answer_button(button)
    await _show(button.message, context, chat.id, day, await chat_zone(context, chat.id))


async def _show(
    message: Message, context: BotContext, chat_id: int, day: date, zone: tzinfo
) -> None:
    store = context.bot_data.store
    edition = await render_day(store, chat_id, day, zone)
    if edition is None:
        await message.reply_text(
            escape(f"No edition on {long_day(day)}. ") + _ARCHIVE, do_quote=False
        )
        return
    for part in edition.messages:
        sent = await message.reply_text(part.text, reply_markup=part.keyboard, do_quote=False)
        if edition.briefing_id is not None:
            await store.chats.link_message(
                sent.chat_id, sent.message_id, edition.briefing_id, None
            )


def parse_day(typed: str, today: date) -> date | str:
    """The day ``typed`` names (relative to ``today``), or one line saying why none."""
    word = typed.lower()
    if word in ("today", "yesterday"):
        return today - timedelta(days=0 if word == "today" else 1)
    if not _DATE.fullmatch(typed):
        return f"I read dates as YYYY-MM-DD. {USAGE}"
    year, month, number = (int(piece) for piece in typed.split("-"))
    try:
        day = date(year, month, number)
    except ValueError:
        return f"{typed} is not a day of the calendar. {USAGE}"
    if day > today:
        return f"{day.isoformat()} has not come yet: there is no edition of it. {_ARCHIVE}"
    return day


def days_keyboard(today: date) -> InlineKeyboardMarkup:
    """One button for each of the last 7 days, today first."""
    days = [today - timedelta(days=back) for back in range(ARCHIVE_DAYS)]
    buttons = [
        InlineKeyboardButton(_short_day(d, today), callback_data=day_button_data(d)) for d in days
    ]
    return InlineKeyboardMarkup([buttons[:4], buttons[4:]])


def _short_day(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return f"{day:%a} {day.day} {day:%b}"


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("briefing", briefing),
        CallbackQueryHandler(show_day, pattern=f"^{DAY_PREFIX}"),
    ]
