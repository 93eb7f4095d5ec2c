"""Exponential backoff for failing sources."""

from __future__ import annotations

import pytest

from briefing.schedule import (
    DEFAULT_BACKOFF_CAP_SECONDS,
    backoff_delay,
    format_interval,
    parse_interval,
)


def test_the_first_failure_waits_one_interval() -> None:
    assert backoff_delay(1, 900) == 900


def test_each_failure_doubles_the_delay() -> None:
    assert [backoff_delay(n, 60) for n in range(1, 6)] == [60, 120, 240, 480, 960]


def test_the_delay_is_capped_at_six_hours_by_default() -> None:
    assert DEFAULT_BACKOFF_CAP_SECONDS == 21_600
    assert backoff_delay(10, 900) == 21_600
    assert backoff_delay(5, 900) == 14_400


def test_a_custom_cap() -> None:
    assert backoff_delay(4, 100, cap_seconds=500) == 500
    assert backoff_delay(3, 100, cap_seconds=500) == 400


def test_no_failures_waits_one_interval() -> None:
    assert backoff_delay(0, 900) == 900


def test_a_long_interval_is_never_shortened_by_the_cap() -> None:
    day = 86_400
    assert backoff_delay(1, day) == day
    assert backoff_delay(8, day) == day


def test_a_huge_failure_count_stays_at_the_cap_without_overflowing() -> None:
    assert backoff_delay(10**9, 900) == DEFAULT_BACKOFF_CAP_SECONDS


def test_the_delay_is_deterministic() -> None:
    assert {backoff_delay(7, 300) for _ in range(20)} == {19_200}


@pytest.mark.parametrize(
    ("failures", "base", "cap", "message"),
    [
        (-1, 900, 3600, "failures must be 0 or more"),
        (1, 0, 3600, "base_seconds must be positive"),
        (1, 900, 0, "cap_seconds must be positive"),
    ],
)
def test_bad_arguments_are_refused(failures: int, base: int, cap: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        backoff_delay(failures, base, cap)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900), ("1h30m", 5400), ("2H", 7200), ("1d", 86400), ("900", 900), (" 90s ", 90)],
)
def test_parse_interval(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds
    assert parse_interval(format_interval(seconds)) == seconds


@pytest.mark.parametrize("text", ["", "m", "15x", "1h30", "-5m", "1.5h", "fifteen"])
def test_parse_interval_rejects_what_is_not_an_interval(text: str) -> None:
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval(text)


@pytest.mark.parametrize("text", ["30s", "8d"])
def test_parse_interval_keeps_to_a_minute_to_a_week(text: str) -> None:
    with pytest.raises(ValueError, match="between 1m and 7d"):
        parse_interval(text)
