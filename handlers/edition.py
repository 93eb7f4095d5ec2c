"""The edition of a day as a chat sees it: composed from its followed sources, rendered.

One path for /today, its "More stories" pages, /briefing DATE and the daily delivery. A day
whose stories all come from one post (a digest such as the seed's "Syria Daily") is shown
as that post, with its own structure and discussion; a day of many posts is composed
(``briefing.edition``): a lead, the rest by score, near duplicates collapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from briefing.edition import Edition, compose_edition
from briefing.edition_overview import OverviewStory, overview_key
from briefing.highlights import Highlight
from handlers.dates import with_edition_date
from handlers.edition_view import edition_view, long_day
from handlers.html import MESSAGE_LIMIT, italic, visible_length
from handlers.views import Rendered, today_view
from storage.store import Store

EDITION_HIGHLIGHTS = 3


@dataclass(frozen=True, slots=True)
class DayView:
    """A day's edition as messages, and the one post replies to it join (a one-post day)."""

    messages: list[Rendered]
    briefing_id: int | None = None


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The first moment of ``day`` in ``zone`` and of the day after."""
    return (
        datetime.combine(day, time(), zone),
        datetime.combine(day + timedelta(days=1), time(), zone),
    )


async def load_edition(store: Store, chat_id: int, day: date, zone: tzinfo) -> Edition:
    """The composed edition of ``day`` in ``zone`` from the sources the chat follows."""
    start, end = day_bounds(day, zone)
    return compose_edition(day, await store.editions.day_stories(chat_id, start, end))


async def latest_day_before(store: Store, chat_id: int, day: date, zone: tzinfo) -> date | None:
    """The latest local day before ``day`` that has an edition for the chat, if any."""
    at = await store.editions.latest_before(chat_id, day_bounds(day, zone)[0])
    return at.astimezone(zone).date() if at is not None else None


def nothing_yet_note(shown: date) -> str:
    """What the shown edition says when today has none yet."""
    return f"Nothing yet today. The latest edition, {long_day(shown)}:"


async def render_day(
    store: Store,
    chat_id: int,
    day: date,
    zone: tzinfo,
    *,
    page: int = 0,
    note: str | None = None,
) -> DayView | None:
    """The day's edition for the chat, or None when the day has no story it follows."""
    edition = await load_edition(store, chat_id, day, zone)
    if not edition.items:
        return None
    posts = {item.story.briefing_id for item in edition.items}
    if len(posts) == 1 and None not in posts:
        [post] = posts
        assert post is not None
        return await _one_post(store, post, zone, note)
    return DayView(
        [
            edition_view(
                edition,
                page,
                note=note,
                overview=await store.llm_answers.overview(overview_key(overview_stories(edition))),
                highlights=await _lead_highlights(store, edition),
            )
        ]
    )


def overview_stories(edition: Edition) -> list[OverviewStory]:
    """What an overview of the edition is written from (and keyed by), in edition order."""
    return [
        OverviewStory(item.story.heading, item.story.summary, item.story.source)
        for item in edition.items
    ]


async def _one_post(
    store: Store, briefing_id: int, zone: tzinfo, note: str | None
) -> DayView | None:
    briefing = await store.briefings.get(briefing_id, comments=False)
    if briefing is None:
        return None
    top = await store.highlights.top_and_count(briefing_id, None, EDITION_HIGHLIGHTS)
    shown = await with_edition_date(store, briefing)
    messages = today_view(shown, top.highlights, zone, top.shown)
    if note:
        first = messages[0]
        noted = f"{italic(note)}\n\n{first.text}"
        if visible_length(noted) <= MESSAGE_LIMIT:
            messages[0] = Rendered(noted, first.keyboard)
        else:
            messages.insert(0, Rendered(italic(note)))
    return DayView(messages, briefing_id)


async def _lead_highlights(store: Store, edition: Edition) -> list[Highlight]:
    """The highlights of the lead's post, when it has a discussion."""
    lead = edition.lead
    if lead is None or lead.story.briefing_id is None or not lead.story.discussion:
        return []
    return await store.highlights.top(lead.story.briefing_id, None, EDITION_HIGHLIGHTS)
