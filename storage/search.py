"""Full-text search over the stories a chat follows (SQLite FTS5), and its recent searches.

A parsed :class:`~briefing.query.Query` becomes an FTS5 MATCH expression in which every
term is an FTS string (quoted, inner quotes doubled), so no user text is ever FTS syntax.
Each word is looked for as typed and as its Snowball stem (the index stems with Porter, and
the two differ on some words); a phrase is looked for as typed, with its common words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from briefing.highlight_text import WORD_RE, strip_urls
from briefing.query import Query, Term, stems_of_text
from storage.db import Database
from storage.timestamps import from_db, to_db, utc_now

PAGE_SIZE = 5
RECENT_SEARCHES = 20  # kept per chat: page buttons of older searches answer "expired"
SNIPPET_TOKENS = 16
HIT_START, HIT_END = "\x02", "\x03"  # snippet markers no stored text contains
# bm25 weights of the columns heading, body, summary: a word in the heading counts most.
_RANKING = "bm25(stories_fts, 5.0, 1.0, 2.0)"
# The stories of sources the chat turned off, found through indexes only: ranking then
# never reads a story row (they are large), only the index.
_FOLLOWED = (
    "stories_fts.rowid NOT IN (SELECT s.id FROM stories s JOIN briefings b"
    " ON b.id = s.briefing_id WHERE b.source_id IN"
    " (SELECT source_id FROM unfollowed_sources WHERE chat_id = :chat))"
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One story found: where it is from, and a passage around the words found.

    Attributes:
        snippet: plain text with each found word between :data:`HIT_START` and
            :data:`HIT_END`.
    """

    story_id: int
    heading: str
    briefing_title: str
    published: datetime | None
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results, best first, and how many stories match in all."""

    hits: tuple[SearchHit, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A chat's search, kept so that page buttons can name it by id."""

    id: int
    chat_id: int
    text: str


def match_expression(query: Query, typed: str) -> str:
    """The FTS5 MATCH expression for ``query``, which ``typed`` parsed to."""
    words = [(word, _stem(word)) for word in _words(typed)]
    alternatives = " OR ".join(
        "(" + " AND ".join(_term(term, words) for term in alt) + ")" for alt in query.alternatives
    )
    if not query.exclusions:
        return alternatives
    excluded = " OR ".join(_term(term, words) for term in query.exclusions)
    return f"({alternatives}) NOT ({excluded})"


def _words(text: str) -> list[str]:
    return list(WORD_RE.findall(strip_urls(text).lower().replace("\u2019", "'")))


def _stem(word: str) -> str:
    stems = stems_of_text(word)
    return stems[0] if len(stems) == 1 else ""


def _term(term: Term, words: Sequence[tuple[str, str]]) -> str:
    if len(term) == 1:
        forms = sorted({term[0]} | {word for word, stem in words if stem == term[0]})
        return _any(forms)
    typed = _typed_phrase(term, words)
    return _fts_string(typed if typed is not None else " ".join(term))


def _typed_phrase(term: Term, words: Sequence[tuple[str, str]]) -> str | None:
    """The words as typed that make up the phrase ``term``, common words between included."""
    for start, (_, stem) in enumerate(words):
        if stem != term[0]:
            continue
        found = 1
        for end in range(start + 1, len(words)):
            if found == len(term):
                break
            next_stem = words[end][1]
            if not next_stem:
                continue
            if next_stem != term[found]:
                break
            found += 1
        else:
            end = len(words)
        if found == len(term):
            return " ".join(word for word, _ in words[start:end])
    return None


def _any(forms: Sequence[str]) -> str:
    quoted = [_fts_string(form) for form in forms]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def _fts_string(text: str) -> str:
    """``text`` as one FTS5 string: whatever it holds is words to find, never syntax."""
    return '"' + text.replace('"', '""') + '"'


