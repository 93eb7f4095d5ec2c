"""What ingest computes: summaries and each comment's story."""

from __future__ import annotations

from pathlib import Path

from briefing.digest import parse_digest
from briefing.enrich import SUMMARY_SENTENCES, enrich
from briefing.models import Block, BlockKind, Briefing, Comment, Story


def test_the_seed_gets_summaries_and_its_comments_placed(seed_file: Path) -> None:
    briefing = enrich(parse_digest(seed_file.read_text(encoding="utf-8"), key="seed"))
    lead, _, sniper, _ = briefing.stories
    assert 1 <= len(lead.summary) <= SUMMARY_SENTENCES
    assert sniper.summary[0] == "A Russian Lieutenant Colonel has been killed by a sniper."
    by_key = {c.key: c for c in briefing.comments}
    # "It isn't partition, it's ... safe zones" is about the lead story.
    assert by_key["1.2"].story_position == 0
    # Replies follow their parent's story.
    assert all(
        c.story_position == by_key[c.parent_key].story_position
        for c in briefing.comments
        if c.parent_key is not None
    )


def test_a_short_story_is_its_own_summary() -> None:
    story = Story("Ferry", (Block(BlockKind.PARAGRAPH, "The ferry is late today."),))
    briefing = enrich(Briefing(key="k", title="T", stories=(story,)))
    assert briefing.stories[0].summary == ("The ferry is late today.",)


def test_a_comment_already_placed_keeps_its_place() -> None:
    stories = (
        Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry leaves later."),)),
        Story("Quay repairs", (Block(BlockKind.PARAGRAPH, "The quay steps are repaired."),)),
    )
    placed = Comment("1", "The ferry timetable is a mess.", story_position=1)
    briefing = enrich(Briefing(key="k", title="T", stories=stories, comments=(placed,)))
    assert briefing.comments[0].story_position == 1
