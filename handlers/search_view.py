"""Pure views of /search: a page of results with a button per story and ◀ ▶ paging."""

from __future__ import annotations

import re
from datetime import tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.callbacks import search_page_data, story_button_data
from handlers.html import bold, escape, italic, shorten
from handlers.views import BUTTON_LIMIT, HEADING_LIMIT, Rendered
from storage.search import HIT_END, HIT_START, SearchHit, SearchPage

QUERY_LABEL_LIMIT = 60
TITLE_LIMIT = 80
SNIPPET_LIMIT = 300
USAGE = (
    "Send /search WORDS to look through every story this chat follows, e.g. "
    '/search sanctions iran, /search "nerve agent", /search russia OR iran -football.'
)
_MARKED = re.compile(f"{HIT_START}([^{HIT_START}{HIT_END}]*){HIT_END}")


def search_view(page: SearchPage, typed: str, search_id: int, zone: tzinfo) -> Rendered:
    """The results message: what was searched, then each story with a passage, best first."""
    label = shorten(typed, QUERY_LABEL_LIMIT)
    if not page.hits:
        if page.total:
            return Rendered(escape(f"No more results for “{label}”: send /search again."))
        return Rendered(escape(f"No story this chat follows matches “{label}”."))
    noun = "story" if page.total == 1 else "stories"
    header = bold(f"🔎 {page.total:,} {noun} for “{label}”")
    if page.pages > 1:
        header += escape(f" · page {page.page + 1} of {page.pages}")
    first = page.page * page.page_size + 1
    parts = [header]
    parts.extend(_hit(number, hit, zone) for number, hit in enumerate(page.hits, start=first))
    rows = [
        [
            InlineKeyboardButton(
                f"{number}. {shorten(hit.heading, BUTTON_LIMIT)}",
                callback_data=story_button_data(hit.story_id),
            )
        ]
        for number, hit in enumerate(page.hits, start=first)
    ]
    paging = []
    if page.page > 0:
        paging.append(
            InlineKeyboardButton("◀", callback_data=search_page_data(search_id, page.page - 1))
        )
    if page.page + 1 < page.pages:
        paging.append(
            InlineKeyboardButton("▶", callback_data=search_page_data(search_id, page.page + 1))
        )
    if paging:
        rows.append(paging)
    return Rendered("\n\n".join(parts), InlineKeyboardMarkup(rows))


def _hit(number: int, hit: SearchHit, zone: tzinfo) -> str:
    origin = shorten(hit.briefing_title, TITLE_LIMIT)
    if hit.published is not None:
        local = hit.published.astimezone(zone)
        origin += f" · {local.day} {local:%b %Y}"
    lines = [bold(f"{number}. {shorten(hit.heading, HEADING_LIMIT)}"), italic(origin)]
    snippet = snippet_html(hit.snippet)
    if snippet:
        lines.append(snippet)
    return "\n".join(lines)


def snippet_html(snippet: str) -> str:
    """The passage escaped, its found words in bold; markers left unpaired are dropped."""
    text = shorten(snippet, SNIPPET_LIMIT)
    pieces: list[str] = []
    last = 0
    for match in _MARKED.finditer(text):
        pieces.append(_plain(text[last : match.start()]))
        found = _plain(match.group(1))
        pieces.append(f"<b>{found}</b>" if found.strip() else found)
        last = match.end()
    pieces.append(_plain(text[last:]))
    return "".join(pieces)


def _plain(text: str) -> str:
    return escape(text.replace(HIT_START, "").replace(HIT_END, ""))
