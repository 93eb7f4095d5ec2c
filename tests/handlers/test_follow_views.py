"""The pure /sources view: pages, buttons, and the 4,096-unit limit at its worst."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from briefing.sources import Source, SourceKind
from handlers.callbacks import FollowRequest, parse_follow_button, parse_sources_page
from handlers.follow_views import (
    NO_SOURCES,
    NO_SOURCES_ADMIN,
    URL_LIMIT,
    sources_view,
    toggled_answer,
)
from handlers.html import MESSAGE_LIMIT, visible_length
from tests.fakes.telegram_html import parse

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
BIGGEST_ID = 10**18 - 1
ASTRAL = "\N{MATHEMATICAL BOLD CAPITAL H}"  # two UTF-16 units


def _source(number: int, **fields: object) -> Source:
    values: dict[str, object] = {
        "url": f"https://news{number}.example.org/feed",
        "kind": SourceKind.FEED,
        "id": number,
        **fields,
    }
    return Source(**values)  # type: ignore[arg-type]


def test_no_sources_reads_differently_for_admins() -> None:
    assert sources_view([], frozenset(), 0, admin=False, zone=BERLIN).text == NO_SOURCES
    assert sources_view([], frozenset(), 0, admin=True, zone=BERLIN).text == NO_SOURCES_ADMIN


def test_each_button_names_the_state_it_sets_and_fits_64_bytes() -> None:
    sources = [_source(1), _source(BIGGEST_ID, title="Harbour Daily")]
    rendered = sources_view(sources, frozenset({1}), 0, admin=False, zone=BERLIN)
    assert rendered.keyboard is not None
    data = [row[0].callback_data for row in rendered.keyboard.inline_keyboard]
    assert data == ["fol:0:0:1", f"fol:1:0:{BIGGEST_ID}"]
    assert all(isinstance(d, str) and len(d.encode()) <= 64 for d in data)
    assert parse_follow_button(str(data[1])) == FollowRequest(True, 0, BIGGEST_ID)
    assert parse_sources_page("srcs:3") == 3
    assert parse_follow_button("fol:1:0:") is None


def test_a_page_past_the_end_shows_the_last_page() -> None:
    sources = [_source(number) for number in range(1, 13)]
    rendered = sources_view(sources, frozenset(), 7, admin=False, zone=BERLIN)
    assert rendered.text.startswith("<b>📚 Sources (12)</b> · page 2 of 2")
    assert rendered.keyboard is not None
    assert [b.text for b in rendered.keyboard.inline_keyboard[-1]] == ["◀"]


def test_the_worst_admin_page_still_fits_one_message() -> None:
    worst = [
        _source(
            BIGGEST_ID - number,
            kind=SourceKind.WORDPRESS,
            url=f"https://news{number}.example.org/" + ASTRAL * 400,
            title=ASTRAL * 400,
            interval_seconds=7 * 86400 - 60,
            last_success_at=datetime(2026, 11, 24, 12, tzinfo=UTC),
            last_error=f"<{ASTRAL}>&" * 200,
            failures=10**6,
        )
        for number in range(10)
    ]
    rendered = sources_view(worst, frozenset(), 0, admin=True, zone=BERLIN)
    assert visible_length(rendered.text) <= MESSAGE_LIMIT
    assert rendered.text.count("Last error (1000000 in a row)") == 10
    assert "news1.example.org" not in rendered.text  # drawn without addresses to fit


def test_the_answer_to_a_button_is_short_plain_text() -> None:
    source = _source(1, title="Harbour <Daily> " * 20)
    assert toggled_answer(source, True).startswith("✅ This chat follows Harbour <Daily>")
    assert len(toggled_answer(source, False)) <= 200


def test_admins_see_id_kind_interval_last_success_and_error_with_next_try() -> None:
    source = _source(
        7,
        title="Harbour Daily",
        interval_seconds=5400,
        last_success_at=NIGHT,
        last_error="HTTP 503 from news7.example.org",
        failures=3,
        next_poll_at=datetime(2026, 11, 25, 4, 0, tzinfo=UTC),
    )
    shown = parse(sources_view([source], frozenset({7}), 0, admin=True, zone=BERLIN).text).text
    # 23:30 UTC is after midnight in Berlin.
    assert (
        "✅ Harbour Daily\nhttps://news7.example.org/feed\n"
        "#7 · feed · every 1h30m · last success 2026-11-25 00:30 CET\n"
        "⚠️ Last error (3 in a row, next try 2026-11-25 05:00 CET): HTTP 503"
    ) in shown
    for_everyone = parse(
        sources_view([source], frozenset({7}), 0, admin=False, zone=BERLIN).text
    ).text
    assert "#7" not in for_everyone
    assert "HTTP 503" not in for_everyone


def test_everything_from_outside_is_escaped_and_credentials_never_shown() -> None:
    source = _source(
        3,
        url='https://reader:s3cret@example.org/feed?a=1&b=<2>&c="3"',
        title="<b>Tom</b> & Jerry's",
        last_error="<html> is not a feed & never was",
        failures=1,
    )
    rendered = sources_view([source], frozenset(), 0, admin=True, zone=BERLIN)
    shown = parse(rendered.text).text
    assert 'https://example.org/feed?a=1&b=<2>&c="3"' in shown
    assert "<b>Tom</b> & Jerry's" in shown
    assert "<html> is not a feed & never was" in shown
    assert "<b>Tom</b>" not in rendered.text
    assert "s3cret" not in rendered.text
    assert rendered.keyboard is not None
    assert "s3cret" not in str(rendered.keyboard.to_dict())


def test_a_huge_url_is_cut() -> None:
    source = _source(5, url="https://example.org/" + "x" * 5000)
    shown = parse(sources_view([source], frozenset(), 0, admin=True, zone=BERLIN).text).text
    [line] = [ln for ln in shown.splitlines() if ln.startswith("https://")]
    assert len(line) == URL_LIMIT
    assert line.endswith("…")
