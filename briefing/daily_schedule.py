"""When a chat's daily edition is due: local "HH:MM" times in a zone, across DST changes.

A zone is an IANA name ("Europe/Berlin") or a fixed offset, stored as "UTC+02:00".
A local time that does not exist on a day (the clocks spring forward over it) moves to the
first minute that exists after it; one that happens twice (the clocks fall back) is taken
the first time. Every moment returned is timezone-aware UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TIME_EXAMPLE = "/daily 07:30"
ZONE_EXAMPLE = "/timezone Europe/Berlin"
_TIME = re.compile(r"([01]?\d|2[0-3])[:.h]([0-5]\d)")
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_MAX_OFFSET = timedelta(hours=14)
_GAP_MINUTES = 2 * 24 * 60  # the longest skip ever made (Samoa, 2011) was one day


class ScheduleError(ValueError):
    """A time or zone that cannot be used; the message is one line for the chat."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition that is due: the local day it is for, and when the next one is due."""

    day: date
    next_at: datetime


def parse_daily_time(text: str) -> time:
    """A local time of day from "HH:MM" (also "7:30", "07.30" or "7h30")."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ScheduleError(
            f"A time is HH:MM on a 24-hour clock, from 00:00 to 23:59, e.g. {TIME_EXAMPLE}."
        )
    return time(int(match[1]), int(match[2]))


def format_daily_time(moment: time) -> str:
    """The stored "HH:MM" form of a time of day."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def parse_zone(text: str) -> str:
    """The stored name of a zone: an IANA name as the database spells it, or "UTC+HH:MM".

    Accepts "Europe/Berlin" (any case), "UTC", "+02:00", "UTC-5", "GMT+5:30", "-0330".
    """
    cleaned = text.strip()
    offset = _parse_offset(cleaned)
    if offset is not None:
        return offset
    if cleaned.upper() in {"UTC", "GMT", "Z"}:
        return "UTC"
    if _looks_like_zone_name(cleaned):
        for candidate in (cleaned, _title_case(cleaned)):
            try:
                return ZoneInfo(candidate).key
            except (ZoneInfoNotFoundError, ValueError):
                continue
    raise ScheduleError(
        "I don't know that time zone. Send a zone name like "
        f"{ZONE_EXAMPLE} or America/New_York, or an offset like /timezone UTC+02:00."
    )


def zone_of(name: str) -> tzinfo:
    """The tzinfo of a stored zone name (see :func:`parse_zone`)."""
    if name.startswith("UTC") and len(name) > 3:
        sign = -1 if name[3] == "-" else 1
        hours, minutes = name[4:].split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)), name)
    return ZoneInfo(name)


def occurrence_on(day: date, local: time, zone: tzinfo) -> datetime:
    """The UTC moment of ``local`` on ``day`` in ``zone`` (DST rules in the module doc)."""
    wall = datetime.combine(day, local)
    for minute in range(_GAP_MINUTES + 1):
        candidate = wall + timedelta(minutes=minute)
        moment = candidate.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if moment.astimezone(zone).replace(tzinfo=None) == candidate:
            return moment
    raise ScheduleError(f"{format_daily_time(local)} never happens around {day} in that zone")


def next_after(now: datetime, local: time, zone: tzinfo) -> datetime:
    """The first moment strictly after ``now`` at which it is ``local`` in ``zone``."""
    today = now.astimezone(zone).date()
    for offset in range(-1, 4):
        moment = occurrence_on(today + timedelta(days=offset), local, zone)
        if moment > now:
            return moment
    raise AssertionError("a local time happens at least every other day")


def latest_at_or_before(now: datetime, local: time, zone: tzinfo) -> datetime:
    """The last moment at or before ``now`` at which it was ``local`` in ``zone``."""
    today = now.astimezone(zone).date()
    for offset in range(1, -4, -1):
        moment = occurrence_on(today + timedelta(days=offset), local, zone)
        if moment <= now:
            return moment
    raise AssertionError("a local time happens at least every other day")


def due_edition(due_at: datetime, now: datetime, local: time, zone: tzinfo) -> Edition:
    """The edition a chat due at ``due_at`` gets at ``now``, and when the next one is due.

    The edition is for the local day of ``due_at``; a chat that missed whole days (the bot
    was down) gets one edition, for the latest day it was due. The next one is due on a
    later local day, never before ``now``.
    """
    latest = latest_at_or_before(now, local, zone)
    day = max(due_at, latest).astimezone(zone).date()
    following = occurrence_on(day + timedelta(days=1), local, zone)
    return Edition(day, following if following > now else next_after(now, local, zone))


def _parse_offset(text: str) -> str | None:
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match[2]), int(match[3] or 0)
    if minutes >= 60 or timedelta(hours=hours, minutes=minutes) > _MAX_OFFSET:
        raise ScheduleError(
            "An offset is from UTC-14:00 to UTC+14:00, e.g. /timezone UTC+02:00 or /timezone -5."
        )
    if hours == minutes == 0:
        return "UTC"
    return f"UTC{match[1]}{hours:02d}:{minutes:02d}"


def _looks_like_zone_name(text: str) -> bool:
    # ZoneInfo reads files: keep paths such as "../etc" or absolute ones away from it.
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*", text))


def _title_case(text: str) -> str:
    """ "america/new_york" -> "America/New_York"."""
    return "/".join(
        "_".join(word[:1].upper() + word[1:].lower() for word in part.split("_"))
        for part in text.split("/")
    )
