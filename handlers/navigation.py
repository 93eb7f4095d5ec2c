"""Moving between a briefing, its story cards and their comments in one message.

A press edits the message pressed; only when Telegram no longer lets it be edited is the
view sent as a new message. Either way the message is linked to what it now shows, so a
reply to it joins that story's discussion (or the briefing's).
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from briefing.models import Briefing
from handlers.callbacks import BACK_PREFIX, STORY_PREFIX, parse_back_button, parse_story_button
from handlers.context import BotContext
from handlers.dates import with_edition_date
from handlers.errors import answer_button
from handlers.today import BRIEFING_HIGHLIGHTS, STORY_HIGHLIGHTS
from handlers.views import Rendered, story_view, today_view
from storage.briefings import StoryRef
from storage.store import Store

logger = logging.getLogger(__name__)

STALE_BUTTON = "That story is no longer available. Send /today for the latest briefing."
STALE_BRIEFING = "That briefing is no longer available. Send /today for the latest one."
_GONE = ("message can't be edited", "message to edit not found")
_NOT_MODIFIED = "message is not modified"


async def open_story(update: Update, context: BotContext) -> None:
    """Show the story a button names as its card, in place of the briefing or card pressed."""
    query = update.callback_query
    if query is None:
        return
    story_id = parse_story_button(query.data)
    store = context.bot_data.store
    found = (
        await store.briefings.find_story(story_id, comments=False)
        if story_id is not None
        else None
    )
    if found is None or found.briefing.id is None or query.message is None:
        await answer_button(query, STALE_BUTTON, show_alert=True)
        return
    await answer_button(query)
    card = await story_card(context, found)
    # An alert (or any message that shows no briefing) keeps its own text and buttons.
    pressed = query.message
    linked = await store.chats.linked(pressed.chat.id, pressed.message_id)
    await show(query, context, card, found.briefing.id, found.story.id, in_place=bool(linked))


async def story_card(context: BotContext, found: StoryRef) -> Rendered:
    """The card of a found story: its summary and its discussion's highlights."""
    store = context.bot_data.store
    assert found.briefing.id is not None
    top = await store.highlights.top_and_count(found.briefing.id, found.position, STORY_HIGHLIGHTS)
    briefing = await with_edition_date(store, found.briefing)
    return story_view(briefing, found.position, top.highlights, context.bot_data.zone, top.shown)


async def go_back(update: Update, context: BotContext) -> None:
    """Show the briefing again in the message a card's "◀ Back" was pressed under."""
    query = update.callback_query
    if query is None:
        return
    briefing_id = parse_back_button(query.data)
    store = context.bot_data.store
    briefing = (
        await store.briefings.get(briefing_id, comments=False) if briefing_id is not None else None
    )
    if briefing is None or briefing.id is None or query.message is None:
        await answer_button(query, STALE_BRIEFING, show_alert=True)
        return
    await answer_button(query)
    shown = await briefing_message(store, await with_edition_date(store, briefing), context)
    await show(query, context, shown, briefing.id, None)


async def briefing_message(store: Store, briefing: Briefing, context: BotContext) -> Rendered:
    """The briefing as the one message that carries its buttons (the last of /today's)."""
    assert briefing.id is not None
    top = await store.highlights.top_and_count(briefing.id, None, BRIEFING_HIGHLIGHTS)
    return today_view(briefing, top.highlights, context.bot_data.zone, top.shown)[-1]


async def show(
    query: CallbackQuery,
    context: BotContext,
    view: Rendered,
    briefing_id: int,
    story_id: int | None,
    *,
    in_place: bool = True,
) -> None:
    """Edit the pressed message into ``view`` (or send it anew), and link what it shows."""
    pressed = query.message
    if pressed is None:
        return
    chat_id, message_id = pressed.chat.id, pressed.message_id
    if in_place and isinstance(pressed, Message):
        try:
            await pressed.edit_text(view.text, reply_markup=view.keyboard)
        except BadRequest as error:
            reason = error.message.lower()
            if not any(marker in reason for marker in (*_GONE, _NOT_MODIFIED)):
                raise
            if _NOT_MODIFIED not in reason:
                logger.info("sending anew: %s", error.message)
                in_place = False
    else:
        in_place = False
    if not in_place:
        thread = pressed.message_thread_id if isinstance(pressed, Message) else None
        sent = await context.bot.send_message(
            chat_id, view.text, reply_markup=view.keyboard, message_thread_id=thread
        )
        message_id = sent.message_id
    await context.bot_data.store.chats.link_message(chat_id, message_id, briefing_id, story_id)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CallbackQueryHandler(open_story, pattern=f"^{STORY_PREFIX}"),
        CallbackQueryHandler(go_back, pattern=f"^{BACK_PREFIX}"),
    ]
