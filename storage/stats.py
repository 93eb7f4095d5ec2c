"""Counts for the operator: /stats and /healthz read the whole database through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True, slots=True)
class Activity:
    """Outbox messages sent, and given up on (failed or dropped), since a moment."""

    sent: int
    errors: int


@dataclass(frozen=True, slots=True)
class BotStats:
    """What /stats shows."""

    chats: int
    active_chats: int
    sources: int
    topics: int
    stories: int
    comments: int
    backlog: int
    last_hour: Activity
    last_day: Activity


@dataclass(frozen=True, slots=True)
class Backlog:
    """Outbox messages still pending, and when the oldest of them was queued."""

    pending: int
    oldest: datetime | None


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source's URL and its last successful poll."""

    id: int
    url: str
    last_success: datetime | None


@dataclass(frozen=True, slots=True)
class BroadcastReport:
    """How the outbox rows of one broadcast ended so far."""

    total: int
    pending: int
    sent: int
    blocked: int
    failed: int


_COUNTS = (
    ("chats", "SELECT count(*) FROM chats"),
    ("active_chats", "SELECT count(*) FROM chats WHERE blocked = 0"),
    ("sources", "SELECT count(*) FROM sources"),
    ("topics", "SELECT count(*) FROM topics"),
    ("stories", "SELECT count(*) FROM stories"),
    ("comments", "SELECT count(*) FROM comments"),
    ("backlog", "SELECT count(*) FROM outbox WHERE state = 'pending'"),
)
# A failed row keeps no time of its own: its last attempt was due at next_attempt_at.
_ACTIVITY = (
    "SELECT sum(state = 'sent' AND sent_at >= ?),"
    " sum(state IN ('failed', 'dropped') AND coalesce(sent_at, next_attempt_at) >= ?)"
    " FROM outbox WHERE state != 'pending'"
)
# The sender records a chat that blocked the bot as dropped, or as failed with Forbidden.
_BLOCKED = "(state = 'dropped' OR error LIKE '%blocked%' OR error LIKE '%Forbidden%')"


class StatsRepository:
    """Read-only counts across the aggregates."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def ping(self) -> int:
        """How many migrations are applied (the schema version); raises when unreachable."""
        return await self._scalar("SELECT count(*) FROM migrations")

    async def collect(self, now: datetime) -> BotStats:
        """Every figure /stats shows, as of ``now``."""
        counts = {name: await self._scalar(query) for name, query in _COUNTS}
        return BotStats(
            **counts,
            last_hour=await self._activity(now - timedelta(hours=1)),
            last_day=await self._activity(now - timedelta(days=1)),
        )

    async def active_chat_ids(self) -> list[int]:
        """Every chat the bot may write to, by id: a broadcast's audience."""
        async with self._db.connection.execute(
            "SELECT id FROM chats WHERE blocked = 0 ORDER BY id"
        ) as cursor:
            return [int(row[0]) async for row in cursor]

    async def backlog(self) -> Backlog:
        """Pending outbox messages and the oldest one's queueing time."""
        async with self._db.connection.execute(
            "SELECT count(*), min(created_at) FROM outbox WHERE state = 'pending'"
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return Backlog(int(row[0]), from_db(row[1]))

    async def sources(self) -> list[SourceHealth]:
        """Every source's last successful poll, by id."""
        async with self._db.connection.execute(
            "SELECT id, url, last_success_at FROM sources ORDER BY id"
        ) as cursor:
            return [SourceHealth(r[0], r[1], from_db(r[2])) async for r in cursor]

    async def broadcast(self, broadcast_id: str) -> BroadcastReport:
        """The states of the outbox rows of broadcast ``broadcast_id``."""
        async with self._db.connection.execute(
            "SELECT count(*), coalesce(sum(state = 'pending'), 0),"
            " coalesce(sum(state = 'sent'), 0),"
            f" coalesce(sum(state != 'pending' AND state != 'sent' AND {_BLOCKED}), 0)"
            " FROM outbox WHERE kind = 'broadcast' AND item_key = ?",
            (broadcast_id,),
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        total, pending, sent, blocked = (int(value) for value in row)
        return BroadcastReport(total, pending, sent, blocked, total - pending - sent - blocked)

    async def _activity(self, since: datetime) -> Activity:
        moment = to_db(since)
        async with self._db.connection.execute(_ACTIVITY, (moment, moment)) as cursor:
            row = await cursor.fetchone()
        sent, errors = (row[0], row[1]) if row is not None else (0, 0)
        return Activity(int(sent or 0), int(errors or 0))

    async def _scalar(self, query: str) -> int:
        async with self._db.connection.execute(query) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row is not None and row[0] is not None else 0
