"""The stories of one local day for a chat, as the edition composer reads them."""

from __future__ import annotations

import json
from datetime import datetime

from briefing.edition import DayStory
from storage.db import Database
from storage.timestamps import from_db, to_db

# Followed sources only; a briefing with no source (an ingested digest file) is everyone's.
_FOLLOWED = (
    "(b.source_id IS NULL OR b.source_id NOT IN"
    " (SELECT source_id FROM unfollowed_sources WHERE chat_id = :chat))"
)
_WHEN = "coalesce(b.published_at, b.ingested_at)"
SUMMARY_SENTENCES = 2


class EditionRepository:
    """Reads a day's stories in one query, by the briefings' date index."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def day_stories(
        self, chat_id: int, start: datetime, end: datetime, *, limit: int = 300
    ) -> list[DayStory]:
        """Every story of the followed sources' briefings from ``start`` up to ``end``.

        A briefing is dated when it was published, or first seen when its source gives no
        date. Stories come oldest briefing first, each briefing's in order.
        """
        async with self._db.connection.execute(
            "WITH day AS (SELECT b.id, b.title, b.source_id, "
            f"{_WHEN} AS at FROM briefings b WHERE {_WHEN} >= :start AND {_WHEN} < :end"
            f" AND {_FOLLOWED} ORDER BY {_WHEN}, b.id LIMIT :limit)"
            " SELECT s.id, s.briefing_id, s.position, s.heading, s.summary, day.at,"
            " coalesce(src.title, day.title) AS source,"
            " (SELECT count(*) FROM stories o WHERE o.briefing_id = day.id) AS post_stories,"
            " (SELECT count(*) FROM comments c WHERE c.briefing_id = day.id) AS discussion"
            " FROM day JOIN stories s ON s.briefing_id = day.id"
            " LEFT JOIN sources src ON src.id = day.source_id"
            " ORDER BY day.at, day.id, s.position LIMIT :limit",
            {"chat": chat_id, "start": to_db(start), "end": to_db(end), "limit": limit},
        ) as cursor:
            rows = await cursor.fetchall()
        stories: list[DayStory] = []
        for row in rows:
            seen = from_db(row["at"])
            assert seen is not None
            summary = json.loads(row["summary"])[:SUMMARY_SENTENCES]
            stories.append(
                DayStory(
                    story_id=int(row["id"]),
                    briefing_id=int(row["briefing_id"]),
                    source=str(row["source"]),
                    heading=str(row["heading"]),
                    summary=" ".join(summary),
                    seen=seen,
                    position=int(row["position"]),
                    post_stories=int(row["post_stories"]),
                    discussion=int(row["discussion"]),
                )
            )
        return stories

    async def latest_before(self, chat_id: int, end: datetime) -> datetime | None:
        """When the newest briefing of a followed source before ``end`` is dated, if any."""
        async with self._db.connection.execute(
            f"SELECT {_WHEN} AS at FROM briefings b WHERE {_WHEN} < :end AND {_FOLLOWED}"
            f" AND EXISTS (SELECT 1 FROM stories s WHERE s.briefing_id = b.id)"
            f" ORDER BY {_WHEN} DESC, b.id DESC LIMIT 1",
            {"chat": chat_id, "end": to_db(end)},
        ) as cursor:
            row = await cursor.fetchone()
        return from_db(row["at"]) if row is not None else None
