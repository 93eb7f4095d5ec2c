"""Comments written in chats: who wrote them, edits, deletions, mutes, pending story choices.

Source comments live with their briefing (:mod:`storage.briefings`); this repository adds
what only chat comments have: the Telegram message that wrote one, its author's user id
(for notifications, deletion and muting) and the per-user discussion settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from briefing.models import Comment, CommentOrigin
from storage.briefings import comment_from_row
from storage.db import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True, slots=True)
class ChatComment:
    """A stored comment with what the discussion needs to act on it."""

    id: int
    briefing_id: int
    comment: Comment
    author_user_id: int | None
    chat_id: int | None
    message_id: int | None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class PendingComment:
    """A reply waiting for its reader to say which story of a briefing it is about."""

    id: int
    briefing_id: int
    chat_id: int
    message_id: int
    user_id: int | None
    author: str | None
    text: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Written:
    """Where a chat comment comes from: the message that wrote it and its author's id."""

    chat_id: int
    message_id: int
    user_id: int | None


class CommentRepository:
    """Chat comments and the discussion's per-user settings."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self, briefing_id: int, comment: Comment, written: Written, *, now: datetime
    ) -> tuple[ChatComment, bool]:
        """Store a chat comment; (the stored comment, whether it is new).

        The message that wrote it is its identity: a redelivered update adds nothing.
        """
        async with self._db.transaction() as db:
            known = await _by_message(db, written.chat_id, written.message_id)
            if known is not None:
                return known, False
            async with db.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM comments WHERE briefing_id = ?",
                (briefing_id,),
            ) as cursor:
                row = await cursor.fetchone()
            position = int(row[0]) if row else 0
            cursor = await db.execute(
                "INSERT INTO comments (briefing_id, key, parent_key, story_position, author,"
                " body, published_at, origin, position, author_user_id, chat_id, message_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    briefing_id,
                    comment.key,
                    comment.parent_key,
                    comment.story_position,
                    comment.author,
                    comment.text,
                    to_db(comment.published),
                    CommentOrigin.CHAT.value,
                    position,
                    written.user_id,
                    written.chat_id,
                    written.message_id,
                    _fixed(now),
                ),
            )
            assert cursor.lastrowid is not None
            stored = await _by_id(db, cursor.lastrowid)
        assert stored is not None
        return stored, True

    async def get(self, comment_id: int) -> ChatComment | None:
        """The comment with this id (deleted ones too, marked)."""
        return await _by_id(self._db.connection, comment_id)

    async def by_message(self, chat_id: int, message_id: int) -> ChatComment | None:
        """The comment a chat message wrote, if it wrote one."""
        return await _by_message(self._db.connection, chat_id, message_id)

    async def count(self, briefing_id: int, story_position: int | None) -> int:
        """How many comments (not deleted) a story, or the briefing as a whole, has."""
        async with self._db.connection.execute(
            "SELECT count(*) FROM comments WHERE briefing_id = ? AND story_position IS ?"
            " AND deleted_at IS NULL",
            (briefing_id, story_position),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def written_since(self, user_id: int, since: datetime) -> int:
        """How many comments the user wrote at ``since`` or later (deleted ones count)."""
        async with self._db.connection.execute(
            "SELECT count(*) FROM comments WHERE author_user_id = ? AND created_at >= ?",
            (user_id, _fixed(since)),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def edit(self, comment_id: int, text: str, *, now: datetime) -> None:
        """Replace a comment's text, marking it edited."""
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE comments SET body = ?, edited_at = ? WHERE id = ?",
                (text, to_db(now), comment_id),
            )

    async def delete(self, comment_id: int, *, now: datetime) -> bool:
        """Mark a comment deleted (its replies stay); whether it was shown until now."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "UPDATE comments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                (to_db(now), comment_id),
            )
            return cursor.rowcount > 0

    async def add_pending(
        self, briefing_id: int, comment: Comment, written: Written, *, now: datetime
    ) -> int:
        """Keep a reply until its reader picks a story; its id (the same for a redelivery)."""
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO pending_comments (briefing_id, chat_id, message_id, user_id, author,"
                " body, published_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, message_id) DO NOTHING",
                (
                    briefing_id,
                    written.chat_id,
                    written.message_id,
                    written.user_id,
                    comment.author,
                    comment.text,
                    to_db(comment.published),
                    to_db(now),
                ),
            )
            async with db.execute(
                "SELECT id FROM pending_comments WHERE chat_id = ? AND message_id = ?",
                (written.chat_id, written.message_id),
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return int(row["id"])

    async def edit_pending(self, chat_id: int, message_id: int, text: str) -> bool:
        """Replace the text of a reply still waiting for its story; whether one was waiting."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "UPDATE pending_comments SET body = ? WHERE chat_id = ? AND message_id = ?",
                (text, chat_id, message_id),
            )
            return cursor.rowcount > 0

    async def pending(self, pending_id: int) -> PendingComment | None:
        """A reply still waiting for its story."""
        async with self._db.connection.execute(
            "SELECT * FROM pending_comments WHERE id = ?", (pending_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return PendingComment(
            row["id"],
            row["briefing_id"],
            row["chat_id"],
            row["message_id"],
            row["user_id"],
            row["author"],
            row["body"],
            from_db(row["published_at"]),
        )

    async def drop_pending(self, pending_id: int) -> bool:
        """Forget a waiting reply; whether it was still waiting (one tap wins)."""
        async with self._db.transaction() as db:
            cursor = await db.execute("DELETE FROM pending_comments WHERE id = ?", (pending_id,))
            return cursor.rowcount > 0

    async def set_notify(self, user_id: int, *, on: bool) -> None:
        """Turn a user's reply notifications on or off."""
        async with self._db.transaction() as db:
            if on:
                await db.execute(
                    "DELETE FROM reply_notifications_off WHERE user_id = ?", (user_id,)
                )
            else:
                await db.execute(
                    "INSERT OR IGNORE INTO reply_notifications_off (user_id) VALUES (?)",
                    (user_id,),
                )

    async def notify_on(self, user_id: int) -> bool:
        """Whether the user hears about replies to their comments (the default)."""
        async with self._db.connection.execute(
            "SELECT 1 FROM reply_notifications_off WHERE user_id = ?", (user_id,)
        ) as cursor:
            return await cursor.fetchone() is None

    async def mute(self, user_id: int, *, by: int | None, now: datetime) -> bool:
        """Stop a user's comments; whether they were not muted before."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO muted_users (user_id, muted_by, muted_at) VALUES (?, ?, ?)",
                (user_id, by, to_db(now)),
            )
            return cursor.rowcount > 0

    async def unmute(self, user_id: int) -> bool:
        """Let a muted user comment again; whether they were muted."""
        async with self._db.transaction() as db:
            cursor = await db.execute("DELETE FROM muted_users WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0

    async def is_muted(self, user_id: int) -> bool:
        """Whether an admin muted the user."""
        async with self._db.connection.execute(
            "SELECT 1 FROM muted_users WHERE user_id = ?", (user_id,)
        ) as cursor:
            return await cursor.fetchone() is not None


def _fixed(moment: datetime) -> str:
    """Fixed-width UTC text, so that comparing strings compares times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


async def _by_id(db: aiosqlite.Connection, comment_id: int) -> ChatComment | None:
    async with db.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)) as cursor:
        row = await cursor.fetchone()
    return _chat_comment(row) if row is not None else None


async def _by_message(
    db: aiosqlite.Connection, chat_id: int, message_id: int
) -> ChatComment | None:
    async with db.execute(
        "SELECT * FROM comments WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
    ) as cursor:
        row = await cursor.fetchone()
    return _chat_comment(row) if row is not None else None


def _chat_comment(row: aiosqlite.Row) -> ChatComment:
    comment = comment_from_row(row)
    return ChatComment(
        row["id"],
        row["briefing_id"],
        comment,
        row["author_user_id"],
        row["chat_id"],
        row["message_id"],
        row["deleted_at"] is not None,
    )
