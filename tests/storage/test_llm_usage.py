"""LlmUsageRepository on real SQLite files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from storage.store import Store

DAY = date(2026, 3, 1)


async def test_the_migration_is_recorded(store: Store) -> None:
    assert "0003_llm_usage.sql" in await store.database.applied_migrations()


async def test_calls_are_taken_up_to_the_cap(store: Store) -> None:
    taken = [await store.llm_usage.try_take(DAY, 3) for _ in range(5)]
    assert taken == [True, True, True, False, False]
    assert await store.llm_usage.used(DAY) == 3


async def test_each_day_has_its_own_count(store: Store) -> None:
    assert await store.llm_usage.try_take(DAY, 1)
    assert not await store.llm_usage.try_take(DAY, 1)
    assert await store.llm_usage.try_take(date(2026, 3, 2), 1)
    assert await store.llm_usage.used(DAY) == 1
    assert await store.llm_usage.used(date(2026, 3, 2)) == 1


async def test_a_zero_cap_takes_nothing(store: Store) -> None:
    assert not await store.llm_usage.try_take(DAY, 0)
    assert await store.llm_usage.used(DAY) == 0


async def test_a_lowered_cap_refuses_without_counting(store: Store) -> None:
    for _ in range(3):
        assert await store.llm_usage.try_take(DAY, 5)
    assert not await store.llm_usage.try_take(DAY, 2)
    assert await store.llm_usage.used(DAY) == 3


async def test_an_unused_day_counts_zero(store: Store) -> None:
    assert await store.llm_usage.used(DAY) == 0


async def test_the_count_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "briefbot.sqlite3"
    first = await Store.open(path)
    assert await first.llm_usage.try_take(DAY, 2)
    assert await first.llm_usage.try_take(DAY, 2)
    await first.close()
    again = await Store.open(path)
    assert not await again.llm_usage.try_take(DAY, 2)
    assert await again.llm_usage.used(DAY) == 2
    await again.close()
