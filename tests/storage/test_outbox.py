"""The outbox on a real SQLite file: each (chat, kind, item) is queued once."""

from __future__ import annotations

import pytest

from briefing.outgoing import Button, OutgoingMessage
from storage.store import Store


def _alert(chat_id: int, story: str) -> OutgoingMessage:
    return OutgoingMessage(
        chat_id, "alert", story, f"<b>story {story}</b>", ((Button("Open", "story:1"),),)
    )


async def test_a_message_is_queued_once_per_chat_kind_and_item(store: Store) -> None:
    assert await store.outbox.enqueue([_alert(1, "7"), _alert(2, "7")]) == 2
    assert await store.outbox.enqueue([_alert(1, "7"), _alert(1, "8")]) == 1
    async with store.database.connection.execute(
        "SELECT chat_id, item_key, state FROM outbox ORDER BY id"
    ) as cursor:
        rows = [tuple(row) async for row in cursor]
    assert rows == [(1, "7", "pending"), (2, "7", "pending"), (1, "8", "pending")]


async def test_nothing_to_queue_writes_nothing(store: Store) -> None:
    assert await store.outbox.enqueue([]) == 0


def test_a_button_has_exactly_one_action() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Button("Both", callback_data="x", url="https://example.org")
    with pytest.raises(ValueError, match="64 bytes"):
        Button("Long", callback_data="x" * 65)
