"""/today and the "More stories" pages of its edition (story buttons: handlers/navigation.py)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.callbacks import EDITION_PREFIX, parse_edition_page
from handlers.context import BotContext
from handlers.edition import latest_day_before, nothing_yet_note, render_day
from handlers.errors import answer_button
from handlers.views import Rendered, empty_today_text
from handlers.zones import chat_zone

BRIEFING_HIGHLIGHTS = 3
STORY_HIGHLIGHTS = 3
STALE_PAGE = "That edition has changed: send /today again."


async def today(update: Update, context: BotContext) -> None:
    """Send today's edition in the chat's zone; else say so and send the latest day's."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    store = context.bot_data.store
    zone = await chat_zone(context, chat.id)
    day = message.date.astimezone(zone).date()
    shown = await render_day(store, chat.id, day, zone)
    if shown is None:
        latest = await latest_day_before(store, chat.id, day, zone)
        if latest is not None:
            shown = await render_day(store, chat.id, latest, zone, note=nothing_yet_note(latest))
    if shown is None:
        await message.reply_text(empty_today_text())
        return
    for sent in await _send(message, shown.messages):
        if shown.briefing_id is not None:
            await store.chats.link_message(sent.chat_id, sent.message_id, shown.briefing_id, None)


async def turn_page(update: Update, context: BotContext) -> None:
    """ "More stories" / "◀ Previous": that page of the day's edition, in the same message."""
    button, chat = update.callback_query, update.effective_chat
    if button is None:
        return
    named = parse_edition_page(button.data)
    if chat is None or named is None or not isinstance(button.message, Message):
        await answer_button(button, STALE_PAGE, show_alert=True)
        return
    day, page = named
    zone = await chat_zone(context, chat.id)
    shown = await render_day(context.bot_data.store, chat.id, day, zone, page=page)
    if shown is None or len(shown.messages) != 1:
        await answer_button(button, STALE_PAGE, show_alert=True)
        return
    await answer_button(button)
    [view] = shown.messages
    try:
        await button.message.edit_text(view.text, reply_markup=view.keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():  # pressed twice: already shown
            raise


async def _send(message: Message, rendered: Sequence[Rendered]) -> list[Message]:
    return [await message.reply_text(part.text, reply_markup=part.keyboard) for part in rendered]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("today", today),
        CallbackQueryHandler(turn_page, pattern=f"^{EDITION_PREFIX}"),
    ]
