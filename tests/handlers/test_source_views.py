"""The pure views of the source commands: valid Telegram HTML, split between sources."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from briefing.sources import Source, SourceKind
from handlers.html import MESSAGE_LIMIT, visible_length
from handlers.source_views import (
    ADD_USAGE,
    REASON_LIMIT,
    URL_LIMIT,
    added_view,
    no_such_source_view,
    problem_view,
    removed_view,
    source_list_view,
)
from tests.fakes.telegram_html import parse

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)


def _source(number: int = 1, **fields: object) -> Source:
    values: dict[str, object] = {
        "url": f"https://news{number}.example.org/feed",
        "kind": SourceKind.FEED,
        "id": number,
        **fields,
    }
    return Source(**values)  # type: ignore[arg-type]


def test_no_sources_says_how_to_add_one() -> None:
    [text] = source_list_view([], BERLIN)
    assert "/addsource URL" in parse(text).text


def test_a_source_shows_id_kind_interval_url_title_and_last_success() -> None:
    source = _source(7, title="Harbour Daily", interval_seconds=5400, last_success_at=NIGHT)
    [text] = source_list_view([source], BERLIN)
    shown = parse(text).text
    assert "Sources (1)" in shown
    assert "#7 · feed · every 1h30m" in shown
    assert "https://news7.example.org/feed" in shown
    assert "Harbour Daily" in shown
    # 23:30 UTC is after midnight in Berlin.
    assert "Last success: 2026-11-25 00:30 CET" in shown
    assert "error" not in shown


def test_a_failing_source_shows_its_error_failures_and_next_try() -> None:
    source = _source(
        2,
        last_error="HTTP 503 from news2.example.org",
        failures=3,
        next_poll_at=datetime(2026, 11, 25, 4, 0, tzinfo=UTC),
    )
    shown = parse(source_list_view([source], BERLIN)[0]).text
    assert "Last success: never" in shown
    assert "Last error (3 in a row, next try 2026-11-25 05:00 CET): HTTP 503" in shown


def test_everything_from_outside_is_escaped() -> None:
    source = _source(
        3,
        url='https://example.org/feed?a=1&b=<2>&c="3"',
        title="<b>Tom</b> & Jerry's",
        last_error="<html> is not a feed & never was",
        failures=1,
    )
    html = source_list_view([source], BERLIN)[0]
    shown = parse(html).text
    assert 'https://example.org/feed?a=1&b=<2>&c="3"' in shown
    assert "<b>Tom</b> & Jerry's" in shown
    assert "<html> is not a feed & never was" in shown
    assert "<b>Tom</b>" not in html


def test_credentials_in_a_url_are_never_shown() -> None:
    source = _source(4, url="https://reader:s3cret@example.org/private.xml")
    for html in (*source_list_view([source], BERLIN), removed_view(source)):
        assert "s3cret" not in html
        assert "https://example.org/private.xml" in parse(html).text


def test_a_long_list_splits_between_sources_within_the_limit() -> None:
    sources = [
        _source(
            number,
            url=f"https://news{number}.example.org/" + "long-path/" * 40,
            title="A title that goes on " * 12,
            last_error="connection reset by peer " * 25,
            failures=number % 5 + 1,
        )
        for number in range(1, 61)
    ]
    messages = source_list_view(sources, BERLIN)
    assert len(messages) > 3
    shown = [parse(message).text for message in messages]
    assert all(visible_length(m) <= MESSAGE_LIMIT for m in messages)
    ids = [int(i) for text in shown for i in re.findall(r"^#(\d+) · ", text, re.MULTILINE)]
    assert ids == list(range(1, 61))
    assert "Sources (60)" in shown[0]
    assert "/removesource" in shown[-1]


def test_a_huge_url_is_cut_to_the_url_limit() -> None:
    source = _source(5, url="https://example.org/" + "x" * 5000)
    shown = parse(source_list_view([source], BERLIN)[0]).text
    [line] = [ln for ln in shown.splitlines() if ln.startswith("https://")]
    assert len(line) == URL_LIMIT
    assert line.endswith("…")


def test_added_names_the_source_and_its_first_poll() -> None:
    html = added_view(_source(1, interval_seconds=1800), "2 entries: 2 new, 0 updated")
    shown = parse(html).text
    assert shown.splitlines() == [
        "✅ Added #1 · feed · every 30m",
        "https://news1.example.org/feed",
        "First poll: 2 entries: 2 new, 0 updated",
    ]


def test_problems_are_escaped_one_line_and_bounded() -> None:
    shown = parse(problem_view("'<script>' is not a valid URL & more", ADD_USAGE)).text
    assert shown.splitlines() == ["⚠️ '<script>' is not a valid URL & more", ADD_USAGE]
    long = parse(problem_view("cannot read " + "x" * 5000)).text
    assert len(long) <= REASON_LIMIT + 3


def test_an_unknown_reference_is_escaped() -> None:
    assert "<nope>" in parse(no_such_source_view("<nope>")).text
