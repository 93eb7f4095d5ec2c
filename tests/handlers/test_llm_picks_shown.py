"""Stored LLM highlight picks come first in /today, story cards and Back."""

from __future__ import annotations

from briefing.models import Block, BlockKind, Briefing, Comment, Story
from storage.llm_answers import BRIEFING_SCOPE
from tests.handlers.conftest import BotHarness as Harness

TEXTS = [
    "The new ferry timetable finally adds an early boat for commuters from the island.",
    "The port authority said the fares will stay the same until the spring review.",
    "Good news for the fishing families, who lost most of the month to the storms.",
    "The sea wall repairs should be finished before the next big tide in March.",
    "Quietly hopeful about the lighthouse museum reopening next summer season.",
]


def _briefing() -> Briefing:
    comments = tuple(
        Comment(str(n), text, author=f"Reader {n}", story_position=0)
        for n, text in enumerate(TEXTS, start=1)
    )
    story = Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry changes."),))
    return Briefing(key="ferry-1", title="Harbour Daily", stories=(story,), comments=comments)


async def _ids_by_text(harness: Harness) -> tuple[int, dict[str, int]]:
    briefing = await harness.store.briefings.latest()
    assert briefing is not None
    assert briefing.id is not None
    return briefing.id, {c.text: c.id for c in briefing.comments if c.id is not None}


def _order(text: str) -> list[int]:
    """Which of TEXTS appear in the message, in the order shown."""
    found = [(text.find(t[:40]), n) for n, t in enumerate(TEXTS) if t[:40] in text]
    return [n for _, n in sorted(found)]


async def test_without_picks_the_ranking_decides(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    assert len(_order(today.text)) == 3


async def test_picks_come_first_everywhere_the_discussion_shows(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    briefing_id, ids = await _ids_by_text(harness)
    picked = [ids[TEXTS[4]], ids[TEXTS[3]]]
    await harness.store.llm_answers.save_picks(briefing_id, BRIEFING_SCOPE, picked, 5)
    await harness.store.llm_answers.save_picks(briefing_id, 0, [ids[TEXTS[2]]], 5)

    [today] = await harness.send("/today")
    assert _order(today.text)[:2] == [4, 3]
    assert len(_order(today.text)) == 3  # the ranking fills the third place

    [card] = await harness.press(today, today.buttons[0][0]["callback_data"])
    assert _order(card.text)[0] == 2
    back = next(b["callback_data"] for row in card.buttons for b in row if "Back" in b["text"])
    [again] = await harness.press(card, back)
    assert _order(again.text)[:2] == [4, 3]


async def test_a_pick_of_a_deleted_comment_is_ignored(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    briefing_id, ids = await _ids_by_text(harness)
    await harness.store.llm_answers.save_picks(
        briefing_id, BRIEFING_SCOPE, [999_999, ids[TEXTS[3]]], 5
    )
    [today] = await harness.send("/today")
    assert _order(today.text)[0] == 3
