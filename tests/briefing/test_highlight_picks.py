"""Reading a model's highlight picks, and putting them first."""

from __future__ import annotations

import pytest

from briefing.highlight_picks import parse_picks, picked_first


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("[2, 1, 3]", [1, 0, 2]),
        ('Sure! The best are: [3, "1"] because...', [2, 0]),
        ("[4, 4, 2]", [3, 1]),
        ("[0, 9, 2, -1]", [1]),
        ("[true, 2]", [1]),
        ('["#2", "x", 1.5, null, {"a": 1}, 3]', [1, 2]),
        ("[not json] then [1]", [0]),
        ("[1, 2, 3, 4, 5, 6]", [0, 1, 2, 3, 4]),
    ],
)
def test_only_shown_numbers_count_each_once(answer: str, expected: list[int]) -> None:
    assert parse_picks(answer, candidates=5, limit=5) == expected


@pytest.mark.parametrize("answer", ["", "none of them", "[]", "[0, 7]", "{1: 2}", "1, 2"])
def test_an_answer_without_a_shown_number_is_no_answer(answer: str) -> None:
    assert parse_picks(answer, candidates=5, limit=3) is None


def test_a_long_answer_is_cut_to_the_limit() -> None:
    assert parse_picks("[5, 4, 3, 2, 1]", candidates=5, limit=2) == [4, 3]


def test_picks_go_first_in_their_order_and_the_rest_keep_theirs() -> None:
    ranked = ["a", "b", "c", "d", "e"]
    assert picked_first(ranked, ["d", "b"], key=str) == ["d", "b", "a", "c", "e"]


def test_a_pick_no_longer_ranked_is_ignored() -> None:
    assert picked_first(["a", "b"], ["gone", "b", "b"], key=str) == ["b", "a"]
    assert picked_first(["a", "b"], [], key=str) == ["a", "b"]
