"""/search over every story the chat follows, and the ◀ ▶ buttons under its results."""

from __future__ import annotations

from datetime import tzinfo

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from briefing.query import MAX_QUERY_CHARS, Query, QueryError, parse
from handlers.callbacks import SEARCH_PREFIX, parse_search_page
from handlers.context import BotContext
from handlers.errors import answer_button
from handlers.search_view import USAGE, search_view
from handlers.zones import chat_zone

STALE_PAGE = "That search has expired: send /search again."


async def search(update: Update, context: BotContext) -> None:
    """Search the followed stories for the words given, best first, a page at a time."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    parts = (message.text or "").split(maxsplit=1)
    typed = " ".join(parts[1].split()) if len(parts) == 2 else ""
    if not typed:
        await message.reply_text(USAGE, parse_mode=None)
        return
    try:
        query = parse_search(typed)
    except QueryError as error:
        await message.reply_text(str(error), parse_mode=None)
        return
    store = context.bot_data.store
    saved = await store.search.remember(chat.id, typed)
    page = await store.search.search(chat.id, query, typed)
    zone = await chat_zone(context, chat.id)
    rendered = search_view(page, typed, saved.id, zone)
    await message.reply_text(rendered.text, reply_markup=rendered.keyboard)


async def turn_page(update: Update, context: BotContext) -> None:
    """A ◀ ▶ button: show that page of the saved search in the same message."""
    button, chat = update.callback_query, update.effective_chat
    if button is None:
        return
    named = parse_search_page(button.data)
    store = context.bot_data.store
    saved = await store.search.recall(chat.id, named[0]) if chat and named else None
    if chat is None or named is None or saved is None or not isinstance(button.message, Message):
        await answer_button(button, STALE_PAGE, show_alert=True)
        return
    await answer_button(button)
    page = await store.search.search(chat.id, parse_search(saved.text), saved.text, page=named[1])
    zone: tzinfo = await chat_zone(context, chat.id)
    rendered = search_view(page, saved.text, saved.id, zone)
    try:
        await button.edit_message_text(rendered.text, reply_markup=rendered.keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():  # pressed twice: already shown
            raise


def parse_search(typed: str) -> Query:
    """The query of a search; :class:`QueryError` with one line worded for search."""
    if len(typed) > MAX_QUERY_CHARS:
        raise QueryError(
            f"A search is at most {MAX_QUERY_CHARS} characters; this one has {len(typed):,}."
        )
    try:
        return parse(typed)
    except QueryError as error:
        raise QueryError(str(error).replace("A topic", "A search", 1)) from None


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("search", search),
        CallbackQueryHandler(turn_page, pattern=f"^{SEARCH_PREFIX}"),
    ]
