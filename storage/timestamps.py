"""How datetimes are kept in SQLite: ISO 8601 text in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime | None) -> str | None:
    """A timezone-aware datetime as UTC ISO text; naive datetimes are taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def from_db(text: str | None) -> datetime | None:
    """The inverse of :func:`to_db`."""
    return datetime.fromisoformat(text) if text else None


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)
