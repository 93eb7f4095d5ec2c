"""Key phrases of a story: names first, heading words after, each a valid topic."""

from __future__ import annotations

from pathlib import Path

from briefing.digest import parse_digest
from briefing.key_phrases import key_phrases, phrase_query
from briefing.models import Block, BlockKind, Story
from briefing.query import parse


def _story(heading: str, *paragraphs: str) -> Story:
    return Story(heading, tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs))


BANK = _story(
    "Bank of England raises rates again",
    "The Bank of England raised its rate on Thursday. Andrew Bailey said inflation was high.",
    "Traders in London expected it. Andrew Bailey will speak to the Treasury Committee.",
    "Officials said more rises may follow.",
)


def test_frequent_names_come_first_then_other_names() -> None:
    # Two-word names rank ahead of one-word names seen as often.
    assert key_phrases(BANK) == ["Bank of England", "Andrew Bailey", "Treasury Committee"]
    assert key_phrases(BANK, limit=4)[3] == "London"


def test_a_lone_capital_opening_a_sentence_is_no_name() -> None:
    assert "Officials" not in key_phrases(BANK, limit=10)
    assert "Traders" not in key_phrases(BANK, limit=10)


def test_heading_words_fill_in_when_a_story_names_too_few() -> None:
    story = _story("harbour reopens after storm", "the ships came back in the morning.")
    assert key_phrases(story) == ["harbour", "reopens", "storm"]


def test_phrases_overlapping_a_chosen_one_are_skipped() -> None:
    story = _story("Iran", "Talks with Iran. Flights of Iran Air stop. Iran Air is grounded.")
    assert key_phrases(story) == ["Iran Air"]  # "Iran" is inside it, so not offered too


def test_a_story_without_words_has_no_phrases() -> None:
    assert key_phrases(_story("🔥🔥", "… — !")) == []


def test_every_phrase_is_a_topic_of_its_words_in_a_row() -> None:
    assert phrase_query("Bank of England") == '"Bank of England"'
    assert phrase_query("London") == "London"
    assert parse(phrase_query("Bank of England")).canonical == '"bank england"'


def test_the_seed_edition_gives_two_or_three_short_phrases_per_story(seed_file: Path) -> None:
    briefing = parse_digest(seed_file.read_text(encoding="utf-8"), "seed")
    for story in briefing.stories:
        phrases = key_phrases(story)
        assert 2 <= len(phrases) <= 3, story.heading
        assert all(len(p) <= 40 and parse(phrase_query(p)).matches for p in phrases)
        assert key_phrases(story) == phrases  # deterministic: buttons name them by index
