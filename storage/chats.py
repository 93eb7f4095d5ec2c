"""Chats the bot has talked to, and which sent message shows which story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timestamps import from_db, to_db, utc_now

# Tables of what a chat chose, keyed by chat_id; a migrated group keeps them all.
CHAT_OWNED_TABLES = ("subscriptions", "unfollowed_sources", "chat_settings")


@dataclass(frozen=True, slots=True)
class MessageLink:
    """A message the bot sent, and the briefing (and story, if one) it shows."""

    chat_id: int
    message_id: int
    briefing_id: int
    story_id: int | None
    comment_id: int | None = None  # the message shows this one comment


@dataclass(frozen=True, slots=True)
class KnownChat:
    """A chat that has talked to the bot."""

    id: int
    type: str
    title: str | None
    blocked: bool
    status: str | None = None
    member_since: datetime | None = None
    left_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the bot may write to this chat."""
        return not self.blocked


class ChatRepository:
    """Chats and the (chat_id, message_id) -> story links that make replies work."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def seen(
        self, chat_id: int, chat_type: str, title: str | None, *, now: datetime | None = None
    ) -> None:
        """Record that a chat talked to the bot, and so can be written to again."""
        moment = to_db(now or utc_now())
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, type, title, first_seen_at, last_seen_at, member_since)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET type = excluded.type,"
                " title = excluded.title, last_seen_at = excluded.last_seen_at,"
                " member_since = CASE WHEN blocked THEN excluded.member_since"
                " ELSE member_since END,"
                " status = CASE WHEN blocked THEN 'member' ELSE status END, blocked = 0",
                (chat_id, chat_type, title, moment, moment, moment),
            )

    async def set_membership(
        self,
        chat_id: int,
        chat_type: str,
        title: str | None,
        status: str,
        *,
        active: bool,
        now: datetime | None = None,
    ) -> bool:
        """Record the bot's status in a chat; whether the chat was active before.

        A chat seen for the first time counts as inactive before.
        """
        moment = to_db(now or utc_now())
        async with self._db.transaction() as db:
            async with db.execute("SELECT blocked FROM chats WHERE id = ?", (chat_id,)) as cursor:
                row = await cursor.fetchone()
            was_active = row is not None and not row["blocked"]
            since = moment if active and not was_active else None
            left = moment if was_active and not active else None
            await db.execute(
                "INSERT INTO chats (id, type, title, blocked, status, member_since, left_at,"
                " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title,"
                " blocked = excluded.blocked, status = excluded.status,"
                " member_since = coalesce(excluded.member_since, member_since),"
                " left_at = coalesce(excluded.left_at, left_at),"
                " last_seen_at = excluded.last_seen_at",
                (
                    chat_id,
                    chat_type,
                    title,
                    0 if active else 1,
                    status,
                    since,
                    left,
                    moment,
                    moment,
                ),
            )
        return was_active

    async def mark_blocked(self, chat_id: int, *, now: datetime | None = None) -> None:
        """Record that the bot may no longer write to this chat (blocked, kicked, or left)."""
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE chats SET left_at = CASE WHEN blocked THEN left_at ELSE ? END,"
                " blocked = 1 WHERE id = ?",
                (to_db(now or utc_now()), chat_id),
            )

    async def get(self, chat_id: int) -> KnownChat | None:
        """The chat with this id, if it has talked to the bot."""
        async with self._db.connection.execute(
            "SELECT id, type, title, blocked, status, member_since, left_at FROM chats"
            " WHERE id = ?",
            (chat_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return KnownChat(
            row["id"],
            row["type"],
            row["title"],
            bool(row["blocked"]),
            row["status"],
            from_db(row["member_since"]),
            from_db(row["left_at"]),
        )

    async def link_message(
        self,
        chat_id: int,
        message_id: int,
        briefing_id: int,
        story_id: int | None,
        *,
        comment_id: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """Remember that this sent message shows this briefing (and story, and comment)."""
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT OR REPLACE INTO sent_messages (chat_id, message_id, briefing_id,"
                " story_id, comment_id, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
                (chat_id, message_id, briefing_id, story_id, comment_id, to_db(now or utc_now())),
            )

    async def linked(self, chat_id: int, message_id: int) -> MessageLink | None:
        """What a sent message shows, if the bot sent it and it is still stored."""
        async with self._db.connection.execute(
            "SELECT briefing_id, story_id, comment_id FROM sent_messages"
            " WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return MessageLink(
            chat_id, message_id, row["briefing_id"], row["story_id"], row["comment_id"]
        )

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with ``new_id``: move what belongs to the chat.

        In one transaction: the chat's row, its pending outbox messages (one already queued
        for the new id wins; the old copy is dropped, saying so) and the sent-message links
        that make replies work.
        """
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, type, title, blocked, first_seen_at, last_seen_at)"
                " SELECT ?, 'supergroup', title, blocked, first_seen_at, last_seen_at"
                " FROM chats WHERE id = ? ON CONFLICT (id) DO NOTHING",
                (new_id, old_id),
            )
            await db.execute("DELETE FROM chats WHERE id = ?", (old_id,))
            await db.execute(
                "UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ? AND state = 'pending'",
                (new_id, old_id),
            )
            await db.execute(
                "UPDATE outbox SET state = 'dropped', error = ?"
                " WHERE chat_id = ? AND state = 'pending'",
                (f"already queued for the supergroup {new_id} this group became", old_id),
            )
            await db.execute(
                "UPDATE OR REPLACE sent_messages SET chat_id = ? WHERE chat_id = ?",
                (new_id, old_id),
            )
            # What the chat chose moves with it: its topics, follows and settings.
            for table in CHAT_OWNED_TABLES:
                await db.execute(
                    f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?",
                    (new_id, old_id),
                )
                await db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (old_id,))
