"""The briefings of a past day, for /briefing DATE (until the edition composer takes over)."""

from __future__ import annotations

from datetime import datetime

from briefing.models import Briefing
from storage.briefings import BriefingRepository
from storage.db import Database
from storage.timestamps import to_db


class ArchiveRepository:
    """Finds stored briefings by when they were published (or ingested, lacking a date)."""

    def __init__(self, database: Database, briefings: BriefingRepository) -> None:
        self._db = database
        self._briefings = briefings

    async def between(
        self, chat_id: int, start: datetime, end: datetime, *, limit: int = 20
    ) -> list[Briefing]:
        """The briefings of followed sources from ``start`` up to ``end``, oldest first."""
        async with self._db.connection.execute(
            "SELECT id FROM briefings b WHERE coalesce(published_at, ingested_at) >= ?"
            " AND coalesce(published_at, ingested_at) < ?"
            " AND (b.source_id IS NULL OR b.source_id NOT IN"
            " (SELECT source_id FROM unfollowed_sources WHERE chat_id = ?))"
            " ORDER BY coalesce(published_at, ingested_at), id LIMIT ?",
            (to_db(start), to_db(end), chat_id, limit),
        ) as cursor:
            ids = [int(row["id"]) async for row in cursor]
        found = [await self._briefings.get(briefing_id) for briefing_id in ids]
        return [briefing for briefing in found if briefing is not None]
