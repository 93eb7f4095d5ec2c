"""Composable transactions: nesting joins as a SAVEPOINT, other tasks wait their turn."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database


class AbortError(Exception):
    """Raised by a test to make a block fail."""


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "db.sqlite3")
    yield opened
    await opened.close()


async def _add_chat(database: Database, chat_id: int) -> None:
    async with database.transaction() as db:
        await db.execute(
            "INSERT INTO chats (id, type, first_seen_at, last_seen_at)"
            " VALUES (?, 'private', 'now', 'now')",
            (chat_id,),
        )


async def _chat_ids(database: Database) -> list[int]:
    async with database.connection.execute("SELECT id FROM chats ORDER BY id") as cursor:
        return [row[0] async for row in cursor]


async def test_a_nested_transaction_joins_the_outer_one(database: Database) -> None:
    async with database.transaction():
        await _add_chat(database, 1)
        async with database.transaction():
            await _add_chat(database, 2)
        assert await _chat_ids(database) == [1, 2]
        assert database.connection.in_transaction
    assert not database.connection.in_transaction
    assert await _chat_ids(database) == [1, 2]


async def test_an_inner_failure_rolls_back_only_the_inner_block(database: Database) -> None:
    async def add_two_then_fail() -> None:
        async with database.transaction():
            await _add_chat(database, 2)
            async with database.transaction():
                await _add_chat(database, 3)
            raise AbortError

    async with database.transaction():
        await _add_chat(database, 1)
        with pytest.raises(AbortError):
            await add_two_then_fail()
        await _add_chat(database, 4)
    assert await _chat_ids(database) == [1, 4]


async def test_an_outer_failure_rolls_back_the_inner_blocks_too(database: Database) -> None:
    async def nest_then_fail() -> None:
        async with database.transaction():
            await _add_chat(database, 1)
            async with database.transaction():
                await _add_chat(database, 2)
            raise AbortError

    with pytest.raises(AbortError):
        await nest_then_fail()
    assert await _chat_ids(database) == []
    await _add_chat(database, 5)  # and the connection is ready for the next one
    assert await _chat_ids(database) == [5]


async def test_another_task_waits_for_the_outer_transaction(database: Database) -> None:
    inside = asyncio.Event()
    trying = asyncio.Event()
    seen_by_other: list[list[int]] = []

    async def holder() -> None:
        async with database.transaction():
            await _add_chat(database, 1)
            inside.set()
            await trying.wait()
            await _add_chat(database, 2)

    async def other() -> None:
        await inside.wait()
        trying.set()
        async with database.transaction():
            seen_by_other.append(await _chat_ids(database))
            await _add_chat(database, 3)

    await asyncio.gather(holder(), other())
    # Had it joined the holder's transaction, it would have seen chat 1 only.
    assert seen_by_other == [[1, 2]]
    assert await _chat_ids(database) == [1, 2, 3]


async def test_a_task_started_inside_a_transaction_fails_instead_of_deadlocking(
    database: Database,
) -> None:
    async with database.transaction():
        with pytest.raises(RuntimeError, match="inside a transaction"):
            await asyncio.create_task(_add_chat(database, 1))
        await _add_chat(database, 2)
    assert await _chat_ids(database) == [2]


async def test_a_failed_commit_leaves_the_connection_usable(database: Database) -> None:
    async def orphan_story() -> None:
        async with database.transaction() as db:
            await db.execute("PRAGMA defer_foreign_keys = ON")
            await db.execute(
                "INSERT INTO stories (briefing_id, position, heading, blocks, summary)"
                " VALUES (999, 0, 'h', '[]', '[]')"
            )

    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await orphan_story()
    assert not database.connection.in_transaction
    await _add_chat(database, 1)
    assert await _chat_ids(database) == [1]


async def test_two_databases_keep_their_transactions_apart(tmp_path: Path) -> None:
    first = await Database.open(tmp_path / "one.sqlite3")
    second = await Database.open(tmp_path / "two.sqlite3")

    async def write_both_then_fail() -> None:
        async with first.transaction():
            await _add_chat(first, 1)
            await _add_chat(second, 1)  # its own transaction, committed on its own
            raise AbortError

    try:
        with pytest.raises(AbortError):
            await write_both_then_fail()
        assert (await _chat_ids(first), await _chat_ids(second)) == ([], [1])
    finally:
        await first.close()
        await second.close()
