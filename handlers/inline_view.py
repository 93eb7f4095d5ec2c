"""Pure views of inline mode: each story found as a card that can be sent into any chat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import ParseMode
from telegram.helpers import create_deep_linked_url

from briefing.urls import safe_link
from handlers.html import MESSAGE_LIMIT, bold, escape, italic, link, pack, shorten
from handlers.views import HEADING_LIMIT
from storage.shared_stories import SharedStory

OPEN_IN_BOT = "Open in bot"
TITLE_LIMIT = 120
DESCRIPTION_LIMIT = 160
SUMMARY_SENTENCES = 3
SENTENCE_LIMIT = 1000  # a "sentence" of a badly split page must not fill the card
DEEP_LINK_PREFIX = "story_"


def deep_link_payload(story_id: int) -> str:
    """The ``/start`` payload that opens a story's card (``story_<id>``, within 64 chars)."""
    return f"{DEEP_LINK_PREFIX}{story_id}"


def story_result(story: SharedStory, bot_username: str, zone: tzinfo) -> InlineQueryResultArticle:
    """One result: the heading and a summary line to choose by, the card to send."""
    summary = " ".join(story.summary)
    return InlineQueryResultArticle(
        id=f"s{story.id}",
        title=shorten(story.heading, TITLE_LIMIT) or "(untitled story)",
        description=shorten(f"{_origin(story, zone)} · {summary}", DESCRIPTION_LIMIT),
        input_message_content=InputTextMessageContent(
            shared_card(story, zone), parse_mode=ParseMode.HTML
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        OPEN_IN_BOT,
                        url=create_deep_linked_url(bot_username, deep_link_payload(story.id)),
                    )
                ]
            ]
        ),
    )


def story_results(
    stories: Sequence[SharedStory], bot_username: str, zone: tzinfo
) -> list[InlineQueryResultArticle]:
    """The results of one page, in order."""
    return [story_result(story, bot_username, zone) for story in stories]


def shared_card(story: SharedStory, zone: tzinfo) -> str:
    """The message a reader sends into a chat (Telegram HTML, one message)."""
    parts = [bold(shorten(story.heading, HEADING_LIMIT)), italic(_origin(story, zone))]
    parts.extend(escape(shorten(s, SENTENCE_LIMIT)) for s in story.summary[:SUMMARY_SENTENCES])
    url = safe_link(story.url)
    if url is not None:
        parts.append(link("Read at the source", url))
    texts = pack(parts, MESSAGE_LIMIT)
    # One message only: what does not fit (an enormous summary sentence) is dropped.
    while len(texts) > 1 and len(parts) > 2:
        parts.pop(-2 if url is not None and len(parts) > 3 else -1)
        texts = pack(parts, MESSAGE_LIMIT)
    return texts[0]


def _origin(story: SharedStory, zone: tzinfo) -> str:
    origin = shorten(story.briefing_title, TITLE_LIMIT)
    if story.published is not None:
        local = story.published.astimezone(zone)
        origin += f" · {local.day} {local:%b %Y}"
    return origin
