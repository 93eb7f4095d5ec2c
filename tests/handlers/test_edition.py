"""/today as the day's composed edition: many sources, "also in", paging, follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.edition_view import PAGE_SIZE
from tests.fakes.botapi import Sent
from tests.handlers.conftest import ADA, PRIVATE_CHAT, BotHarness

# Wednesday 2 December 2026, 10:00 in Berlin (the harness's zone).
NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
TOPICS = [
    ("Quay repairs begin", "Builders started mending the old quay wall on Monday."),
    ("Lighthouse reopens", "The lighthouse museum opened its doors after a long restoration."),
    ("School choir wins", "The school choir won the regional singing contest in Bergen."),
    ("Bakery expands", "The corner bakery bought the shop next door to bake more bread."),
    ("Cycling lane opens", "A new cycling lane now links the station and the beach."),
    ("Library extends hours", "The town library will stay open until nine on weekdays."),
    ("Storm warning issued", "Forecasters warned of gales and high waves for Thursday night."),
    ("Market moves indoors", "The winter market moves into the old fish hall this year."),
    ("Harbour dredging plan", "The port wants to dredge the channel for larger vessels."),
    ("Festival dates set", "The summer music festival will run over three days in July."),
]
FERRY = ("Ferry times change", "The winter ferry leaves an hour later from Monday on.")


def _post(key: str, source: str, heading: str, summary: str, hours: float) -> Briefing:
    story = Story(heading, (Block(BlockKind.PARAGRAPH, summary),), summary=(summary,))
    return Briefing(key, f"{source}: {heading}", (story,), published=NOW - timedelta(hours=hours))


async def _sources(harness: BotHarness) -> tuple[int, int]:
    harbour = await harness.store.sources.add(
        "https://harbour.example/feed", "feed", title="Harbour News"
    )
    coast = await harness.store.sources.add(
        "https://coast.example/feed", "feed", title="Coast Times"
    )
    assert harbour.id is not None
    assert coast.id is not None
    return harbour.id, coast.id


async def _send(harness: BotHarness, text: str) -> list[Sent]:
    harness.api.user_sends(PRIVATE_CHAT, ADA, text, date=int(NOW.timestamp()))
    return await harness.process_pending()


async def test_the_day_across_sources_once_each_with_also_in(harness: BotHarness) -> None:
    harbour, coast = await _sources(harness)
    store = harness.store
    await store.briefings.save(_post("h1", "Harbour", *FERRY, 5), source_id=harbour)
    await store.briefings.save(_post("c1", "Coast", *FERRY, 4), source_id=coast)
    await store.briefings.save(_post("h2", "Harbour", *TOPICS[0], 3), source_id=harbour)
    await store.briefings.save(_post("c2", "Coast", *TOPICS[1], 2), source_id=coast)
    old = _post("h0", "Harbour", *TOPICS[2], 30)
    await store.briefings.save(old, source_id=harbour)
    [edition] = await _send(harness, "/today")
    assert edition.text.startswith("📰 The news of Wednesday 2 December 2026")
    assert edition.text.count(FERRY[0]) == 1
    assert "also in" in edition.text
    assert "Quay repairs begin" in edition.text
    assert "Lighthouse reopens" in edition.text
    assert TOPICS[2][0] not in edition.text  # yesterday's
    # The lead is the story two sources carry.
    assert edition.buttons[0][0]["text"] == f"1. {FERRY[0]}"
    assert len(edition.buttons) == 3


async def test_more_stories_pages_in_place_and_back(harness: BotHarness) -> None:
    harbour, coast = await _sources(harness)
    for n, (heading, summary) in enumerate(TOPICS):
        source = harbour if n % 2 else coast
        await harness.store.briefings.save(
            _post(f"p{n}", "S", heading, summary, 1 + n / 10), source_id=source
        )
    [first] = await _send(harness, "/today")
    paging = first.buttons[-1]
    assert paging == [
        {"text": f"More stories ({len(TOPICS) - PAGE_SIZE}) ▶", "callback_data": "ed:2026-12-02:1"}
    ]
    assert len(first.buttons) == PAGE_SIZE + 1
    [second] = await harness.press(first, "ed:2026-12-02:1")
    assert second.message_id == first.message_id
    assert f"Stories {PAGE_SIZE + 1} to {len(TOPICS)} of {len(TOPICS)}" in second.text
    assert second.buttons[-1] == [{"text": "◀ Previous", "callback_data": "ed:2026-12-02:0"}]
    assert second.buttons[0][0]["text"].startswith(f"{PAGE_SIZE + 1}. ")
    [again] = await harness.press(second, "ed:2026-12-02:0")
    assert again.text == first.text


async def test_a_stale_or_forged_page_button_answers_shortly(harness: BotHarness) -> None:
    harbour, coast = await _sources(harness)
    await harness.store.briefings.save(_post("a", "S", *TOPICS[0], 2), source_id=harbour)
    await harness.store.briefings.save(_post("b", "S", *TOPICS[1], 1), source_id=coast)
    [first] = await _send(harness, "/today")
    for data in ("ed:2026-11-01:0", "ed:2026-02-30:1", "ed:x"):
        assert await harness.press(first, data) == []
    assert "send /today again" in harness.api.callback_answers[-1]["text"]


async def test_unfollowed_sources_are_left_out(harness: BotHarness) -> None:
    harbour, coast = await _sources(harness)
    await harness.store.briefings.save(_post("a", "S", *TOPICS[0], 2), source_id=harbour)
    await harness.store.briefings.save(_post("b", "S", *TOPICS[1], 1), source_id=coast)
    await harness.store.briefings.save(_post("c", "S", *TOPICS[3], 1), source_id=coast)
    await harness.store.follows.set_following(PRIVATE_CHAT["id"], coast, False)
    [edition] = await _send(harness, "/today")
    assert TOPICS[0][0] in edition.text
    assert TOPICS[1][0] not in edition.text
    assert TOPICS[3][0] not in edition.text


async def test_nothing_today_shows_the_latest_day_dated(harness: BotHarness) -> None:
    harbour, coast = await _sources(harness)
    await harness.store.briefings.save(_post("a", "S", *TOPICS[0], 50), source_id=harbour)
    await harness.store.briefings.save(_post("b", "S", *TOPICS[1], 49), source_id=coast)
    [edition] = await _send(harness, "/today")
    assert edition.text.startswith(
        "📰 The news of Monday 30 November 2026\nNothing yet today. The latest edition,"
        " Monday 30 November 2026:"
    )
    assert TOPICS[0][0] in edition.text
