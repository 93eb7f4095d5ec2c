"""Replies to the bot's briefings and story cards join the discussion."""

from __future__ import annotations

from briefing.models import Block, BlockKind, Briefing, CommentOrigin, Story
from tests.fakes.botapi import Sent
from tests.handlers.conftest import ADA, GROUP_CHAT, PRIVATE_CHAT, BotHarness

FERRY_VIEW = (
    "The later ferry is a real problem for hospital shift workers who live on the island "
    "and need the evening crossing to get home."
)


def _briefing() -> Briefing:
    return Briefing(
        key="harbour",
        title="Harbour Daily",
        stories=(
            Story("Sea wall vote", (Block(BlockKind.PARAGRAPH, "The council backed the wall."),)),
            Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry leaves later."),)),
        ),
    )


async def _card(harness: BotHarness, number: int) -> Sent:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    [card] = await harness.press(today, today.buttons[number][0]["callback_data"])
    return card


async def test_a_reply_to_a_story_card_joins_that_storys_discussion(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    [thanks] = await harness.reply(card, FERRY_VIEW)
    assert thanks.text == "Thanks, your comment was added to the discussion of Ferry timetable."
    stored = await harness.store.briefings.latest()
    assert stored is not None
    [comment] = stored.comments
    assert (comment.origin, comment.story_position, comment.author) == (
        CommentOrigin.CHAT,
        1,
        ADA["first_name"],
    )
    assert comment.text == FERRY_VIEW
    [today] = await harness.send("/today")
    [again] = await harness.press(today, today.buttons[1][0]["callback_data"])
    assert "Readers on this story" in again.text
    assert "hospital shift workers" in again.text


async def test_a_reply_to_the_briefing_is_about_the_whole_briefing(harness: BotHarness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    [thanks] = await harness.reply(today, FERRY_VIEW)
    assert thanks.text.endswith("discussion of Harbour Daily.")
    stored = await harness.store.briefings.latest()
    assert stored is not None
    assert stored.comments[0].story_position is None


async def test_html_in_a_reply_is_kept_as_text_and_shown_escaped(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    markup = "<b>Bold</b> claims & <script>alert(1)</script> about the ferry timetable change"
    await harness.reply(card, markup)
    stored = await harness.store.briefings.latest()
    assert stored is not None
    assert stored.comments[0].text == markup
    [today] = await harness.send("/today")
    assert "<script>alert(1)</script>" in today.text
    assert "&lt;script&gt;" in today.html


async def test_a_ten_thousand_character_reply_is_kept_whole(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    long_reply = ("The ferry timetable matters to everyone on the island. " * 200)[:10_000]
    [thanks] = await harness.reply(card, long_reply)
    assert thanks.text.startswith("Thanks")
    stored = await harness.store.briefings.latest()
    assert stored is not None
    assert stored.comments[0].text == long_reply.strip()
    [today] = await harness.send("/today")
    assert len(today.text) <= 4096


async def test_the_same_update_delivered_twice_adds_one_comment(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    message = harness.api.user_replies(PRIVATE_CHAT, ADA, FERRY_VIEW, card)
    await harness.process_pending()
    harness.api.redeliver(message)
    await harness.process_pending()
    stored = await harness.store.briefings.latest()
    assert stored is not None
    assert len(stored.comments) == 1


async def test_plain_text_in_a_private_chat_gets_a_hint(harness: BotHarness) -> None:
    await harness.send("/start")
    [hint] = await harness.send("hello there")
    assert "reply to a briefing or to a story card" in hint.text


async def test_plain_text_in_a_group_is_left_alone(harness: BotHarness) -> None:
    assert await harness.send("hello everyone", chat=GROUP_CHAT) == []


async def test_a_reply_to_a_message_that_shows_no_item_gets_a_hint(harness: BotHarness) -> None:
    [greeting] = await harness.send("/start")
    [hint] = await harness.reply(greeting, FERRY_VIEW)
    assert "reply to a briefing or to a story card" in hint.text
