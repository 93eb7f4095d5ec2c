"""Stories as they are shared outside the bot (inline mode): heading, summary, origin, link."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timestamps import from_db


@dataclass(frozen=True, slots=True)
class SharedStory:
    """What a shared card shows of one story."""

    id: int
    heading: str
    summary: tuple[str, ...]
    url: str | None
    briefing_title: str
    published: datetime | None


_COLUMNS = (
    "SELECT s.id, s.heading, s.summary, s.url, b.title,"
    " coalesce(b.published_at, b.ingested_at) AS at"
    " FROM stories s JOIN briefings b ON b.id = s.briefing_id"
)


class SharedStoryRepository:
    """Reads stories by id, or the newest, without their briefings' comments."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def by_ids(self, story_ids: Sequence[int]) -> list[SharedStory]:
        """The stories still stored among ``story_ids``, in the order given."""
        if not story_ids:
            return []
        marks = ", ".join("?" for _ in story_ids)
        async with self._db.connection.execute(
            f"{_COLUMNS} WHERE s.id IN ({marks})", tuple(story_ids)
        ) as cursor:
            found = {row["id"]: _story(row) async for row in cursor}
        return [found[i] for i in story_ids if i in found]

    async def newest(self, limit: int, offset: int = 0) -> list[SharedStory]:
        """The newest stories, newest briefing first, its stories in order (by the date index)."""
        async with self._db.connection.execute(
            "WITH recent AS (SELECT id, title, coalesce(published_at, ingested_at) AS at"
            " FROM briefings ORDER BY coalesce(published_at, ingested_at) DESC, id DESC"
            " LIMIT :scan)"
            " SELECT s.id, s.heading, s.summary, s.url, recent.title, recent.at"
            " FROM recent JOIN stories s ON s.briefing_id = recent.id"
            " ORDER BY recent.at DESC, recent.id DESC, s.position LIMIT :limit OFFSET :offset",
            # Each briefing holds at least one story: this many briefings always suffice.
            {"scan": limit + offset, "limit": limit, "offset": offset},
        ) as cursor:
            return [_story(row) async for row in cursor]


def _story(row: aiosqlite.Row) -> SharedStory:
    return SharedStory(
        id=row["id"],
        heading=row["heading"],
        summary=tuple(json.loads(row["summary"])),
        url=row["url"],
        briefing_title=row["title"],
        published=from_db(row["at"]),
    )
