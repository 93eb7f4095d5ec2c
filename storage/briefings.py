"""Briefings with their ordered stories and threaded comments."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from briefing.models import Block, BlockKind, Briefing, Comment, CommentOrigin, Story
from storage.db import Database
from storage.timestamps import from_db, to_db, utc_now


class SaveOutcome(StrEnum):
    """What saving a briefing did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The stored briefing's id, what the save did to it, and which rows are new or changed.

    Attributes:
        story_ids: the id of every story of the saved briefing, by position.
        created_story_ids: stories stored for the first time (every story of a new
            briefing; positions an update added).
        changed_story_ids: stories of an updated briefing whose heading, text or link
            changed (kept ids, so their buttons and sent messages stay valid).
        new_comment_ids: source comments stored for the first time.
    """

    briefing_id: int
    outcome: SaveOutcome
    new_comments: int = 0
    story_ids: tuple[int, ...] = ()
    created_story_ids: tuple[int, ...] = ()
    changed_story_ids: tuple[int, ...] = ()
    new_comment_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredState:
    """What a poller needs to know about a stored briefing before re-reading its source."""

    briefing_id: int
    content_hash: str
    comment_count: int | None


@dataclass(frozen=True, slots=True)
class StoryRef:
    """A stored story found by id, with the briefing it belongs to."""

    briefing: Briefing
    position: int

    @property
    def story(self) -> Story:
        """The story itself."""
        return self.briefing.stories[self.position]


class BriefingRepository:
    """Reads and writes :class:`~briefing.models.Briefing` values."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def save(
        self,
        briefing: Briefing,
        *,
        source_id: int | None = None,
        now: datetime | None = None,
    ) -> SaveResult:
        """Insert the briefing, or update the stored one with the same key; one transaction.

        The briefing row and its stories are written only when the content hash changed.
        Stories are updated in place by position so that their ids (and with them buttons
        and message links already sent) stay valid. Source comments are upserted by key,
        writing only new or edited ones; comments written in chats are never touched.
        """
        moment = to_db(now or utc_now())
        content_hash = briefing.content_hash()
        async with self._db.transaction() as db:
            async with db.execute(
                "SELECT id, content_hash FROM briefings WHERE key = ?", (briefing.key,)
            ) as cursor:
                existing = await cursor.fetchone()
            row = (
                briefing.title,
                briefing.url,
                to_db(briefing.published),
                briefing.comment_count,
                content_hash,
                moment,
            )
            if existing is None:
                cursor = await db.execute(
                    "INSERT INTO briefings (title, url, published_at, comment_count,"
                    " content_hash, updated_at, source_id, key, ingested_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*row, source_id, briefing.key, moment),
                )
                assert cursor.lastrowid is not None
                briefing_id, outcome = cursor.lastrowid, SaveOutcome.CREATED
            elif existing["content_hash"] != content_hash:
                briefing_id, outcome = existing["id"], SaveOutcome.UPDATED
                await db.execute(
                    "UPDATE briefings SET title = ?, url = ?, published_at = ?,"
                    " comment_count = ?, content_hash = ?, updated_at = ? WHERE id = ?",
                    (*row, briefing_id),
                )
            else:
                briefing_id, outcome = existing["id"], SaveOutcome.UNCHANGED
            created_ids: tuple[int, ...] = ()
            changed_ids: tuple[int, ...] = ()
            if outcome is SaveOutcome.UNCHANGED:
                story_ids = await _story_ids(db, briefing_id)
            else:
                before = (
                    {}
                    if outcome is SaveOutcome.CREATED
                    else await _stored_stories(db, briefing_id)
                )
                await _write_stories(db, briefing_id, briefing.stories, created=not before)
                story_ids = await _story_ids(db, briefing_id)
                created_ids = tuple(
                    story_ids[position]
                    for position in range(len(briefing.stories))
                    if position not in before
                )
                changed_ids = tuple(
                    story_ids[position]
                    for position, story in enumerate(briefing.stories)
                    if position in before and before[position] != _story_content(story)
                )
            new_comment_ids = await _write_source_comments(db, briefing_id, briefing.comments)
            if new_comment_ids and outcome is SaveOutcome.UNCHANGED:
                await db.execute(
                    "UPDATE briefings SET comment_count = max(coalesce(comment_count, 0), ?)"
                    " WHERE id = ?",
                    (briefing.comment_count or 0, briefing_id),
                )
        return SaveResult(
            briefing_id,
            outcome,
            len(new_comment_ids),
            story_ids=story_ids,
            created_story_ids=created_ids,
            changed_story_ids=changed_ids,
            new_comment_ids=new_comment_ids,
        )

    async def stored_state(self, key: str) -> StoredState | None:
        """The stored content hash and comment count of the briefing with ``key``."""
        async with self._db.connection.execute(
            "SELECT id, content_hash, comment_count FROM briefings WHERE key = ?", (key,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return StoredState(row["id"], row["content_hash"], row["comment_count"])

    async def add_comment(self, briefing_id: int, comment: Comment) -> Comment:
        """Add one comment (a chat reply, typically) and return it with its id.

        Adding a comment whose key is already stored returns the stored one unchanged.
        """
        async with self._db.transaction() as db:
            position = await _next_comment_position(db, briefing_id)
            await db.execute(
                "INSERT INTO comments (briefing_id, key, parent_key, story_position, author,"
                " body, published_at, origin, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (briefing_id, key) DO NOTHING",
                (briefing_id, *_comment_values(comment), position),
            )
        stored = await self._comments(briefing_id, key=comment.key)
        return stored[0]

    async def latest(
        self, *, chat_id: int | None = None, comments: bool = True
    ) -> Briefing | None:
        """The most recent briefing by publication (or ingestion) time.

        With ``chat_id``, the most recent of the sources that chat follows (a briefing
        ingested by hand, of no source, counts as followed). With ``comments=False`` its
        ``comments`` are empty: a hot path that shows only the stored highlights
        (:mod:`storage.highlights`) does not load every comment.
        """
        async with self._db.connection.execute(
            "SELECT * FROM briefings b WHERE :chat IS NULL OR b.source_id IS NULL"
            " OR NOT EXISTS (SELECT 1 FROM unfollowed_sources u"
            " WHERE u.chat_id = :chat AND u.source_id = b.source_id)"
            " ORDER BY coalesce(published_at, ingested_at) DESC, id DESC LIMIT 1",
            {"chat": chat_id},
        ) as cursor:
            row = await cursor.fetchone()
        return await self._assemble(row, comments) if row is not None else None

    async def get(self, briefing_id: int, *, comments: bool = True) -> Briefing | None:
        """The briefing with this id, if it is still stored (``comments``: see latest)."""
        async with self._db.connection.execute(
            "SELECT * FROM briefings WHERE id = ?", (briefing_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return await self._assemble(row, comments) if row is not None else None

    async def find_story(self, story_id: int, *, comments: bool = True) -> StoryRef | None:
        """The story with this id and its briefing, if both are still stored (see latest)."""
        async with self._db.connection.execute(
            "SELECT briefing_id, position FROM stories WHERE id = ?", (story_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        briefing = await self.get(row["briefing_id"], comments=comments)
        if briefing is None or row["position"] >= len(briefing.stories):
            return None
        return StoryRef(briefing, row["position"])

    async def ingested_at(self, briefing_id: int) -> datetime | None:
        """When the briefing was first stored (the date shown for an undated edition)."""
        async with self._db.connection.execute(
            "SELECT ingested_at FROM briefings WHERE id = ?", (briefing_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return from_db(row["ingested_at"]) if row is not None else None

    async def count(self) -> int:
        """How many briefings are stored."""
        async with self._db.connection.execute("SELECT count(*) FROM briefings") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _assemble(self, row: aiosqlite.Row, comments: bool = True) -> Briefing:
        async with self._db.connection.execute(
            "SELECT * FROM stories WHERE briefing_id = ? ORDER BY position", (row["id"],)
        ) as cursor:
            stories = tuple([_story_from_row(story) async for story in cursor])
        return Briefing(
            key=row["key"],
            title=row["title"],
            stories=stories,
            comments=tuple(await self._comments(row["id"])) if comments else (),
            published=from_db(row["published_at"]),
            url=row["url"],
            comment_count=row["comment_count"],
            id=row["id"],
            source_id=row["source_id"],
        )

    async def _comments(self, briefing_id: int, *, key: str | None = None) -> list[Comment]:
        query = "SELECT * FROM comments WHERE briefing_id = ? AND deleted_at IS NULL"
        params: tuple[object, ...] = (briefing_id,)
        if key is not None:
            query += " AND key = ?"
            params = (briefing_id, key)
        async with self._db.connection.execute(query + " ORDER BY position", params) as cursor:
            return [comment_from_row(comment) async for comment in cursor]


async def _write_stories(
    db: aiosqlite.Connection, briefing_id: int, stories: Sequence[Story], *, created: bool
) -> None:
    await db.executemany(
        "INSERT INTO stories (briefing_id, position, heading, blocks, url, summary)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (briefing_id, position) DO UPDATE SET heading = excluded.heading,"
        " blocks = excluded.blocks, url = excluded.url, summary = excluded.summary",
        [
            (
                briefing_id,
                position,
                story.heading,
                _blocks_json(story),
                story.url,
                json.dumps(list(story.summary), ensure_ascii=False),
            )
            for position, story in enumerate(stories)
        ],
    )
    if not created:  # a new briefing has no stories beyond its own
        await db.execute(
            "DELETE FROM stories WHERE briefing_id = ? AND position >= ?",
            (briefing_id, len(stories)),
        )


async def _story_ids(db: aiosqlite.Connection, briefing_id: int) -> tuple[int, ...]:
    async with db.execute(
        "SELECT id FROM stories WHERE briefing_id = ? ORDER BY position", (briefing_id,)
    ) as rows:
        return tuple([row["id"] async for row in rows])


_StoryContent = tuple[str, str, str | None]


async def _stored_stories(db: aiosqlite.Connection, briefing_id: int) -> dict[int, _StoryContent]:
    """The stored content of each story by position, to tell which ones an update changes."""
    async with db.execute(
        "SELECT position, heading, blocks, url FROM stories WHERE briefing_id = ?",
        (briefing_id,),
    ) as rows:
        return {row["position"]: (row["heading"], row["blocks"], row["url"]) async for row in rows}


def _story_content(story: Story) -> _StoryContent:
    return (story.heading, _blocks_json(story), story.url)


def _blocks_json(story: Story) -> str:
    return json.dumps([[b.kind.value, b.text] for b in story.blocks], ensure_ascii=False)


async def _write_source_comments(
    db: aiosqlite.Connection, briefing_id: int, comments: Iterable[Comment]
) -> tuple[int, ...]:
    """Upsert the source's comments; returns the ids of those not stored before."""
    source = [c for c in comments if c.origin is CommentOrigin.SOURCE]
    if not source:
        return ()
    async with db.execute(
        "SELECT key FROM comments WHERE briefing_id = ?", (briefing_id,)
    ) as rows:
        known = {row["key"] async for row in rows}
    first_new = position = await _next_comment_position(db, briefing_id)
    values = []
    for comment in source:
        # A stored key keeps its position (the upsert leaves it); a new one takes the next.
        values.append((briefing_id, *_comment_values(comment), position))
        if comment.key not in known:
            known.add(comment.key)
            position += 1
    # The WHERE makes an unchanged comment a no-op instead of a rewrite.
    await db.executemany(
        "INSERT INTO comments (briefing_id, key, parent_key, story_position, author, body,"
        " published_at, origin, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (briefing_id, key) DO UPDATE SET parent_key = excluded.parent_key,"
        " story_position = excluded.story_position, author = excluded.author,"
        " body = excluded.body, published_at = excluded.published_at"
        " WHERE comments.body IS NOT excluded.body"
        " OR comments.parent_key IS NOT excluded.parent_key"
        " OR comments.author IS NOT excluded.author"
        " OR comments.story_position IS NOT excluded.story_position",
        values,
    )
    if position == first_new:
        return ()
    async with db.execute(
        "SELECT id FROM comments WHERE briefing_id = ? AND position >= ? ORDER BY position",
        (briefing_id, first_new),
    ) as rows:
        return tuple([row["id"] async for row in rows])


async def _next_comment_position(db: aiosqlite.Connection, briefing_id: int) -> int:
    async with db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM comments WHERE briefing_id = ?",
        (briefing_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


def _comment_values(comment: Comment) -> tuple[object, ...]:
    return (
        comment.key,
        comment.parent_key,
        comment.story_position,
        comment.author,
        comment.text,
        to_db(comment.published),
        comment.origin.value,
    )


def _story_from_row(row: aiosqlite.Row) -> Story:
    return Story(
        heading=row["heading"],
        blocks=tuple(Block(BlockKind(kind), text) for kind, text in json.loads(row["blocks"])),
        url=row["url"],
        summary=tuple(json.loads(row["summary"])),
        id=row["id"],
    )


def comment_from_row(row: aiosqlite.Row) -> Comment:
    return Comment(
        key=row["key"],
        text=row["body"],
        parent_key=row["parent_key"],
        author=row["author"],
        published=from_db(row["published_at"]),
        origin=CommentOrigin(row["origin"]),
        story_position=row["story_position"],
        id=row["id"],
        edited=row["edited_at"] is not None,
    )
