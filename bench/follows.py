"""What leaving out unfollowed sources costs topic alerts, on bench.alerts' data set.

Setup (not timed): the data set of :mod:`bench.alerts` (10,000 topics, 10,000 chats,
100,000 subscriptions, a 10-story briefing), 20 sources, and 1,000 of the chats (every
tenth) unfollowing the briefing's source and 5 others (6,000 ``unfollowed_sources`` rows).

Timed, best and median of five runs on one core: the storage matching step
(:meth:`storage.subscriptions.SubscriptionRepository.match`) for the same briefing

- ``baseline``: ingested by hand, of no source (the probe of ``unfollowed_sources`` finds
  nothing to compare with: the cost of the query before follows);
- ``followed by all``: of a source nobody unfollowed;
- ``unfollowed by 10 %``: of a source 1,000 chats unfollowed (their alerts left out);

and the query of the subscribed chats alone (for the topics the stories matched), as it was
before follows (``without the probe``, its text kept here as the baseline) and as it is.

Run: ``python -m bench.follows`` (``BRIEFBOT_SHARED_DATA`` names the shared data folder).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.alerts import CHATS, SEED, STORIES, _briefing, _line, _subscribe, _time, _topics
from bench.shared_data import shared_data_dir
from briefing.sources import SourceKind
from storage.store import Store

SOURCES = 20
SQL_RUNS = 9
# The chats query of storage/subscriptions.py without the unfollowed_sources predicate.
_CHATS_BEFORE = (
    "SELECT s.chat_id, s.topic_id, s.label FROM subscriptions s"
    " LEFT JOIN chats c ON c.id = s.chat_id"
    " WHERE s.topic_id IN (SELECT value FROM json_each(?))"
    " AND coalesce(c.blocked, 0) = 0"
    " AND NOT EXISTS (SELECT 1 FROM sent_messages m WHERE m.chat_id = s.chat_id"
    " AND m.briefing_id = ? AND m.story_id IS NULL)"
    " ORDER BY s.chat_id, s.created_at, s.rowid"
)
_CHATS_NOW = _CHATS_BEFORE.replace(
    " ORDER BY",
    " AND NOT EXISTS (SELECT 1 FROM unfollowed_sources u WHERE u.chat_id = s.chat_id"
    " AND u.source_id = (SELECT source_id FROM briefings WHERE id = ?)) ORDER BY",
)
UNFOLLOWING_EVERY = 10  # every tenth chat
OTHER_UNFOLLOWED = 5


def main() -> None:
    """Build the data set, time the three cases, print the figures."""
    data = shared_data_dir()
    if data is None:
        sys.exit("bench.follows needs ../shared/data (or BRIEFBOT_SHARED_DATA)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    articles = [
        json.loads(line)["article"]
        for line in (data / "cnn-dailymail-dev-100.jsonl").read_text().splitlines()
    ]
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_bench(Path(folder) / "follows.sqlite3", articles))


async def _bench(path: Path, articles: list[str]) -> None:
    store = await Store.open(path)
    try:
        random.seed(SEED)
        await _subscribe(store, _topics(articles[STORIES:]))
        briefing_id, _ = await _briefing(store, articles[:STORIES])
        stored = await store.briefings.get(briefing_id)
        assert stored is not None
        ids = [
            (await store.sources.add(f"https://s{n}.example.org/feed", SourceKind.FEED)).id
            for n in range(SOURCES)
        ]
        source_ids = [i for i in ids if i is not None]
        unfollowed, followed = source_ids[0], source_ids[1]
        others = source_ids[2:]
        async with store.database.transaction() as db:
            await db.executemany(
                "INSERT INTO unfollowed_sources (chat_id, source_id) VALUES (?, ?)",
                [
                    (chat, source)
                    for chat in range(0, CHATS, UNFOLLOWING_EVERY)
                    for source in (unfollowed, *random.sample(others, OTHER_UNFOLLOWED))
                ],
            )

        async def of_source(source_id: int | None) -> None:
            await store.database.connection.execute(
                "UPDATE briefings SET source_id = ? WHERE id = ?", (source_id, briefing_id)
            )
            await store.database.connection.commit()

        async def match() -> None:
            await store.subscriptions.match(briefing_id, stored.stories)

        rows: list[tuple[str, int, list[tuple[float, float]]]] = []
        for name, source_id in (
            ("baseline: of no source", None),
            ("followed by all", followed),
            ("unfollowed by 10 % of the chats", unfollowed),
        ):
            await of_source(source_id)
            alerts = len((await store.subscriptions.match(briefing_id, stored.stories)).alerts)
            rows.append((name, alerts, await _time(match)))
        matched = await store.subscriptions.match(briefing_id, stored.stories)
        topics = json.dumps(sorted({t.topic_id for a in matched.alerts for t in a.topics}))
        counts: dict[str, int] = {}

        def chats_query(name: str, sql: str, *params: object) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                async with store.database.connection.execute(sql, params) as cursor:
                    cursor.row_factory = None
                    counts[name] = len(list(await cursor.fetchall()))

            return run

        before = chats_query("before", _CHATS_BEFORE, topics, briefing_id)
        now = chats_query("now", _CHATS_NOW, topics, briefing_id, briefing_id)
        sql_times = {"before": await _time(before, SQL_RUNS), "now": await _time(now, SQL_RUNS)}
        async with store.database.connection.execute(
            "SELECT count(*) FROM unfollowed_sources"
        ) as cursor:
            row = await cursor.fetchone()
        print(
            f"chats {CHATS:,}, sources {SOURCES}, unfollowed_sources rows {row[0] if row else 0:,}"
        )
        for name, alerts, times in rows:
            _line(f"match, {name} ({alerts:,} alerts)", times)
        print("the chats query alone, briefing unfollowed by 10 % of the chats:")
        _line(f"  without the probe, before ({counts['before']:,} rows)", sql_times["before"])
        _line(f"  with the probe, now ({counts['now']:,} rows)", sql_times["now"])
    finally:
        await store.close()


if __name__ == "__main__":
    main()
