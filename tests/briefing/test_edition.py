"""The edition composer: dedup across sources, order by score, digest posts keep order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing.edition import DayStory, compose_edition, duplicate_groups, tfidf_vectors
from briefing.text_terms import cosine

DAY = date(2026, 12, 3)


def _story(
    heading: str,
    summary: str = "",
    *,
    source: str = "Wire",
    hour: int = 9,
    story_id: int | None = None,
    briefing_id: int | None = None,
    position: int = 0,
    post_stories: int = 1,
    discussion: int = 0,
) -> DayStory:
    return DayStory(
        story_id=story_id,
        briefing_id=briefing_id,
        source=source,
        heading=heading,
        summary=summary,
        seen=datetime(2026, 12, 3, hour, tzinfo=UTC),
        position=position,
        post_stories=post_stories,
        discussion=discussion,
    )


def test_empty_day_has_no_lead() -> None:
    edition = compose_edition(DAY, [])
    assert edition.lead is None
    assert edition.rest == ()


def test_same_news_in_two_sources_is_shown_once_with_also_in() -> None:
    a = _story(
        "Senate passes the budget bill",
        "The Senate passed the budget bill late on Wednesday after a long debate.",
        source="Daily Wire",
        story_id=1,
    )
    b = _story(
        "Budget bill passes the Senate",
        "Late Wednesday the Senate passed the budget bill, ending weeks of debate.",
        source="Evening Post",
        story_id=2,
    )
    other = _story("Storm closes schools", "Heavy snow closed schools in the north.", story_id=3)
    edition = compose_edition(DAY, [a, b, other])
    assert len(edition.items) == 2
    lead = edition.lead
    assert lead is not None
    assert lead.story.story_id in {1, 2}
    expected = ("Evening Post",) if lead.story.story_id == 1 else ("Daily Wire",)
    assert lead.also_in == expected
    # Carried by another source: a whole point above the single story.
    assert lead.score >= edition.items[1].score + 1.0


def test_one_sources_story_told_twice_is_shown_once() -> None:
    a = _story("Senate passes the budget bill", "The Senate passed the budget.", story_id=1)
    b = _story("Senate passes the budget bill", "The Senate passed the budget.", story_id=2)
    assert duplicate_groups([a, b]) == [[0, 1]]
    [item] = compose_edition(DAY, [a, b]).items
    assert item.also_in == ()


def test_one_sources_different_stories_on_one_subject_stay_apart() -> None:
    a = _story("Heart rate accuracy", "The watch's heart rate in interval runs.")
    b = _story("GPS and heart rate accuracy", "GPS tracks and heart rate on the trail.")
    assert duplicate_groups([a, b]) == [[0], [1]]


def test_unrelated_stories_stay_apart() -> None:
    a = _story("Senate passes budget", "The Senate passed the budget.", source="A")
    b = _story("Garmin watch review", "A review of the new Garmin running watch.", source="B")
    assert sorted(duplicate_groups([a, b])) == [[0], [1]]


def test_identical_text_has_cosine_one_and_disjoint_text_zero() -> None:
    vectors = tfidf_vectors([("senate", "budget"), ("senate", "budget"), ("garmin", "watch")])
    assert cosine(vectors[0], vectors[1]) == pytest.approx(1.0)
    assert cosine(vectors[0], vectors[2]) == 0.0


def test_discussion_lifts_a_story_above_a_later_one() -> None:
    quiet = _story("Late quiet story", "Nothing much.", hour=20, story_id=1)
    talked = _story("Morning debate", "Everyone argues.", hour=8, story_id=2, discussion=150)
    edition = compose_edition(DAY, [quiet, talked])
    assert [item.story.story_id for item in edition.items] == [2, 1]


def test_recency_breaks_an_otherwise_even_day() -> None:
    early = _story("Early item", "First news.", hour=6, story_id=1)
    late = _story("Late item", "Later news.", hour=18, story_id=2)
    edition = compose_edition(DAY, [early, late])
    assert [item.story.story_id for item in edition.items] == [2, 1]


def test_a_digest_post_keeps_its_order_with_its_lead_first() -> None:
    # Later stories of the post score higher on recency; the post's order still holds.
    post = [
        _story(
            f"Digest story {n}",
            f"Text {n}.",
            source="Syria Daily",
            story_id=10 + n,
            briefing_id=7,
            position=n,
            post_stories=4,
            discussion=5,
            hour=8 + n * 3,
        )
        for n in range(4)
    ]
    edition = compose_edition(DAY, list(reversed(post)))
    assert [item.story.story_id for item in edition.items] == [10, 11, 12, 13]


def test_a_digest_lead_outranks_a_lone_article_of_the_same_hour() -> None:
    lead = _story(
        "Digest lead", "Lead text.", story_id=1, briefing_id=3, position=0, post_stories=3
    )
    article = _story("Lone article", "Article text.", source="Other", story_id=2)
    edition = compose_edition(DAY, [article, lead])
    assert edition.lead is not None
    assert edition.lead.story.story_id == 1


def test_coverage_counts_at_most_three_other_sources() -> None:
    same = "Senate passes the budget bill after a long debate on Wednesday night"
    copies = [_story(same, same, source=f"Source {n}", story_id=n) for n in range(6)]
    edition = compose_edition(DAY, copies)
    assert len(edition.items) == 1
    lead = edition.lead
    assert lead is not None
    assert len(lead.also_in) == 5
    assert lead.score == pytest.approx(3.0)
