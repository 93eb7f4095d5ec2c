"""Moving between a briefing, its story cards and their comments in one message.

A press edits the message pressed; only when Telegram no longer lets it be edited is the
view sent as a new message. Either way the message is linked to what it now shows, so a
reply to it joins that story's discussion (or the briefing's).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from briefing.models import Briefing
from handlers.callbacks import BACK_PREFIX, STORY_PREFIX, parse_back_button, parse_story_button
from handlers.context import BotContext
from handlers.dates import with_edition_date
from handlers.errors import answer_button
from handlers.threads import highlights_with_newest
from handlers.today import BRIEFING_HIGHLIGHTS, STORY_HIGHLIGHTS
from handlers.views import Rendered, story_view, today_view
from storage.briefings import StoryRef

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
    found = await store.briefings.find_story(story_id) if story_id is not None else None
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
    about = [c for c in found.briefing.comments if c.story_position == found.position]
    picked = await store.llm_answers.picks(found.briefing.id, found.position)
    picks = highlights_with_newest(
        about, STORY_HIGHLIGHTS, picked.comment_ids if picked else (), post=found.story.heading
    )
    briefing = await with_edition_date(store, found.briefing)
    return story_view(briefing, found.position, picks, context.bot_data.zone)


async def go_back(update: Update, context: BotContext) -> None:
    """Show the briefing again in the message a card's "◀ Back" was pressed under."""
    query = update.callback_query
    if query is None:
        return
    briefing_id = parse_back_button(query.data)
    store = context.bot_data.store
    briefing = await store.briefings.get(briefing_id) if briefing_id is not None else None
    if briefing is None or briefing.id is None or query.message is None:
        await answer_button(query, STALE_BRIEFING, show_alert=True)
        return
    await answer_button(query)
    picked = await store.llm_answers.picks(briefing.id)
    shown = briefing_message(
        await with_edition_date(store, briefing), context, picked.comment_ids if picked else ()
    )
    await show(query, context, shown, briefing.id, None)


def briefing_message(
    briefing: Briefing, context: BotContext, picked: Sequence[int] = ()
) -> Rendered:
    """The briefing as the one message that carries its buttons (the last of /today's).

    ``picked``: the comment ids an LLM picked for its discussion, best first.
    """
    picks = highlights_with_newest(
        briefing.comments, BRIEFING_HIGHLIGHTS, picked, post=briefing.title
    )
    return today_view(briefing, picks, context.bot_data.zone)[-1]


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
