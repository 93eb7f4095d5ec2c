"""Record the SQL a piece of code runs, and read SQLite's plan for each statement."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite

_SKIPPED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", "--", "ANALYZE")
_SCAN = re.compile(r"^SCAN (\w+)")


@asynccontextmanager
async def recorded(connection: aiosqlite.Connection) -> AsyncIterator[list[str]]:
    """Every statement the connection runs inside the block, with its values bound."""
    statements: list[str] = []

    def keep(statement: str) -> None:
        if not statement.lstrip().upper().startswith(_SKIPPED):
            statements.append(statement)

    await connection.set_trace_callback(keep)
    try:
        yield statements
    finally:
        # aiosqlite's stub says a callable; sqlite3 takes None to stop tracing.
        await connection.set_trace_callback(None)  # type: ignore[arg-type]


async def plan(connection: aiosqlite.Connection, statement: str) -> list[str]:
    """The details of ``EXPLAIN QUERY PLAN`` for one statement, in plan order."""
    async with connection.execute("EXPLAIN QUERY PLAN " + statement) as cursor:
        return [str(row[3]) for row in await cursor.fetchall()]


async def scans(
    connection: aiosqlite.Connection, statements: list[str], tables: set[str]
) -> dict[str, list[str]]:
    """The statements whose plan reads a whole table of ``tables`` (by name or alias)."""
    found: dict[str, list[str]] = {}
    for statement in dict.fromkeys(statements):
        aliases = _aliases(statement, tables)
        details = await plan(connection, statement)
        full = [d for d in details if (m := _SCAN.match(d)) and m.group(1) in aliases]
        if full:
            found[statement] = details
    return found


def _aliases(statement: str, tables: set[str]) -> set[str]:
    """The tables, and the names the statement gives them (``FROM comments AS c``)."""
    names = set(tables)
    for table, alias in re.findall(r"\b(\w+)\s+(?:AS\s+)?(\w+)", statement, flags=re.I):
        if table in tables:
            names.add(alias)
    return names
