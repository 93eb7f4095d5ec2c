"""The checks an LLM-written overview must pass."""

from __future__ import annotations

import pytest

from briefing.edition_overview import OverviewStory, numbers_in, overview_key, overview_problem

SOURCE = "Storms closed the harbour for 7 days. About 2,000 people waited; fares rose 3.5%."


def test_figures_are_compared_without_thousands_separators() -> None:
    assert numbers_in("2,000 or 2000 and 3.5, then 7.0") == {"2000", "3.5", "7"}


def test_an_overview_that_restates_the_stories_passes() -> None:
    assert overview_problem("The harbour shut for 7 days and 2000 people waited.", SOURCE) is None


@pytest.mark.parametrize(
    ("overview", "reason"),
    [
        ("", "empty"),
        ("  ...  ", "empty"),
        ("The harbour shut for 8 days.", "figures the stories do not: 8"),
        ("Read more at https://example.org today.", "link"),
        ("First part.\n\nSecond part.", "more than one paragraph"),
        ("word " * 200, "characters long"),
    ],
)
def test_an_overview_that_invents_or_overflows_is_refused(overview: str, reason: str) -> None:
    problem = overview_problem(overview, SOURCE)
    assert problem is not None
    assert reason in problem


def test_the_key_changes_with_any_story_and_with_the_order() -> None:
    a = OverviewStory("Harbour reopens", "Boats are back.", "Harbour Daily")
    b = OverviewStory("Market day", "Stalls opened.", "Town News")
    assert overview_key([a, b]) == overview_key([a, b])
    assert overview_key([a, b]) != overview_key([b, a])
    assert overview_key([a]) != overview_key([OverviewStory(a.heading, "Boats are back!")])
