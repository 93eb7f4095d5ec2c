"""The one aiosqlite connection of a process: pragmas, migrations and transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

logger = logging.getLogger(__name__)

MIGRATIONS_PACKAGE = "storage.migrations"
FOREIGN_KEYS_OFF = "-- briefbot: foreign_keys=off"  # first line of a migration that rebuilds
DIRECTIVE_PREFIX = "--briefbot:"
BUSY_TIMEOUT_MS = 5000
WAL_ATTEMPTS = 50
WAL_RETRY_SECONDS = 0.005  # times the attempt number: about 6 s in all, like the busy timeout
FK_VIOLATIONS_SHOWN = 5


class MigrationError(Exception):
    """A migration could not be applied; the database is left as it was before it."""


@dataclass(slots=True)
class _Transaction:
    """The outermost transaction open on a connection: its task and how deep it nests."""

    task: asyncio.Task[Any] | None
    depth: int = 0


class Database:
    """A SQLite database in WAL mode with foreign keys on.

    Writes go through :meth:`transaction`, which serialises them on the single
    connection so that concurrent handlers never interleave half-written rows, and which
    nests: a repository method called inside a caller's transaction joins it.
    """

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._write_lock = asyncio.Lock()
        self._active: _Transaction | None = None
        # Per instance, so two databases in one process never see each other's transaction.
        self._current: ContextVar[_Transaction | None] = ContextVar(
            f"briefbot_transaction_{id(self)}", default=None
        )

    @classmethod
    async def open(
        cls, path: Path | str, *, migrations: str | Sequence[str] = MIGRATIONS_PACKAGE
    ) -> Database:
        """Open (creating if needed) the database at ``path`` and apply migrations.

        Args:
            path: the SQLite file, or ``":memory:"``.
            migrations: the package (or packages, merged by file name) holding the
                numbered ``.sql`` files.
        """
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one place only.
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        connection.row_factory = aiosqlite.Row
        database = cls(connection)
        try:
            # The busy timeout first: another process may be creating this very file.
            await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if str(path) != ":memory:":
                await _use_wal(connection)
            await connection.execute("PRAGMA foreign_keys = ON")
            await connection.execute("PRAGMA synchronous = NORMAL")
            packages = (migrations,) if isinstance(migrations, str) else tuple(migrations)
            await database._migrate(packages)
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
        """A unit of work: ``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` when it raises.

        Nested in a transaction of the same task, it joins it as a ``SAVEPOINT``: an inner
        failure undoes only the inner block (if the outer one catches it), an outer failure
        undoes everything. So repository methods compose: a caller wraps several of them in
        one transaction and each joins it. Another task waits for the write lock instead.

        Raises:
            RuntimeError: from a task started inside an open transaction, which could
                only wait for that transaction to end (a deadlock).
        """
        current = self._current.get()
        task = asyncio.current_task()
        if current is not None and current is self._active:
            if current.task is not task:
                raise RuntimeError(
                    "a task started inside a transaction cannot open one: it would wait for"
                    " the transaction that is waiting for it"
                )
            async with self._savepoint(current) as connection:
                yield connection
            return
        async with self._write_lock:
            opened = _Transaction(task)
            await self._connection.execute("BEGIN IMMEDIATE")
            self._active = opened
            token = self._current.set(opened)
            try:
                yield self._connection
                # A failed COMMIT (a deferred constraint) leaves the transaction open: the
                # handler below rolls it back, so the next writer starts clean.
                await self._connection.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise
            finally:
                self._current.reset(token)
                self._active = None

    @asynccontextmanager
    async def _savepoint(self, current: _Transaction) -> AsyncIterator[aiosqlite.Connection]:
        current.depth += 1
        name = f"briefbot_{current.depth}"
        await self._connection.execute(f"SAVEPOINT {name}")
        try:
            yield self._connection
        except BaseException:
            # An error like ON CONFLICT ROLLBACK may have ended the whole transaction:
            # then there is no savepoint to go back to, and the outer block fails too.
            if self._connection.in_transaction:
                await self._connection.execute(f"ROLLBACK TO {name}")
                await self._connection.execute(f"RELEASE {name}")
            raise
        else:
            await self._connection.execute(f"RELEASE {name}")
        finally:
            current.depth -= 1

    async def _rollback(self) -> None:
        if self._connection.in_transaction:
            await self._connection.execute("ROLLBACK")

    async def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded as applied, in order."""
        async with self._connection.execute("SELECT name FROM migrations ORDER BY name") as rows:
            return [row["name"] async for row in rows]

    async def _migrate(self, packages: Sequence[str]) -> None:
        scripts = sorted(
            (
                entry
                for package in packages
                for entry in resources.files(package).iterdir()
                if entry.name.endswith(".sql")
            ),
            key=lambda entry: entry.name,
        )
        names = [script.name for script in scripts]
        if len(set(names)) != len(names):
            raise MigrationError(f"two migrations share a name in {', '.join(packages)}")
        # Every script is read and checked before the first one runs.
        plans = [(script.name, script.read_text(encoding="utf-8")) for script in scripts]
        checked = [
            (name, _statements(name, sql), _foreign_keys_off(name, sql)) for name, sql in plans
        ]
        # A migration once recorded stays recorded: only the others need the write lock.
        recorded = await self._recorded_migrations()
        for name, statements, foreign_keys_off in checked:
            if name not in recorded:
                await self._apply(name, statements, foreign_keys_off=foreign_keys_off)

    async def _recorded_migrations(self) -> set[str]:
        """The migrations recorded so far, read without a lock (none on a fresh file)."""
        async with self._connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ) as cursor:
            if await cursor.fetchone() is None:
                return set()
        return set(await self.applied_migrations())

    async def _apply(
        self, name: str, statements: Sequence[str], *, foreign_keys_off: bool
    ) -> None:
        """Run one migration and record it, all in one transaction, unless it is recorded.

        The write lock comes first and the decision after, so processes opening a fresh file
        at once apply each migration exactly once. A migration marked ``foreign_keys=off``
        (a table rebuild) runs with foreign keys off, which can only be switched outside a
        transaction, and must leave no violation behind.
        """
        if foreign_keys_off:
            await self._connection.execute("PRAGMA foreign_keys = OFF")
        try:
            async with self.transaction() as connection:
                await connection.execute(
                    "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY,"
                    " applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
                )
                async with connection.execute(
                    "SELECT 1 FROM migrations WHERE name = ?", (name,)
                ) as cursor:
                    if await cursor.fetchone() is not None:
                        return
                for statement in statements:
                    await connection.execute(statement)
                if foreign_keys_off:
                    await _check_foreign_keys(connection, name)
                await connection.execute("INSERT INTO migrations (name) VALUES (?)", (name,))
        finally:
            if foreign_keys_off:
                await self._connection.execute("PRAGMA foreign_keys = ON")
        logger.info("applied migration %s", name)


async def _use_wal(connection: aiosqlite.Connection) -> None:
    """Switch the file to WAL, waiting out another process doing the same to a fresh file.

    That switch needs an exclusive lock, and SQLite answers "database is locked" at once,
    without its busy handler, while another connection holds the file: try again a bounded
    number of times.
    """
    mode = None
    for attempt in range(1, WAL_ATTEMPTS + 1):
        try:
            async with connection.execute("PRAGMA journal_mode = WAL") as cursor:
                row = await cursor.fetchone()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or attempt == WAL_ATTEMPTS:
                raise
        else:
            # When it cannot switch, SQLite answers with the mode it stays in.
            mode = str(row[0]).lower() if row is not None else None
            if mode == "wal":
                return
        await asyncio.sleep(WAL_RETRY_SECONDS * attempt)
    raise sqlite3.OperationalError(f"cannot switch the database to WAL (it stays {mode})")


async def _check_foreign_keys(connection: aiosqlite.Connection, name: str) -> None:
    """Raise :class:`MigrationError` naming the first violations a migration leaves."""
    async with connection.execute("PRAGMA foreign_key_check") as cursor:
        violations = list(await cursor.fetchall())
    if violations:
        shown = ", ".join(
            f"{row[0]} row {row[1]} -> {row[2]}" for row in violations[:FK_VIOLATIONS_SHOWN]
        )
        raise MigrationError(
            f"migration {name} rolled back: it leaves {len(violations)} foreign key"
            f" violation(s): {shown}"
        )


def _foreign_keys_off(name: str, sql: str) -> bool:
    """Whether the migration asks for foreign keys off; a misspelt request is an error.

    Running a rebuild with foreign keys on would quietly empty or delete the rows that
    point at the rebuilt table, so a directive that is almost right must not be ignored.
    """
    first = sql.lstrip("\ufeff").split("\n", 1)[0].strip()
    if first == FOREIGN_KEYS_OFF:
        return True
    if first.replace(" ", "").lower().startswith(DIRECTIVE_PREFIX):
        raise MigrationError(
            f"migration {name}: unknown directive {first!r} (the one known is"
            f" {FOREIGN_KEYS_OFF!r})"
        )
    return False


def _statements(name: str, sql: str) -> list[str]:
    try:
        return [statement for statement in _split_statements(sql) if statement.strip()]
    except ValueError as error:
        raise MigrationError(f"migration {name}: {error}") from None


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
