"""/search, its paging buttons and the cards its results open, through real updates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.callbacks import search_page_data
from handlers.search import STALE_PAGE
from handlers.search_view import USAGE
from tests.fakes.botapi import Sent
from tests.handlers.conftest import BOB_CHAT, PRIVATE_CHAT, BotHarness

CHAT = PRIVATE_CHAT["id"]


def _story(heading: str, body: str) -> Story:
    return Story(heading, (Block(BlockKind.PARAGRAPH, body),), summary=(body,))


async def _archive(harness: BotHarness, count: int = 12) -> None:
    stories = [
        _story(f"Volcano <report> {n} & more", f"The volcano erupted again, day {n}.")
        for n in range(count)
    ]
    stories.append(_story("Harbour news", "Ships came in. Nothing erupted."))
    briefing = Briefing(
        "d-1", "Island <Daily>", tuple(stories), published=datetime(2026, 11, 2, 9, tzinfo=UTC)
    )
    await harness.store.briefings.save(briefing)


def _data(message: Sent) -> list[str]:
    return [button["callback_data"] for row in message.buttons for button in row]


async def test_search_alone_explains(harness: BotHarness) -> None:
    [reply] = await harness.send("/search")
    assert reply.text == USAGE


async def test_results_best_first_with_escaped_heading_source_date_and_snippet(
    harness: BotHarness,
) -> None:
    await _archive(harness, count=2)
    [reply] = await harness.send("/search erupted")
    assert reply.text.startswith("🔎 3 stories for “erupted”")
    assert "Volcano <report> 0 & more" in reply.text
    assert "Volcano &lt;report&gt; 0 &amp; more" in reply.html
    assert "Island <Daily> · 2 Nov 2026" in reply.text
    assert "<b>erupted</b>" in reply.html
    stories = [d for d in _data(reply) if d.startswith("story:")]
    assert len(stories) == 3
    assert not [d for d in _data(reply) if d.startswith("srch:")]


async def test_pages_turn_in_place_and_a_result_opens_its_card(harness: BotHarness) -> None:
    await _archive(harness)
    [first] = await harness.send("/search volcano")
    assert "page 1 of 3" in first.text
    [forward] = [d for d in _data(first) if d.startswith("srch:")]
    assert len(forward.encode()) <= 64
    [second] = await harness.press(first, forward)
    assert (second.message_id, "page 2 of 3" in second.text) == (first.message_id, True)
    assert {d for d in _data(first) if d.startswith("story:")}.isdisjoint(_data(second))
    assert len([d for d in _data(second) if d.startswith("srch:")]) == 2
    story = next(d for d in _data(second) if d.startswith("story:"))
    [card] = await harness.press(second, story)
    assert card.text.startswith("Volcano <report>")


async def test_a_stale_or_foreign_page_button_answers_shortly(harness: BotHarness) -> None:
    await _archive(harness)
    [first] = await harness.send("/search volcano")
    assert await harness.press(first, search_page_data(999_999, 1)) == []
    assert harness.api.callback_answers[-1]["text"] == STALE_PAGE
    [forward] = [d for d in _data(first) if d.startswith("srch:")]
    [other] = await harness.send("/search volcano", chat=BOB_CHAT)
    assert await harness.press(other, forward) == []  # Ada's search, pressed in Bob's chat
    assert harness.api.callback_answers[-1]["text"] == STALE_PAGE


async def test_nothing_found_says_so(harness: BotHarness) -> None:
    await _archive(harness, count=1)
    [reply] = await harness.send("/search glacier")
    assert reply.text == "No story this chat follows matches “glacier”."


@pytest.mark.parametrize(
    "typed",
    [
        "volcano*",
        '"volcano',
        'volcano"',
        "NEAR(volcano erupted, 2)",
        "(volcano",
        "volcano)",
        "volcano AND OR NOT",
        "erupted:volcano",
        "volcano -",
        "volcano 🔥🌋",
        "بركان OR volcano",
        "volcano'); --",
        '""volcano""',
        "{volcano} ^erupted",
    ],
)
async def test_hostile_text_is_searched_as_words(harness: BotHarness, typed: str) -> None:
    await _archive(harness, count=2)
    [reply] = await harness.send(f"/search {typed}")
    assert "stories for" in reply.text, reply.text
    assert await harness.store.briefings.count() == 1


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("-", "I found no word to look for"),
        ("-volcano", "A search needs at least one word to look for, not only -exclusions"),
        ("🔥🌋", "I found no word to look for"),
        ("(((", "I found no word to look for"),
        ("שלום"[:0] + "\u202e\u202b", "I found no word to look for"),
        ("x" * 10_000, "A search is at most 200 characters; this one has 10,000."),
    ],
)
async def test_a_text_that_is_no_search_gets_one_line(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, typed: str, answer: str
) -> None:
    await _archive(harness, count=1)
    [reply] = await harness.send(f"/search {typed}")
    assert reply.text.startswith(answer)
    assert "\n" not in reply.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_rtl_words_are_found(harness: BotHarness) -> None:
    briefing = Briefing("rtl", "Daily", (_story("خبر", "عقوبات جديدة على إيران"),))
    await harness.store.briefings.save(briefing)
    [reply] = await harness.send("/search عقوبات")
    assert reply.text.startswith("🔎 1 story for “عقوبات”")


async def test_sql_in_a_search_is_only_words(harness: BotHarness) -> None:
    await _archive(harness, count=1)
    [reply] = await harness.send("/search volcano'); DROP TABLE stories; --")
    assert reply.text == "No story this chat follows matches “volcano'); DROP TABLE stories; --”."
    [again] = await harness.send("/search volcano")
    assert again.text.startswith("🔎 1 story for “volcano”")
