"""The comments view: one page of a discussion, threaded, with paging and sort buttons."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from briefing.models import Comment, CommentOrigin
from handlers.callbacks import back_button_data, comments_button_data, story_button_data
from handlers.discussion_views import answer_button_data
from handlers.html import MESSAGE_LIMIT, bold, escape, italic, shorten, telegram_length
from handlers.threads import Entry, threaded
from handlers.views import Rendered

COMMENT_LIMIT = 900  # characters of one comment on a page; longer ones end with "…"
PAGE_ENTRIES = 6
PAGE_BUDGET = MESSAGE_LIMIT - 400  # room for the header
TITLE_LIMIT = 120
CHAT_MARK = "via Telegram"
_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Discussion:
    """What a comments view is about: a story (``story_id``) or a whole briefing."""

    title: str
    comments: tuple[Comment, ...]
    briefing_id: int
    story_id: int | None = None


def comments_page(discussion: Discussion, page: int, *, newest_first: bool) -> Rendered:
    """Page ``page`` (from 0, kept in range) of the discussion, with its buttons."""
    pages = _pages(threaded(discussion.comments, newest_first=newest_first))
    page = max(0, min(page, len(pages) - 1))
    total = sum(len(p) for p in pages)
    header = bold(f"💬 Comments on {shorten(discussion.title, TITLE_LIMIT)}")
    if total == 0:
        text = f"{header}\n\nNo comments yet. Reply to this message to start the discussion."
        return Rendered(text, _keyboard(discussion, 0, 1, newest_first, sortable=False))
    noun = "comment" if total == 1 else "comments"
    order = "newest first" if newest_first else "best first"
    status = f"{total} {noun} · {order}"
    if len(pages) > 1:
        status += f" · page {page + 1} of {len(pages)}"
    shown = pages[page]
    blocks = [f"{header}\n{italic(status)}", *(_entry(e, n) for n, e in enumerate(shown, 1))]
    text = "\n\n".join(blocks)
    keyboard = _keyboard(discussion, page, len(pages), newest_first, sortable=True)
    return Rendered(text, _with_reply_buttons(keyboard, shown))


def _with_reply_buttons(
    keyboard: InlineKeyboardMarkup, shown: list[Entry]
) -> InlineKeyboardMarkup:
    """A "↩️ N" button per numbered entry: it prompts for a threaded reply to that comment."""
    replies = [
        InlineKeyboardButton(f"↩️ {number}", callback_data=answer_button_data(entry.comment.id))
        for number, entry in enumerate(shown, 1)
        if entry.comment.id is not None
    ]
    if not replies:
        return keyboard
    return InlineKeyboardMarkup([replies, *keyboard.inline_keyboard])


def excerpt_as_written(text: str, limit: int) -> str:
    """``text`` as written (line breaks kept), or its start cut at a space with "…".

    ``limit`` counts UTF-16 units, as Telegram does; no character is changed.
    """
    text = text.strip()
    if telegram_length(text) <= limit:
        return text
    cut = _prefix_within(text, limit - 1)
    spaces = [m.start() for m in _SPACE.finditer(cut)]
    if spaces and spaces[-1] > len(cut) // 2:
        cut = cut[: spaces[-1]]
    return cut.rstrip() + "…"


def _prefix_within(text: str, units: int) -> str:
    """The longest start of ``text`` of at most ``units`` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def _entry(entry: Entry, number: int = PAGE_ENTRIES) -> str:
    comment = entry.comment
    author = bold(comment.author or "A reader")
    head = f"↳ {author} · reply to {escape(entry.replies_to or '')}" if entry.is_reply else author
    # Numbered for the "↩️ N" buttons that answer an entry.
    head = "\u2003" * max(entry.depth - 1, 0) + f"{number}. {head}"
    if comment.origin is CommentOrigin.CHAT:
        head += f" · {italic(CHAT_MARK)}"
    return f"{head}\n{escape(excerpt_as_written(comment.text, COMMENT_LIMIT))}"


def _pages(entries: list[Entry]) -> list[list[Entry]]:
    """Entries in pages of at most ``PAGE_ENTRIES`` that fit one message."""
    pages: list[list[Entry]] = [[]]
    size = 0
    for entry in entries:
        length = telegram_length(_entry(entry)) + 2
        if pages[-1] and (len(pages[-1]) >= PAGE_ENTRIES or size + length > PAGE_BUDGET):
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += length
    return pages


def _keyboard(
    discussion: Discussion, page: int, pages: int, newest_first: bool, *, sortable: bool
) -> InlineKeyboardMarkup:
    def data(to_page: int, newest: bool) -> str:
        return comments_button_data(
            story_id=discussion.story_id,
            briefing_id=discussion.briefing_id,
            page=to_page,
            newest_first=newest,
        )

    rows: list[list[InlineKeyboardButton]] = []
    paging = []
    if page > 0:
        paging.append(InlineKeyboardButton("◀", callback_data=data(page - 1, newest_first)))
    if page < pages - 1:
        paging.append(InlineKeyboardButton("▶", callback_data=data(page + 1, newest_first)))
    if paging:
        rows.append(paging)
    if sortable:
        label = "⭐ Best first" if newest_first else "🕒 Newest first"
        rows.append([InlineKeyboardButton(label, callback_data=data(0, not newest_first))])
    if discussion.story_id is not None:
        back = InlineKeyboardButton(
            "◀ Back to the story", callback_data=story_button_data(discussion.story_id)
        )
    else:
        back = InlineKeyboardButton(
            "◀ Back to the briefing", callback_data=back_button_data(discussion.briefing_id)
        )
    rows.append([back])
    return InlineKeyboardMarkup(rows)
