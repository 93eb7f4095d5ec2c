"""Daily schedule math: local HH:MM in a zone, across DST in Berlin and New York."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from briefing.daily_schedule import (
    ScheduleError,
    due_edition,
    format_daily_time,
    latest_at_or_before,
    next_after,
    occurrence_on,
    parse_daily_time,
    parse_zone,
    zone_of,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:05", time(7, 5)),
        ("23:59", time(23, 59)),
        ("0:00", time(0)),
        (" 18.45 ", time(18, 45)),
        ("7h30", time(7, 30)),
    ],
)
def test_times_of_day_are_read(typed: str, expected: time) -> None:
    assert parse_daily_time(typed) == expected
    assert parse_daily_time(format_daily_time(expected)) == expected


@pytest.mark.parametrize("typed", ["25:00", "24:00", "7", "07:60", "7:5", "noon", "", "-1:00"])
def test_bad_times_are_one_line_with_the_format(typed: str) -> None:
    with pytest.raises(ScheduleError) as raised:
        parse_daily_time(typed)
    assert str(raised.value) == (
        "A time is HH:MM on a 24-hour clock, from 00:00 to 23:59, e.g. /daily 07:30."
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("america/new_york", "America/New_York"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("+02:00", "UTC+02:00"),
        ("UTC-5", "UTC-05:00"),
        ("GMT+5:30", "UTC+05:30"),
        ("-0330", "UTC-03:30"),
        ("UTC+0", "UTC"),
        ("UTC+14", "UTC+14:00"),
    ],
)
def test_zones_are_names_or_offsets(typed: str, stored: str) -> None:
    assert parse_zone(typed) == stored
    assert zone_of(stored) is not None


@pytest.mark.parametrize(
    "typed", ["Mars/Olympus", "../../etc/passwd", "/etc/localtime", "", "Berlin"]
)
def test_unknown_zones_are_explained_with_an_example(typed: str) -> None:
    with pytest.raises(ScheduleError) as raised:
        parse_zone(typed)
    assert "/timezone Europe/Berlin" in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("typed", ["UTC+15", "+14:30", "UTC+02:75"])
def test_offsets_beyond_fourteen_hours_are_refused(typed: str) -> None:
    with pytest.raises(ScheduleError, match="from UTC-14:00 to UTC"):
        parse_zone(typed)


def test_fixed_offsets_give_their_utc_moment() -> None:
    zone = zone_of("UTC-05:00")
    assert occurrence_on(date(2026, 7, 1), time(7, 0), zone) == utc(2026, 7, 1, 12, 0)
    assert occurrence_on(date(2026, 7, 1), time(7, 0), zone_of("UTC+05:30")) == utc(
        2026, 7, 1, 1, 30
    )


def test_the_local_time_is_kept_across_the_spring_change_in_berlin() -> None:
    # Berlin: CET (+1) until 2026-03-29 02:00, then CEST (+2).
    before = occurrence_on(date(2026, 3, 28), time(7, 30), BERLIN)
    after = next_after(before, time(7, 30), BERLIN)
    assert before == utc(2026, 3, 28, 6, 30)
    assert after == utc(2026, 3, 29, 5, 30)  # 23 hours later, still 07:30 on the wall
    assert after.astimezone(BERLIN).strftime("%H:%M") == "07:30"


def test_the_local_time_is_kept_across_the_autumn_change_in_new_york() -> None:
    # New York: EDT (-4) until 2026-11-01 02:00, then EST (-5).
    before = occurrence_on(date(2026, 10, 31), time(8, 0), NEW_YORK)
    after = next_after(before, time(8, 0), NEW_YORK)
    assert before == utc(2026, 10, 31, 12, 0)
    assert after == utc(2026, 11, 1, 13, 0)  # 25 hours later
    assert after - before == timedelta(hours=25)


@pytest.mark.parametrize(
    ("zone", "day", "local", "expected_local"),
    [
        (BERLIN, date(2026, 3, 29), time(2, 30), "03:00"),
        (BERLIN, date(2026, 3, 29), time(2, 0), "03:00"),
        (BERLIN, date(2026, 3, 29), time(2, 59), "03:00"),
        (NEW_YORK, date(2026, 3, 8), time(2, 15), "03:00"),
    ],
)
def test_a_time_the_clocks_skip_moves_to_the_first_minute_after(
    zone: ZoneInfo, day: date, local: time, expected_local: str
) -> None:
    moment = occurrence_on(day, local, zone)
    assert moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") == f"{day} {expected_local}"


def test_a_time_that_happens_twice_is_taken_the_first_time() -> None:
    # Berlin 2026-10-25: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    assert occurrence_on(date(2026, 10, 25), time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)
    # New York 2026-11-01: 01:30 happens at 05:30 UTC (EDT) and at 06:30 UTC (EST).
    assert occurrence_on(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_after_the_first_of_a_doubled_time_the_next_is_the_following_day() -> None:
    first = occurrence_on(date(2026, 10, 25), time(2, 30), BERLIN)
    assert next_after(first, time(2, 30), BERLIN) == utc(2026, 10, 26, 1, 30)
    assert next_after(first + timedelta(hours=1), time(2, 30), BERLIN) == utc(2026, 10, 26, 1, 30)


def test_next_after_is_strictly_after() -> None:
    at = utc(2026, 12, 2, 6, 30)  # 07:30 in Berlin
    assert next_after(at, time(7, 30), BERLIN) == utc(2026, 12, 3, 6, 30)
    assert next_after(at - timedelta(seconds=1), time(7, 30), BERLIN) == at
    assert latest_at_or_before(at, time(7, 30), BERLIN) == at
    assert latest_at_or_before(at - timedelta(seconds=1), time(7, 30), BERLIN) == utc(
        2026, 12, 1, 6, 30
    )


def test_a_whole_year_of_daily_moments_keeps_the_wall_time() -> None:
    for zone in (BERLIN, NEW_YORK):
        moment = utc(2026, 1, 1)
        days = set()
        for _ in range(365):
            moment = next_after(moment, time(7, 30), zone)
            local = moment.astimezone(zone)
            assert local.strftime("%H:%M") == "07:30"
            days.add(local.date())
        assert len(days) == 365


def test_a_due_edition_is_for_its_day_and_the_next_is_tomorrow() -> None:
    due = utc(2026, 12, 2, 6, 30)
    edition = due_edition(due, due + timedelta(seconds=20), time(7, 30), BERLIN)
    assert edition.day == date(2026, 12, 2)
    assert edition.next_at == utc(2026, 12, 3, 6, 30)


def test_an_edition_due_days_ago_is_sent_once_for_the_latest_day() -> None:
    due = utc(2026, 11, 28, 6, 30)
    now = utc(2026, 12, 2, 9, 0)
    edition = due_edition(due, now, time(7, 30), BERLIN)
    assert edition.day == date(2026, 12, 2)
    assert edition.next_at == utc(2026, 12, 3, 6, 30)


def test_a_late_edition_past_the_next_time_is_not_followed_by_one_in_the_past() -> None:
    due = utc(2026, 12, 1, 6, 30)
    now = utc(2026, 12, 2, 6, 0)  # before today's time: yesterday's edition, today's next
    edition = due_edition(due, now, time(7, 30), BERLIN)
    assert edition.day == date(2026, 12, 1)
    assert edition.next_at == utc(2026, 12, 2, 6, 30)
    assert edition.next_at > now
