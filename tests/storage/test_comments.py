"""Chat comments on a real SQLite file: identity, counts, limits, pending choices, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Block, BlockKind, Briefing, Comment, CommentOrigin, Story
from storage.comments import Written
from storage.store import Store

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def _briefing_id(store: Store) -> int:
    story = Story("Ferry", (Block(BlockKind.PARAGRAPH, "Later."),))
    result = await store.briefings.save(Briefing("b", "Daily", (story, story)))
    return result.briefing_id


def _comment(key: str, text: str = "A view.", position: int | None = 1) -> Comment:
    return Comment(key=key, text=text, origin=CommentOrigin.CHAT, story_position=position)


async def test_a_comment_is_stored_once_per_message_with_its_author(store: Store) -> None:
    briefing_id = await _briefing_id(store)
    text = "<b>exact</b>\n\n👍🏽 \u200f\u200b *as written*"
    first, new = await store.comments.add(
        briefing_id, _comment("tg:1:2", text), Written(1, 2, 42), now=NOW
    )
    again, new_again = await store.comments.add(
        briefing_id, _comment("tg:1:2", "other"), Written(1, 2, 42), now=NOW
    )
    assert (new, new_again, again.id) == (True, False, first.id)
    assert (first.comment.text, first.author_user_id, first.chat_id) == (text, 42, 1)
    assert await store.comments.by_message(1, 2) == first
    assert await store.comments.count(briefing_id, 1) == 1


async def test_deleted_comments_leave_counts_and_briefings_but_count_for_the_limit(
    store: Store,
) -> None:
    briefing_id = await _briefing_id(store)
    stored, _ = await store.comments.add(briefing_id, _comment("k"), Written(1, 3, 42), now=NOW)
    assert await store.comments.delete(stored.id, now=NOW)
    assert not await store.comments.delete(stored.id, now=NOW)
    assert await store.comments.count(briefing_id, 1) == 0
    briefing = await store.briefings.get(briefing_id)
    assert briefing is not None
    assert briefing.comments == ()
    assert await store.comments.written_since(42, NOW - timedelta(minutes=1)) == 1
    assert await store.comments.written_since(42, NOW + timedelta(microseconds=1)) == 0


async def test_an_edit_replaces_the_text_and_marks_it(store: Store) -> None:
    briefing_id = await _briefing_id(store)
    stored, _ = await store.comments.add(briefing_id, _comment("k"), Written(1, 3, 42), now=NOW)
    await store.comments.edit(stored.id, "Changed\nmind.", now=NOW)
    briefing = await store.briefings.get(briefing_id)
    assert briefing is not None
    [comment] = briefing.comments
    assert (comment.text, comment.edited) == ("Changed\nmind.", True)


async def test_a_pending_comment_is_taken_by_one_tap_only(store: Store) -> None:
    briefing_id = await _briefing_id(store)
    pending_id = await store.comments.add_pending(
        briefing_id, _comment("k", position=None), Written(1, 5, 42), now=NOW
    )
    same = await store.comments.add_pending(
        briefing_id, _comment("k", position=None), Written(1, 5, 42), now=NOW
    )
    assert same == pending_id
    pending = await store.comments.pending(pending_id)
    assert pending is not None
    assert (pending.text, pending.user_id, pending.message_id) == ("A view.", 42, 5)
    assert await store.comments.drop_pending(pending_id)
    assert not await store.comments.drop_pending(pending_id)
    assert await store.comments.pending(pending_id) is None


async def test_notify_and_mute_settings(store: Store) -> None:
    assert await store.comments.notify_on(42)
    await store.comments.set_notify(42, on=False)
    assert not await store.comments.notify_on(42)
    await store.comments.set_notify(42, on=True)
    assert await store.comments.notify_on(42)
    assert await store.comments.mute(42, by=1, now=NOW)
    assert not await store.comments.mute(42, by=1, now=NOW)
    assert await store.comments.is_muted(42)
    assert await store.comments.unmute(42)
    assert not await store.comments.is_muted(42)


async def test_a_sent_message_can_show_one_comment(store: Store) -> None:
    briefing_id = await _briefing_id(store)
    stored, _ = await store.comments.add(briefing_id, _comment("k"), Written(1, 3, 42), now=NOW)
    await store.chats.link_message(7, 70, briefing_id, None, comment_id=stored.id)
    link = await store.chats.linked(7, 70)
    assert link is not None
    assert link.comment_id == stored.id
    await store.chats.link_message(7, 71, briefing_id, None)
    plain = await store.chats.linked(7, 71)
    assert plain is not None
    assert plain.comment_id is None
