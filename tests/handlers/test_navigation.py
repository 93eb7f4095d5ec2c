"""Story buttons, Next and Back edit the message pressed; a message gone is sent anew."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.models import Block, BlockKind, Briefing, Story
from tests.fakes.botapi import ApiError, Sent
from tests.handlers.conftest import GROUP_CHAT, BotHarness

STORED = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
CANT_EDIT = ApiError(400, "Bad Request: message can't be edited")
NOT_FOUND = ApiError(400, "Bad Request: message to edit not found")
NOT_MODIFIED = ApiError(
    400,
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message",
)


def _briefing() -> Briefing:
    return Briefing(
        key="harbour",
        title="Harbour Daily",
        stories=(
            Story("Sea wall vote", (Block(BlockKind.PARAGRAPH, "The council backed the wall."),)),
            Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry leaves later."),)),
        ),
        url="https://example.org/daily",
    )


def _methods(harness: BotHarness) -> list[str]:
    return [m for m, _ in harness.api.calls if m in {"sendMessage", "editMessageText"}]


async def _today(harness: BotHarness, chat: dict[str, object] | None = None) -> Sent:
    await harness.store.briefings.save(_briefing(), now=STORED)
    [today] = await harness.send("/today", **({"chat": chat} if chat else {}))
    return today


async def test_a_story_button_edits_the_briefing_into_the_card(harness: BotHarness) -> None:
    today = await _today(harness)
    [card] = await harness.press(today, "story:1")
    assert card.message_id == today.message_id
    assert _methods(harness) == ["sendMessage", "editMessageText"]
    # An undated edition (a text digest) shows the day it was stored.
    # Stored on 24 November: /today says it has nothing newer, then shows that day's.
    assert today.text.startswith(
        "Nothing yet today. The latest edition, Tuesday 24 November 2026:\n\n"
        "📰 Harbour Daily\nTuesday 24 November 2026\n"
    )
    assert card.text == (
        "Sea wall vote\n\nFrom Harbour Daily · Tuesday 24 November 2026\n\n"
        "The council backed the wall."
    )
    assert card.buttons == [
        [
            {"text": "◀ Back", "callback_data": "back:1"},
            {"text": "Next ▶", "callback_data": "story:2"},
        ],
        [{"text": "💬 Comments (0)", "callback_data": "cm:1:0:b"}],
        [{"text": "Read at the source", "url": "https://example.org/daily"}],
        [
            {"text": "🔔 Alert me", "callback_data": "alert:1"},
            {"text": "✍️ Discuss", "callback_data": "discuss:1"},
        ],
    ]


async def test_next_shows_the_following_story_and_the_last_has_no_next(
    harness: BotHarness,
) -> None:
    today = await _today(harness)
    [card] = await harness.press(today, "story:1")
    [second] = await harness.press(card, "story:2")
    assert second.message_id == today.message_id
    assert second.text.startswith("Ferry timetable\n")
    assert second.buttons[0] == [{"text": "◀ Back", "callback_data": "back:1"}]
    link = await harness.store.chats.linked(today.chat_id, today.message_id)
    assert link is not None
    assert link.story_id == 2


async def test_back_restores_the_briefing_and_its_link(harness: BotHarness) -> None:
    today = await _today(harness)
    [card] = await harness.press(today, "story:2")
    [back] = await harness.press(card, "back:1")
    assert (back.message_id, back.text, back.buttons) == (
        today.message_id,
        today.text.split("\n\n", 1)[1],  # the briefing, without /today's note on its day
        today.buttons,
    )
    link = await harness.store.chats.linked(today.chat_id, today.message_id)
    assert link is not None
    assert (link.briefing_id, link.story_id) == (1, None)
    assert _methods(harness) == ["sendMessage", "editMessageText", "editMessageText"]


async def test_a_reply_to_the_card_joins_the_story_shown(harness: BotHarness) -> None:
    today = await _today(harness)
    [card] = await harness.press(today, "story:2")
    [thanks] = await harness.reply(card, "The later ferry is a problem for shift workers.")
    assert thanks.text == "💬 Your comment on Ferry timetable was added: 1 comment so far"
    stored = await harness.store.briefings.latest()
    assert stored is not None
    assert stored.comments[0].story_position == 1


async def test_in_a_group_a_press_posts_nothing_new(harness: BotHarness) -> None:
    today = await _today(harness, GROUP_CHAT)
    for data in ("story:1", "story:2", "back:1", "cm:b1:0:b"):
        [shown] = await harness.press(today, data)
        assert (shown.chat_id, shown.message_id) == (GROUP_CHAT["id"], today.message_id)
    assert _methods(harness).count("sendMessage") == 1


async def test_a_message_that_cannot_be_edited_gets_the_card_as_a_new_message(
    harness: BotHarness,
) -> None:
    today = await _today(harness)
    for error, story in ((CANT_EDIT, 1), (NOT_FOUND, 2)):
        harness.api.fail_next("editMessageText", error)
        [card] = await harness.press(today, f"story:{story}")
        assert card.message_id != today.message_id
        assert card.text.startswith(("Sea wall vote", "Ferry timetable")[story - 1])
        link = await harness.store.chats.linked(card.chat_id, card.message_id)
        assert link is not None
        assert link.story_id == story
    assert _methods(harness) == ["sendMessage"] + ["editMessageText", "sendMessage"] * 2
    briefing_link = await harness.store.chats.linked(today.chat_id, today.message_id)
    assert briefing_link is not None
    assert briefing_link.story_id is None


async def test_message_not_modified_is_ignored(harness: BotHarness) -> None:
    today = await _today(harness)
    harness.api.fail_next("editMessageText", NOT_MODIFIED)
    assert await harness.press(today, "story:1") == []
    assert _methods(harness) == ["sendMessage", "editMessageText"]
    assert harness.api.callback_answers[-1].get("text") is None
    link = await harness.store.chats.linked(today.chat_id, today.message_id)
    assert link is not None
    assert link.story_id == 1


async def test_a_press_under_a_message_that_shows_no_briefing_sends_the_card(
    harness: BotHarness,
) -> None:
    await harness.store.briefings.save(_briefing())
    [greeting] = await harness.send("/start")
    [card] = await harness.press(greeting, "story:1")
    assert card.message_id != greeting.message_id
    assert card.text.startswith("Sea wall vote")


async def test_back_to_a_removed_briefing_gets_a_short_answer(harness: BotHarness) -> None:
    today = await _today(harness)
    assert await harness.press(today, "back:99") == []
    assert harness.api.callback_answers[-1]["text"] == (
        "That briefing is no longer available. Send /today for the latest one."
    )
