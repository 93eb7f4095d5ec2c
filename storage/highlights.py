"""Stored highlight rankings per discussion scope: read on requests, ranked off them.

A scope is a briefing's whole discussion (``position=None``) or one story's. The ranking
itself is :func:`briefing.highlights.rank`; this repository keeps its order so that a
request reads the top rows instead of ranking every comment. Comment writes mark a scope
stale (triggers, in their own transaction); a small stale scope is ranked again on its
next read, a big one by :meth:`HighlightRepository.rerank_stale` at most every
``big_every`` seconds, its last order served meanwhile.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from briefing.highlight_picks import picked_first
from briefing.highlights import Highlight, Rejection, excerpt, rank, rejection_reason
from briefing.models import Comment, CommentOrigin
from storage.briefings import comment_from_row
from storage.db import Database
from storage.timestamps import from_db, to_db, utc_now

BRIEFING_SCOPE = -1
BIG_DISCUSSION = 500
"""A scope with this many comments or more is ranked by the job, never on a read."""
BIG_EVERY = timedelta(seconds=5)
# As handlers.threads.shown: the discussion view hides only empty and abusive comments.
_HIDDEN = {Rejection.EMPTY, Rejection.ABUSIVE}


@dataclass(frozen=True, slots=True)
class StoredTop:
    """A scope's top highlights and how many comments its discussion view shows."""

    highlights: list[Highlight]
    shown: int


@dataclass(frozen=True, slots=True)
class _Scope:
    stale: bool
    newest_chat_id: int | None
    comments: int
    shown: int
    picks: tuple[int, ...]
    ranked: bool


