"""The one aiosqlite connection of a process: pragmas, migrations and transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

logger = logging.getLogger(__name__)

MIGRATIONS_PACKAGE = "storage.migrations"


class Database:
    """A SQLite database in WAL mode with foreign keys on.

    Writes go through :meth:`transaction`, which serialises them on the single
    connection so that concurrent handlers never interleave half-written rows.
    """

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) the database at ``path`` and apply migrations."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one place only.
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        connection.row_factory = aiosqlite.Row
        database = cls(connection)
        try:
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await connection.execute("PRAGMA busy_timeout = 5000")
            await connection.execute("PRAGMA synchronous = NORMAL")
            await database._migrate()
        except BaseException:
            await connection.close()
            raise
        return database

    async def close(self) -> None:
        """Close the connection."""
        await self._connection.close()

    @property
    def connection(self) -> aiosqlite.Connection:
        """The raw connection, for reads by the repositories."""
        return self._connection

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` when the block raises.

        One transaction at a time: the connection is shared, so a second writer waits here
        instead of failing with "cannot start a transaction within a transaction". Inside a
        transaction, the same task's nested ``transaction()`` joins it (a change and the
        outbox messages it causes commit together); the outer block commits or rolls back.
        """
        current = asyncio.current_task()
        if current is not None and self._owner is current:
            yield self._connection
            return
        async with self._write_lock:
            self._owner = current
            try:
                await self._connection.execute("BEGIN IMMEDIATE")
                try:
                    yield self._connection
                except BaseException:
                    await self._connection.execute("ROLLBACK")
                    raise
                await self._connection.execute("COMMIT")
            finally:
                self._owner = None

    async def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded as applied, in order."""
        async with self._connection.execute("SELECT name FROM migrations ORDER BY name") as rows:
            return [row["name"] async for row in rows]

    async def _migrate(self) -> None:
        await self._connection.execute(
            "CREATE TABLE IF NOT EXISTS migrations ("
            " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
        )
        applied = set(await self.applied_migrations())
        scripts = sorted(
            (
                entry
                for entry in resources.files(MIGRATIONS_PACKAGE).iterdir()
                if entry.name.endswith(".sql")
            ),
            key=lambda entry: entry.name,
        )
        for script in scripts:
            if script.name in applied:
                continue
            await self._apply(script.name, script.read_text(encoding="utf-8"))

    async def _apply(self, name: str, sql: str) -> None:
        """Run one migration and record it, all in one transaction."""
        statements = [s for s in _split_statements(sql) if s.strip()]
        async with self.transaction() as connection:
            for statement in statements:
                await connection.execute(statement)
            await connection.execute("INSERT INTO migrations (name) VALUES (?)", (name,))
        logger.info("applied migration %s", name)


def _split_statements(sql: str) -> list[str]:
    """Split a migration into statements with sqlite3's own completeness check."""
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending)
            pending = ""
    if pending.strip() and not all(
        not ln.strip() or ln.strip().startswith("--") for ln in pending.splitlines()
    ):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending!r}")
    return statements
