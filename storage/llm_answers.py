"""Stored LLM answers: highlight picks per discussion scope, and edition overviews."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database
from storage.timestamps import to_db, utc_now

BRIEFING_SCOPE = -1
"""The scope of a briefing's whole discussion (story scopes are story positions)."""


@dataclass(frozen=True, slots=True)
class StoredPicks:
    """Comment ids an LLM picked for one scope, best first, and the size they were picked at."""

    comment_ids: tuple[int, ...]
    comments_seen: int


class LlmAnswerRepository:
    """Highlight picks and overviews, read on requests, written after ingest."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def picks(self, briefing_id: int, scope: int = BRIEFING_SCOPE) -> StoredPicks | None:
        """The stored picks of one scope, or None when none were made."""
        async with self._db.connection.execute(
            "SELECT comment_ids, comments_seen FROM llm_highlight_picks"
            " WHERE briefing_id = ? AND scope = ?",
            (briefing_id, scope),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        ids = json.loads(row["comment_ids"])
        return StoredPicks(tuple(int(i) for i in ids), int(row["comments_seen"]))

    async def all_picks(self, briefing_id: int) -> dict[int, StoredPicks]:
        """Every scope's picks of one briefing, by scope."""
        async with self._db.connection.execute(
            "SELECT scope, comment_ids, comments_seen FROM llm_highlight_picks"
            " WHERE briefing_id = ?",
            (briefing_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return {
            int(row["scope"]): StoredPicks(
                tuple(int(i) for i in json.loads(row["comment_ids"])), int(row["comments_seen"])
            )
            for row in rows
        }

    async def save_picks(
        self, briefing_id: int, scope: int, comment_ids: Sequence[int], comments_seen: int
    ) -> None:
        """Store (or replace) one scope's picks."""
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO llm_highlight_picks"
                " (briefing_id, scope, comment_ids, comments_seen, picked_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (briefing_id, scope) DO UPDATE SET"
                " comment_ids = excluded.comment_ids, comments_seen = excluded.comments_seen,"
                " picked_at = excluded.picked_at",
                (briefing_id, scope, json.dumps(list(comment_ids)), comments_seen, _now()),
            )

    async def overview(self, key: str) -> str | None:
        """The overview written for exactly this edition, if one was."""
        async with self._db.connection.execute(
            "SELECT overview FROM llm_overviews WHERE key = ?", (key,)
        ) as cursor:
            row = await cursor.fetchone()
        return str(row["overview"]) if row else None

    async def save_overview(self, key: str, overview: str) -> None:
        """Keep the overview of an edition."""
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO llm_overviews (key, overview, written_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET overview = excluded.overview,"
                " written_at = excluded.written_at",
                (key, overview, _now()),
            )


def _now() -> str | None:
    return to_db(utc_now())
