"""Operator counts and retention pruning on a real SQLite file, with explicit clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Block, BlockKind, Briefing, Comment, Story
from briefing.outgoing import OutgoingMessage, SharedMessage
from storage.retention import Pruned, RetentionPolicy, RetentionRepository
from storage.stats import Activity, StatsRepository
from storage.store import Store
from storage.timestamps import to_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
POLICY = RetentionPolicy(reply_days=365, outbox_days=90, inactive_chat_days=365)


def _briefing() -> Briefing:
    return Briefing(
        key="edition-1",
        title="Harbour Daily",
        stories=(Story("Lead", (Block(BlockKind.PARAGRAPH, "First."),)),),
        comments=(Comment(key="1", text="Top comment."),),
    )


def _message(chat_id: int, key: str, kind: str = "alert") -> OutgoingMessage:
    return OutgoingMessage(chat_id, kind, key, f"<b>{key}</b>")


async def _set_outbox(store: Store, key: str, state: str, at: datetime, error: str = "") -> None:
    async with store.transaction() as db:
        await db.execute(
            "UPDATE outbox SET state = ?, sent_at = ?, next_attempt_at = ?, error = ?"
            " WHERE item_key = ?",
            (state, to_db(at) if state == "sent" else None, to_db(at), error or None, key),
        )


async def _count(store: Store, table: str) -> int:
    async with store.database.connection.execute(f"SELECT count(*) FROM {table}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def test_stats_count_every_aggregate_and_recent_activity(store: Store) -> None:
    await store.briefings.save(_briefing(), now=NOW)
    await store.chats.seen(1, "private", None, now=NOW)
    await store.chats.seen(2, "private", None, now=NOW)
    await store.chats.mark_blocked(2, now=NOW)
    await store.outbox.enqueue([_message(1, k) for k in "abcd"], now=NOW)
    await _set_outbox(store, "a", "sent", NOW - timedelta(minutes=5))
    await _set_outbox(store, "b", "sent", NOW - timedelta(hours=5))
    await _set_outbox(store, "c", "failed", NOW - timedelta(minutes=1), "Bad Request")

    stats = await StatsRepository(store.database).collect(NOW)

    assert (stats.chats, stats.active_chats, stats.stories, stats.comments) == (2, 1, 1, 1)
    assert (stats.sources, stats.topics, stats.backlog) == (0, 0, 1)
    assert stats.last_hour == Activity(sent=1, errors=1)
    assert stats.last_day == Activity(sent=2, errors=1)


async def test_backlog_gives_the_oldest_pending_row(store: Store) -> None:
    stats = StatsRepository(store.database)
    assert (await stats.backlog()).pending == 0
    await store.outbox.enqueue([_message(1, "old")], now=NOW - timedelta(hours=2))
    await store.outbox.enqueue([_message(1, "new")], now=NOW)
    backlog = await stats.backlog()
    assert (backlog.pending, backlog.oldest) == (2, NOW - timedelta(hours=2))
    assert await stats.ping() >= 7


async def test_a_broadcast_report_tells_sent_blocked_and_failed(store: Store) -> None:
    await store.outbox.enqueue([_message(c, "b1", "broadcast") for c in range(1, 6)], now=NOW)
    async with store.transaction() as db:
        await db.execute("UPDATE outbox SET state = 'sent' WHERE chat_id IN (1, 2)")
        await db.execute("UPDATE outbox SET state = 'dropped' WHERE chat_id = 3")
        await db.execute(
            "UPDATE outbox SET state = 'failed', error = 'Forbidden: bot was blocked by the user'"
            " WHERE chat_id = 4"
        )
    report = await StatsRepository(store.database).broadcast("b1")
    assert (report.total, report.pending, report.sent, report.blocked, report.failed) == (
        5,
        1,
        2,
        2,
        0,
    )


async def test_pruning_keeps_what_is_young_and_everything_pending(store: Store) -> None:
    saved = await store.briefings.save(_briefing(), now=NOW)
    await store.chats.link_message(1, 10, saved.briefing_id, None, now=NOW - timedelta(days=400))
    await store.chats.link_message(1, 11, saved.briefing_id, None, now=NOW - timedelta(days=300))
    await store.outbox.enqueue(
        [_message(1, k) for k in ("old", "young", "waiting")], now=NOW - timedelta(days=200)
    )
    await _set_outbox(store, "old", "sent", NOW - timedelta(days=100))
    await _set_outbox(store, "young", "sent", NOW - timedelta(days=10))

    pruned = await RetentionRepository(store.database).prune(POLICY, now=NOW)

    assert pruned == Pruned(message_links=1, outbox_rows=1, chats=0)
    assert await store.chats.linked(1, 10) is None
    assert await store.chats.linked(1, 11) is not None
    assert await _count(store, "outbox") == 2
    assert "1 message links, 1 outbox rows" in pruned.describe()


async def test_a_shared_body_goes_with_the_last_row_that_names_it(store: Store) -> None:
    shared = [
        SharedMessage((1, 2), "alert", "old", "<b>old</b>"),
        SharedMessage((1,), "alert", "young", "<b>young</b>"),
    ]
    await store.outbox.enqueue_shared(shared, now=NOW - timedelta(days=200))
    async with store.transaction() as db:
        await db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ? WHERE chat_id = 1 AND item_key = 'old'",
            (to_db(NOW - timedelta(days=100)),),
        )
    await RetentionRepository(store.database).prune(POLICY, now=NOW)
    assert await _count(store, "outbox_bodies") == 2  # chat 2's copy of "old" is pending
    await _set_outbox(store, "old", "sent", NOW - timedelta(days=100))
    await _set_outbox(store, "young", "sent", NOW - timedelta(days=100))

    pruned = await RetentionRepository(store.database).prune(POLICY, now=NOW)

    assert pruned.outbox_rows == 2
    assert await _count(store, "outbox") == 0
    assert await _count(store, "outbox_bodies") == 0


async def test_chats_that_left_long_ago_go_with_their_rows(store: Store) -> None:
    await store.chats.seen(1, "private", None, now=NOW - timedelta(days=500))
    await store.chats.mark_blocked(1, now=NOW - timedelta(days=400))
    await store.chats.seen(2, "private", None, now=NOW - timedelta(days=500))
    await store.chats.mark_blocked(2, now=NOW - timedelta(days=30))
    await store.chats.seen(3, "private", None, now=NOW - timedelta(days=500))
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO topics (canonical, query, created_at) VALUES ('x', '{}', ?)",
            (to_db(NOW),),
        )
        await db.execute(
            "INSERT INTO subscriptions (chat_id, topic_id, label, created_at)"
            " VALUES (1, last_insert_rowid(), 'x', ?)",
            (to_db(NOW),),
        )

    pruned = await RetentionRepository(store.database).prune(POLICY, now=NOW)

    assert pruned.chats == 1
    assert await store.chats.get(1) is None
    assert await store.chats.get(2) is not None
    assert await store.chats.get(3) is not None
    assert await _count(store, "subscriptions") == 0
    assert await _count(store, "topics") == 0


async def test_optimize_runs_on_a_live_database(store: Store) -> None:
    retention = RetentionRepository(store.database)
    await retention.optimize()
    assert await retention.prune(POLICY, now=NOW) == Pruned()


async def test_edition_overviews_go_after_the_delivered_messages_retention(store: Store) -> None:
    await store.llm_answers.save_overview("old", "An old day.")
    await store.llm_answers.save_overview("young", "A recent day.")
    old = to_db(NOW - timedelta(days=POLICY.outbox_days + 1))
    young = to_db(NOW - timedelta(days=1))
    async with store.transaction() as db:
        await db.execute("UPDATE llm_overviews SET written_at = ? WHERE key = 'old'", (old,))
        await db.execute("UPDATE llm_overviews SET written_at = ? WHERE key = 'young'", (young,))
    pruned = await RetentionRepository(store.database).prune(POLICY, now=NOW)
    assert pruned.overviews == 1
    assert await store.llm_answers.overview("old") is None
    assert await store.llm_answers.overview("young") == "A recent day."
