"""Which sources each chat follows: all of them, except those it turned off."""

from __future__ import annotations

from storage.db import Database


class FollowRepository:
    """Per-chat follow choices, stored as the sources a chat unfollowed."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def unfollowed(self, chat_id: int) -> frozenset[int]:
        """The ids of the sources this chat turned off."""
        async with self._db.connection.execute(
            "SELECT source_id FROM unfollowed_sources WHERE chat_id = ?", (chat_id,)
        ) as cursor:
            return frozenset([row["source_id"] async for row in cursor])

    async def set_following(self, chat_id: int, source_id: int, following: bool) -> None:
        """Follow or unfollow one source for one chat (an unknown source is ignored)."""
        async with self._db.transaction() as db:
            if following:
                await db.execute(
                    "DELETE FROM unfollowed_sources WHERE chat_id = ? AND source_id = ?",
                    (chat_id, source_id),
                )
            else:
                await db.execute(
                    "INSERT OR IGNORE INTO unfollowed_sources (chat_id, source_id)"
                    " SELECT ?, id FROM sources WHERE id = ?",
                    (chat_id, source_id),
                )
