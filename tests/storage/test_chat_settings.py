"""The daily schedule of chats on a real SQLite file: set, due, advance, survive reopening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.outgoing import OutgoingMessage
from storage.chat_settings import ChatSettings
from storage.store import Store

T0 = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)


async def test_a_schedule_is_stored_and_read_back(store: Store) -> None:
    await store.chat_settings.set_schedule(
        5, timezone="Europe/Berlin", daily_time="07:30", next_daily_at=T0
    )
    assert await store.chat_settings.get(5) == ChatSettings(5, "Europe/Berlin", "07:30", None, T0)
    await store.chat_settings.set_schedule(5, timezone=None, daily_time=None, next_daily_at=None)
    assert await store.chat_settings.get(5) == ChatSettings(5)


async def test_a_time_without_its_due_moment_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="needs its next due moment"):
        await store.chat_settings.set_schedule(
            5, timezone=None, daily_time="07:30", next_daily_at=None
        )


async def test_due_takes_chats_at_or_before_now_most_overdue_first(store: Store) -> None:
    for chat_id, delay in [(1, 10), (2, -5), (3, 0), (4, -60)]:
        await store.chat_settings.set_schedule(
            chat_id,
            timezone=None,
            daily_time="07:30",
            next_daily_at=T0 + timedelta(minutes=delay),
        )
    await store.chat_settings.set_timezone(9, "UTC")  # no daily time: never due
    due = await store.chat_settings.due(T0)
    assert [s.chat_id for s in due] == [4, 2, 3]
    assert [s.chat_id for s in await store.chat_settings.due(T0, limit=2)] == [4, 2]
    # Fixed-width text: a whole second and a fraction compare as times, not as strings.
    assert [s.chat_id for s in await store.chat_settings.due(T0 - timedelta(microseconds=1))] == [
        4,
        2,
    ]


async def test_advance_is_compare_and_set(store: Store) -> None:
    await store.chat_settings.set_schedule(5, timezone=None, daily_time="07:30", next_daily_at=T0)
    tomorrow = T0 + timedelta(days=1)
    assert await store.chat_settings.advance(5, T0, tomorrow)
    assert not await store.chat_settings.advance(5, T0, tomorrow)  # it moved already
    assert (await store.chat_settings.get(5)).next_daily_at == tomorrow
    assert await store.chat_settings.due(T0 + timedelta(hours=1)) == []


async def test_advance_and_the_edition_commit_together_or_not_at_all(store: Store) -> None:
    await store.chat_settings.set_schedule(5, timezone=None, daily_time="07:30", next_daily_at=T0)
    edition = OutgoingMessage(5, "edition", "2026-12-02", "<b>Daily</b>")

    async def killed_half_way() -> None:
        async with store.transaction():
            await store.chat_settings.advance(5, T0, T0 + timedelta(days=1))
            await store.outbox.enqueue([edition])
            raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError):
        await killed_half_way()
    assert [s.chat_id for s in await store.chat_settings.due(T0)] == [5]
    assert await _outbox(store) == []
    async with store.transaction():
        await store.chat_settings.advance(5, T0, T0 + timedelta(days=1))
        await store.outbox.enqueue([edition])
    assert await _outbox(store) == [(5, "edition", "2026-12-02")]


async def test_the_schedule_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await Store.open(path)
    await first.chat_settings.set_schedule(
        5, timezone="UTC+02:00", daily_time="08:00", next_daily_at=T0
    )
    await first.close()
    again = await Store.open(path)
    try:
        assert await again.chat_settings.due(T0) == [
            ChatSettings(5, "UTC+02:00", "08:00", None, T0)
        ]
    finally:
        await again.close()


async def _outbox(store: Store) -> list[tuple[int, str, str]]:
    async with store.database.connection.execute(
        "SELECT chat_id, kind, item_key FROM outbox ORDER BY id"
    ) as cursor:
        return [(r["chat_id"], r["kind"], r["item_key"]) async for r in cursor]
