"""``/start story_<id>``: what a t.me/bot?start=story_<id> link (inline mode's "Open in
bot") opens: that story's card; a broken or stale link says so, then greets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers.context import BotContext
from handlers.inline_view import DEEP_LINK_PREFIX
from handlers.navigation import story_card
from handlers.start import GREETING

STORY_GONE = "That story is no longer here (or the link is broken)."
_STORY = re.compile(rf"{DEEP_LINK_PREFIX}(\d{{1,18}})")


@dataclass(frozen=True, slots=True)
class StoryLink:
    """A ``/start story_<id>``; ``story_id`` None when the id after the prefix is malformed."""

    story_id: int | None


def story_link(args: list[str] | None) -> StoryLink | None:
    """The story a ``/start`` payload asks for, or None when it asks for none."""
    if not args or not args[0].startswith(DEEP_LINK_PREFIX):
        return None
    match = _STORY.fullmatch(args[0])
    return StoryLink(int(match.group(1)) if match else None)


async def open_story_link(update: Update, context: BotContext) -> None:
    """Answer ``/start story_<id>`` with the story's card."""
    message = update.effective_message
    link = story_link(context.args)
    if message is None or link is None:
        return
    store = context.bot_data.store
    found = await store.briefings.find_story(link.story_id) if link.story_id else None
    if found is None or found.briefing.id is None:
        await message.reply_text(f"{STORY_GONE}\n\n{GREETING}")
        return
    card = await story_card(context, found)
    sent = await message.reply_text(card.text, reply_markup=card.keyboard)
    await store.chats.link_message(
        sent.chat_id, sent.message_id, found.briefing.id, found.story.id
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module: before /start's own, which greets."""
    story_payload = filters.Regex(rf"^/start(?:@\w+)?\s+{DEEP_LINK_PREFIX}")
    return [CommandHandler("start", open_story_link, filters=story_payload)]
