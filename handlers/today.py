"""/today (its story buttons are handled in handlers/navigation.py)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.context import BotContext
from handlers.dates import with_edition_date
from handlers.threads import highlights_with_newest
from handlers.views import Rendered, empty_today_text, today_view

BRIEFING_HIGHLIGHTS = 3
STORY_HIGHLIGHTS = 3


async def today(update: Update, context: BotContext) -> None:
    """Send the latest briefing the chat follows, stories summarized, with highlights."""
    message, chat = update.effective_message, update.effective_chat
    if message is None:
        return
    store = context.bot_data.store
    briefing = await store.briefings.latest(chat_id=chat.id if chat else None)
    if briefing is None or briefing.id is None:
        await message.reply_text(empty_today_text())
        return
    picked = await store.llm_answers.picks(briefing.id)
    picks = highlights_with_newest(
        briefing.comments,
        BRIEFING_HIGHLIGHTS,
        picked.comment_ids if picked else (),
        post=briefing.title,
    )
    shown = await with_edition_date(store, briefing)
    rendered = today_view(shown, picks, context.bot_data.zone)
    for sent in await _send(message, rendered):
        await store.chats.link_message(sent.chat_id, sent.message_id, briefing.id, None)


async def _send(message: Message, rendered: Sequence[Rendered]) -> list[Message]:
    return [await message.reply_text(part.text, reply_markup=part.keyboard) for part in rendered]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("today", today),
    ]
