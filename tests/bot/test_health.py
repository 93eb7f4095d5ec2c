"""/healthz over real HTTP on 127.0.0.1: a real store, an injected clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.health import HealthCheck, start_health_server, stop_health_server
from briefing.outgoing import OutgoingMessage
from briefing.sources import SourceKind
from storage.store import Store

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MAX_AGE = 900


@pytest.fixture
async def opened(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "health.sqlite3")
    yield store
    await store.close()


async def _probe(check: HealthCheck) -> httpx.Response:
    server, port = start_health_server(check, "127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            return await client.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        await stop_health_server(server)


def _check(store: Store | None) -> HealthCheck:
    return HealthCheck(store=lambda: store, clock=lambda: NOW, max_backlog_seconds=MAX_AGE)


async def test_a_healthy_bot_answers_200_with_its_figures(opened: Store) -> None:
    source = await opened.sources.add("https://user:pw@example.org/feed", SourceKind.FEED, 900)
    assert source.id is not None
    await opened.sources.record_success(
        source.id, etag=None, last_modified=None, now=NOW - timedelta(minutes=3)
    )
    message = OutgoingMessage(1, "alert", "7", "<b>x</b>")
    await opened.outbox.enqueue([message], now=NOW - timedelta(seconds=60))

    answer = await _probe(_check(opened))

    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["database"]["schema_version"] >= 7
    assert body["outbox"] == {"pending": 1, "oldest_pending_age_seconds": 60.0}
    [shown] = body["sources"]
    assert shown["url"] == "https://example.org/feed"
    assert shown["last_success"].startswith("2026-12-01T11:57")


async def test_a_backlog_older_than_the_threshold_answers_503(opened: Store) -> None:
    message = OutgoingMessage(1, "alert", "7", "<b>x</b>")
    await opened.outbox.enqueue([message], now=NOW - timedelta(seconds=MAX_AGE + 1))
    answer = await _probe(_check(opened))
    assert answer.status_code == 503
    assert answer.json()["problems"] == [
        "outbox backlog: the oldest pending message waits 901 s (over 900 s)"
    ]


async def test_an_unreachable_database_answers_503(tmp_path: Path) -> None:
    closed = await Store.open(tmp_path / "closed.sqlite3")
    await closed.close()
    answer = await _probe(_check(closed))
    assert answer.status_code == 503
    assert answer.json()["database"] == {"reachable": False}
    assert (await _probe(_check(None))).json()["problems"] == [
        "database unreachable: the database is not open"
    ]


async def test_other_paths_are_not_found(opened: Store) -> None:
    server, port = start_health_server(_check(opened), "127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{port}/")
    finally:
        await stop_health_server(server)
    assert answer.status_code == 404
