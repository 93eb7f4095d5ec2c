"""The outbox: messages queued for the delivery service, once per (chat, kind, item)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from briefing.outgoing import Button, OutgoingMessage, SharedMessage
from storage.db import Database
from storage.timestamps import from_db, to_db, utc_now

STATES = ("pending", "sent", "failed", "dropped")

# The oldest pending message of each chat: a chat's messages go in the order queued.
_HEADS = (
    "SELECT o.*, b.text AS body_text, b.buttons AS body_buttons FROM (SELECT chat_id,"
    " min(id) AS id FROM outbox WHERE state = 'pending' GROUP BY chat_id) AS head"
    " JOIN outbox AS o ON o.id = head.id LEFT JOIN outbox_bodies AS b ON b.id = o.body_id"
)
# The rows of every shared message about one item: [chat id, body id] pairs in one JSON
# array (measured a third faster than binding a row at a time); ``WHERE true`` lets SQLite
# tell the upsert clause from a join's ON.
_SHARED_ROWS = (
    "INSERT INTO outbox (chat_id, kind, item_key, text, body_id, briefing_id, story_id,"
    " next_attempt_at, created_at) SELECT json_extract(value, '$[0]'), ?, ?, '',"
    " json_extract(value, '$[1]'), ?, ?, ?, ? FROM json_each(?) WHERE true"
    " ON CONFLICT (chat_id, kind, item_key) DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """A pending message as the sender takes it: its outbox id and attempts so far."""

    id: int
    message: OutgoingMessage
    attempts: int


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    """What the operator sees: messages by state, and the commonest reasons they ended."""

    by_state: dict[str, int]
    retrying: int
    errors: list[tuple[str, int]]


class OutboxRepository:
    """Queues outgoing messages; the delivery service takes them from here."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._listener: Callable[[], None] | None = None

    def on_enqueue(self, listener: Callable[[], None] | None) -> None:
        """Call ``listener`` after each enqueue that queued something (the sender wakes)."""
        self._listener = listener

    async def enqueue(
        self, messages: Sequence[OutgoingMessage], *, now: datetime | None = None
    ) -> int:
        """Queue ``messages``, skipping any (chat, kind, item) queued before; how many were new.

        Joins the caller's transaction when there is one, so that a change and the messages
        it causes are stored together or not at all.
        """
        if not messages:
            return 0
        moment = to_db(now or utc_now())
        # Alerts of one story share one buttons value across thousands of chats: encode it
        # once (keyed by identity: hashing nested buttons costs more than encoding them).
        encoded: dict[int, str] = {}
        async with self._db.transaction() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO outbox (chat_id, kind, item_key, text, buttons, briefing_id,"
                " story_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, kind, item_key) DO NOTHING",
                [
                    (
                        m.chat_id,
                        m.kind,
                        m.item_key,
                        m.text,
                        encoded.get(id(m.buttons))
                        or encoded.setdefault(id(m.buttons), _buttons_json(m)),
                        m.briefing_id,
                        m.story_id,
                        moment,
                        moment,
                    )
                    for m in messages
                ],
            )
            queued = db.total_changes - before
        if queued and self._listener is not None:
            self._listener()
        return queued

    async def enqueue_shared(
        self, shared: Sequence[SharedMessage], *, now: datetime | None = None
    ) -> int:
        """Queue each message for each of its chats, its text and buttons stored once.

        As :meth:`enqueue`: a (chat, kind, item) queued before is skipped, the caller's
        transaction is joined, and the count is of the rows that were new. A body that
        no new row names is not kept.
        """
        shared = [s for s in shared if s.chat_ids]
        if not shared:
            return 0
        moment = to_db(now or utc_now())
        async with self._db.transaction() as db:
            # Ids given here, not by SQLite, so that bodies and rows go in two statements;
            # safe inside the write transaction, which no other writer shares.
            async with db.execute("SELECT coalesce(max(id), 0) FROM outbox_bodies") as cursor:
                row = await cursor.fetchone()
            first = int(row[0]) + 1 if row is not None else 1
            rows = _encoded_buttons(shared)
            await db.executemany(
                "INSERT INTO outbox_bodies (id, text, buttons) VALUES (?, ?, ?)",
                [(first + i, s.text, rows[i]) for i, s in enumerate(shared)],
            )
            items: dict[tuple[str, str, int | None, int | None], list[str]] = {}
            for i, s in enumerate(shared):
                pairs = items.setdefault((s.kind, s.item_key, s.briefing_id, s.story_id), [])
                pairs.extend(f"[{chat_id},{first + i}]" for chat_id in s.chat_ids)
            before = db.total_changes
            await db.executemany(
                _SHARED_ROWS,
                [
                    (kind, key, briefing, story, moment, moment, f"[{','.join(pairs)}]")
                    for (kind, key, briefing, story), pairs in items.items()
                ],
            )
            queued = db.total_changes - before
            if queued < sum(len(s.chat_ids) for s in shared):
                await db.execute(
                    "DELETE FROM outbox_bodies WHERE id >= ?"
                    " AND NOT EXISTS (SELECT 1 FROM outbox WHERE body_id = outbox_bodies.id)",
                    (first,),
                )
        if queued and self._listener is not None:
            self._listener()
        return queued

    async def due(
        self, now: datetime, *, limit: int, skip_chats: Collection[int] = ()
    ) -> list[QueuedMessage]:
        """The oldest pending message of each chat, if due by ``now``, oldest first.

        ``skip_chats`` (those with a message in flight) are left out. Read under the write
        lock, so a half-written transaction on the shared connection is never seen.
        """
        async with (
            self._db.transaction() as db,
            db.execute(
                f"{_HEADS} WHERE o.next_attempt_at <= ? ORDER BY o.id LIMIT ?",
                (to_db(now), limit + len(skip_chats)),
            ) as cursor,
        ):
            rows = await cursor.fetchall()
        taken = [_queued(row) for row in rows if row["chat_id"] not in skip_chats]
        return taken[:limit]

    async def next_due_at(self) -> datetime | None:
        """When the next chat's oldest pending message falls due, if any is pending."""
        async with (
            self._db.transaction() as db,
            db.execute(f"SELECT min(next_attempt_at) AS at FROM ({_HEADS})") as cursor,
        ):
            row = await cursor.fetchone()
        return from_db(row["at"]) if row is not None else None

    async def mark_sent(self, outbox_id: int, message_id: int, *, now: datetime) -> None:
        """Telegram took the message: record its id and, if it shows a briefing, the link
        that makes a reply to it join that item's discussion, in one transaction."""
        moment = to_db(now)
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?,"
                " attempts = attempts + 1, error = NULL WHERE id = ?",
                (message_id, moment, outbox_id),
            )
            await db.execute(
                "INSERT OR REPLACE INTO sent_messages"
                " (chat_id, message_id, briefing_id, story_id, sent_at)"
                " SELECT chat_id, ?, briefing_id, story_id, ? FROM outbox"
                " WHERE id = ? AND briefing_id IS NOT NULL",
                (message_id, moment, outbox_id),
            )

    async def retry_later(self, outbox_id: int, error: str, *, at: datetime) -> None:
        """A transient failure: count the attempt, keep the error, try again at ``at``."""
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE outbox SET attempts = attempts + 1, error = ?, next_attempt_at = ?"
                " WHERE id = ? AND state = 'pending'",
                (error, to_db(at), outbox_id),
            )

    async def fail(self, outbox_id: int, error: str) -> None:
        """End a message that cannot be sent, saying why."""
        async with self._db.transaction() as db:
            await db.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, error = ?"
                " WHERE id = ? AND state = 'pending'",
                (error, outbox_id),
            )

    async def drop_pending(self, chat_id: int, reason: str) -> int:
        """End every pending message to ``chat_id`` (it blocked the bot); how many."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "UPDATE outbox SET state = 'dropped', error = ?"
                " WHERE chat_id = ? AND state = 'pending'",
                (reason, chat_id),
            )
            return cursor.rowcount

    async def counts(self, *, errors: int = 5) -> OutboxCounts:
        """Messages by state, how many pending ones are being retried, and the ``errors``
        commonest reasons messages ended (failed or dropped)."""
        db = self._db.connection
        by_state = dict.fromkeys(STATES, 0)
        async with db.execute("SELECT state, count(*) AS n FROM outbox GROUP BY state") as rows:
            async for row in rows:
                by_state[row["state"]] = row["n"]
        async with db.execute(
            "SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND attempts > 0"
        ) as cursor:
            retrying = await cursor.fetchone()
        async with db.execute(
            "SELECT error, count(*) AS n FROM outbox WHERE state IN ('failed', 'dropped')"
            " GROUP BY error ORDER BY n DESC, error LIMIT ?",
            (errors,),
        ) as rows:
            common = [(str(row["error"]), int(row["n"])) async for row in rows]
        return OutboxCounts(by_state, int(retrying["n"]) if retrying else 0, common)


def _buttons_json(message: OutgoingMessage) -> str:
    return _encode(message.buttons)


def _encoded_buttons(shared: Sequence[SharedMessage]) -> list[str]:
    """Each message's buttons as JSON, each row encoded once.

    Shared messages repeat the same row objects (a story's open button, a topic's mute
    button) thousands of times; rows are keyed by identity, alive for the whole call.
    """
    rows: dict[int, str] = {}
    encoded = []
    for message in shared:
        parts = []
        for row in message.buttons:
            part = rows.get(id(row))
            if part is None:
                part = rows[id(row)] = _encode((row,))[1:-1]
            parts.append(part)
        encoded.append(f"[{','.join(parts)}]")
    return encoded


def _encode(buttons: tuple[tuple[Button, ...], ...]) -> str:
    rows = [[[b.text, b.callback_data, b.url] for b in row] for row in buttons]
    return json.dumps(rows, ensure_ascii=False)


def _buttons(stored: str) -> tuple[tuple[Button, ...], ...]:
    rows: list[list[list[Any]]] = json.loads(stored)
    return tuple(tuple(Button(text, data, url) for text, data, url in row) for row in rows)


def _queued(row: Any) -> QueuedMessage:
    shared = row["body_id"] is not None
    message = OutgoingMessage(
        chat_id=row["chat_id"],
        kind=row["kind"],
        item_key=row["item_key"],
        text=row["body_text"] if shared else row["text"],
        buttons=_buttons(row["body_buttons"] if shared else row["buttons"]),
        briefing_id=row["briefing_id"],
        story_id=row["story_id"],
    )
    return QueuedMessage(row["id"], message, row["attempts"])