class HighlightRepository:
    """The stored top comments of each discussion scope."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def top(
        self, briefing_id: int, position: int | None, n: int, *, with_newest: bool = True
    ) -> list[Highlight]:
        """The ``n`` best comments of a scope (LLM picks first), as the views show them.

        With ``with_newest``, the newest chat comment follows them when it is ranked but
        not among them (see :func:`handlers.threads.highlights_with_newest`).
        """
        return (
            await self.top_and_count(briefing_id, position, n, with_newest=with_newest)
        ).highlights

    async def top_and_count(
        self, briefing_id: int, position: int | None, n: int, *, with_newest: bool = True
    ) -> StoredTop:
        """:meth:`top`, with the number of comments the scope's discussion view shows."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        scope = BRIEFING_SCOPE if position is None else position
        state = await self._scope(briefing_id, scope)
        if state is None or not state.ranked or (state.stale and state.comments < BIG_DISCUSSION):
            await self.rerank(briefing_id, scope)
            state = await self._scope(briefing_id, scope)
            if state is None:
                return StoredTop([], 0)
        shown = await self._read_top(briefing_id, scope, n, state, with_newest=with_newest)
        return StoredTop(shown, state.shown)

    async def rerank(self, briefing_id: int, scope: int, *, now: datetime | None = None) -> None:
        """Rank one scope now and store its order (a no-op for a briefing that is gone)."""
        connection = self._db.connection
        comments, post = await _scope_comments(connection, briefing_id, scope)
        if post is None:
            return
        # Rank outside the write lock: a comment written meanwhile marks the scope stale
        # again after this write (its trigger runs in its own, later transaction).
        if len(comments) >= BIG_DISCUSSION:  # seconds of CPU: let the loop serve meanwhile
            ranked = await asyncio.to_thread(rank, comments, post=post)
        else:
            ranked = rank(comments, post=post) if comments else []
        replies = _reply_counts(comments)
        newest = _newest_chat(comments)
        visible = sum(1 for c in comments if rejection_reason(c) not in _HIDDEN)
        rows = [
            (briefing_id, scope, place, c.id, replies.get(c.key, 0))
            for place, c in enumerate(ranked)
            if c.id is not None
        ]
        moment = to_db(now or utc_now())
        async with self._db.transaction() as db:
            await db.execute(
                "INSERT INTO highlight_scopes"
                " (briefing_id, scope, stale, comments, shown, newest_chat_id, ranked_at)"
                " VALUES (?, ?, 0, ?, ?, ?, ?) ON CONFLICT (briefing_id, scope) DO UPDATE SET"
                " stale = 0, comments = excluded.comments, shown = excluded.shown,"
                " newest_chat_id = excluded.newest_chat_id, ranked_at = excluded.ranked_at",
                (briefing_id, scope, len(comments), visible, newest, moment),
            )
            await db.execute(
                "DELETE FROM highlight_ranks WHERE briefing_id = ? AND scope = ?",
                (briefing_id, scope),
            )
            await db.executemany(
                "INSERT INTO highlight_ranks (briefing_id, scope, place, comment_id, replies)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    async def rerank_stale(
        self, *, now: datetime | None = None, big_every: timedelta = BIG_EVERY
    ) -> int:
        """Rank every stale scope again (a big one once ``big_every`` passed); how many."""
        moment = now or utc_now()
        async with self._db.connection.execute(
            "SELECT briefing_id, scope, comments, ranked_at FROM highlight_scopes WHERE stale = 1"
        ) as cursor:
            due = [
                (int(row["briefing_id"]), int(row["scope"]))
                for row in await cursor.fetchall()
                if not _waits(row["comments"], from_db(row["ranked_at"]), moment, big_every)
            ]
        for briefing_id, scope in due:
            await self.rerank(briefing_id, scope, now=moment)
        return len(due)

    async def _scope(self, briefing_id: int, scope: int) -> _Scope | None:
        async with self._db.connection.execute(
            "SELECT s.stale, s.newest_chat_id, s.comments, s.shown, s.ranked_at, p.comment_ids"
            " FROM highlight_scopes AS s LEFT JOIN llm_highlight_picks AS p"
            " ON p.briefing_id = s.briefing_id AND p.scope = s.scope"
            " WHERE s.briefing_id = ? AND s.scope = ?",
            (briefing_id, scope),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        picks = tuple(int(i) for i in json.loads(row["comment_ids"])) if row["comment_ids"] else ()
        return _Scope(
            bool(row["stale"]),
            row["newest_chat_id"],
            int(row["comments"]),
            int(row["shown"]),
            picks,
            row["ranked_at"] is not None,
        )

    async def _read_top(
        self, briefing_id: int, scope: int, n: int, state: _Scope, *, with_newest: bool
    ) -> list[Highlight]:
        wanted = [*state.picks, state.newest_chat_id if with_newest else None]
        ids = [i for i in wanted if i is not None]
        marks = ", ".join("?" * len(ids))
        extra = f" OR r.comment_id IN ({marks})" if ids else ""
        async with self._db.connection.execute(
            "SELECT r.place, r.replies, c.* FROM highlight_ranks AS r"
            " JOIN comments AS c ON c.id = r.comment_id"
            " WHERE r.briefing_id = ? AND r.scope = ? AND (r.place < ?" + extra + ")"
            " AND c.deleted_at IS NULL ORDER BY r.place",
            (briefing_id, scope, n + len(ids), *ids),
        ) as cursor:
            rows = await cursor.fetchall()
        by_id = {int(row["id"]): row for row in rows}
        ordered = picked_first(list(by_id), state.picks, key=lambda i: i)[:n]
        shown = [_highlight(by_id[i]) for i in ordered]
        newest = state.newest_chat_id
        if with_newest and n > 0 and newest in by_id and newest not in ordered:
            shown.append(_highlight(by_id[newest]))
        return shown


def _highlight(row: aiosqlite.Row) -> Highlight:
    comment = comment_from_row(row)
    return Highlight(comment, excerpt(comment), comment.author, int(row["replies"]))


def _waits(comments: int, ranked_at: datetime | None, now: datetime, every: timedelta) -> bool:
    """Whether a big stale scope ranked less than ``every`` ago waits for a later run."""
    return comments >= BIG_DISCUSSION and ranked_at is not None and now - ranked_at < every


async def _scope_comments(
    db: aiosqlite.Connection, briefing_id: int, scope: int
) -> tuple[list[Comment], str | None]:
    """The scope's shown comments in stored order, and what they are under (None: gone)."""
    params: tuple[int, ...] = (briefing_id,)
    args: tuple[int, ...] = (briefing_id,)
    if scope == BRIEFING_SCOPE:
        query, where = "SELECT title FROM briefings WHERE id = ?", ""
    else:
        query = "SELECT heading AS title FROM stories WHERE briefing_id = ? AND position = ?"
        params = (briefing_id, scope)
        where, args = " AND story_position = ?", (briefing_id, scope)
    async with db.execute(query, params) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return [], None
    async with db.execute(
        "SELECT * FROM comments WHERE briefing_id = ? AND deleted_at IS NULL"
        + where
        + " ORDER BY position",
        args,
    ) as cursor:
        comments = [comment_from_row(c) async for c in cursor]
    return comments, str(row["title"])


def _reply_counts(comments: Sequence[Comment]) -> dict[str, int]:
    """How many comments answer each one, directly or not (cycles count once)."""
    below: dict[str, list[str]] = {}
    for c in comments:
        if c.parent_key is not None:
            below.setdefault(c.parent_key, []).append(c.key)
    keys = {c.key for c in comments}
    counts: dict[str, int] = {}
    # Post-order from the roots: a comment's count is its children's counts plus them.
    roots = [c.key for c in comments if c.parent_key is None or c.parent_key not in keys]
    stack: list[tuple[str, bool]] = [(key, False) for key in roots]
    while stack:
        key, done = stack.pop()
        if done:
            counts[key] = sum(1 + counts[child] for child in below.get(key, []))
            continue
        stack.append((key, True))
        stack.extend((child, False) for child in below.get(key, []) if child not in counts)
    for c in comments:  # only replies in a cycle reach no root
        if c.key not in counts:
            seen: set[str] = set()
            todo = list(below.get(c.key, []))
            while todo:
                key = todo.pop()
                if key not in seen:
                    seen.add(key)
                    todo.extend(below.get(key, []))
            counts[c.key] = len(seen)
    return counts


def _newest_chat(comments: Sequence[Comment]) -> int | None:
    """The newest chat comment: by time when every comment has one, else the last stored."""
    chat = [c for c in comments if c.origin is CommentOrigin.CHAT]
    if not chat:
        return None
    times = [c.published for c in comments if c.published is not None]
    if len(times) == len(comments) and len({t.tzinfo is None for t in times}) == 1:
        order = {id(c): i for i, c in enumerate(comments)}
        chat.sort(key=lambda c: (c.published, order[id(c)]))
    return chat[-1].id
