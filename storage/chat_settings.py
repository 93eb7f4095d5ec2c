"""Each chat's own settings: time zone, daily edition time, language, and when it is due."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from storage.db import Database
from storage.timestamps import from_db

DUE_BATCH = 500  # chats taken by one tick; the rest are due still and come next tick


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """A chat's settings; ``None`` means the bot's default (or off, for the daily time).

    Attributes:
        daily_time: local "HH:MM" of the daily edition, in ``timezone``.
        next_daily_at: when the next edition is due (UTC); set exactly when ``daily_time`` is.
    """

    chat_id: int
    timezone: str | None = None
    daily_time: str | None = None
    language: str | None = None
    next_daily_at: datetime | None = None


class ChatSettingsRepository:
    """Reads and writes :class:`ChatSettings`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, chat_id: int) -> ChatSettings:
        """The chat's settings; defaults for a chat that set nothing."""
        async with self._db.connection.execute(
            "SELECT * FROM chat_settings WHERE chat_id = ?", (chat_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return _from_row(row) if row is not None else ChatSettings(chat_id)

    async def set_timezone(self, chat_id: int, timezone: str | None) -> None:
        """Store the chat's time zone name (already validated by the caller)."""
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO chat_settings (chat_id, timezone) VALUES (?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET timezone = excluded.timezone",
                (chat_id, timezone),
            )

    async def set_schedule(
        self,
        chat_id: int,
        *,
        timezone: str | None,
        daily_time: str | None,
        next_daily_at: datetime | None,
    ) -> None:
        """Store the zone, the daily time and when the next edition is due, together.

        ``daily_time`` None turns the daily edition off (``next_daily_at`` must be None too).
        """
        if (daily_time is None) != (next_daily_at is None):
            raise ValueError("a daily time needs its next due moment, and only it")
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO chat_settings (chat_id, timezone, daily_time, next_daily_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET"
                " timezone = excluded.timezone, daily_time = excluded.daily_time,"
                " next_daily_at = excluded.next_daily_at",
                (chat_id, timezone, daily_time, schedule_text(next_daily_at)),
            )

    async def due(self, now: datetime, *, limit: int = DUE_BATCH) -> builtins.list[ChatSettings]:
        """Chats whose daily edition is due at ``now``, the most overdue first."""
        async with self._db.connection.execute(
            "SELECT * FROM chat_settings WHERE next_daily_at IS NOT NULL AND next_daily_at <= ?"
            " ORDER BY next_daily_at, chat_id LIMIT ?",
            (schedule_text(now), limit),
        ) as cursor:
            return [_from_row(row) async for row in cursor]

    async def advance(self, chat_id: int, due_at: datetime, next_at: datetime) -> bool:
        """Move the chat's next edition from ``due_at`` to ``next_at``; False if it moved.

        Compare-and-set: a chat that changed its time or zone since it was read as due keeps
        its new schedule. Joins the caller's transaction, so that the edition queued for
        ``due_at`` and the step forward are stored together.
        """
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "UPDATE chat_settings SET next_daily_at = ?"
                " WHERE chat_id = ? AND next_daily_at = ?",
                (schedule_text(next_at), chat_id, schedule_text(due_at)),
            )
            return cursor.rowcount == 1


def schedule_text(moment: datetime | None) -> str | None:
    """UTC ISO text with a fixed-width fraction, so that text order is time order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _from_row(row: aiosqlite.Row) -> ChatSettings:
    return ChatSettings(
        row["chat_id"],
        row["timezone"],
        row["daily_time"],
        row["language"],
        from_db(row["next_daily_at"]),
    )
