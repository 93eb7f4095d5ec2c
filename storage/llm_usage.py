"""How many LLM summary calls each UTC day has used, for the daily cap."""

from __future__ import annotations

from datetime import date

from storage.db import Database


class LlmUsageRepository:
    """Per-day call counters that are checked and counted in one step."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def try_take(self, day: date, cap: int) -> bool:
        """Count one call on ``day`` if fewer than ``cap`` were made; say whether it was."""
        if cap <= 0:
            return False
        async with self._db.transaction() as db:
            # One statement: the conditional upsert both checks the cap and counts the call.
            cursor = await db.execute(
                "INSERT INTO llm_usage (day, calls) VALUES (?, 1)"
                " ON CONFLICT (day) DO UPDATE SET calls = calls + 1 WHERE calls < ?",
                (day.isoformat(), cap),
            )
            return cursor.rowcount == 1

    async def used(self, day: date) -> int:
        """How many calls were counted on ``day``."""
        async with self._db.connection.execute(
            "SELECT calls FROM llm_usage WHERE day = ?", (day.isoformat(),)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row["calls"]) if row else 0
