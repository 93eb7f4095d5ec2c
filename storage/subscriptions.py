"""Topic subscriptions, and matching new stories against every distinct topic once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

import aiosqlite

from briefing.models import Story
from briefing.query import Document, Query, document, from_json
from storage.db import Database
from storage.timestamps import to_db, utc_now

MAX_TOPICS_PER_CHAT = 50

Matcher = Callable[[Query, Document], bool]


class SubscribeOutcome(StrEnum):
    """What subscribing did."""

    ADDED = "added"
    ALREADY = "already"
    FULL = "full"


class Subscription(NamedTuple):
    """A topic a chat follows, in the chat's own words.

    Alerts and subscriptions are named tuples, not frozen dataclasses: matching builds
    tens of thousands at a time, and a tuple is several times cheaper to make and hash.
    """

    topic_id: int
    label: str


@dataclass(frozen=True, slots=True)
class Subscribed:
    """The outcome of a subscribe, and the subscription it made or found (none when full)."""

    outcome: SubscribeOutcome
    subscription: Subscription | None


class Alert(NamedTuple):
    """One story for one chat, with every topic of the chat it matched."""

    chat_id: int
    story_id: int
    topics: tuple[Subscription, ...]


@dataclass(frozen=True, slots=True)
class Matching:
    """The alerts new stories cause, and what finding them cost.

    Attributes:
        candidates: distinct topics the inverted index proposed.
        evaluations: (topic, story) pairs evaluated; never depends on how many chats
            follow a topic.
    """

    alerts: tuple[Alert, ...]
    candidates: int
    evaluations: int


def _evaluate(query: Query, doc: Document) -> bool:
    return query.matches(doc)


class SubscriptionRepository:
    """Which chats follow which topics; each distinct topic is stored and matched once."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def subscribe(
        self,
        chat_id: int,
        query: Query,
        label: str,
        *,
        limit: int = MAX_TOPICS_PER_CHAT,
        now: datetime | None = None,
    ) -> Subscribed:
        """Subscribe the chat to ``query``, unless it follows it already or has ``limit``."""
        moment = to_db(now or utc_now())
        async with self._db.transaction() as db:
            topic_id = await _topic_id(db, query.canonical)
            if topic_id is not None:
                existing = await _subscription(db, chat_id, topic_id)
                if existing is not None:
                    return Subscribed(SubscribeOutcome.ALREADY, existing)
            if await _count(db, chat_id) >= limit:
                return Subscribed(SubscribeOutcome.FULL, None)
            if topic_id is None:
                topic_id = await _add_topic(db, query, moment)
            await db.execute(
                "INSERT INTO subscriptions (chat_id, topic_id, label, created_at)"
                " VALUES (?, ?, ?, ?)",
                (chat_id, topic_id, label, moment),
            )
        return Subscribed(SubscribeOutcome.ADDED, Subscription(topic_id, label))

    async def topics(self, chat_id: int) -> list[Subscription]:
        """The chat's topics, oldest first."""
        async with self._db.connection.execute(
            "SELECT topic_id, label FROM subscriptions WHERE chat_id = ?"
            " ORDER BY created_at, rowid",
            (chat_id,),
        ) as cursor:
            return [Subscription(row["topic_id"], row["label"]) async for row in cursor]

    async def find(self, chat_id: int, query: Query) -> Subscription | None:
        """The chat's subscription to the topic ``query`` normalizes to, if any."""
        topic_id = await _topic_id(self._db.connection, query.canonical)
        if topic_id is None:
            return None
        return await _subscription(self._db.connection, chat_id, topic_id)

    async def unsubscribe(self, chat_id: int, topic_id: int) -> Subscription | None:
        """Remove one of the chat's topics; the removed subscription, or ``None``."""
        async with self._db.transaction() as db:
            existing = await _subscription(db, chat_id, topic_id)
            if existing is None:
                return None
            await db.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND topic_id = ?",
                (chat_id, topic_id),
            )
            await _drop_orphans(db, [topic_id])
        return existing

    async def unsubscribe_all(self, chat_id: int) -> int:
        """Remove every topic of the chat; how many there were."""
        async with self._db.transaction() as db:
            async with db.execute(
                "SELECT topic_id FROM subscriptions WHERE chat_id = ?", (chat_id,)
            ) as cursor:
                topic_ids = [row["topic_id"] async for row in cursor]
            await db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            await _drop_orphans(db, topic_ids)
        return len(topic_ids)

    async def match(
        self, briefing_id: int, stories: Sequence[Story], *, matcher: Matcher = _evaluate
    ) -> Matching:
        """The alerts that new ``stories`` of a briefing cause.

        Three steps, each independent of how many chats share a topic: the stems of the
        stories find the candidate topics in the inverted index (one query); each candidate
        is evaluated once per story holding one of its anchors; one query then finds the
        chats following a matched topic, leaving out blocked chats, chats that were sent
        the briefing in full and chats that unfollowed its source. A chat gets one alert per
        story, naming all its topics.
        """
        docs = {s.id: document(s.heading, *s.summary, s.text) for s in stories if s.id}
        holding: dict[str, set[int]] = defaultdict(set)  # stem -> the stories holding it
        for story_id, doc in docs.items():
            for stem in doc.positions:
                holding[stem].add(story_id)
        if not holding:
            return Matching((), 0, 0)
        async with self._db.connection.execute(
            "SELECT id, query FROM topics WHERE id IN (SELECT topic_id FROM topic_terms"
            " WHERE term IN (SELECT value FROM json_each(?))) ORDER BY id",
            (json.dumps(sorted(holding), ensure_ascii=False),),
        ) as cursor:
            rows = list(await cursor.fetchall())
        matched: dict[int, list[int]] = {}  # story id -> matched topic ids
        evaluations = 0
        for topic_id, text in rows:
            query = from_json(text)
            held = set().union(*(holding.get(anchor, ()) for anchor in query.anchors))
            for story_id in held:
                evaluations += 1
                if matcher(query, docs[story_id]):
                    matched.setdefault(story_id, []).append(topic_id)
        alerts = await self._alerts(briefing_id, [(i, matched[i]) for i in docs if i in matched])
        return Matching(alerts, len(rows), evaluations)

    async def _alerts(
        self, briefing_id: int, matched: list[tuple[int, list[int]]]
    ) -> tuple[Alert, ...]:
        """One alert per (chat, story), stories in order, then chats by id."""
        if not matched:
            return ()
        stories_of: dict[int, list[int]] = defaultdict(list)  # topic id -> story ids
        for story_id, topic_ids in matched:
            for topic_id in topic_ids:
                stories_of[topic_id].append(story_id)
        async with self._db.connection.execute(
            "SELECT s.chat_id, s.topic_id, s.label FROM subscriptions s"
            " LEFT JOIN chats c ON c.id = s.chat_id"
            " WHERE s.topic_id IN (SELECT value FROM json_each(?))"
            " AND coalesce(c.blocked, 0) = 0"
            " AND NOT EXISTS (SELECT 1 FROM sent_messages m WHERE m.chat_id = s.chat_id"
            " AND m.briefing_id = ? AND m.story_id IS NULL)"
            # A chat that unfollowed the briefing's source (a primary-key probe).
            " AND NOT EXISTS (SELECT 1 FROM unfollowed_sources u WHERE u.chat_id = s.chat_id"
            " AND u.source_id = (SELECT source_id FROM briefings WHERE id = ?))"
            " ORDER BY s.chat_id, s.created_at, s.rowid",
            (json.dumps(sorted(stories_of)), briefing_id, briefing_id),
        ) as cursor:
            cursor.row_factory = None  # plain tuples: there may be tens of thousands
            rows = list(await cursor.fetchall())
        per_story: dict[int, dict[int, list[Subscription]]] = {i: {} for i, _ in matched}
        for chat_id, topic_id, label in rows:
            topic = Subscription(topic_id, label)
            for story_id in stories_of[topic_id]:
                per_story[story_id].setdefault(chat_id, []).append(topic)
        return tuple(
            Alert(chat_id, story_id, tuple(topics))
            for story_id, chats in per_story.items()
            for chat_id, topics in chats.items()
        )


