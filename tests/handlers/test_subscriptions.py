"""/subscribe, /topics, /unsubscribe, "Alert me" and the alert's buttons, through real updates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.alerts import AlertQueue
from briefing.models import Block, BlockKind, Briefing, Story
from briefing.query import parse
from handlers.alert_view import SYNTAX
from storage.subscriptions import MAX_TOPICS_PER_CHAT
from storage.timestamps import utc_now
from tests.fakes.botapi import Sent
from tests.handlers.conftest import BOB, GROUP_CHAT, PRIVATE_CHAT, BotHarness

CHAT = PRIVATE_CHAT["id"]
SUBSCRIBED = "🔔 Subscribed to “{}”: I'll send each new story that matches. /topics lists them."


def _briefing() -> Briefing:
    bank = Story(
        "Bank of England raises rates",
        (
            Block(
                BlockKind.PARAGRAPH,
                "The Bank of England raised rates. Andrew Bailey said inflation is high."
                " Andrew Bailey spoke in London.",
            ),
        ),
        summary=("The Bank of England raised rates.", "Andrew Bailey said inflation is high."),
    )
    return Briefing("daily-1", "Money Daily", (bank,))


def _answer(harness: BotHarness) -> dict[str, Any]:
    return harness.api.callback_answers[-1]


async def test_subscribe_alone_explains_the_syntax(harness: BotHarness) -> None:
    [reply] = await harness.send("/subscribe")
    assert reply.html == SYNTAX
    assert reply.text.splitlines()[0] == "Topic alerts"
    assert 'Example: /subscribe chemical weapons OR "nerve agent" -training' in reply.text
    assert "Up to 50 topics a chat, 200 characters each." in reply.text


async def test_subscribe_then_the_same_topic_in_other_words(harness: BotHarness) -> None:
    [added] = await harness.send("/subscribe Sanctions   iran")
    assert added.text == SUBSCRIBED.format("Sanctions iran")
    [again] = await harness.send("/subscribe iran sanction")
    assert again.text == "This chat already follows “Sanctions iran”."


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("-iran", "A topic needs at least one word to look for, not only -exclusions,"),
        ("-", "I found no word to look for: common words like “the”, emoji and punctuation"),
        ("🔥🔥", "I found no word to look for"),
        ("(((", "I found no word to look for"),
        ("x" * 10_000, "A topic is at most 200 characters; this one has 10,000."),
    ],
)
async def test_a_text_that_is_no_topic_gets_one_line(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, typed: str, answer: str
) -> None:
    [reply] = await harness.send(f"/subscribe {typed}")
    assert reply.text.startswith(answer)
    assert "\n" not in reply.text
    assert await harness.store.subscriptions.topics(CHAT) == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize(
    "typed",
    [
        '"nerve agent" OR sarin*',
        "NEAR(iran sanctions",
        "إيران عقوبات",
        "iran; DROP TABLE x",
        "<b>ferry</b> & tides",
    ],
)
async def test_fts_syntax_quotes_and_right_to_left_text_are_topics(
    harness: BotHarness, caplog: pytest.LogCaptureFixture, typed: str
) -> None:
    [reply] = await harness.send(f"/subscribe {typed}")
    assert reply.text == SUBSCRIBED.format(typed)
    assert [t.label for t in await harness.store.subscriptions.topics(CHAT)] == [typed]
    [listed] = await harness.send("/topics")  # labels are text, never markup
    assert f"1. {typed}\n" in listed.text
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]


async def test_the_limit_is_stated_when_exceeded(harness: BotHarness) -> None:
    for number in range(MAX_TOPICS_PER_CHAT):
        await harness.store.subscriptions.subscribe(CHAT, parse(f"topic{number}"), "t")
    [reply] = await harness.send("/subscribe harbour")
    assert reply.text == (
        "This chat follows 50 topics, the most it may. Remove one with /topics first."
    )


async def test_topics_lists_them_and_a_button_removes_one(harness: BotHarness) -> None:
    [empty] = await harness.send("/topics")
    assert empty.text == "This chat follows no topics yet. Send /subscribe to see how to add one."
    await harness.send("/subscribe iran")
    await harness.send('/subscribe "nerve agent"')
    [listed] = await harness.send("/topics")
    assert listed.text == (
        'This chat\'s topics (2 of 50):\n1. iran\n2. "nerve agent"\n'
        "Tap one to remove it, or send /unsubscribe all."
    )
    assert [row[0]["text"] for row in listed.buttons] == ["✖ 1. iran", '✖ 2. "nerve agent"']
    [edited] = await harness.press(listed, listed.buttons[0][0]["callback_data"])
    assert _answer(harness)["text"] == "Removed “iran”."
    assert (edited.message_id, edited.text.splitlines()[:2]) == (
        listed.message_id,
        ["This chat's topics (1 of 50):", '1. "nerve agent"'],
    )
    # The same button pressed again: the topic is gone and the list already says so.
    assert await harness.press(listed, listed.buttons[0][0]["callback_data"]) == []
    assert _answer(harness)["text"] == "This chat no longer follows that topic."


async def test_unsubscribe_one_topic_or_all(harness: BotHarness) -> None:
    [usage] = await harness.send("/unsubscribe")
    assert usage.text == "Send /unsubscribe TOPIC (as /topics lists it), or /unsubscribe all."
    await harness.send("/subscribe Sanctions iran")
    await harness.send("/subscribe harbour")
    [removed] = await harness.send("/unsubscribe iran sanctions")
    assert removed.text == "Removed “Sanctions iran”."
    [unknown] = await harness.send("/unsubscribe russia")
    assert unknown.text == "This chat does not follow “russia”. /topics lists its topics."
    [bad] = await harness.send("/unsubscribe 🔥")
    assert bad.text.startswith("I found no word to look for")
    [everything] = await harness.send("/unsubscribe all")
    assert everything.text == "Removed 1 topic."
    [nothing] = await harness.send("/unsubscribe all")
    assert (
        nothing.text == "This chat follows no topics yet. Send /subscribe to see how to add one."
    )


async def test_any_member_subscribes_a_group(harness: BotHarness) -> None:
    [reply] = await harness.send("/subscribe iran", chat=GROUP_CHAT, user=BOB)
    assert reply.chat_id == GROUP_CHAT["id"]
    assert reply.text == SUBSCRIBED.format("iran")
    [listed] = await harness.send("/topics", chat=GROUP_CHAT)
    assert listed.text.splitlines()[1] == "1. iran"
    assert await harness.store.subscriptions.topics(CHAT) == []


async def _card(harness: BotHarness) -> Sent:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    [card] = await harness.press(today, today.buttons[0][0]["callback_data"])
    return card


async def test_alert_me_offers_key_phrases_as_one_tap_topics(harness: BotHarness) -> None:
    card = await _card(harness)
    story_id = card.buttons[-1][0]["callback_data"].removeprefix("alert:")
    assert card.buttons[-1][0] == {"text": "🔔 Alert me", "callback_data": f"alert:{story_id}"}
    [offer] = await harness.press(card, card.buttons[-1][0]["callback_data"])
    assert offer.text == "Alert this chat to new stories about:"
    assert offer.buttons == [
        [{"text": "🔔 Bank of England", "callback_data": f"sub:{story_id}:0"}],
        [{"text": "🔔 Andrew Bailey", "callback_data": f"sub:{story_id}:1"}],
        [{"text": "🔔 London", "callback_data": f"sub:{story_id}:2"}],
    ]
    assert await harness.press(offer, offer.buttons[1][0]["callback_data"]) == []
    assert _answer(harness)["text"] == SUBSCRIBED.format("Andrew Bailey")
    [topic] = await harness.store.subscriptions.topics(CHAT)
    assert topic.label == "Andrew Bailey"
    await harness.press(offer, offer.buttons[1][0]["callback_data"])
    assert _answer(harness)["text"] == "This chat already follows “Andrew Bailey”."


@pytest.mark.parametrize("data", ["alert:999", "sub:999:0", "sub:1:7", "alert:x"])
async def test_alert_buttons_of_a_story_no_longer_stored(harness: BotHarness, data: str) -> None:
    [listed] = await harness.send("/topics")
    assert await harness.press(listed, data) == []
    assert _answer(harness)["text"] in (
        "That story is no longer available. Send /today for the latest briefing.",
        "This button is from an older message and no longer works. Send /today.",
    )


async def test_an_alert_opens_its_card_and_mutes_its_topic(harness: BotHarness) -> None:
    await harness.send("/start")  # the chat exists for Telegram
    await harness.store.subscriptions.subscribe(CHAT, parse("bank rates"), "bank rates")
    result = await harness.store.briefings.save(_briefing())
    stored = await harness.store.briefings.get(result.briefing_id)
    assert stored is not None
    story_id = stored.stories[0].id or 0
    queue = AlertQueue(harness.store, ZoneInfo("Europe/Berlin"))
    assert await queue.queue(result.briefing_id, [story_id]) == 1
    alert = await _send_queued_alert(harness)
    assert alert.text.startswith("🔔 Bank of England raises rates\n\nThe Bank of England")
    assert alert.text.endswith("Matches your topic “bank rates”")
    [card] = await harness.press(alert, alert.buttons[0][0]["callback_data"])
    assert card.text.startswith("Bank of England raises rates")
    assert await harness.press(alert, alert.buttons[1][0]["callback_data"]) == []
    assert _answer(harness)["text"] == (
        "🔕 Muted “bank rates”: no more alerts for it. /subscribe bank rates brings it back."
    )
    assert await harness.store.subscriptions.topics(CHAT) == []
    await harness.press(alert, alert.buttons[1][0]["callback_data"])
    assert _answer(harness)["text"] == "This chat no longer follows that topic."


async def _send_queued_alert(harness: BotHarness) -> Sent:
    """Send the queued alert as the outbox sender does: HTML with its buttons."""
    [queued] = await harness.store.outbox.due(utc_now() + timedelta(minutes=1), limit=1)
    message = queued.message
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in line]
            for line in message.buttons
        ]
    )
    await harness.application.bot.send_message(
        message.chat_id, message.text, parse_mode="HTML", reply_markup=keyboard
    )
    return harness.api.sent[-1]


async def test_fifty_long_topics_fit_one_list(harness: BotHarness) -> None:
    for number in range(MAX_TOPICS_PER_CHAT):
        words = " ".join(f"w{number}x{i}" for i in range(40))[:200]
        await harness.store.subscriptions.subscribe(CHAT, parse(words), words)
    [listed] = await harness.send("/topics")
    assert len(listed.text.splitlines()) == MAX_TOPICS_PER_CHAT + 2
    assert listed.text.splitlines()[1].endswith("…")
    assert len(listed.buttons) == MAX_TOPICS_PER_CHAT
