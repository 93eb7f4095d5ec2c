"""Connection pragmas, migrations and transactions on real SQLite files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage.db import Database


async def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = await Database.open(path)
    names = await first.applied_migrations()
    await first.close()
    again = await Database.open(path)
    assert await again.applied_migrations() == names
    assert names[0] == "0001_initial.sql"
    await again.close()


async def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")
    async with database.connection.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"  # type: ignore[index]
    async with database.connection.execute("PRAGMA foreign_keys") as cursor:
        assert (await cursor.fetchone())[0] == 1  # type: ignore[index]
    await database.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")

    async def insert_then_fail() -> None:
        async with database.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, type, first_seen_at, last_seen_at) VALUES (1, 'private',"
                " 'now', 'now')"
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await insert_then_fail()
    async with database.connection.execute("SELECT count(*) FROM chats") as cursor:
        assert (await cursor.fetchone())[0] == 0  # type: ignore[index]
    await database.close()


async def test_concurrent_transactions_take_turns(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")

    async def insert(chat_id: int) -> None:
        async with database.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, type, first_seen_at, last_seen_at)"
                " VALUES (?, 'private', 'now', 'now')",
                (chat_id,),
            )

    await asyncio.gather(*(insert(n) for n in range(20)))
    async with database.connection.execute("SELECT count(*) FROM chats") as cursor:
        assert (await cursor.fetchone())[0] == 20  # type: ignore[index]
    await database.close()
