"""/sources for everyone: what the chat follows, a follow/unfollow button per source, ◀ ▶."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from handlers.callbacks import (
    FOLLOW_PREFIX,
    SOURCES_PAGE_PREFIX,
    parse_follow_button,
    parse_sources_page,
)
from handlers.context import BotContext
from handlers.errors import answer_button
from handlers.follow_views import SOURCE_GONE, sources_view, toggled_answer
from handlers.views import Rendered
from handlers.zones import chat_zone

STALE_BUTTON = "That button has expired: send /sources again."


async def list_sources(update: Update, context: BotContext) -> None:
    """The bot's sources, a page at a time, each with a button to follow or unfollow it."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    rendered = await _page(update, context, chat.id, 0)
    await message.reply_text(rendered.text, reply_markup=rendered.keyboard)


async def turn_page(update: Update, context: BotContext) -> None:
    """A ◀ ▶ button: show that page in the same message."""
    button, chat = update.callback_query, update.effective_chat
    page = parse_sources_page(button.data) if button else None
    if button is None:
        return
    if chat is None or page is None or not isinstance(button.message, Message):
        await answer_button(button, STALE_BUTTON, show_alert=True)
        return
    await answer_button(button)
    await _show(update, context, chat.id, page)


async def set_following(update: Update, context: BotContext) -> None:
    """A follow button: set the state it names (any group member may), then redraw the page."""
    button, chat = update.callback_query, update.effective_chat
    if button is None:
        return
    request = parse_follow_button(button.data)
    if chat is None or request is None or not isinstance(button.message, Message):
        await answer_button(button, STALE_BUTTON, show_alert=True)
        return
    store = context.bot_data.store
    stored = await store.follows.set_following(chat.id, request.source_id, request.following)
    source = await store.sources.get(request.source_id) if stored else None
    if source is None:  # removed since the list was drawn
        await answer_button(button, SOURCE_GONE)
    else:
        await answer_button(button, toggled_answer(source, request.following))
    await _show(update, context, chat.id, request.page)


async def _show(update: Update, context: BotContext, chat_id: int, page: int) -> None:
    """Redraw the pressed message with page ``page``; the same page twice is let be."""
    button = update.callback_query
    if button is None:
        return
    rendered = await _page(update, context, chat_id, page)
    try:
        await button.edit_message_text(rendered.text, reply_markup=rendered.keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():  # pressed twice: already shown
            raise


async def _page(update: Update, context: BotContext, chat_id: int, page: int) -> Rendered:
    """Page ``page`` as the sender sees it: admins also see how each source polls."""
    store = context.bot_data.store
    user = update.effective_user
    admin = user is not None and user.id in context.bot_data.admin_ids
    return sources_view(
        await store.sources.list(),
        await store.follows.followed_source_ids(chat_id),
        page,
        admin=admin,
        zone=await chat_zone(context, chat_id),
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("sources", list_sources),
        CallbackQueryHandler(turn_page, pattern=f"^{SOURCES_PAGE_PREFIX}"),
        CallbackQueryHandler(set_following, pattern=f"^{FOLLOW_PREFIX}"),
    ]
