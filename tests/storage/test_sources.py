"""SourceRepository on real SQLite files, and the Source value it stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.models import Briefing
from briefing.sources import Source, SourceKind
from briefing.urls import without_credentials
from storage.sources import SourceExistsError
from storage.store import Store

FEED = "https://news.example/feed.xml"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def test_add_stores_a_source_due_at_once(store: Store) -> None:
    added = await store.sources.add(FEED, SourceKind.FEED, 600, title="News")
    assert added.id is not None
    assert (added.url, added.kind, added.interval_seconds, added.title) == (
        FEED,
        SourceKind.FEED,
        600,
        "News",
    )
    assert added.failures == 0
    assert added.next_poll_at is None
    assert await store.sources.get(added.id) == added
    assert await store.sources.by_url(FEED) == added


async def test_add_takes_the_kind_as_text_and_trims_the_url(store: Store) -> None:
    added = await store.sources.add(f"  {FEED}\n", "wordpress")
    assert added.kind is SourceKind.WORDPRESS
    assert added.url == FEED
    assert added.interval_seconds == 900


async def test_adding_a_stored_url_raises_with_the_stored_source(store: Store) -> None:
    first = await store.sources.add(FEED, SourceKind.FEED)
    with pytest.raises(SourceExistsError, match=f"source {first.id} already polls {FEED}") as e:
        await store.sources.add(FEED, SourceKind.WORDPRESS, 60)
    assert e.value.source == first
    assert await store.sources.list() == [first]


async def test_the_exists_message_leaves_out_credentials(store: Store) -> None:
    await store.sources.add("https://ann:s3cret@news.example/feed", SourceKind.FEED)
    with pytest.raises(SourceExistsError) as e:
        await store.sources.add("https://ann:s3cret@news.example/feed", SourceKind.FEED)
    assert "s3cret" not in str(e.value)
    assert "ann" not in str(e.value)
    assert "https://news.example/feed" in str(e.value)


@pytest.mark.parametrize(
    ("url", "kind", "interval", "message"),
    [
        ("   ", "feed", 900, "a source needs a URL"),
        (FEED, "podcast", 900, "'podcast' is not a valid SourceKind"),
        (FEED, "feed", 0, "interval_seconds must be positive"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_stored(
    store: Store, url: str, kind: str, interval: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await store.sources.add(url, kind, interval)
    assert await store.sources.list() == []


async def test_get_and_by_url_of_unknown_sources_are_none(store: Store) -> None:
    assert await store.sources.get(42) is None
    assert await store.sources.by_url(FEED) is None


async def test_list_is_in_order_of_adding(store: Store) -> None:
    urls = ["https://b.example/feed", "https://a.example/feed", "https://c.example/wp"]
    for url in urls:
        await store.sources.add(url, SourceKind.FEED)
    assert [s.url for s in await store.sources.list()] == urls


async def test_remove_by_id_and_by_url(store: Store) -> None:
    first = await store.sources.add(FEED, SourceKind.FEED)
    await store.sources.add("https://other.example/feed", SourceKind.FEED)
    assert first.id is not None
    assert await store.sources.remove(first.id) is True
    assert await store.sources.remove(first.id) is False
    assert await store.sources.remove(" https://other.example/feed ") is True
    assert await store.sources.remove("https://other.example/feed") is False
    assert await store.sources.list() == []


async def test_removing_a_source_keeps_its_briefings(store: Store) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED)
    saved = await store.briefings.save(
        Briefing(key="k", title="Daily", stories=()), source_id=source.id
    )
    assert source.id is not None
    await store.sources.remove(source.id)
    kept = await store.briefings.get(saved.briefing_id)
    assert kept is not None
    assert kept.source_id is None


async def test_record_success_stores_validators_and_schedules_one_interval(
    store: Store,
) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED, 600, title="Old name")
    assert source.id is not None
    updated = await store.sources.record_success(
        source.id, etag='"v1"', last_modified="Sun, 01 Mar 2026 07:00:00 GMT", now=T0
    )
    assert updated is not None
    assert updated.etag == '"v1"'
    assert updated.last_modified == "Sun, 01 Mar 2026 07:00:00 GMT"
    assert updated.title == "Old name"
    assert updated.last_success_at == T0
    assert updated.next_poll_at == T0 + timedelta(seconds=600)
    assert await store.sources.get(source.id) == updated


async def test_record_success_replaces_the_title_when_given(store: Store) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED)
    assert source.id is not None
    updated = await store.sources.record_success(
        source.id, etag=None, last_modified=None, title="Harbour Daily", now=T0
    )
    assert updated is not None
    assert updated.title == "Harbour Daily"


async def test_failures_back_off_exponentially_up_to_six_hours(store: Store) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED, 900)
    assert source.id is not None
    delays = []
    for _ in range(7):
        failed = await store.sources.record_failure(source.id, "HTTP 503", now=T0)
        assert failed is not None
        assert failed.next_poll_at is not None
        delays.append(int((failed.next_poll_at - T0).total_seconds()))
    assert delays == [900, 1800, 3600, 7200, 14_400, 21_600, 21_600]
    stored = await store.sources.get(source.id)
    assert stored is not None
    assert (stored.failures, stored.last_error, stored.last_error_at) == (7, "HTTP 503", T0)


async def test_a_success_after_failures_resets_them(store: Store) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED, 900)
    assert source.id is not None
    for _ in range(3):
        await store.sources.record_failure(source.id, "connection refused", now=T0)
    later = T0 + timedelta(hours=2)
    healed = await store.sources.record_success(
        source.id, etag='"v2"', last_modified=None, now=later
    )
    assert healed is not None
    assert (healed.failures, healed.last_error, healed.last_error_at) == (0, None, None)
    assert healed.next_poll_at == later + timedelta(seconds=900)
    again = await store.sources.record_failure(source.id, "timed out after 20 s", now=later)
    assert again is not None
    assert again.failures == 1
    assert again.next_poll_at == later + timedelta(seconds=900)
    assert again.etag == '"v2"'


async def test_errors_are_kept_as_one_short_line(store: Store) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED)
    assert source.id is not None
    failed = await store.sources.record_failure(
        source.id, "bad\n  XML:\tline 3\n" + "x" * 1000, now=T0
    )
    assert failed is not None
    assert failed.last_error is not None
    assert failed.last_error.startswith("bad XML: line 3 xxx")
    assert "\n" not in failed.last_error
    assert len(failed.last_error) == 500
    blank = await store.sources.record_failure(source.id, " \n ", now=T0)
    assert blank is not None
    assert blank.last_error == "unknown error"


async def test_recording_for_a_removed_source_returns_none(store: Store) -> None:
    assert await store.sources.record_success(7, etag=None, last_modified=None, now=T0) is None
    assert await store.sources.record_failure(7, "HTTP 404 Not Found", now=T0) is None
    assert await store.sources.list() == []


async def test_due_lists_new_and_overdue_sources_most_overdue_first(store: Store) -> None:
    hourly = await store.sources.add("https://hourly.example/feed", SourceKind.FEED, 3600)
    quarter = await store.sources.add("https://quarter.example/feed", SourceKind.FEED, 900)
    fresh = await store.sources.add("https://fresh.example/feed", SourceKind.FEED, 900)
    assert hourly.id is not None
    assert quarter.id is not None
    assert [s.id for s in await store.sources.due(T0)] == [hourly.id, quarter.id, fresh.id]
    await store.sources.record_success(hourly.id, etag=None, last_modified=None, now=T0)
    await store.sources.record_success(quarter.id, etag=None, last_modified=None, now=T0)
    assert [s.id for s in await store.sources.due(T0)] == [fresh.id]
    at_quarter = T0 + timedelta(seconds=900)
    assert [s.id for s in await store.sources.due(at_quarter - timedelta(microseconds=1))] == [
        fresh.id
    ]
    assert [s.id for s in await store.sources.due(at_quarter)] == [fresh.id, quarter.id]
    in_two_hours = T0 + timedelta(hours=2)
    assert [s.id for s in await store.sources.due(in_two_hours)] == [
        fresh.id,
        quarter.id,
        hourly.id,
    ]


async def test_due_compares_times_not_text(store: Store) -> None:
    source = await store.sources.add(FEED, SourceKind.FEED, 60)
    assert source.id is not None
    # A whole second and a fraction of the same second, and a time given in another zone.
    polled = datetime(2026, 3, 1, 9, 0, 0, 500_000, tzinfo=UTC)
    await store.sources.record_success(source.id, etag=None, last_modified=None, now=polled)
    whole_second = datetime(2026, 3, 1, 9, 1, 0, tzinfo=UTC)
    assert await store.sources.due(whole_second) == []
    paris = ZoneInfo("Europe/Paris")
    assert await store.sources.due(datetime(2026, 3, 1, 10, 1, 0, tzinfo=paris)) == []
    due = await store.sources.due(datetime(2026, 3, 1, 10, 1, 1, tzinfo=paris))
    assert [s.id for s in due] == [source.id]


async def test_the_schedule_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "briefbot.sqlite3"
    first = await Store.open(path)
    source = await first.sources.add(FEED, SourceKind.DIGEST, 300)
    assert source.id is not None
    failed = await first.sources.record_failure(source.id, "HTTP 500", now=T0)
    await first.close()
    reopened = await Store.open(path)
    try:
        assert await reopened.sources.get(source.id) == failed
        assert "0002_source_schedule.sql" in await reopened.database.applied_migrations()
    finally:
        await reopened.close()


def test_a_source_value_checks_its_fields() -> None:
    with pytest.raises(ValueError, match="interval_seconds must be positive"):
        Source(FEED, SourceKind.FEED, interval_seconds=-5)
    with pytest.raises(ValueError, match="failures must be 0 or more"):
        Source(FEED, SourceKind.FEED, failures=-1)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ann:pw@news.example:8443/feed?x=1", "https://news.example:8443/feed?x=1"),
        ("https://token@news.example/feed", "https://news.example/feed"),
        ("https://news.example/feed", "https://news.example/feed"),
        ("not a url", "not a url"),
    ],
)
def test_redact_url_leaves_out_credentials(url: str, shown: str) -> None:
    assert without_credentials(url) == shown
    assert Source(url, SourceKind.WXR).display_url == shown


async def test_a_removed_sources_id_is_never_given_to_a_new_one(store: Store) -> None:
    first = await store.sources.add(FEED, SourceKind.FEED)
    assert first.id is not None
    await store.sources.remove(first.id)
    second = await store.sources.add(FEED, SourceKind.FEED)
    assert second.id is not None
    assert second.id > first.id
