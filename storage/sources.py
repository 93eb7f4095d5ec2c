"""Sources to poll, with their validators, failures and schedule."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import aiosqlite

from briefing.sources import DEFAULT_INTERVAL_SECONDS, Source, SourceKind
from storage.db import Database
from storage.timestamps import from_db, to_db, utc_now


class SourceExistsError(Exception):
    """A source with this URL is already stored; ``source`` is the stored one."""

    def __init__(self, source: Source) -> None:
        super().__init__(f"source {source.id} already polls {source.display_url}")
        self.source = source


class SourceRepository:
    """Reads and writes :class:`~briefing.sources.Source` values.

    Times are stored as UTC; ``next_poll_at`` is written with a fixed-width fraction so that
    ``due()`` can compare it as text through its index.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self,
        url: str,
        kind: SourceKind | str,
        interval_seconds: int = DEFAULT_INTERVAL_SECONDS,
        title: str | None = None,
        *,
        now: datetime | None = None,
    ) -> Source:
        """Store a new source, due for its first poll at once.

        Raises:
            SourceExistsError: a source with the same URL (after trimming spaces) is stored;
                adding is not silently idempotent because the caller's kind and interval
                would be dropped without notice.
            ValueError: the URL is empty, the kind unknown or the interval not positive.
        """
        source = Source(url.strip(), SourceKind(kind), title, interval_seconds)
        async with self._db.transaction() as db:
            existing = await _select_one(db, "SELECT * FROM sources WHERE url = ?", source.url)
            if existing is not None:
                raise SourceExistsError(existing)
            cursor = await db.execute(
                "INSERT INTO sources (url, kind, title, interval_seconds, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (source.url, source.kind.value, title, interval_seconds, to_db(now or utc_now())),
            )
            source_id = cursor.lastrowid
        assert source_id is not None
        return replace(source, id=source_id)

    async def get(self, source_id: int) -> Source | None:
        """The source with this id, if it is stored."""
        return await _select_one(
            self._db.connection, "SELECT * FROM sources WHERE id = ?", source_id
        )

    async def by_url(self, url: str) -> Source | None:
        """The source with exactly this URL (after trimming spaces), if it is stored."""
        return await _select_one(
            self._db.connection, "SELECT * FROM sources WHERE url = ?", url.strip()
        )

    async def list(self) -> builtins.list[Source]:
        """Every source, oldest first."""
        async with self._db.connection.execute("SELECT * FROM sources ORDER BY id") as cursor:
            return [_source_from_row(row) async for row in cursor]

    async def remove(self, id_or_url: int | str) -> bool:
        """Delete a source by id or URL; whether one was deleted.

        Its briefings stay (their ``source_id`` becomes NULL): readers may still be looking
        at them, and buttons already sent keep working.
        """
        async with self._db.transaction() as db:
            if isinstance(id_or_url, int):
                cursor = await db.execute("DELETE FROM sources WHERE id = ?", (id_or_url,))
            else:
                cursor = await db.execute(
                    "DELETE FROM sources WHERE url = ?", (id_or_url.strip(),)
                )
            return cursor.rowcount > 0

    async def update(self, source_id: int, change: Callable[[Source], Source]) -> Source | None:
        """Read the source, apply ``change`` and write its polling state, in one transaction.

        ``change`` is the domain's decision (e.g. :meth:`~briefing.sources.Source.failed`);
        only the title and the polling state are written. Returns the updated source, or
        ``None`` when it was removed meanwhile.
        """
        async with self._db.transaction() as db:
            source = await _select_one(db, "SELECT * FROM sources WHERE id = ?", source_id)
            if source is None:
                return None
            await _write_state(db, replace(change(source), id=source_id))
        return await self.get(source_id)

    async def record_success(
        self,
        source_id: int,
        *,
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
        note: str | None = None,
        now: datetime,
    ) -> Source | None:
        """:meth:`update` with :meth:`~briefing.sources.Source.succeeded`."""
        return await self.update(
            source_id,
            lambda source: source.succeeded(
                now=now, etag=etag, last_modified=last_modified, title=title, note=note
            ),
        )

    async def record_failure(self, source_id: int, error: str, *, now: datetime) -> Source | None:
        """:meth:`update` with :meth:`~briefing.sources.Source.failed`."""
        return await self.update(source_id, lambda source: source.failed(error, now=now))

    async def due(self, now: datetime) -> builtins.list[Source]:
        """Sources to poll at ``now``: never polled, or scheduled at or before ``now``.

        Never-polled sources come first, then the most overdue.
        """
        async with self._db.connection.execute(
            "SELECT * FROM sources WHERE next_poll_at IS NULL OR next_poll_at <= ?"
            " ORDER BY next_poll_at IS NOT NULL, next_poll_at, id",
            (_schedule_text(now),),
        ) as cursor:
            return [_source_from_row(row) async for row in cursor]


async def _select_one(db: aiosqlite.Connection, query: str, key: object) -> Source | None:
    async with db.execute(query, (key,)) as cursor:
        row = await cursor.fetchone()
    return _source_from_row(row) if row is not None else None


async def _write_state(db: aiosqlite.Connection, source: Source) -> None:
    await db.execute(
        "UPDATE sources SET title = ?, etag = ?, last_modified = ?, last_success_at = ?,"
        " last_error = ?, last_error_at = ?, failures = ?, next_poll_at = ? WHERE id = ?",
        (
            source.title,
            source.etag,
            source.last_modified,
            to_db(source.last_success_at),
            source.last_error,
            to_db(source.last_error_at),
            source.failures,
            _schedule_text(source.next_poll_at),
            source.id,
        ),
    )


def _schedule_text(moment: datetime | None) -> str | None:
    """UTC ISO text with a fixed-width fraction, so text order is time order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _source_from_row(row: aiosqlite.Row) -> Source:
    return Source(
        url=row["url"],
        kind=SourceKind(row["kind"]),
        title=row["title"],
        interval_seconds=row["interval_seconds"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_success_at=from_db(row["last_success_at"]),
        last_error=row["last_error"],
        last_error_at=from_db(row["last_error_at"]),
        failures=row["failures"],
        next_poll_at=from_db(row["next_poll_at"]),
        id=row["id"],
    )
