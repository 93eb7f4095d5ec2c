"""The alert message as a pure view: escaped, within Telegram's limits, rendered once."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.alert_view import AlertRenderer
from storage.subscriptions import Alert, Subscription
from tests.fakes.telegram_html import parse

STORY = Story(
    "Ships <return> & the harbour " + "reopens " * 60,
    (Block(BlockKind.PARAGRAPH, "A <b>bold</b> claim & more. " * 100),),
    url="https://example.org/a?b=1&c=2",
    id=7,
)
BRIEFING = Briefing(
    "k", "Harbour <Daily>", (STORY,), published=datetime(2026, 11, 24, 23, 30, tzinfo=UTC), id=3
)


def test_every_part_is_escaped_and_the_message_fits() -> None:
    topics = tuple(Subscription(i, f"<topic> & {i} " + "x" * 190) for i in range(50))
    renderer = AlertRenderer(BRIEFING, ZoneInfo("Europe/Berlin"))
    [message] = renderer.alerts(STORY, [Alert(1, 7, topics)])
    assert message.chat_ids == (1,)
    parsed = parse(message.text)
    assert len(parsed.text.encode("utf-16-le")) // 2 <= 4096
    assert parsed.text.startswith("🔔 Ships <return> & the harbour reopens")
    assert "A <b>bold</b> claim & more." in parsed.text
    assert "Harbour <Daily> · 25 November 2026 · source" in parsed.text
    assert 'href="https://example.org/a?b=1&amp;c=2"' in message.text
    assert "Matches your topics “<topic> & 0 xxx" in parsed.text
    assert [row[0].callback_data for row in message.buttons] == [
        "story:7",
        "mute:0",
        "mute:1",
        "mute:2",
    ]
    assert (message.kind, message.item_key, message.briefing_id, message.story_id) == (
        "alert",
        "7",
        3,
        7,
    )


def test_chats_with_the_same_topics_share_one_message() -> None:
    iran = (Subscription(1, "iran"),)
    renderer = AlertRenderer(BRIEFING, ZoneInfo("UTC"))
    messages = renderer.alerts(
        STORY, [Alert(1, 7, iran), Alert(2, 7, iran), Alert(3, 7, (Subscription(2, "harbour"),))]
    )
    assert [m.chat_ids for m in messages] == [(1, 2), (3,)]
    assert messages[0].text.endswith("Matches your topic “iran”")
    assert messages[1].text.endswith("Matches your topic “harbour”")
    assert [m.item_key for m in messages] == ["7", "7"]


def test_a_topic_is_named_alike_in_every_set_it_is_part_of() -> None:
    iran, harbour = Subscription(1, "Iran <&> co"), Subscription(2, "harbour")
    renderer = AlertRenderer(BRIEFING, ZoneInfo("UTC"))
    alone, both = renderer.alerts(STORY, [Alert(1, 7, (iran,)), Alert(2, 7, (iran, harbour))])
    assert alone.text.endswith("Matches your topic “Iran &lt;&amp;&gt; co”")
    assert both.text.endswith("Matches your topics “Iran &lt;&amp;&gt; co”, “harbour”")
    assert alone.buttons[1] == both.buttons[1]
    assert both.buttons[1][0].text == "🔕 Mute “Iran <&> co”"
    assert [row[0].callback_data for row in both.buttons] == ["story:7", "mute:1", "mute:2"]
