"""The inline result of a story fits Telegram's limits whatever the story holds."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handlers.html import telegram_length
from handlers.inline_view import (
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
    deep_link_payload,
    shared_card,
    story_result,
)
from storage.shared_stories import SharedStory

ZONE = ZoneInfo("Europe/Berlin")


def _story(**changes: object) -> SharedStory:
    values: dict[str, object] = {
        "id": 7,
        "heading": "Ferry fares",
        "summary": ("Fares stay.",),
        "url": "https://example.org/f",
        "briefing_title": "Harbour Daily",
        "published": datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
    }
    values.update(changes)
    return SharedStory(**values)  # type: ignore[arg-type]


def test_an_enormous_story_still_makes_one_message_and_short_labels() -> None:
    story = _story(
        heading="H" * 5000, summary=("word " * 2000, "x" * 9000), briefing_title="T" * 900
    )
    result = story_result(story, "briefbot_test_bot", ZONE)
    assert len(result.title) <= TITLE_LIMIT
    assert result.description is not None
    assert len(result.description) <= DESCRIPTION_LIMIT
    text = shared_card(story, ZONE)
    assert telegram_length(text) <= 4096
    assert text.startswith("<b>H")


def test_a_javascript_link_is_never_shown_and_the_date_is_local() -> None:
    text = shared_card(_story(url="javascript:alert(1)"), ZONE)
    assert "javascript" not in text
    assert "1 Dec 2026" in text  # 23:30 UTC is the next day in Berlin


def test_the_deep_link_payload_fits_telegrams_64_characters() -> None:
    assert deep_link_payload(10**17) == "story_100000000000000000"
    assert len(deep_link_payload(10**18 - 1)) <= 64
