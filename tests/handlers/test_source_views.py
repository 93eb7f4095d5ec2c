"""The pure views of the source commands: valid Telegram HTML, split between sources."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from briefing.sources import Source, SourceKind
from handlers.source_views import (
    ADD_USAGE,
    REASON_LIMIT,
    added_view,
    no_such_source_view,
    problem_view,
    removed_view,
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


def test_credentials_in_a_url_are_never_shown() -> None:
    source = _source(4, url="https://reader:s3cret@example.org/private.xml")
    html = removed_view(source)
    assert "s3cret" not in html
    assert "https://example.org/private.xml" in parse(html).text


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
