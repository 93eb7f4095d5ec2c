"""Every message gets an answer that reads well: unknown commands, first messages, acks."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.start import GREETING
from tests.handlers.conftest import GROUP_CHAT, BotHarness

HELP_POINTER = "I don't know /foo. Send /help to see what I can do."
HINT = (
    "To join a discussion, reply to a briefing or to a story card I sent. "
    "Send /today for the latest briefing."
)


def _briefing(title: str = "Syria Daily: Putin Stepping Back from Assad?") -> Briefing:
    return Briefing(
        key="syria",
        title=title,
        stories=(
            Story(
                "Putin hosts Erdoğan in Sochi",
                (Block(BlockKind.PARAGRAPH, "The initiative continues today."),),
            ),
            Story(
                "Syria's women activists on the frontlines",
                (
                    Block(
                        BlockKind.PARAGRAPH,
                        "A clip from the interview on the Charlie Rose Show:",
                    ),
                ),
            ),
        ),
        published=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
    )


async def test_an_unknown_command_in_private_points_to_help(harness: BotHarness) -> None:
    [reply] = await harness.send("/foo bar")
    assert reply.text == HELP_POINTER


async def test_an_unknown_command_in_a_group_is_answered_only_when_addressed(
    harness: BotHarness,
) -> None:
    assert await harness.send("/foo", chat=GROUP_CHAT) == []
    assert await harness.send("/foo@otherbot", chat=GROUP_CHAT) == []
    [reply] = await harness.send("/foo@briefbot_test_bot", chat=GROUP_CHAT)
    assert reply.text == HELP_POINTER
    assert reply.chat_id == GROUP_CHAT["id"]


async def test_a_command_for_another_bot_is_ignored_in_private_too(harness: BotHarness) -> None:
    assert await harness.send("/foo@otherbot") == []


async def test_an_unknown_command_is_escaped(harness: BotHarness) -> None:
    [reply] = await harness.send("/x<b>")
    assert reply.text == "I don't know /x<b>. Send /help to see what I can do."


async def test_the_first_plain_message_gets_the_greeting_then_the_hint(
    harness: BotHarness,
) -> None:
    [greeting] = await harness.send("hi")
    assert greeting.text == GREETING
    assert await harness.store.chats.get(greeting.chat_id) is not None
    [hint] = await harness.send("hi again")
    assert hint.text == HINT


async def test_a_first_message_in_a_group_is_left_alone(harness: BotHarness) -> None:
    assert await harness.send("hello everyone", chat=GROUP_CHAT) == []


async def test_a_reply_to_a_message_that_shows_no_story_gets_one_line(
    harness: BotHarness,
) -> None:
    [reply] = await harness.send("/foo")
    [hint] = await harness.reply(reply, "What does this do?")
    assert hint.text == HINT
    assert "\n" not in hint.text


async def test_an_ack_of_a_heading_ending_in_a_question_has_no_stray_period(
    harness: BotHarness,
) -> None:
    base = _briefing()
    one_story = Briefing(
        "one", base.title, (Story("Is Putin stepping back?", base.stories[0].blocks),)
    )
    await harness.store.briefings.save(one_story)
    [today] = await harness.send("/today")
    [thanks] = await harness.reply(today, "Putin is not stepping back at all, in my view.")
    assert thanks.text == "💬 Your comment on Is Putin stepping back? was added: 1 comment so far"
    assert "<b>Is Putin stepping back?</b> was added" in thanks.html


async def test_today_and_cards_show_the_date_and_no_dangling_colon(harness: BotHarness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    shown = today.text.split("\n\n", 1)[1]  # after "Nothing yet today…": it is of 24 Nov
    assert shown.splitlines()[1] == "Tuesday 24 November 2026"
    assert "Charlie Rose Show:" not in today.text
    assert "2. Syria's women activists on the frontlines\n\n" in today.text + "\n\n"
    [card] = await harness.press(today, "story:2")
    assert card.text.splitlines()[2] == (
        "From Syria Daily: Putin Stepping Back from Assad? · Tuesday 24 November 2026"
    )
    assert "Charlie Rose Show:" not in card.text
