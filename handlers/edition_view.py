"""Pure view of a composed edition: a page of its stories, with paging in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from briefing.edition import Edition, EditionItem
from briefing.highlights import Highlight
from handlers.callbacks import edition_page_data, story_button_data
from handlers.html import MESSAGE_LIMIT, bold, escape, italic, pack, shorten
from handlers.views import BUTTON_LIMIT, HEADING_LIMIT, Rendered, highlight_line

PAGE_SIZE = 8
# Summary lengths tried in turn until a page fits one message (0: headings only).
SUMMARY_LIMITS = (320, 180, 0)
ALSO_IN_NAMES = 3


def long_day(day: date) -> str:
    """ "Tuesday 2 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def page_count(edition: Edition) -> int:
    """How many pages the edition's stories fill."""
    return max(1, -(-len(edition.items) // PAGE_SIZE))


def edition_view(
    edition: Edition,
    page: int,
    *,
    note: str | None = None,
    overview: str | None = None,
    highlights: Sequence[Highlight] = (),
) -> Rendered:
    """One message: the day's heading, the page's stories numbered, story and paging buttons.

    The first page opens with ``note`` (why this day is shown), the ``overview`` paragraph
    when one was written, and after its stories the ``highlights`` of the lead's discussion.
    """
    page = min(max(page, 0), page_count(edition) - 1)
    first = page * PAGE_SIZE
    items = edition.items[first : first + PAGE_SIZE]
    header = [bold(f"📰 The news of {long_day(edition.day)}")]
    if page == 0 and note:
        header.append(italic(note))
    if page == 0 and overview:
        header.append(escape(overview))
    if page_count(edition) > 1:
        header.append(
            escape(f"Stories {first + 1} to {first + len(items)} of {len(edition.items)}")
        )
    footer: list[str] = []
    if page == 0 and highlights:
        footer = [bold("💬 What readers say"), *(highlight_line(h) for h in highlights)]
    for limit in SUMMARY_LIMITS:
        stories = [
            _item(number, item, limit) for number, item in enumerate(items, start=first + 1)
        ]
        texts = pack(["\n".join(header), *stories, *footer], MESSAGE_LIMIT)
        if len(texts) == 1:
            break
        footer = []  # the stories matter more than the highlights
    return Rendered(texts[0], _keyboard(edition, page, items, first))


def _item(number: int, item: EditionItem, summary_limit: int) -> str:
    story = item.story
    origin = story.source
    if item.also_in:
        names = ", ".join(item.also_in[:ALSO_IN_NAMES])
        more = len(item.also_in) - ALSO_IN_NAMES
        origin += f" · also in {names}" + (f" and {more} more" if more > 0 else "")
    lines = [
        bold(f"{number}. {shorten(story.heading, HEADING_LIMIT)}"),
        italic(shorten(origin, HEADING_LIMIT)),
    ]
    if summary_limit and story.summary:
        lines.append(escape(shorten(story.summary, summary_limit)))
    return "\n".join(lines)


def _keyboard(
    edition: Edition, page: int, items: Sequence[EditionItem], first: int
) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                f"{number}. {shorten(item.story.heading, BUTTON_LIMIT)}",
                callback_data=story_button_data(item.story.story_id),
            )
        ]
        for number, item in enumerate(items, start=first + 1)
        if item.story.story_id is not None
    ]
    paging: list[InlineKeyboardButton] = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                "◀ Previous", callback_data=edition_page_data(edition.day, page - 1)
            )
        )
    left = len(edition.items) - (first + len(items))
    if left > 0:
        paging.append(
            InlineKeyboardButton(
                f"More stories ({left}) ▶", callback_data=edition_page_data(edition.day, page + 1)
            )
        )
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows) if rows else None
