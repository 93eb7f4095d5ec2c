"""Replies to the bot's messages join the discussion: stories, choices, threads, limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from briefing.models import Block, BlockKind, Briefing, CommentOrigin, Story
from handlers.discussion_views import STALE_CHOICE, TEXT_ONLY, WHICH_STORY
from storage.comments import ChatComment
from tests.fakes.botapi import Sent
from tests.fakes.clock import FakeClock
from tests.handlers.conftest import ADA, BOB, GROUP_CHAT, PRIVATE_CHAT, BotHarness

FERRY_VIEW = (
    "The later ferry is a real problem for hospital shift workers who live on the island "
    "and need the evening crossing to get home."
)
ANONYMOUS_ADMIN: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
FORUM: dict[str, Any] = {"id": -100888, "type": "supergroup", "title": "Harbour", "is_forum": True}


def _briefing() -> Briefing:
    return Briefing(
        key="harbour",
        title="Harbour Daily",
        stories=(
            Story("Sea wall vote", (Block(BlockKind.PARAGRAPH, "The council backed the wall."),)),
            Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry leaves later."),)),
        ),
    )


async def _card(harness: BotHarness, number: int, chat: dict[str, Any] = PRIVATE_CHAT) -> Sent:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today", chat=chat)
    [card] = await harness.press(today, today.buttons[number][0]["callback_data"])
    return card


async def _comments(harness: BotHarness) -> list[ChatComment]:
    async with harness.store.database.connection.execute(
        "SELECT id FROM comments ORDER BY id"
    ) as rows:
        ids = [row["id"] async for row in rows]
    found = [await harness.store.comments.get(i) for i in ids]
    return [c for c in found if c is not None]


async def _outbox(harness: BotHarness) -> list[tuple[int, str, str, str, str]]:
    async with harness.store.database.connection.execute(
        "SELECT chat_id, kind, item_key, text, buttons FROM outbox ORDER BY id"
    ) as rows:
        return [tuple(row) async for row in rows]


def _last_send(harness: BotHarness) -> dict[str, Any]:
    return [params for method, params in harness.api.calls if method == "sendMessage"][-1]


async def test_a_reply_to_a_story_card_is_acknowledged_with_count_and_view(
    harness: BotHarness,
) -> None:
    card = await _card(harness, 1)
    [ack] = await harness.reply(card, FERRY_VIEW)
    [stored] = await _comments(harness)
    assert ack.text == "💬 Your comment on Ferry timetable was added: 1 comment so far"
    story_id = card.buttons[-1][0]["callback_data"].removeprefix("alert:")
    assert ack.buttons == [
        [
            {"text": "View", "callback_data": f"story:{story_id}"},
            {"text": "🗑 Delete", "callback_data": f"cdel:{stored.id}"},
        ]
    ]
    assert (stored.comment.origin, stored.comment.story_position, stored.comment.author) == (
        CommentOrigin.CHAT,
        1,
        ADA["first_name"],
    )
    assert (stored.comment.text, stored.author_user_id) == (FERRY_VIEW, ADA["id"])
    [again] = await harness.reply(ack, FERRY_VIEW + " Truly.")  # the ack shows the story too
    assert again.text.endswith("2 comments so far")
    [view] = await harness.press(ack, ack.buttons[0][0]["callback_data"])
    assert "hospital shift workers" in view.text


async def test_a_reply_to_a_briefing_of_several_stories_asks_which_one(
    harness: BotHarness,
) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    [question] = await harness.reply(today, FERRY_VIEW)
    assert question.text == WHICH_STORY
    assert [row[0]["text"] for row in question.buttons] == [
        "1. Sea wall vote",
        "2. Ferry timetable",
    ]
    assert await _comments(harness) == []  # it waits for the tap
    [edited] = await harness.press(question, question.buttons[1][0]["callback_data"])
    assert edited.message_id == question.message_id
    assert edited.text == "💬 Your comment on Ferry timetable was added: 1 comment so far"
    [stored] = await _comments(harness)
    assert (stored.comment.story_position, stored.comment.text) == (1, FERRY_VIEW)
    assert await harness.press(question, question.buttons[0][0]["callback_data"]) == []
    assert harness.api.callback_answers[-1]["text"] == STALE_CHOICE
    assert len(await _comments(harness)) == 1


async def test_only_the_writer_picks_the_story_of_a_waiting_reply(harness: BotHarness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today", chat=GROUP_CHAT)
    [question] = await harness.reply(today, FERRY_VIEW, chat=GROUP_CHAT)
    await harness.press(question, question.buttons[0][0]["callback_data"], user=BOB)
    assert harness.api.callback_answers[-1]["text"].startswith("Only the writer")
    assert await _comments(harness) == []


async def test_discuss_answers_with_a_force_reply_prompt_for_the_story(
    harness: BotHarness,
) -> None:
    card = await _card(harness, 0)
    assert card.buttons[-1][1]["text"] == "✍️ Discuss"
    [prompt] = await harness.press(card, card.buttons[-1][1]["callback_data"])
    assert prompt.text == "Write your comment on Sea wall vote as a reply."
    assert _last_send(harness)["reply_markup"]["force_reply"] is True
    [ack] = await harness.reply(prompt, FERRY_VIEW)
    assert ack.text.startswith("💬 Your comment on Sea wall vote was added")
    [stored] = await _comments(harness)
    assert stored.comment.story_position == 0


async def test_a_reply_to_a_comment_is_threaded_and_its_author_notified(
    harness: BotHarness,
) -> None:
    await harness.send("/start")  # Ada has a private chat with the bot
    card = await _card(harness, 1, chat=GROUP_CHAT)
    ada_message = harness.api.user_replies(GROUP_CHAT, ADA, FERRY_VIEW, card)
    await harness.process_pending()
    harness.api.user_sends(GROUP_CHAT, BOB, "I take that ferry too.", reply_to_message=ada_message)
    [ack] = await harness.process_pending()
    assert ack.text == "↩️ Your reply to Ada on Ferry timetable was added: 2 comments so far"
    parent, reply = await _comments(harness)
    assert reply.comment.parent_key == parent.comment.key
    [(chat_id, kind, item_key, text, buttons)] = await _outbox(harness)
    assert (chat_id, kind, item_key) == (ADA["id"], "reply", str(reply.id))
    assert text == (
        "↩️ Bob replied to your comment on <b>Ferry timetable</b>\n"
        "<blockquote>I take that ferry too.</blockquote>"
    )
    assert json.loads(buttons) == [[["↩️ Answer", f"answer:{reply.id}", None]]]


async def test_answer_prompts_a_threaded_reply_and_notify_off_silences(
    harness: BotHarness,
) -> None:
    card = await _card(harness, 1, chat=GROUP_CHAT)
    await harness.reply(card, FERRY_VIEW, chat=GROUP_CHAT)
    [first] = await _comments(harness)
    [off] = await harness.send("/notify off", chat=GROUP_CHAT)
    assert off.text.startswith("You will no longer hear")
    # What a comments page entry or a notification's Answer button leads to.
    [prompt] = await harness.press(card, f"answer:{first.id}", user=BOB)
    assert 'href="tg://user?id=5151"' in prompt.html
    assert _last_send(harness)["reply_markup"]["selective"] is True
    await harness.reply(prompt, "Same here.", chat=GROUP_CHAT, user=BOB)
    _, reply = await _comments(harness)
    assert reply.comment.parent_key == first.comment.key
    assert await _outbox(harness) == []


async def test_editing_a_reply_edits_the_comment_and_an_edited_command_is_not_run(
    harness: BotHarness,
) -> None:
    card = await _card(harness, 1)
    message = harness.api.user_replies(PRIVATE_CHAT, ADA, FERRY_VIEW, card)
    await harness.process_pending()
    changed = {**message, "text": FERRY_VIEW + " (and the bus)", "edit_date": message["date"]}
    harness.api.redeliver_update({"edited_message": changed})
    assert await harness.process_pending() == []
    [stored] = await _comments(harness)
    assert (stored.comment.text, stored.comment.edited) == (changed["text"], True)
    [card_again] = await harness.press(
        card, card.buttons[-1][1]["callback_data"].replace("discuss", "story")
    )
    assert "(and the bus)\n— Ada · edited" in card_again.text
    today = harness.api.user_sends(PRIVATE_CHAT, ADA, "/today")
    [_] = await harness.process_pending()
    harness.api.redeliver_update({"edited_message": {**today, "edit_date": today["date"]}})
    assert await harness.process_pending() == []


async def test_a_reader_deletes_their_own_comment_and_no_one_elses(harness: BotHarness) -> None:
    card = await _card(harness, 1, chat=GROUP_CHAT)
    ada_message = harness.api.user_replies(GROUP_CHAT, ADA, FERRY_VIEW, card)
    [ack] = await harness.process_pending()
    harness.api.user_sends(GROUP_CHAT, BOB, "/delete", reply_to_message=ada_message)
    [refused] = await harness.process_pending()
    assert refused.text.startswith("Only the comment's writer")
    await harness.press(ack, ack.buttons[0][1]["callback_data"], user=BOB)
    assert not (await _comments(harness))[0].deleted
    harness.api.user_sends(GROUP_CHAT, ADA, "/delete", reply_to_message=ada_message)
    [done] = await harness.process_pending()
    assert done.text == "🗑 Comment deleted."
    assert (await _comments(harness))[0].deleted
    stored = await harness.store.briefings.latest()
    assert stored is not None
    assert stored.comments == ()


async def test_an_admin_deletes_any_comment_and_mutes_a_reader(admin_harness: BotHarness) -> None:
    harness = admin_harness
    card = await _card(harness, 1, chat=GROUP_CHAT)
    bob_message = harness.api.user_replies(GROUP_CHAT, BOB, FERRY_VIEW, card)
    [ack] = await harness.process_pending()
    [edited] = await harness.press(ack, ack.buttons[0][1]["callback_data"], user=ADA)
    assert edited.text == "🗑 Comment deleted."
    assert (await _comments(harness))[0].deleted
    [mute] = await harness.send("/mute", chat=GROUP_CHAT, user=BOB)
    assert mute.text.startswith("Only the bot's admins")
    harness.api.user_sends(GROUP_CHAT, ADA, "/mute", reply_to_message=bob_message)
    [muted] = await harness.process_pending()
    assert muted.text == f"User {BOB['id']} can no longer add comments. /unmute 5151 undoes it."
    [refused] = await harness.reply(card, "Another view", chat=GROUP_CHAT, user=BOB)
    assert refused.text.startswith("An admin has stopped your comments")
    assert len(await _comments(harness)) == 1
    await harness.send(f"/unmute {BOB['id']}", chat=GROUP_CHAT)
    [ack] = await harness.reply(card, "Another view", chat=GROUP_CHAT, user=BOB)
    assert ack.text.endswith("1 comment so far")


async def test_a_comment_over_2000_characters_is_refused_and_nothing_stored(
    harness: BotHarness,
) -> None:
    card = await _card(harness, 1)
    [refused] = await harness.reply(card, "a" * 2001)
    assert refused.text == (
        "Comments are limited to 2,000 characters and yours has 2,001, "
        "so it was not added. Shorten it and send it again."
    )
    assert await _comments(harness) == []
    [ack] = await harness.reply(card, "b" * 2000)
    assert ack.text.startswith("💬")


async def test_stickers_polls_and_bare_media_get_only_text_replies(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    kinds: list[dict[str, Any]] = [
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "u1",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {
            "poll": {
                "id": "p1",
                "question": "Ferry?",
                "options": [
                    {"text": "yes", "voter_count": 0, "persistent_id": "o1"},
                    {"text": "no", "voter_count": 0, "persistent_id": "o2"},
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        {"photo": [{"file_id": "f1", "file_unique_id": "u2", "width": 9, "height": 9}]},
    ]
    for kind in kinds:
        message = harness.api.user_replies(PRIVATE_CHAT, ADA, "", card)
        del message["text"]
        message.update(kind)
        [answer] = await harness.process_pending()
        assert answer.text == TEXT_ONLY
    assert await _comments(harness) == []


async def test_a_sixth_comment_in_a_minute_is_refused_until_the_minute_passes(
    harness: BotHarness,
) -> None:
    clock = FakeClock()
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    harness.application.bot_data.clock = lambda: start + timedelta(seconds=clock.time)
    card = await _card(harness, 1)
    for number in range(5):
        [ack] = await harness.reply(card, f"Comment number {number}")
        assert ack.text.startswith("💬")
        clock.time += 5
    [refused] = await harness.reply(card, "One too many")
    assert refused.text.startswith("You can add up to 5 comments a minute")
    assert len(await _comments(harness)) == 5
    clock.time = 61
    [ack] = await harness.reply(card, "One too many")
    assert ack.text.endswith("6 comments so far")


async def test_a_comment_is_stored_and_shown_exactly_as_written(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    written = (
        "Good to see this covered. <b>bold?</b> & 5 < 6\n"
        "Second line: the ferry 👨‍👩‍👧 schedule *matters*, שלום\u200b and _more_.\n\n"
        "Hospital shift workers on the island need the evening crossing."
    )
    await harness.reply(card, written)
    [stored] = await _comments(harness)
    assert stored.comment.text == written
    [today] = await harness.send("/today")
    [again] = await harness.press(today, today.buttons[1][0]["callback_data"])
    assert written in again.text


async def test_an_anonymous_admin_is_shown_as_the_group(harness: BotHarness) -> None:
    card = await _card(harness, 1, chat=GROUP_CHAT)
    harness.api.user_replies(GROUP_CHAT, ANONYMOUS_ADMIN, FERRY_VIEW, card)["sender_chat"] = (
        GROUP_CHAT
    )
    [ack] = await harness.process_pending()
    assert ack.text.startswith("💬")
    [stored] = await _comments(harness)
    assert (stored.comment.author, stored.author_user_id) == ("Readers", None)


async def test_a_comment_shows_the_first_name_never_the_username(harness: BotHarness) -> None:
    carol = {
        "id": 6161,
        "is_bot": False,
        "first_name": "Carol",
        "last_name": "Private",
        "username": "carol_hidden",
    }
    card = await _card(harness, 1, chat=GROUP_CHAT)
    carol_message = harness.api.user_replies(GROUP_CHAT, carol, FERRY_VIEW, card)
    await harness.process_pending()
    harness.api.user_sends(GROUP_CHAT, BOB, "Me too.", reply_to_message=carol_message)
    [ack] = await harness.process_pending()
    parent, _ = await _comments(harness)
    assert parent.comment.author == "Carol"
    assert ack.text.startswith("↩️ Your reply to Carol on")
    [today] = await harness.send("/today", chat=GROUP_CHAT)
    [shown] = await harness.press(today, today.buttons[1][0]["callback_data"])
    assert "— Carol" in shown.text
    assert "carol_hidden" not in shown.text
    assert "Private" not in shown.text


async def test_an_edit_of_a_reply_waiting_for_its_story_is_kept(harness: BotHarness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    message = harness.api.user_replies(PRIVATE_CHAT, ADA, FERRY_VIEW, today)
    [question] = await harness.process_pending()
    harness.api.redeliver_update(
        {"edited_message": {**message, "text": "Second thoughts.", "edit_date": message["date"]}}
    )
    await harness.process_pending()
    await harness.press(question, question.buttons[0][0]["callback_data"])
    [stored] = await _comments(harness)
    assert stored.comment.text == "Second thoughts."


async def test_in_a_forum_topic_every_answer_goes_to_that_topic(harness: BotHarness) -> None:
    await harness.store.briefings.save(_briefing())
    topic = {"message_thread_id": 7, "is_topic_message": True}
    harness.api.user_sends(FORUM, ADA, "/today", **topic)
    [today] = await harness.process_pending()
    assert _last_send(harness)["message_thread_id"] == "7"
    message = harness.api.user_replies(FORUM, ADA, FERRY_VIEW, today)
    message.update(topic)
    [question] = await harness.process_pending()
    assert _last_send(harness)["message_thread_id"] == "7"
    await harness.press(question, question.buttons[1][0]["callback_data"])
    [card] = await harness.press(today, today.buttons[1][0]["callback_data"])
    assert _last_send(harness)["message_thread_id"] == "7"
    [prompt] = await harness.press(card, card.buttons[-1][1]["callback_data"])
    assert _last_send(harness)["message_thread_id"] == "7"
    reply = harness.api.user_replies(FORUM, ADA, "From the topic.", prompt)
    reply.update(topic)
    [ack] = await harness.process_pending()
    assert _last_send(harness)["message_thread_id"] == "7"
    assert ack.reply_to == reply["message_id"]


async def test_in_groups_every_answer_replies_to_the_message_that_asked(
    harness: BotHarness,
) -> None:
    card = await _card(harness, 1, chat=GROUP_CHAT)
    message = harness.api.user_replies(GROUP_CHAT, BOB, FERRY_VIEW, card)
    [ack] = await harness.process_pending()
    assert ack.reply_to == message["message_id"]
    long_one = harness.api.user_replies(GROUP_CHAT, BOB, "x" * 2001, card)
    [refused] = await harness.process_pending()
    assert refused.reply_to == long_one["message_id"]


async def test_the_same_update_delivered_twice_adds_one_comment(harness: BotHarness) -> None:
    card = await _card(harness, 1)
    message = harness.api.user_replies(PRIVATE_CHAT, ADA, FERRY_VIEW, card)
    await harness.process_pending()
    harness.api.redeliver(message)
    await harness.process_pending()
    assert len(await _comments(harness)) == 1


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
