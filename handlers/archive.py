"""/briefing DATE: the edition of a past day; alone, a button for each of the last 7 days.

The day's edition comes from an :class:`EditionSource`. Until the edition composer is merged,
:func:`interim_edition` shows the first briefing of that local day as /today would, and names
the day's other briefings with a button each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from briefing.highlights import highlights
from handlers.callbacks import DAY_PREFIX, day_button_data, parse_day_button, story_button_data
from handlers.context import BotContext
from handlers.errors import answer_button
from handlers.html import bold, escape, shorten
from handlers.views import BUTTON_LIMIT, Rendered, today_view
from handlers.zones import chat_zone
from storage.store import Store

ARCHIVE_DAYS = 7
BRIEFING_HIGHLIGHTS = 3
USAGE = (
    "Send /briefing YYYY-MM-DD for that day's edition (e.g. /briefing 2026-11-30),"
    " /briefing yesterday, or /briefing alone for the last 7 days."
)
STALE_DAY = "That button no longer works: send /briefing again."
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


@dataclass(frozen=True, slots=True)
class DayEdition:
    """The messages of a day's edition, and the briefing replies to them join (if one)."""

    messages: list[Rendered]
    briefing_id: int | None = None


class EditionSource(Protocol):
    """Composes the edition a chat sees for a local day."""

    async def __call__(self, store: Store, chat_id: int, day: date, zone: tzinfo) -> DayEdition:
        """The edition of ``day`` in ``zone`` for ``chat_id``."""
        ...


async def interim_edition(store: Store, chat_id: int, day: date, zone: tzinfo) -> DayEdition:
    """The day's first briefing as /today shows it, then the others of that day, if any."""
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    found = await store.archive.between(chat_id, start, end)
    if not found:
        return DayEdition([Rendered(escape(f"No briefing on {_long_day(day)}. ") + _ARCHIVE)])
    first, *others = found
    view_zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")
    messages = today_view(first, highlights(list(first.comments), BRIEFING_HIGHLIGHTS), view_zone)
    if others:
        rows = [
            [
                InlineKeyboardButton(
                    shorten(b.title, BUTTON_LIMIT), callback_data=story_button_data(b.lead.id)
                )
            ]
            for b in others
            if b.lead is not None and b.lead.id is not None
        ]
        text = bold(f"Also on {_long_day(day)}: {len(others)} more")
        messages.append(Rendered(text, InlineKeyboardMarkup(rows) if rows else None))
    return DayEdition(messages, first.id)


EDITION: EditionSource = interim_edition  # the lead swaps in compose_edition at merge
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
    edition = await EDITION(store, chat_id, day, zone)
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


def _long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("briefing", briefing),
        CallbackQueryHandler(show_day, pattern=f"^{DAY_PREFIX}"),
    ]
