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

    async def followed_source_ids(self, chat_id: int) -> frozenset[int]:
        """The ids of the sources this chat follows (a new chat: every source)."""
        async with self._db.connection.execute(
            "SELECT id FROM sources s WHERE NOT EXISTS (SELECT 1 FROM unfollowed_sources u"
            " WHERE u.chat_id = ? AND u.source_id = s.id)",
            (chat_id,),
        ) as cursor:
            return frozenset([row["id"] async for row in cursor])

    async def is_followed(self, chat_id: int, source_id: int) -> bool:
        """Whether this chat follows the source (``False`` when there is no such source)."""
        async with self._db.connection.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM unfollowed_sources"
            " WHERE chat_id = ? AND source_id = s.id) FROM sources s WHERE s.id = ?",
            (chat_id, source_id),
        ) as cursor:
            row = await cursor.fetchone()
        return bool(row and row[0])

    async def set_following(self, chat_id: int, source_id: int, following: bool) -> bool:
        """Follow or unfollow one source for one chat; ``False`` when there is no such source."""
        async with self._db.transaction() as db:
            async with db.execute("SELECT 1 FROM sources WHERE id = ?", (source_id,)) as cursor:
                if await cursor.fetchone() is None:
                    return False
            if following:
                await db.execute(
                    "DELETE FROM unfollowed_sources WHERE chat_id = ? AND source_id = ?",
                    (chat_id, source_id),
                )
            else:
                await db.execute(
                    "INSERT OR IGNORE INTO unfollowed_sources (chat_id, source_id) VALUES (?, ?)",
                    (chat_id, source_id),
                )
        return True
