"""`briefbot outbox`: counts by state and the commonest reasons messages ended."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from bot.delivery.report import print_outbox
from briefing.outgoing import OutgoingMessage
from storage.store import Store

LATER = datetime(2100, 1, 1, tzinfo=UTC)


async def test_the_report_shows_states_retries_and_errors(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    store = await Store.open(database)
    await store.outbox.enqueue(
        [OutgoingMessage(chat, "alert", "1", "<b>news</b>") for chat in (1, 2, 3, 4)]
    )
    first, second, third, _ = await store.outbox.due(LATER, limit=10)
    await store.outbox.fail(first.id, "BadRequest: Message is too long")
    await store.outbox.drop_pending(2, "Forbidden: bot was blocked by the user")
    await store.outbox.retry_later(third.id, "TimedOut: Timed out", at=LATER)
    await store.close()

    out = io.StringIO()
    assert await print_outbox(database, out) == 0
    assert out.getvalue().splitlines() == [
        "pending  2",
        "sent     0",
        "failed   1",
        "dropped  1",
        "(1 pending after a failed try)",
        "why messages ended:",
        "       1  BadRequest: Message is too long",
        "       1  Forbidden: bot was blocked by the user",
    ]
    assert second.message.chat_id == 2
