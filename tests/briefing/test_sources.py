"""The domain's polling policy: what a success or a failure at a moment does to a source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.sources import Source, SourceKind

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FEED = "https://example.org/feed"


def test_failures_back_off_from_the_interval_up_to_the_cap() -> None:
    source = Source(FEED, SourceKind.FEED, interval_seconds=900)
    delays = []
    for _ in range(7):
        source = source.failed("HTTP 503", now=T0)
        assert source.next_poll_at is not None
        delays.append(int((source.next_poll_at - T0).total_seconds()))
    assert delays == [900, 1800, 3600, 7200, 14_400, 21_600, 21_600]
    assert (source.failures, source.last_error, source.last_error_at) == (7, "HTTP 503", T0)


def test_a_custom_cap_and_a_one_line_error() -> None:
    source = Source(FEED, SourceKind.FEED, interval_seconds=100, failures=3)
    failed = source.failed("bad\n XML\t" + "x" * 900, now=T0, backoff_cap_seconds=500)
    assert failed.next_poll_at == T0 + timedelta(seconds=500)
    assert failed.last_error is not None
    assert failed.last_error.startswith("bad XML xxx")
    assert len(failed.last_error) == 500


def test_a_success_clears_the_failures_and_waits_one_interval() -> None:
    failing = Source(FEED, SourceKind.FEED, "Mine", 600, failures=4, last_error="timed out")
    healed = failing.succeeded(now=T0, etag='"v2"', last_modified=None, title="Theirs")
    assert (healed.failures, healed.last_error, healed.last_error_at) == (0, None, None)
    assert healed.next_poll_at == T0 + timedelta(seconds=600)
    assert (healed.etag, healed.title, healed.last_success_at) == ('"v2"', "Theirs", T0)
    assert failing.succeeded(now=T0, etag=None, last_modified=None).title == "Mine"


def test_a_success_with_a_note_keeps_it_without_counting_a_failure() -> None:
    source = Source(FEED, SourceKind.FEED, interval_seconds=600, failures=2)
    noted = source.succeeded(
        now=T0, etag=None, last_modified=None, note="comments of 1 entry\nnot read"
    )
    assert noted.failures == 0
    assert noted.last_error == "comments of 1 entry not read"
    assert noted.last_error_at == T0
    assert noted.next_poll_at == T0 + timedelta(seconds=600)