class SearchRepository:
    """Searches the story index, and keeps each chat's recent searches."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def search(
        self,
        chat_id: int | None,
        query: Query,
        typed: str,
        *,
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> SearchPage:
        """Page ``page`` (from 0) of the stories of followed sources that match, best first.

        ``chat_id`` None searches every source (an inline query comes from no chat).
        """
        expression = match_expression(query, typed)
        params: dict[str, object] = {"match": expression, "chat": chat_id, "limit": page_size}
        params["offset"] = max(page, 0) * page_size
        async with self._db.connection.execute(
            # Materialized: bm25() works only in the query that holds the MATCH. Snippets
            # are made for the page's rows only, in the same round trip.
            "WITH found AS MATERIALIZED (SELECT stories_fts.rowid AS id, "
            f"{_RANKING} AS score FROM stories_fts"
            f" WHERE stories_fts MATCH :match AND {_FOLLOWED}),"
            " page AS MATERIALIZED (SELECT id, score, count(*) OVER () AS total FROM found"
            " ORDER BY score, id DESC LIMIT :limit OFFSET :offset)"
            " SELECT page.total, s.id, s.heading, b.title,"
            " coalesce(b.published_at, b.ingested_at) AS at,"
            f" snippet(stories_fts, -1, '{HIT_START}', '{HIT_END}', '…', {SNIPPET_TOKENS})"
            " AS snippet FROM page CROSS JOIN stories_fts ON stories_fts.rowid = page.id"
            " JOIN stories s ON s.id = page.id JOIN briefings b ON b.id = s.briefing_id"
            " WHERE stories_fts MATCH :match ORDER BY page.score, page.id DESC",
            params,
        ) as cursor:
            rows = list(await cursor.fetchall())
        total = int(rows[0]["total"]) if rows else await self._count(params)
        return SearchPage(tuple(_hit(row) for row in rows), total, page, page_size)

    async def _count(self, params: dict[str, object]) -> int:
        """How many match, when the page asked for lies past the last one."""
        async with self._db.connection.execute(
            f"SELECT count(*) FROM stories_fts WHERE stories_fts MATCH :match AND {_FOLLOWED}",
            params,
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def remember(
        self, chat_id: int, text: str, *, now: datetime | None = None
    ) -> SavedSearch:
        """Keep the chat's search (and only its latest :data:`RECENT_SEARCHES`)."""
        async with self._db.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO searches (chat_id, query, created_at) VALUES (?, ?, ?)",
                (chat_id, text, to_db(now or utc_now())),
            )
            assert cursor.lastrowid is not None
            await db.execute(
                "DELETE FROM searches WHERE chat_id = ? AND id NOT IN (SELECT id FROM searches"
                " WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
                (chat_id, chat_id, RECENT_SEARCHES),
            )
        return SavedSearch(cursor.lastrowid, chat_id, text)

    async def recall(self, chat_id: int, search_id: int) -> SavedSearch | None:
        """The chat's search with this id, while it is among the recent ones."""
        async with self._db.connection.execute(
            "SELECT query FROM searches WHERE id = ? AND chat_id = ?", (search_id, chat_id)
        ) as cursor:
            row = await cursor.fetchone()
        return SavedSearch(search_id, chat_id, row["query"]) if row is not None else None

    async def query_plan(self, chat_id: int, query: Query, typed: str) -> list[str]:
        """The lines of SQLite's plan for :meth:`search` (to check it uses the index)."""
        async with self._db.connection.execute(
            "EXPLAIN QUERY PLAN SELECT stories_fts.rowid FROM stories_fts"
            f" WHERE stories_fts MATCH :match AND {_FOLLOWED} ORDER BY {_RANKING}",
            {"match": match_expression(query, typed), "chat": chat_id},
        ) as cursor:
            return [str(row["detail"]) async for row in cursor]


def _hit(row: aiosqlite.Row) -> SearchHit:
    return SearchHit(
        story_id=row["id"],
        heading=row["heading"],
        briefing_title=row["title"],
        published=from_db(row["at"]),
        snippet=row["snippet"] or "",
    )
