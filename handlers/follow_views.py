"""Pure views of /sources: a page of sources, each with a button that follows or unfollows it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from briefing.schedule import format_interval
from briefing.sources import Source
from handlers.callbacks import follow_button_data, sources_page_data
from handlers.html import MESSAGE_LIMIT, bold, escape, italic, shorten, visible_length
from handlers.views import BUTTON_LIMIT, Rendered

PAGE_SIZE = 10
# Ten sources at these limits fit one message of 4,096 units; a page that does not (names
# of astral characters, two units each) is drawn again without addresses.
NAME_LIMIT = 48
URL_LIMIT = 80
ERROR_LIMIT = 200
ANSWER_NAME_LIMIT = 60
FOLLOWED = "✅"
NOT_FOLLOWED = "\N{HEAVY PLUS SIGN}"
NO_SOURCES = "This bot reads no sources yet."
NO_SOURCES_ADMIN = "No sources yet. Add one with /addsource URL [INTERVAL]."
SOURCE_GONE = "That source is no longer read by the bot."
HOW_TO = (
    f"{FOLLOWED} followed, {NOT_FOLLOWED} not: the edition, alerts and search use only what "
    "this chat follows. A button changes it."
)
ADMIN_FOOTER = "Add one with /addsource URL [INTERVAL], remove one with /removesource ID."


def page_count(total: int) -> int:
    """How many pages ``total`` sources take (an empty list still shows one)."""
    return max(1, -(-total // PAGE_SIZE))


def sources_view(
    sources: Sequence[Source],
    followed: frozenset[int],
    page: int,
    *,
    admin: bool,
    zone: tzinfo,
) -> Rendered:
    """Page ``page`` of /sources (clamped to the last), with a toggle per source and ◀ ▶.

    Admins also see each source's id, poll interval, last success and last error.
    """
    if not sources:
        return Rendered(escape(NO_SOURCES_ADMIN if admin else NO_SOURCES))
    pages = page_count(len(sources))
    page = min(max(page, 0), pages - 1)
    shown = sources[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    following = sum(1 for source in sources if source.id in followed)
    header = bold(f"📚 Sources ({len(sources)})")
    if pages > 1:
        header += escape(f" · page {page + 1} of {pages}")
    parts = [header, escape(f"This chat follows {following} of {len(sources)}. {HOW_TO}")]
    paragraphs = [_paragraph(s, s.id in followed, admin=admin, zone=zone) for s in shown]
    footer = [escape(ADMIN_FOOTER)] if admin else []
    text = "\n\n".join([*parts, *paragraphs, *footer])
    if visible_length(text) > MESSAGE_LIMIT:
        paragraphs = [
            _paragraph(s, s.id in followed, admin=admin, zone=zone, compact=True) for s in shown
        ]
        text = "\n\n".join([*parts, *paragraphs, *footer])
    rows = [[_toggle(source, source.id in followed, page)] for source in shown]
    paging = []
    if page > 0:
        paging.append(InlineKeyboardButton("◀", callback_data=sources_page_data(page - 1)))
    if page + 1 < pages:
        paging.append(InlineKeyboardButton("▶", callback_data=sources_page_data(page + 1)))
    if paging:
        rows.append(paging)
    return Rendered(text, InlineKeyboardMarkup(rows))


def toggled_answer(source: Source, following: bool) -> str:
    """The short answer to a follow button (plain text: a callback answer is not HTML)."""
    name = shorten(source_name(source), ANSWER_NAME_LIMIT)
    if following:
        return f"{FOLLOWED} This chat follows {name}."
    return f"This chat no longer follows {name}."


def source_name(source: Source) -> str:
    """What a reader knows a source by: its own title, else its address."""
    return source.title or source.display_url


def _paragraph(
    source: Source, followed: bool, *, admin: bool, zone: tzinfo, compact: bool = False
) -> str:
    mark = FOLLOWED if followed else NOT_FOLLOWED
    lines = [f"{mark} {bold(shorten(source_name(source), NAME_LIMIT))}"]
    if (source.title or admin) and not compact:
        lines.append(escape(_cut(source.display_url, URL_LIMIT)))
    if admin:
        interval = format_interval(source.interval_seconds)
        success = _moment(source.last_success_at, zone) if source.last_success_at else "never"
        lines.append(
            italic(
                f"#{source.id} · {source.kind.value} · every {interval} · last success {success}"
            )
        )
        if source.last_error:
            when = (
                f", next try {_moment(source.next_poll_at, zone)}" if source.next_poll_at else ""
            )
            lines.append(
                f"⚠️ Last error ({source.failures} in a row{when}): "
                + escape(shorten(source.last_error, ERROR_LIMIT // 2 if compact else ERROR_LIMIT))
            )
    return "\n".join(lines)


def _toggle(source: Source, followed: bool, page: int) -> InlineKeyboardButton:
    mark = FOLLOWED if followed else NOT_FOLLOWED
    assert source.id is not None  # listed sources are stored ones
    return InlineKeyboardButton(
        f"{mark} {shorten(source_name(source), BUTTON_LIMIT)}",
        callback_data=follow_button_data(source.id, following=not followed, page=page),
    )


def _cut(url: str, limit: int) -> str:
    # An address has no spaces to cut at: a plain cut, marked.
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _moment(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
