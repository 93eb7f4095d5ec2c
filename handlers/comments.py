"""The "💬 Comments (N)" buttons: a discussion's pages, in the message pressed."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.callbacks import COMMENTS_PREFIX, CommentsRequest, parse_comments_button
from handlers.comments_view import Discussion, comments_page
from handlers.context import BotContext
from handlers.errors import answer_button
from handlers.navigation import show
from storage.store import Store

STALE_DISCUSSION = "That discussion is no longer available. Send /today for the latest briefing."


async def open_comments(update: Update, context: BotContext) -> None:
    """Show a page of a story's (or a briefing's) discussion in place of the message pressed."""
    query = update.callback_query
    if query is None:
        return
    request = parse_comments_button(query.data)
    store = context.bot_data.store
    discussion = await _discussion(store, request) if request is not None else None
    if request is None or discussion is None or query.message is None:
        await answer_button(query, STALE_DISCUSSION, show_alert=True)
        return
    await answer_button(query)
    view = comments_page(discussion, request.page, newest_first=request.newest_first)
    await show(query, context, view, discussion.briefing_id, discussion.story_id)


async def _discussion(store: Store, request: CommentsRequest) -> Discussion | None:
    """The comments the request is about, read now: a comment just added is among them."""
    if request.story_id is not None:
        found = await store.briefings.find_story(request.story_id)
        if found is None or found.briefing.id is None:
            return None
        about = tuple(c for c in found.briefing.comments if c.story_position == found.position)
        return Discussion(found.story.heading, about, found.briefing.id, request.story_id)
    briefing = await store.briefings.get(request.briefing_id or 0)
    if briefing is None or briefing.id is None:
        return None
    return Discussion(briefing.title, briefing.comments, briefing.id)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [CallbackQueryHandler(open_comments, pattern=f"^{COMMENTS_PREFIX}")]
