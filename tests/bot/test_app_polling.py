"""The application built to poll sources starts the due polls at once, not a tick later."""

from __future__ import annotations

from pathlib import Path

from briefing.sources import SourceKind
from storage.store import Store
from tests.fakes.feeds import serve_feed
from tests.fakes.http_server import serve_http
from tests.handlers.conftest import harness_settings, running_harness


async def test_sources_due_at_start_are_polled_during_start_up(tmp_path: Path) -> None:
    settings = harness_settings(tmp_path)
    with serve_http() as server:
        url = serve_feed(server)
        await _store_source(settings.database, url)
        async with running_harness(settings, poll_sources=True) as harness:
            await harness.settle()  # the polls post_init started, not the job queue's
            [source] = await harness.store.sources.list()
            assert source.last_success_at is not None
            [today] = await harness.send("/today")
            assert "Harbour Daily: Market Day" in today.text


async def test_without_source_polling_nothing_is_fetched(tmp_path: Path) -> None:
    settings = harness_settings(tmp_path)
    with serve_http() as server:
        url = serve_feed(server)
        await _store_source(settings.database, url)
        async with running_harness(settings) as harness:
            await harness.settle()
            [today] = await harness.send("/today")
            assert "no briefing yet" in today.text
        assert server.requests == []


async def _store_source(database: Path, url: str) -> None:
    """Add a feed source the way `briefbot sources import` does: stored, not yet polled."""
    store = await Store.open(database)
    await store.sources.add(url, SourceKind.FEED)
    await store.close()
