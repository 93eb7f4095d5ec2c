"""The packaged sample edition parses with its intended structure."""

from __future__ import annotations

from briefing.digest import parse_digest
from briefing.models import BlockKind, Briefing, replies_to
from briefing.sample import sample_digest_text


def _sample() -> Briefing:
    return parse_digest(sample_digest_text(), key="sample")


def test_sample_has_a_lead_and_three_sub_stories() -> None:
    briefing = _sample()
    assert briefing.title.startswith("Harbour Town Daily: ")
    assert [story.heading for story in briefing.stories] == [
        "Council votes to rebuild the north sea wall before next winter",
        "Winter Ferry Timetable Starts on 1 November",
        "Lighthouse Museum Reopens With a Restored Lantern Room",
        "Fishing Co-op Reports Best Herring Landings in a Decade",
    ]
    lead, *subs = briefing.stories
    assert 5 <= len(lead.blocks) <= 8
    assert all(2 <= len(story.blocks) <= 4 for story in subs)


def test_sample_lead_has_one_quoted_passage() -> None:
    lead = _sample().stories[0]
    quotes = [block.text for block in lead.blocks if block.kind is BlockKind.QUOTE]
    assert len(quotes) == 1
    assert quotes[0].startswith("We have patched this wall every winter")


def test_sample_discussion_is_threaded() -> None:
    comments = _sample().comments
    assert [(c.key, c.parent_key) for c in comments] == [
        ("1", None),
        ("1.1", "1"),
        ("1.1.1", "1.1"),
        ("1.2", "1"),
        ("2", None),
        ("2.1", "2"),
        ("3", None),
        ("4", None),
        ("5", None),
        ("6", None),
    ]
    assert [c.key for c in replies_to(comments, "1")] == ["1.1", "1.2"]
    assert len(comments[4].text.split("\n\n")) == 3


def test_sample_comments_concern_different_stories() -> None:
    texts = {c.key: c.text for c in _sample().comments}
    assert "sea wall" in texts["1"]
    assert "ferry" in texts["2"]
    assert "lighthouse" in texts["3"]
    assert "herring" in texts["4"]


def test_sample_keeps_characters_that_need_escaping() -> None:
    briefing = _sample()
    body = "\n".join(story.text for story in briefing.stories)
    assert "temperatures are < 5°C" in body
    assert "Marsh & Keel Engineering" in body
    assert "“forgotten”" in body
    assert any("&" in c.text for c in briefing.comments)
    assert any("<" in c.text for c in briefing.comments)


def test_sample_drops_its_boilerplate() -> None:
    briefing = _sample()
    everything = [s.text for s in briefing.stories] + [c.text for c in briefing.comments]
    assert not any("Related Posts" in t or "Leave a Comment" in t for t in everything)
