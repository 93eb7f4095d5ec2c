"""The outbox on a real SQLite file: each (chat, kind, item) is queued once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from briefing.models import Block, BlockKind, Briefing, Story
from briefing.outgoing import Button, OutgoingMessage, SharedMessage
from storage.store import Store

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _alert(chat_id: int, story: str, **extra: int | None) -> OutgoingMessage:
    return OutgoingMessage(
        chat_id,
        "alert",
        story,
        f"<b>story {story}</b>",
        ((Button("Open", "story:1"), Button("Site", url="https://example.org/")),),
        **extra,
    )


async def _saved_story(store: Store) -> tuple[int, int]:
    """A stored briefing with one story: (briefing id, story id)."""
    blocks = (Block(BlockKind.PARAGRAPH, "Text."),)
    saved = await store.briefings.save(Briefing("k", "Daily", (Story("Lead", blocks),)))
    async with store.database.connection.execute(
        "SELECT id FROM stories WHERE briefing_id = ?", (saved.briefing_id,)
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return saved.briefing_id, int(row["id"])


async def _states(store: Store) -> list[tuple[int, str, str, str | None]]:
    async with store.database.connection.execute(
        "SELECT chat_id, item_key, state, error FROM outbox ORDER BY id"
    ) as cursor:
        return [tuple(row) async for row in cursor]


async def test_a_message_is_queued_once_per_chat_kind_and_item(store: Store) -> None:
    assert await store.outbox.enqueue([_alert(1, "7"), _alert(2, "7")]) == 2
    assert await store.outbox.enqueue([_alert(1, "7"), _alert(1, "8")]) == 1
    assert [s[:3] for s in await _states(store)] == [
        (1, "7", "pending"),
        (2, "7", "pending"),
        (1, "8", "pending"),
    ]


async def test_nothing_to_queue_writes_nothing(store: Store) -> None:
    assert await store.outbox.enqueue([]) == 0


async def test_an_enqueue_that_queued_something_wakes_the_listener(store: Store) -> None:
    pokes: list[int] = []
    store.outbox.on_enqueue(lambda: pokes.append(1))
    await store.outbox.enqueue([_alert(1, "7")])
    await store.outbox.enqueue([_alert(1, "7")])
    assert pokes == [1]


async def test_due_gives_the_oldest_pending_message_of_each_chat(store: Store) -> None:
    await store.outbox.enqueue([_alert(1, "a"), _alert(1, "b"), _alert(2, "c")], now=NOW)
    await store.outbox.enqueue([_alert(3, "d")], now=NOW + timedelta(minutes=5))
    due = await store.outbox.due(NOW, limit=10)
    assert [(q.message.chat_id, q.message.item_key) for q in due] == [(1, "a"), (2, "c")]
    assert due[0].message == _alert(1, "a")
    assert [q.message.item_key for q in await store.outbox.due(NOW, limit=1)] == ["a"]
    skipped = await store.outbox.due(NOW, limit=10, skip_chats={1})
    assert [q.message.item_key for q in skipped] == ["c"]
    later = await store.outbox.due(NOW + timedelta(minutes=5), limit=10)
    assert [q.message.item_key for q in later] == ["a", "c", "d"]


async def test_sending_moves_a_chat_on_to_its_next_message(store: Store) -> None:
    await store.outbox.enqueue([_alert(1, "a"), _alert(1, "b")], now=NOW)
    first = (await store.outbox.due(NOW, limit=10))[0]
    await store.outbox.mark_sent(first.id, 55, now=NOW)
    assert [q.message.item_key for q in await store.outbox.due(NOW, limit=10)] == ["b"]
    assert (await store.outbox.counts()).by_state == {
        "pending": 1,
        "sent": 1,
        "failed": 0,
        "dropped": 0,
    }


async def test_a_sent_message_showing_a_story_is_linked_to_it(store: Store) -> None:
    briefing_id, story_id = await _saved_story(store)
    await store.outbox.enqueue(
        [_alert(1, "a", briefing_id=briefing_id, story_id=story_id), _alert(2, "b")], now=NOW
    )
    linked, plain = await store.outbox.due(NOW, limit=10)
    await store.outbox.mark_sent(linked.id, 10, now=NOW)
    await store.outbox.mark_sent(plain.id, 11, now=NOW)
    link = await store.chats.linked(1, 10)
    assert link is not None
    assert (link.briefing_id, link.story_id) == (briefing_id, story_id)
    assert await store.chats.linked(2, 11) is None


async def test_a_retry_waits_and_counts_the_attempt(store: Store) -> None:
    await store.outbox.enqueue([_alert(1, "a")], now=NOW)
    queued = (await store.outbox.due(NOW, limit=10))[0]
    await store.outbox.retry_later(queued.id, "NetworkError: Bad Gateway", at=NOW + timedelta(9))
    assert await store.outbox.due(NOW, limit=10) == []
    assert await store.outbox.next_due_at() == NOW + timedelta(9)
    again = (await store.outbox.due(NOW + timedelta(9), limit=10))[0]
    assert again.attempts == 1
    assert (await store.outbox.counts()).retrying == 1


async def test_ended_messages_say_why_and_the_counts_show_it(store: Store) -> None:
    await store.outbox.enqueue([_alert(1, "a"), _alert(2, "b"), _alert(2, "c")], now=NOW)
    await store.outbox.enqueue([_alert(3, "d")], now=NOW)
    first = (await store.outbox.due(NOW, limit=10))[0]
    await store.outbox.fail(first.id, "BadRequest: message is too long")
    assert await store.outbox.drop_pending(2, "Forbidden: bot was blocked by the user") == 2
    counts = await store.outbox.counts()
    assert counts.by_state == {"pending": 1, "sent": 0, "failed": 1, "dropped": 2}
    assert counts.errors == [
        ("Forbidden: bot was blocked by the user", 2),
        ("BadRequest: message is too long", 1),
    ]
    assert await store.outbox.next_due_at() == NOW


async def test_an_empty_outbox_has_nothing_due(store: Store) -> None:
    assert await store.outbox.next_due_at() is None
    assert (await store.outbox.counts()).by_state["pending"] == 0


async def test_a_migrated_group_takes_its_row_pending_messages_and_links_along(
    store: Store,
) -> None:
    old, new = -555, -100555
    await store.chats.seen(old, "group", "Readers", now=NOW)
    briefing_id, _ = await _saved_story(store)
    await store.outbox.enqueue(
        [_alert(old, "sent", briefing_id=briefing_id), _alert(old, "a"), _alert(old, "b")],
        now=NOW,
    )
    await store.outbox.enqueue([_alert(new, "b")], now=NOW)
    sent = (await store.outbox.due(NOW + timedelta(1), limit=10))[0]
    await store.outbox.mark_sent(sent.id, 3, now=NOW)

    await store.chats.migrate(old, new)

    assert await store.chats.get(old) is None
    moved = await store.chats.get(new)
    assert moved is not None
    assert (moved.type, moved.title) == ("supergroup", "Readers")
    assert await store.chats.linked(new, 3) is not None
    assert await store.chats.linked(old, 3) is None
    states = await _states(store)
    assert [s[:3] for s in states] == [
        (old, "sent", "sent"),
        (new, "a", "pending"),
        (old, "b", "dropped"),
        (new, "b", "pending"),
    ]
    assert states[2][3] is not None
    assert "-100555" in states[2][3]


@pytest.mark.parametrize("limit", [1, 3])
async def test_due_honours_its_limit_with_chats_skipped(store: Store, limit: int) -> None:
    await store.outbox.enqueue([_alert(chat, "x") for chat in range(1, 8)], now=NOW)
    due = await store.outbox.due(NOW, limit=limit, skip_chats={1, 2})
    assert [q.message.chat_id for q in due] == list(range(3, 3 + limit))


async def test_messages_queued_inside_a_change_commit_or_roll_back_with_it(store: Store) -> None:
    async def failing_change() -> None:
        async with store.database.transaction():
            await store.chats.seen(1, "private", None)
            await store.outbox.enqueue([_alert(1, "rolled back")])
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError, match="the change failed"):
        await failing_change()
    assert await _states(store) == []
    assert await store.chats.get(1) is None
    async with store.database.transaction():
        await store.chats.seen(1, "private", None)
        assert await store.outbox.enqueue([_alert(1, "kept")]) == 1
    assert [s[1] for s in await _states(store)] == ["kept"]


def _shared(chat_ids: tuple[int, ...], story: str, text: str = "<b>shared</b>") -> SharedMessage:
    buttons = ((Button("Open", "story:1"), Button("Site", url="https://example.org/")),)
    return SharedMessage(chat_ids, "alert", story, text, buttons)


async def _bodies(store: Store) -> int:
    async with store.database.connection.execute("SELECT count(*) FROM outbox_bodies") as rows:
        row = await rows.fetchone()
    assert row is not None
    return int(row[0])


async def test_a_shared_message_is_stored_once_and_sent_to_each_chat(store: Store) -> None:
    briefing_id, story_id = await _saved_story(store)
    shared = replace(_shared((1, 2, 3), "7"), briefing_id=briefing_id, story_id=story_id)
    assert await store.outbox.enqueue_shared([shared, _shared((2,), "8", "other")], now=NOW) == 4
    assert await _bodies(store) == 2
    due = await store.outbox.due(NOW, limit=10)
    assert [q.message for q in due] == shared.messages()
    await store.outbox.mark_sent(due[1].id, 20, now=NOW)
    link = await store.chats.linked(2, 20)
    assert link is not None
    assert (link.briefing_id, link.story_id) == (briefing_id, story_id)
    [after] = [q for q in await store.outbox.due(NOW, limit=10) if q.message.chat_id == 2]
    assert (after.message.item_key, after.message.text) == ("8", "other")


async def test_a_shared_message_skips_chats_that_have_it_and_keeps_no_unused_body(
    store: Store,
) -> None:
    assert await store.outbox.enqueue([_alert(1, "7")], now=NOW) == 1
    assert await store.outbox.enqueue_shared([_shared((1, 2), "7")], now=NOW) == 1
    assert await store.outbox.enqueue_shared([_shared((1, 2), "7"), _shared((), "9")]) == 0
    assert await _bodies(store) == 1
    assert [s[:3] for s in await _states(store)] == [(1, "7", "pending"), (2, "7", "pending")]
    assert await store.outbox.enqueue_shared([]) == 0


async def test_shared_rows_move_with_a_migrated_group_and_keep_their_body(store: Store) -> None:
    old, new = -555, -100555
    await store.chats.seen(old, "group", "Readers", now=NOW)
    await store.outbox.enqueue_shared([_shared((old, 5), "7", "<i>for both</i>")], now=NOW)
    await store.chats.migrate(old, new)
    due = await store.outbox.due(NOW, limit=10)
    assert [(q.message.chat_id, q.message.text) for q in due] == [
        (new, "<i>for both</i>"),
        (5, "<i>for both</i>"),
    ]


async def test_shared_messages_roll_back_with_the_change_that_queued_them(store: Store) -> None:
    async def failing_change() -> None:
        async with store.database.transaction():
            await store.outbox.enqueue_shared([_shared((1, 2), "7")])
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError, match="the change failed"):
        await failing_change()
    assert await _states(store) == []
    assert await _bodies(store) == 0
