"""Each chat's own settings: time zone, daily edition time, language."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """A chat's settings; ``None`` means the bot's default (or off, for the daily time)."""

    chat_id: int
    timezone: str | None = None
    daily_time: str | None = None
    language: str | None = None


class ChatSettingsRepository:
    """Reads and writes :class:`ChatSettings`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, chat_id: int) -> ChatSettings:
        """The chat's settings; defaults for a chat that set nothing."""
        async with self._db.connection.execute(
            "SELECT timezone, daily_time, language FROM chat_settings WHERE chat_id = ?",
            (chat_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return ChatSettings(chat_id)
        return ChatSettings(chat_id, row["timezone"], row["daily_time"], row["language"])

    async def set_timezone(self, chat_id: int, timezone: str | None) -> None:
        """Store the chat's time zone name (already validated by the caller)."""
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO chat_settings (chat_id, timezone) VALUES (?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET timezone = excluded.timezone",
                (chat_id, timezone),
            )
