"""The alert queue: a saved briefing's new stories become outbox rows, once."""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.alerts import AlertQueue
from bot.sources.ingestor import Ingestor
from briefing.models import Block, BlockKind, Briefing, Story
from briefing.query import parse
from storage.store import Store

ADA, BOB = 11, 22


@dataclass(frozen=True)
class Saved:
    """What the ingestor's hook receives: the save's briefing id and its created stories."""

    briefing_id: int
    created_story_ids: tuple[int, ...]


def _briefing(*stories: Story) -> Briefing:
    return Briefing(
        "daily-1",
        "World Daily",
        stories
        or (
            Story(
                "Sanctions on Iran",
                (Block(BlockKind.PARAGRAPH, "New sanctions on Iran were announced."),),
                url="https://example.org/iran",
                summary=("New sanctions on Iran.", "They start Monday.", "A third sentence."),
            ),
            Story("Harbour reopens", (Block(BlockKind.PARAGRAPH, "Ships are back."),)),
        ),
        published=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
    )


async def _save(store: Store, briefing: Briefing) -> Saved:
    """Save, and find the created stories as the ingestor's SaveResult will name them."""
    before = await store.briefings.stored_state(briefing.key)
    known: set[int | None] = set()
    if before is not None:
        old = await store.briefings.get(before.briefing_id)
        assert old is not None
        known = {s.id for s in old.stories}
    result = await store.briefings.save(briefing)
    stored = await store.briefings.get(result.briefing_id)
    assert stored is not None
    created = tuple(s.id for s in stored.stories if s.id is not None and s.id not in known)
    return Saved(result.briefing_id, created)


async def _outbox(store: Store) -> list[dict[str, Any]]:
    async with store.database.connection.execute(
        "SELECT o.chat_id, o.kind, o.item_key, coalesce(b.text, o.text) AS text,"
        " coalesce(b.buttons, o.buttons) AS buttons, o.briefing_id, o.story_id FROM outbox o"
        " LEFT JOIN outbox_bodies b ON b.id = o.body_id ORDER BY o.id"
    ) as cursor:
        return [dict(row) async for row in cursor]


async def test_new_stories_queue_one_alert_per_chat_naming_its_topics(store: Store) -> None:
    await store.subscriptions.subscribe(ADA, parse("iran"), "Iran")
    sanctions = await store.subscriptions.subscribe(ADA, parse("sanctions"), "sanctions")
    await store.subscriptions.subscribe(BOB, parse("russia"), "russia")
    queue = AlertQueue(store, ZoneInfo("Europe/Berlin"))
    # Through the ingestor, as a poll stores it: the hook runs inside the save's transaction.
    saved = await Ingestor(store, after_save=[queue.queue_alerts]).ingest(_briefing())
    [row] = await _outbox(store)
    story_id = saved.created_story_ids[0]
    assert sanctions.subscription is not None
    mute_sanctions = f"mute:{sanctions.subscription.topic_id}"
    assert row["chat_id"] == ADA
    assert (row["kind"], row["item_key"], row["story_id"]) == ("alert", str(story_id), story_id)
    assert row["briefing_id"] == saved.briefing_id
    assert row["text"] == (
        "🔔 <b>Sanctions on Iran</b>\n\n"
        "New sanctions on Iran were announced.\n\n"  # summarized at ingest
        '<i>World Daily · 24 November 2026</i> · <a href="https://example.org/iran">source</a>'
        "\n\nMatches your topics “Iran”, “sanctions”"
    )
    buttons = json.loads(row["buttons"])
    assert buttons[0] == [["📖 Open the story", f"story:{story_id}", None]]
    assert buttons[2] == [["🔕 Mute “sanctions”", mute_sanctions, None]]
    assert len(buttons) == 3


async def test_an_edited_story_does_not_alert_again_but_an_added_one_does(store: Store) -> None:
    await store.subscriptions.subscribe(ADA, parse("iran OR harbour OR market"), "news")
    queue = AlertQueue(store, ZoneInfo("UTC"))
    briefing = _briefing()
    first = await _save(store, briefing)
    assert await queue.queue(first.briefing_id, first.created_story_ids) == 2
    edited = replace(
        briefing,
        stories=(
            replace(briefing.stories[0], heading="Sanctions on Iran (updated)"),
            briefing.stories[1],
            Story("Market day", (Block(BlockKind.PARAGRAPH, "Stalls at the market."),)),
        ),
    )
    second = await _save(store, edited)
    assert len(second.created_story_ids) == 1
    assert await queue.queue(second.briefing_id, second.created_story_ids) == 1
    # Even if a caller named the edited story again, the outbox holds one alert per story.
    assert await queue.queue(second.briefing_id, first.created_story_ids) == 0
    rows = await _outbox(store)
    assert [row["item_key"] for row in rows] == [
        *map(str, first.created_story_ids),
        str(second.created_story_ids[0]),
    ]


async def test_nothing_new_queues_nothing(store: Store) -> None:
    await store.subscriptions.subscribe(ADA, parse("iran"), "iran")
    queue = AlertQueue(store, ZoneInfo("UTC"))
    saved = await _save(store, _briefing())
    assert await queue.queue(saved.briefing_id, ()) == 0
    assert await queue.queue(saved.briefing_id + 1, saved.created_story_ids) == 0
    assert await _outbox(store) == []


async def test_queueing_leaves_the_garbage_collector_as_it_found_it(store: Store) -> None:
    await store.subscriptions.subscribe(ADA, parse("iran"), "iran")
    queue = AlertQueue(store, ZoneInfo("UTC"))
    saved = await _save(store, _briefing())
    assert gc.isenabled()
    assert await queue.queue(saved.briefing_id, saved.created_story_ids) == 1
    assert gc.isenabled()
    gc.disable()
    try:
        second = await _save(store, replace(_briefing(), key="daily-2"))
        assert await queue.queue(second.briefing_id, second.created_story_ids) == 1
        assert not gc.isenabled()
    finally:
        gc.enable()
