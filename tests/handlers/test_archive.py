"""/briefing DATE, yesterday, bad dates and the 7-day buttons, through real updates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.archive import STALE_DAY, USAGE, parse_day
from handlers.callbacks import day_button_data
from tests.fakes.botapi import Sent
from tests.handlers.conftest import ADA, PRIVATE_CHAT, BotHarness

# Wednesday 2 December 2026, 10:00 in Berlin (the harness's zone).
NOW = int(datetime(2026, 12, 2, 9, tzinfo=UTC).timestamp())


SUMMARIES = {
    "a": "The harbour master retired after forty years at the quay.",
    "b": "Evening storms flooded the promenade and closed two cafés.",
    "c": "An old ferry was sold for scrap.",
}


def _briefing(key: str, title: str, published: datetime) -> Briefing:
    summary = SUMMARIES[key]
    story = Story(f"{title} lead", (Block(BlockKind.PARAGRAPH, summary),), summary=(summary,))
    return Briefing(key, title, (story,), published=published)


async def _send(harness: BotHarness, text: str) -> list[Sent]:
    harness.api.user_sends(PRIVATE_CHAT, ADA, text, date=NOW)
    return await harness.process_pending()


async def _stored(harness: BotHarness) -> None:
    # 23:30 UTC on 30 November is 1 December in Berlin.
    await harness.store.briefings.save(
        _briefing("a", "Late <Daily>", datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    )
    await harness.store.briefings.save(
        _briefing("b", "Evening Daily", datetime(2026, 12, 1, 18, tzinfo=UTC))
    )
    await harness.store.briefings.save(
        _briefing("c", "Old Daily", datetime(2026, 11, 20, 8, tzinfo=UTC))
    )


async def test_a_date_shows_that_local_days_edition_composed(harness: BotHarness) -> None:
    await _stored(harness)
    [edition] = await _send(harness, "/briefing 2026-12-01")
    assert edition.text.startswith("📰 The news of Tuesday 1 December 2026")
    assert "Late &lt;Daily&gt; lead" in edition.html
    assert "Evening Daily lead" in edition.text
    assert "Old Daily" not in edition.text
    assert [b["text"] for row in edition.buttons for b in row] == [
        "1. Evening Daily lead",
        "2. Late <Daily> lead",
    ]


async def test_yesterday_and_replies_join_the_discussion(harness: BotHarness) -> None:
    await harness.store.briefings.save(
        _briefing("a", "Late <Daily>", datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    )
    [edition] = await _send(harness, "/briefing yesterday")
    assert edition.text.startswith("📰 Late <Daily>")
    await harness.reply(edition, "A reply to the archive")
    found = await harness.store.briefings.get(1)
    assert found is not None
    assert [c.text for c in found.comments] == ["A reply to the archive"]


async def test_a_day_without_briefings_says_so(harness: BotHarness) -> None:
    await _stored(harness)
    [reply] = await _send(harness, "/briefing 2026-11-25")
    assert reply.text == (
        "No edition on Wednesday 25 November 2026. /briefing shows the last 7 days."
    )


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("tomorrow", "I read dates as YYYY-MM-DD."),
        ("30/11/2026", "I read dates as YYYY-MM-DD."),
        ("2026-02-30", "2026-02-30 is not a day of the calendar."),
        ("2026-13-01", "2026-13-01 is not a day of the calendar."),
        ("2026-12-03", "2026-12-03 has not come yet"),
        ("0000-01-01", "0000-01-01 is not a day of the calendar."),
        ("'; DROP TABLE briefings; --", "I read dates as YYYY-MM-DD."),
        ("🗓️" * 3000, "I read dates as YYYY-MM-DD."),
    ],
)
async def test_a_bad_date_gets_one_line(harness: BotHarness, typed: str, answer: str) -> None:
    [reply] = await _send(harness, f"/briefing {typed}")
    assert reply.text.startswith(answer)
    assert "\n" not in reply.text


async def test_alone_it_offers_the_last_seven_days(harness: BotHarness) -> None:
    await _stored(harness)
    [offer] = await _send(harness, "/briefing")
    labels = [b["text"] for row in offer.buttons for b in row]
    data = [b["callback_data"] for row in offer.buttons for b in row]
    assert labels == [
        "Today",
        "Yesterday",
        "Mon 30 Nov",
        "Sun 29 Nov",
        "Sat 28 Nov",
        "Fri 27 Nov",
        "Thu 26 Nov",
    ]
    assert data[1] == day_button_data(date(2026, 12, 1))
    [edition] = await harness.press(offer, data[1])
    assert edition.text.startswith("📰 The news of Tuesday 1 December 2026")


async def test_a_broken_day_button_answers_shortly(harness: BotHarness) -> None:
    [offer] = await _send(harness, "/briefing")
    assert await harness.press(offer, "day:2026-02-30") == []
    assert harness.api.callback_answers[-1]["text"] == STALE_DAY


def test_parse_day_is_relative_to_the_given_today() -> None:
    today = date(2026, 3, 1)
    assert parse_day("Yesterday", today) == date(2026, 2, 28)
    assert parse_day("today", today) == today
    assert parse_day("2026-2-3", today) == date(2026, 2, 3)
    assert USAGE in str(parse_day("soon", today))