async def _topic_id(db: aiosqlite.Connection, canonical: str) -> int | None:
    async with db.execute("SELECT id FROM topics WHERE canonical = ?", (canonical,)) as cursor:
        row = await cursor.fetchone()
    return int(row["id"]) if row is not None else None


async def _subscription(
    db: aiosqlite.Connection, chat_id: int, topic_id: int
) -> Subscription | None:
    async with db.execute(
        "SELECT label FROM subscriptions WHERE chat_id = ? AND topic_id = ?", (chat_id, topic_id)
    ) as cursor:
        row = await cursor.fetchone()
    return Subscription(topic_id, row["label"]) if row is not None else None


async def _count(db: aiosqlite.Connection, chat_id: int) -> int:
    async with db.execute(
        "SELECT count(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _add_topic(db: aiosqlite.Connection, query: Query, moment: str | None) -> int:
    cursor = await db.execute(
        "INSERT INTO topics (canonical, query, created_at) VALUES (?, ?, ?)",
        (query.canonical, query.to_json(), moment),
    )
    assert cursor.lastrowid is not None
    await db.executemany(
        "INSERT INTO topic_terms (term, topic_id) VALUES (?, ?)",
        [(anchor, cursor.lastrowid) for anchor in sorted(query.anchors)],
    )
    return cursor.lastrowid


async def _drop_orphans(db: aiosqlite.Connection, topic_ids: Sequence[int]) -> None:
    """Forget topics nobody follows any more (their terms go with them)."""
    await db.executemany(
        "DELETE FROM topics WHERE id = ?"
        " AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE topic_id = topics.id)",
        [(topic_id,) for topic_id in topic_ids],
    )
