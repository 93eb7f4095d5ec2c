"""/today and the story buttons under it."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from briefing.highlights import Highlight, highlights
from briefing.models import Briefing
from handlers.callbacks import STORY_PREFIX, parse_story_button
from handlers.context import BotContext
from handlers.errors import answer_button
from handlers.views import Rendered, empty_today_text, story_view, today_view

BRIEFING_HIGHLIGHTS = 3
STORY_HIGHLIGHTS = 3
STALE_BUTTON = "That story is no longer available. Send /today for the latest briefing."


async def today(update: Update, context: BotContext) -> None:
    """Send the latest briefing, its stories summarized, with comment highlights."""
    message = update.effective_message
    if message is None:
        return
    store = context.bot_data.store
    briefing = await store.briefings.latest()
    if briefing is None or briefing.id is None:
        await message.reply_text(empty_today_text())
        return
    picks = highlights(list(briefing.comments), BRIEFING_HIGHLIGHTS)
    rendered = today_view(briefing, picks, context.bot_data.zone)
    for sent in await _send(message, rendered):
        await store.chats.link_message(sent.chat_id, sent.message_id, briefing.id, None)


async def open_story(update: Update, context: BotContext) -> None:
    """Open the story a button names as its own card; old buttons get a short answer."""
    query = update.callback_query
    if query is None:
        return
    story_id = parse_story_button(query.data)
    store = context.bot_data.store
    found = await store.briefings.find_story(story_id) if story_id is not None else None
    if found is None or found.briefing.id is None or not isinstance(query.message, Message):
        await answer_button(query, STALE_BUTTON, show_alert=True)
        return
    await answer_button(query)
    picks = _story_highlights(found.briefing, found.position)
    rendered = story_view(found.briefing, found.position, picks, context.bot_data.zone)
    for sent in await _send(query.message, rendered):
        await store.chats.link_message(
            sent.chat_id, sent.message_id, found.briefing.id, found.story.id
        )


def _story_highlights(briefing: Briefing, position: int) -> list[Highlight]:
    about = [c for c in briefing.comments if c.story_position == position]
    return highlights(about, STORY_HIGHLIGHTS)


async def _send(message: Message, rendered: Sequence[Rendered]) -> list[Message]:
    return [await message.reply_text(part.text, reply_markup=part.keyboard) for part in rendered]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("today", today),
        CallbackQueryHandler(open_story, pattern=f"^{STORY_PREFIX}"),
    ]
