"""Pure views: domain values in, Telegram HTML and inline keyboards out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from briefing.highlights import Highlight
from briefing.models import Briefing, Story
from briefing.summary_cleanup import without_dangling_end
from briefing.urls import safe_link
from handlers.callbacks import (
    alert_button_data,
    back_button_data,
    comments_button_data,
    story_button_data,
)
from handlers.discussion_views import discuss_button_data
from handlers.html import MESSAGE_LIMIT, bold, chunk_plain, escape, italic, pack, shorten
from handlers.threads import comment_count

HEADING_LIMIT = 200
BUTTON_LIMIT = 48
TODAY_SUMMARY_SENTENCES = 2
CARD_SUMMARY_SENTENCES = 4


@dataclass(frozen=True, slots=True)
class Rendered:
    """One message to send: HTML text and, on the last message of a view, its buttons."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def today_view(
    briefing: Briefing,
    highlights: Sequence[Highlight],
    zone: tzinfo,
    comments: int | None = None,
) -> list[Rendered]:
    """The /today message: title and date, each story with its summary, what readers say.

    ``comments``: how many its discussion shows (counted from ``briefing.comments`` when
    None; given when the briefing was read without them).
    """
    parts = [_title_line(briefing.title, briefing.published, zone)]
    for number, story in enumerate(briefing.stories, start=1):
        heading = bold(f"{number}. {shorten(story.heading, HEADING_LIMIT)}")
        parts.extend(_with_heading(heading, _summary(story, TODAY_SUMMARY_SENTENCES)))
    if highlights:
        parts.append(bold("💬 What readers say"))
        parts.extend(highlight_line(h) for h in highlights)
    count = comment_count(briefing.comments) if comments is None else comments
    return _as_messages(parts, _today_buttons(briefing, count))


def story_view(
    briefing: Briefing,
    position: int,
    highlights: Sequence[Highlight],
    zone: tzinfo,
    comments: int | None = None,
) -> Rendered:
    """A story card, one message: heading, date, summary, that story's top comments, and
    the buttons to go back, to the next story, to its comments and to the source.

    ``comments``: how many its discussion shows (as in :func:`today_view`)."""
    story = briefing.stories[position]
    parts = [
        bold(shorten(story.heading, HEADING_LIMIT)),
        italic(f"From {shorten(briefing.title, HEADING_LIMIT)}{_date_suffix(briefing, zone)}"),
    ]
    parts.extend(_paragraphs(_summary(story, CARD_SUMMARY_SENTENCES)))
    if highlights:
        parts.append(bold("💬 Readers on this story"))
        parts.extend(highlight_line(h) for h in highlights)
    # A card replaces the message pressed, so it must fit one: highlights go first.
    texts = pack(parts)
    while len(texts) > 1 and len(parts) > 3:
        parts.pop()
        texts = pack(parts)
    if comments is None:
        comments = comment_count([c for c in briefing.comments if c.story_position == position])
    return Rendered(texts[0], _card_buttons(briefing, position, comments))


def empty_today_text() -> str:
    """What /today says when no briefing is stored."""
    return (
        "There is no briefing yet.\n\n"
        "An operator adds one with <code>briefbot ingest PATH</code> "
        "(a text digest in the Daily format), then /today shows it."
    )


def _summary(story: Story, sentences: int) -> list[str]:
    # Cut to the budget first: the sentence the cut leaves last may be one that announces.
    if story.summary:
        return list(without_dangling_end(story.summary[:sentences]))
    return list(without_dangling_end([block.text for block in story.blocks[:1]]))


def _title_line(title: str, published: datetime | None, zone: tzinfo) -> str:
    line = bold(f"📰 {shorten(title, HEADING_LIMIT)}")
    if published is not None:
        line += "\n" + italic(_format_date(published, zone))
    return line


def _date_suffix(briefing: Briefing, zone: tzinfo) -> str:
    return f" · {_format_date(briefing.published, zone)}" if briefing.published else ""


def _format_date(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}"


def _with_heading(heading: str, sentences: list[str]) -> list[str]:
    """The heading joined to the first paragraph, so a split never orphans a heading."""
    paragraphs = _paragraphs([" ".join(sentences)]) if sentences else []
    if not paragraphs:
        return [heading]
    first, *rest = paragraphs
    combined = f"{heading}\n{first}"
    if len(combined) > MESSAGE_LIMIT // 2:
        return [heading, *paragraphs]
    return [combined, *rest]


def _paragraphs(texts: list[str]) -> list[str]:
    # Leave room so that a paragraph joined to its heading still fits one message.
    limit = MESSAGE_LIMIT - HEADING_LIMIT - 16
    return [escape(piece) for text in texts for piece in chunk_plain(text, limit)]


def highlight_line(highlight: Highlight) -> str:
    """One highlight as a quote with its author, "edited" and its replies."""
    attribution = [highlight.author or "A reader"]
    if highlight.comment.edited:
        attribution.append("edited")
    if highlight.reply_count:
        noun = "reply" if highlight.reply_count == 1 else "replies"
        attribution.append(f"{highlight.reply_count} {noun}")
    quote = escape(highlight.excerpt)  # already short, and the reader's exact characters
    return f"<blockquote>{quote}\n— {escape(' · '.join(attribution))}</blockquote>"


def _today_buttons(briefing: Briefing, comments: int) -> InlineKeyboardMarkup | None:
    """A button per story, then the briefing's whole discussion."""
    stories = _story_buttons(briefing.stories)
    rows = [list(row) for row in stories.inline_keyboard] if stories else []
    if briefing.id is not None:
        label = f"💬 Comments ({comments})"
        data = comments_button_data(briefing_id=briefing.id)
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def _story_buttons(stories: Sequence[Story]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                f"{number}. {shorten(story.heading, BUTTON_LIMIT)}",
                callback_data=story_button_data(story.id),
            )
        ]
        for number, story in enumerate(stories, start=1)
        if story.id is not None
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def _card_buttons(briefing: Briefing, position: int, comments: int) -> InlineKeyboardMarkup:
    story = briefing.stories[position]
    rows: list[list[InlineKeyboardButton]] = []
    moves = []
    if briefing.id is not None:
        moves.append(InlineKeyboardButton("◀ Back", callback_data=back_button_data(briefing.id)))
    following = briefing.stories[position + 1] if position + 1 < len(briefing.stories) else None
    if following is not None and following.id is not None:
        moves.append(InlineKeyboardButton("Next ▶", callback_data=story_button_data(following.id)))
    if moves:
        rows.append(moves)
    if story.id is not None:
        data = comments_button_data(story_id=story.id)
        rows.append([InlineKeyboardButton(f"💬 Comments ({comments})", callback_data=data)])
    # Stored before links were checked, or by any future parser: only http(s) is a link.
    source = safe_link(story.url) or safe_link(briefing.url)
    if source:
        rows.append([InlineKeyboardButton("Read at the source", url=source)])
    if story.id is not None:
        alert = InlineKeyboardButton("🔔 Alert me", callback_data=alert_button_data(story.id))
        discuss = InlineKeyboardButton("✍️ Discuss", callback_data=discuss_button_data(story.id))
        rows.append([alert, discuss])
    return InlineKeyboardMarkup(rows)


def _as_messages(parts: list[str], keyboard: InlineKeyboardMarkup | None) -> list[Rendered]:
    texts = pack(parts)
    return [
        Rendered(text, keyboard if index == len(texts) - 1 else None)
        for index, text in enumerate(texts)
    ]
