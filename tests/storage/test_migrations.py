"""The migration runner: table rebuilds with foreign keys off, and processes racing on a file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.models import Block, BlockKind, Briefing, Story
from briefing.sources import SourceKind
from storage.db import MIGRATIONS_PACKAGE, Database, MigrationError
from storage.store import Store
from tests.processes import REPOSITORY, process_environment

TEST_MIGRATIONS = "tests.storage.migrations"
ROUNDS = 8
RACERS = 4
# A racer opens, one round after another, the fresh file each line of its input names: the
# test hands the same path to every racer at once, and the next only when all have answered.
RACER = """
import asyncio, sys
from storage.db import Database

async def main() -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        try:
            database = await Database.open(line.strip())
            print("ok " + ",".join(await database.applied_migrations()), flush=True)
            await database.close()
        except Exception as error:
            print(f"error {type(error).__name__}: {error}", flush=True)

asyncio.run(main())
"""


async def _store_with_a_sourced_briefing(path: Path) -> tuple[int, int]:
    """A database at the real schema with one source and a briefing from it."""
    store = await Store.open(path)
    try:
        source = await store.sources.add("https://example.org/feed", SourceKind.FEED)
        assert source.id is not None
        story = Story("Lead", (Block(BlockKind.PARAGRAPH, "First."),))
        saved = await store.briefings.save(
            Briefing(key="b-1", title="Daily", stories=(story,)), source_id=source.id
        )
        return source.id, saved.briefing_id
    finally:
        await store.close()


async def _scalar(database: Database, sql: str) -> object:
    async with database.connection.execute(sql) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return row[0]


async def test_a_rebuild_of_sources_keeps_the_briefings_that_point_at_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    source_id, briefing_id = await _store_with_a_sourced_briefing(path)
    store = await Store.open(path, migrations=(MIGRATIONS_PACKAGE, f"{TEST_MIGRATIONS}.rebuild"))
    try:
        briefing = await store.briefings.get(briefing_id)
        assert briefing is not None
        assert briefing.source_id == source_id
        assert "9001_rebuild_sources.sql" in await store.database.applied_migrations()
        assert await _scalar(store.database, "PRAGMA foreign_keys") == 1
        schema = await _scalar(
            store.database, "SELECT sql FROM sqlite_master WHERE name = 'sources'"
        )
        assert "failures >= 0" in str(schema)  # the rebuilt table, under its own name
        # The foreign key still works on the rebuilt table: deleting the source unlinks.
        await store.sources.remove(source_id)
        unlinked = await store.briefings.get(briefing_id)
        assert unlinked is not None
        assert unlinked.source_id is None
    finally:
        await store.close()


async def test_without_the_marker_the_same_rebuild_loses_the_links(tmp_path: Path) -> None:
    # The failure the marker exists for: with foreign keys on, DROP TABLE deletes every row
    # first, and ON DELETE SET NULL empties briefings.source_id.
    path = tmp_path / "db.sqlite3"
    _, briefing_id = await _store_with_a_sourced_briefing(path)
    packages = (MIGRATIONS_PACKAGE, f"{TEST_MIGRATIONS}.rebuild_unmarked")
    store = await Store.open(path, migrations=packages)
    try:
        briefing = await store.briefings.get(briefing_id)
        assert briefing is not None
        assert briefing.source_id is None
    finally:
        await store.close()


async def test_a_migration_leaving_foreign_key_violations_is_rolled_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    source_id, briefing_id = await _store_with_a_sourced_briefing(path)
    packages = (MIGRATIONS_PACKAGE, f"{TEST_MIGRATIONS}.orphan")
    with pytest.raises(MigrationError, match=r"9001_forget_first_source\.sql.*1 foreign key"):
        await Store.open(path, migrations=packages)
    store = await Store.open(path)
    try:
        assert [s.id for s in await store.sources.list()] == [source_id]
        assert "9001_forget_first_source.sql" not in await store.database.applied_migrations()
        briefing = await store.briefings.get(briefing_id)
        assert briefing is not None
        assert briefing.source_id == source_id
    finally:
        await store.close()


@pytest.fixture
def racers() -> Iterator[list[subprocess.Popen[str]]]:
    """Racer processes, each started and ready before the first round."""
    started = [
        subprocess.Popen(
            [sys.executable, "-c", RACER],
            cwd=REPOSITORY,
            env=process_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(RACERS)
    ]
    try:
        for racer in started:
            assert racer.stdout is not None
            assert racer.stdout.readline() == "ready\n"
        yield started
    finally:
        for racer in started:
            assert racer.stdin is not None
            racer.stdin.close()
            racer.wait(timeout=60)


def _race(racers: list[subprocess.Popen[str]], path: Path) -> list[str]:
    """Set every racer off on ``path`` together; what each answered."""
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write(f"{path}\n")
        racer.stdin.flush()
    answers = []
    for racer in racers:
        assert racer.stdout is not None
        answers.append(racer.stdout.readline().strip())
    return answers


async def test_processes_opening_a_fresh_file_at_once_all_succeed(
    tmp_path: Path, racers: list[subprocess.Popen[str]]
) -> None:
    expected = await _fresh_migrations(tmp_path / "alone.sqlite3")
    for round_number in range(ROUNDS):
        path = tmp_path / f"race-{round_number}.sqlite3"
        assert _race(racers, path) == [f"ok {','.join(expected)}"] * RACERS
        assert await _fresh_migrations(path) == expected


async def _fresh_migrations(path: Path) -> list[str]:
    database = await Database.open(path)
    try:
        return await database.applied_migrations()
    finally:
        await database.close()


async def test_a_misspelt_directive_is_refused_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    source_id, briefing_id = await _store_with_a_sourced_briefing(path)
    packages = (MIGRATIONS_PACKAGE, f"{TEST_MIGRATIONS}.misspelt")
    with pytest.raises(MigrationError, match="unknown directive '-- briefbot: foreign_keys = "):
        await Store.open(path, migrations=packages)
    store = await Store.open(path)
    try:
        briefing = await store.briefings.get(briefing_id)
        assert briefing is not None
        assert briefing.source_id == source_id
    finally:
        await store.close()
