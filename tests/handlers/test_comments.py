"""The comments view: threaded, paged, sorted, chat comments marked, new ones at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Block, BlockKind, Briefing, Comment, Story
from tests.fakes.botapi import Sent
from tests.handlers.conftest import BOB, PRIVATE_CHAT, BotHarness

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _briefing(comments: tuple[Comment, ...]) -> Briefing:
    return Briefing(
        key="harbour",
        title="Harbour Daily",
        stories=(
            Story("Sea wall vote", (Block(BlockKind.PARAGRAPH, "The council backed the wall."),)),
            Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry leaves later."),)),
        ),
        comments=comments,
    )


THREAD = (
    Comment(
        "1",
        "The <sea wall> vote & the budget behind it matter for every family on the coast.",
        author="Tom",
        published=START,
        story_position=0,
    ),
    Comment(
        "1.1",
        "Agreed, the coast families waited years for this wall.",
        parent_key="1",
        author="Mia",
        published=START + timedelta(minutes=5),
        story_position=0,
    ),
    Comment(
        "1.1.1",
        "Years and years.\nAnd two storms.",
        parent_key="1.1",
        published=START + timedelta(minutes=9),
        story_position=0,
    ),
    Comment(
        "2",
        "A later note on the sea wall: the contractor starts in spring.",
        author="Lee",
        published=START + timedelta(minutes=30),
        story_position=0,
    ),
    Comment(
        "3",
        "The ferry leaving later ruins the commute for nurses on the island.",
        author="Sam",
        published=START + timedelta(minutes=40),
        story_position=1,
    ),
)


async def _card(harness: BotHarness, comments: tuple[Comment, ...] = THREAD) -> Sent:
    await harness.store.briefings.save(_briefing(comments))
    [today] = await harness.send("/today")
    [card] = await harness.press(today, "story:1")
    return card


async def test_the_card_opens_its_whole_discussion_threaded(harness: BotHarness) -> None:
    card = await _card(harness)
    assert card.buttons[1] == [{"text": "💬 Comments (4)", "callback_data": "cm:1:0:b"}]
    [view] = await harness.press(card, "cm:1:0:b")
    assert view.message_id == card.message_id
    assert view.text == (
        "💬 Comments on Sea wall vote\n"
        "4 comments · best first\n\n"
        "1. Tom\nThe <sea wall> vote & the budget behind it matter for every family on the coast."
        "\n\n2. ↳ Mia · reply to Tom\nAgreed, the coast families waited years for this wall."
        "\n\n\u20033. ↳ A reader · reply to Mia\nYears and years.\nAnd two storms."
        "\n\n4. Lee\nA later note on the sea wall: the contractor starts in spring."
    )
    assert "&lt;sea wall&gt; vote &amp; the budget" in view.html
    assert [b["text"] for b in view.buttons[0]] == ["↩️ 1", "↩️ 2", "↩️ 3", "↩️ 4"]
    assert view.buttons[1:] == [
        [{"text": "🕒 Newest first", "callback_data": "cm:1:0:n"}],
        [{"text": "◀ Back to the story", "callback_data": "story:1"}],
    ]


async def test_newest_first_puts_the_latest_thread_on_top(harness: BotHarness) -> None:
    card = await _card(harness)
    [view] = await harness.press(card, "cm:1:0:n")
    body = view.text.split("\n\n", 1)[1]
    assert body.startswith("1. Lee\nA later note")
    assert body.index("Tom\n") < body.index("↳ Mia")
    assert view.text.splitlines()[1] == "4 comments · newest first"
    assert view.buttons[1] == [{"text": "⭐ Best first", "callback_data": "cm:1:0:b"}]


async def test_an_entrys_reply_button_makes_a_threaded_reply(harness: BotHarness) -> None:
    card = await _card(harness)
    [view] = await harness.press(card, "cm:1:0:b")
    [prompt] = await harness.press(view, view.buttons[0][1]["callback_data"])  # ↩️ 2: Mia
    assert prompt.text == "Write your answer to Mia as a reply."
    [ack] = await harness.reply(prompt, "The wall will not stop every storm.", user=BOB)
    assert ack.text.startswith("↩️ Your reply to Mia on Sea wall vote was added")
    [again] = await harness.press(card, "cm:1:0:n")
    assert "↳ Bob · reply to Mia · via Telegram\nThe wall will not stop every storm." in again.text


async def test_back_from_the_comments_shows_the_card_again(harness: BotHarness) -> None:
    card = await _card(harness)
    [view] = await harness.press(card, "cm:1:0:b")
    [again] = await harness.press(view, "story:1")
    assert (again.text, again.buttons) == (card.text, card.buttons)


async def test_a_chat_comment_appears_at_once_and_is_marked(harness: BotHarness) -> None:
    card = await _card(harness)
    await harness.reply(card, "Line one of <my> view on the wall.\nLine two & more.", user=BOB)
    [view] = await harness.press(card, "cm:1:0:n")
    assert view.text.split("\n\n")[1] == (
        "1. Bob · via Telegram\nLine one of <my> view on the wall.\nLine two & more."
    )
    assert "<i>via Telegram</i>" in view.html
    assert view.text.splitlines()[1] == "5 comments · newest first"
    [today] = await harness.send("/today", chat=PRIVATE_CHAT)
    assert today.buttons[-1] == [{"text": "💬 Comments (6)", "callback_data": "cm:b1:0:b"}]


async def test_a_new_chat_comment_joins_the_highlights_at_once(harness: BotHarness) -> None:
    card = await _card(harness)
    await harness.reply(card, "The wall should have been built ten years ago, honestly.", user=BOB)
    [today] = await harness.send("/today")
    quotes = today.text.split("What readers say", 1)[1]
    assert "The wall should have been built ten years ago, honestly.\n— Bob" in quotes
    [view] = await harness.press(today, "story:1")
    assert "ten years ago" in view.text.split("Readers on this story", 1)[1]


async def test_pages_move_with_the_arrows(harness: BotHarness) -> None:
    many = tuple(
        Comment(
            str(n),
            f"Comment number {n} about the harbour wall and its long delays.",
            author=f"Reader {n}",
            published=START + timedelta(minutes=n),
            story_position=0,
        )
        for n in range(1, 15)
    )
    card = await _card(harness, many)
    [first] = await harness.press(card, "cm:1:0:n")
    assert first.text.splitlines()[1] == "14 comments · newest first · page 1 of 3"
    assert first.text.split("\n\n")[1].startswith("1. Reader 14\n")
    assert first.buttons[1] == [{"text": "▶", "callback_data": "cm:1:1:n"}]
    [second] = await harness.press(first, "cm:1:1:n")
    assert second.text.split("\n\n")[1].startswith("1. Reader 8\n")
    assert second.buttons[1] == [
        {"text": "◀", "callback_data": "cm:1:0:n"},
        {"text": "▶", "callback_data": "cm:1:2:n"},
    ]
    [last] = await harness.press(second, "cm:1:2:n")
    heads = [p.split("\n")[0] for p in last.text.split("\n\n")[1:]]
    assert heads == ["1. Reader 2", "2. Reader 1"]
    assert last.buttons[1] == [{"text": "◀", "callback_data": "cm:1:1:n"}]
    [clamped] = await harness.press(last, "cm:1:9:n")
    assert clamped.text.splitlines()[1].endswith("page 3 of 3")


async def test_a_long_comment_is_cut_at_a_word_without_changing_characters(
    harness: BotHarness,
) -> None:
    text = "First line  with two spaces.\n\n" + "harbour " * 300
    card = await _card(harness, (Comment("1", text, author="Tom", story_position=0),))
    [view] = await harness.press(card, "cm:1:0:b")
    shown = view.text.split("Tom\n", 1)[1]
    assert shown.endswith("harbour…")
    assert text.startswith(shown.removesuffix("…"))
    assert len(view.text) <= 4096


async def test_the_briefings_whole_discussion_opens_from_today(harness: BotHarness) -> None:
    await harness.store.briefings.save(_briefing(THREAD))
    [today] = await harness.send("/today")
    [view] = await harness.press(today, "cm:b1:0:n")
    assert view.text.splitlines()[:2] == [
        "💬 Comments on Harbour Daily",
        "5 comments · newest first",
    ]
    assert view.text.split("\n\n")[1].startswith("1. Sam\n")
    assert view.buttons[-1] == [{"text": "◀ Back to the briefing", "callback_data": "back:1"}]
    [back] = await harness.press(view, "back:1")
    assert (back.text, back.buttons) == (today.text, today.buttons)


async def test_an_empty_discussion_invites_a_reply(harness: BotHarness) -> None:
    card = await _card(harness, ())
    [view] = await harness.press(card, "cm:2:0:b")
    assert view.text == (
        "💬 Comments on Ferry timetable\n\n"
        "No comments yet. Reply to this message to start the discussion."
    )
    [thanks] = await harness.reply(view, "The ferry change is bad for the island's nurses.")
    assert thanks.text == "💬 Your comment on Ferry timetable was added: 1 comment so far"


async def test_comments_of_a_removed_story_get_a_short_answer(harness: BotHarness) -> None:
    card = await _card(harness)
    assert await harness.press(card, "cm:99:0:b") == []
    assert "no longer available" in harness.api.callback_answers[-1]["text"]
