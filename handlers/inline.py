"""Inline mode: ``@bot words`` in any chat offers matching stories as cards to send.

An inline query comes from no chat, so every source is searched (follows belong to
chats). An empty query offers the newest stories. Results come a page at a time; the
offset Telegram sends back is the page number. A query that is not a valid search
answers with no results and one button saying why, which opens the bot's help.
"""

from __future__ import annotations

from telegram import InlineQueryResultsButton, Update
from telegram.ext import BaseHandler, InlineQueryHandler

from briefing.query import QueryError
from handlers.context import BotContext
from handlers.inline_view import story_results
from handlers.search import parse_search

PAGE_SIZE = 20
MAX_PAGES = 50  # 1,000 results: past that, refine the words
CACHE_SECONDS = 60
_BUTTON_TEXT_LIMIT = 64


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with a page of matching stories."""
    query = update.inline_query
    if query is None:
        return
    typed = " ".join(query.query.split())
    page = _page(query.offset)
    if page >= MAX_PAGES:
        await query.answer([], cache_time=CACHE_SECONDS)
        return
    store = context.bot_data.store
    if typed:
        try:
            parsed = parse_search(typed)
        except QueryError as error:
            await query.answer(
                [],
                cache_time=CACHE_SECONDS,
                button=InlineQueryResultsButton(_button_text(str(error)), start_parameter="help"),
            )
            return
        found = await store.search.search(None, parsed, typed, page=page, page_size=PAGE_SIZE)
        ids = [hit.story_id for hit in found.hits]
        more = (page + 1) * PAGE_SIZE < found.total
        stories = await store.shared_stories.by_ids(ids)
    else:
        stories = await store.shared_stories.newest(PAGE_SIZE + 1, page * PAGE_SIZE)
        more = len(stories) > PAGE_SIZE
        stories = stories[:PAGE_SIZE]
    username = context.bot.username
    results = story_results(stories, username, context.bot_data.zone)
    # next_offset None, not "": PTB turns "" into no field, but says so only for None.
    next_offset = str(page + 1) if more and page + 1 < MAX_PAGES else None
    await query.answer(results, cache_time=CACHE_SECONDS, next_offset=next_offset)


def _page(offset: str) -> int:
    """The page an offset names (our own numbers); anything else starts over."""
    if offset.isascii() and offset.isdigit() and len(offset) <= 6:
        return int(offset)
    return 0


def _button_text(reason: str) -> str:
    text = " ".join(reason.split())
    return text if len(text) <= _BUTTON_TEXT_LIMIT else text[: _BUTTON_TEXT_LIMIT - 1] + "…"


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [InlineQueryHandler(inline_query)]
