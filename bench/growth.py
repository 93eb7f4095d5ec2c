"""How big the database grows per 1,000 readers a year, through the storage layer.

Simulated, day by day, for ``--readers`` private chats (1,000 by default): each reader
asks for /today and opens one story card (two sent-message links a day), gets
``--alerts`` topic alerts a day through the outbox (queued, then marked sent as the
delivery service does), and replies to a story once a week (a chat comment). The bot
stores one 10-story briefing a day with 20 source comments (content that does not grow
with readers; reported apart). One reader in a hundred blocks the bot each month.

Printed: the file's size after the simulated span, extrapolated to a year when ``--days``
is shorter (every row kind grows linearly with days), then the size once the default
retention has pruned it (links 365 days, delivered outbox rows 90 days, chats that left
365 days) and the file is vacuumed: the steady state a long-running bot stays near.

Run: ``python -m bench.growth [--readers 1000] [--days 365] [--alerts 2]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing.models import Block, BlockKind, Briefing, Comment, CommentOrigin, Story
from briefing.outgoing import Button, OutgoingMessage
from storage.retention import Pruned, RetentionPolicy, RetentionRepository
from storage.store import Store
from storage.timestamps import to_db

START = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)
POLICY = RetentionPolicy(reply_days=365, outbox_days=90, inactive_chat_days=365)
PARAGRAPH = (
    "The harbour authority said on Tuesday that the new terminal would open in spring, "
    "after two years of delays caused by a dispute over the dredging contract. "
) * 4
ALERT_TEXT = (
    "🔔 <b>Harbour terminal to open in spring after two-year delay</b>\n"
    "The harbour authority said the new terminal would open in spring. The dispute over "
    "the dredging contract was settled last month.\n<i>Harbour Daily · 3 Mar 2026</i>\n"
    "Topics: <code>harbour terminal</code>"
)
MB = 1024 * 1024
FIXED_TABLES = frozenset(
    {
        "chats",
        "sources",
        "subscriptions",
        "topics",
        "topic_terms",
        "sqlite_schema",
        "migrations",
        "chat_settings",
        "unfollowed_sources",
        "llm_usage",
        "sqlite_sequence",
    }
)


def _briefing(day: int) -> Briefing:
    stories = tuple(
        Story(
            f"Story {n} of day {day}",
            (Block(BlockKind.PARAGRAPH, PARAGRAPH),) * 3,
            summary=(PARAGRAPH[:160],),
        )
        for n in range(10)
    )
    comments = tuple(
        Comment(key=str(n), text=f"A reader's comment number {n}. " * 6, author="Reader")
        for n in range(20)
    )
    return Briefing(
        key=f"day-{day}", title=f"Harbour Daily {day}", stories=stories, comments=comments
    )


async def simulate(path: Path, readers: int, days: int, alerts: int) -> None:
    """Fill ``path`` with ``days`` of activity of ``readers`` chats."""
    store = await Store.open(path)
    try:
        for chat in range(1, readers + 1):
            await store.chats.seen(chat, "private", None, now=START)
        for day in range(days):
            now = START + timedelta(days=day)
            saved = await store.briefings.save(_briefing(day), now=now)
            story_ids = saved.story_ids
            async with store.transaction():
                for chat in range(1, readers + 1):
                    await store.chats.link_message(chat, 2 * day, saved.briefing_id, None, now=now)
                    story = story_ids[chat % len(story_ids)]
                    await store.chats.link_message(
                        chat, 2 * day + 1, saved.briefing_id, story, now=now
                    )
            queued = [
                OutgoingMessage(
                    chat,
                    "alert",
                    f"{day}.{n}",
                    ALERT_TEXT,
                    ((Button("Open", f"story:{story_ids[n]}"), Button("🔕", "mute:12")),),
                    saved.briefing_id,
                    story_ids[n],
                )
                for chat in range(1, readers + 1)
                for n in range(alerts)
            ]
            await store.outbox.enqueue(queued, now=now)
            async with store.transaction() as db:  # what the delivery service records
                await db.execute(
                    "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = id"
                    " WHERE state = 'pending'",
                    (to_db(now),),
                )
            if day % 7 == 0:
                async with store.transaction():
                    for chat in range(1, readers + 1):
                        reply = Comment(
                            key=f"tg:{chat}:{2 * day + 1}",
                            text="I read it this morning and I think the delay was avoidable.",
                            author="Ada",
                            origin=CommentOrigin.CHAT,
                            story_position=chat % 10,
                        )
                        await store.briefings.add_comment(saved.briefing_id, reply)
            if day % 30 == 29:
                for chat in range(day, day + readers // 100):
                    await store.chats.mark_blocked(chat % readers + 1, now=now)
    finally:
        await store.close()


def table_bytes(path: Path) -> dict[str, int]:
    """Bytes of each table, its indexes included (SQLite's dbstat)."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        owners = dict(db.execute("SELECT name, tbl_name FROM sqlite_master").fetchall())
        sizes: dict[str, int] = {}
        for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owners.get(name, name)
            sizes[table] = sizes.get(table, 0) + int(size)
    return sizes


def retained_days(table: str, policy: RetentionPolicy) -> int:
    """How many days of a table's growth the retention keeps (a year at most)."""
    return {"sent_messages": policy.reply_days, "outbox": policy.outbox_days}.get(table, 365)


def main() -> None:
    """Run the simulation in a temporary folder and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--alerts", type=int, default=2, help="topic alerts a reader a day")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "growth.sqlite3"
        started = time.perf_counter()
        asyncio.run(simulate(path, args.readers, args.days, args.alerts))
        elapsed = time.perf_counter() - started
        sizes = table_bytes(path)
        pruned = asyncio.run(_prune(path, START + timedelta(days=args.days)))
        file_size = path.stat().st_size
    print(
        f"{args.readers} readers, {args.days} days simulated, {args.alerts} alerts a reader"
        f" a day ({elapsed:.0f} s); file {file_size / MB:.1f} MB; {pruned.describe()}"
    )
    print(f"{'table':<16}{'MB/day':>10}{'MB/year, no pruning':>22}{'MB kept (retention)':>22}")
    year = kept = 0.0
    for table, size in sorted(sizes.items(), key=lambda item: -item[1]):
        per_day = size / args.days / MB
        fixed = table in FIXED_TABLES  # there from the first day, not growing with time
        table_year = size / MB if fixed else per_day * 365
        table_kept = size / MB if fixed else per_day * min(365, retained_days(table, POLICY))
        year, kept = year + table_year, kept + table_kept
        if size >= MB / 100:
            print(f"{table:<16}{per_day:>10.3f}{table_year:>22.1f}{table_kept:>22.1f}")
    print(f"{'all':<16}{'':>10}{year:>22.1f}{kept:>22.1f}")


async def _prune(path: Path, now: datetime) -> Pruned:
    store = await Store.open(path)
    try:
        return await RetentionRepository(store.database).prune(POLICY, now=now)
    finally:
        await store.close()


if __name__ == "__main__":
    main()
