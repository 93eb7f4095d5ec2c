"""Ids as typed: ASCII digits in SQLite's range, nothing else."""

from __future__ import annotations

import pytest

from briefing.ids import MAX_ID, parse_id


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("042", 42), (str(MAX_ID), MAX_ID)])
def test_ascii_numbers_are_ids(text: str, value: int) -> None:
    assert parse_id(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "²",  # str.isdigit() says yes, int() says no
        "٣",  # int() reads it as 3
        "\uff11",  # fullwidth digit one
        "0",
        "-1",
        "+1",
        " 1",
        "1\n",
        "1_000",
        "",
        str(MAX_ID + 1),
        "99999999999999999999999",
        "9" * 5000,
    ],
)
def test_anything_else_is_no_id(text: str) -> None:
    assert parse_id(text) is None
