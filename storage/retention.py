"""Retention: what only grows is pruned past its age, in one short transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.timestamps import to_db


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each growing table keeps its rows, in days."""

    reply_days: int
    outbox_days: int
    inactive_chat_days: int


@dataclass(frozen=True, slots=True)
class Pruned:
    """Rows removed by one pruning run."""

    message_links: int = 0
    outbox_rows: int = 0
    chats: int = 0
    overviews: int = 0

    def describe(self) -> str:
        """One line for the log."""
        return (
            f"pruned {self.message_links} message links, {self.outbox_rows} outbox rows,"
            f" {self.chats} inactive chats, {self.overviews} edition overviews"
        )


# Rows that belong to a chat, deleted with it. Its sent_messages and outbox rows go too.
_CHAT_TABLES = ("subscriptions", "unfollowed_sources", "chat_settings", "sent_messages", "outbox")


class RetentionRepository:
    """Deletes rows past their retention and keeps the query planner's statistics fresh."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def prune(self, policy: RetentionPolicy, *, now: datetime) -> Pruned:
        """Delete what ``policy`` no longer keeps as of ``now``.

        A message link is what lets a reply to that message join a discussion: dropping it
        ends the time replies to it are accepted. Pending outbox rows are never touched.
        """
        links_before = to_db(now - timedelta(days=policy.reply_days))
        outbox_before = to_db(now - timedelta(days=policy.outbox_days))
        chats_before = to_db(now - timedelta(days=policy.inactive_chat_days))
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM sent_messages WHERE sent_at < ?", (links_before,)
            )
            links = cursor.rowcount
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM outbox WHERE state != 'pending'"
                " AND coalesce(sent_at, next_attempt_at) < ?",
                (outbox_before,),
            )
            outbox = cursor.rowcount
        async with self._db.transaction() as db:
            chat_ids = [
                row[0]
                for row in await db.execute_fetchall(
                    "SELECT id FROM chats WHERE blocked = 1"
                    " AND coalesce(left_at, last_seen_at) < ?",
                    (chats_before,),
                )
            ]
            await db.executemany(
                "DELETE FROM chats WHERE id = ?", [(chat_id,) for chat_id in chat_ids]
            )
            for table in _CHAT_TABLES:
                await db.executemany(
                    f"DELETE FROM {table} WHERE chat_id = ?", [(chat_id,) for chat_id in chat_ids]
                )
            if chat_ids:
                await db.execute(
                    "DELETE FROM topics WHERE id NOT IN (SELECT topic_id FROM subscriptions)"
                )
        async with self._db.transaction() as db:
            # A body shared by many chats' rows goes with the last of them.
            await db.execute(
                "DELETE FROM outbox_bodies WHERE NOT EXISTS"
                " (SELECT 1 FROM outbox WHERE body_id = outbox_bodies.id)"
            )
        async with self._db.transaction() as db:
            # An overview is read while its edition is shown: as long as delivered messages.
            cursor = await db.execute(
                "DELETE FROM llm_overviews WHERE written_at < ?", (outbox_before,)
            )
            overviews = cursor.rowcount
        return Pruned(links, outbox, len(chat_ids), overviews)

    async def optimize(self) -> None:
        """``PRAGMA optimize``: refresh the statistics of the tables that need it."""
        await self._db.connection.execute("PRAGMA optimize")
