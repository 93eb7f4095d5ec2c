"""The outbox: messages queued for the delivery service, once per (chat, kind, item)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from briefing.outgoing import OutgoingMessage
from storage.db import Database
from storage.timestamps import to_db, utc_now


class OutboxRepository:
    """Queues outgoing messages; the delivery service takes them from here."""

    def __init__(self, database: Database) -> None:
        self._db = database

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
                        _buttons_json(m),
                        m.briefing_id,
                        m.story_id,
                        moment,
                        moment,
                    )
                    for m in messages
                ],
            )
            return db.total_changes - before

    async def drop_pending(self, chat_id: int) -> int:
        """Give up every message still pending for a chat that became unreachable; how many."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "UPDATE outbox SET state = 'dropped', error = 'the chat is inactive'"
                " WHERE chat_id = ? AND state = 'pending'",
                (chat_id,),
            )
            return cursor.rowcount


def _buttons_json(message: OutgoingMessage) -> str:
    rows = [[[b.text, b.callback_data, b.url] for b in row] for row in message.buttons]
    return json.dumps(rows, ensure_ascii=False)
