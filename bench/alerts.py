"""Topic alerts at scale: a 10-story briefing stored -> every alert queued in the outbox.

Setup (not timed): 10,000 distinct topics made of words of the CNN/DailyMail articles in
the shared data (single words, pairs, quoted phrases, OR alternatives, some with an
exclusion), followed by 10,000 chats, 100,000 subscriptions in all, a topic's popularity
falling off as in a Zipf law so that some topics are shared by thousands of chats and
every topic by at least one; 1 % of the chats blocked. The briefing is ten other articles,
summarized as ingest summarizes them.

Timed, best and median of five runs on one core (the outbox emptied between runs):

- ``queue``: :meth:`bot.alerts.AlertQueue.queue`, which is what the ingestor's after-save
  hook runs: load the briefing, match its stories (the inverted index proposes candidate
  topics in one query, each evaluated once per story holding its anchor, then one query
  for the subscribed chats, read from a covering index), render each alert once per
  (story, set of topics) and enqueue it, its text stored once and a row per chat naming it;
- ``match only``: the storage matching step of the same (without the pause of the cycle
  collector that ``queue`` makes);
- ``naive``: the per-subscription loop beside it: read every subscription with its
  query, parse it and evaluate it against every story (what a bot without shared
  topics does), with no rendering or queueing at all.

Peak resident memory (``VmHWM``) of the whole process is printed at the end.

Run: ``python -m bench.alerts`` (``BRIEFBOT_SHARED_DATA`` names the shared data folder).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.shared_data import shared_data_dir
from bot.alerts import AlertQueue
from briefing.enrich import enrich
from briefing.models import Block, BlockKind, Briefing, Story
from briefing.query import QueryError, document, from_json, parse
from storage.store import Store
from storage.timestamps import to_db, utc_now

TOPICS = 10_000
CHATS = 10_000
SUBSCRIPTIONS = 100_000
STORIES = 10
RUNS = 5
SEED = 20261202


def main() -> None:
    """Build the data set, time the three ways, print the figures."""
    data = shared_data_dir()
    if data is None:
        sys.exit("bench.alerts needs ../shared/data (or BRIEFBOT_SHARED_DATA)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    articles = [
        json.loads(line)["article"]
        for line in (data / "cnn-dailymail-dev-100.jsonl").read_text().splitlines()
    ]
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_bench(Path(folder) / "alerts.sqlite3", articles))


async def _bench(path: Path, articles: list[str]) -> None:
    store = await Store.open(path)
    try:
        random.seed(SEED)
        topics = _topics(articles[STORIES:])
        await _subscribe(store, topics)
        briefing_id, story_ids = await _briefing(store, articles[:STORIES])
        queue = AlertQueue(store, ZoneInfo("UTC"))
        stored = await store.briefings.get(briefing_id)
        assert stored is not None

        async def queue_all() -> None:
            await queue.queue(briefing_id, story_ids)

        async def empty_outbox() -> None:
            await store.database.connection.execute("DELETE FROM outbox")
            await store.database.connection.execute("DELETE FROM outbox_bodies")

        async def match_only() -> None:
            await store.subscriptions.match(briefing_id, stored.stories)

        matching = await store.subscriptions.match(briefing_id, stored.stories)
        queued_times = await _time(queue_all, before=empty_outbox)
        async with store.database.connection.execute("SELECT count(*) FROM outbox") as cursor:
            row = await cursor.fetchone()
        queued = int(row[0]) if row else 0
        match_times = await _time(match_only)
        naive_alerts, naive_times = await _naive(store, stored)
        print(f"topics {TOPICS:,}, subscriptions {SUBSCRIPTIONS:,}, chats {CHATS:,}")
        print(
            f"stories {STORIES}: candidate topics {matching.candidates:,},"
            f" (topic, story) evaluations {matching.evaluations:,},"
            f" alerts {len(matching.alerts):,}, outbox rows queued {queued:,}"
        )
        _line("queue (match + render + enqueue)", queued_times)
        _line("match only", match_times)
        _line(f"naive per-subscription loop ({naive_alerts:,} alerts)", naive_times)
        print(f"peak RSS {_peak_rss_mb():.0f} MB")
    finally:
        await store.close()


def _topics(articles: list[str]) -> list[str]:
    """10,000 distinct topic texts from the articles' words, of every syntax."""
    words = Counter(w for text in articles for w in text.split() if w.isalpha() and len(w) > 3)
    vocabulary = [w.lower() for w, _ in words.most_common(6_000)[100:]]
    phrases = [" ".join(text.split()[i : i + 2]) for text in articles for i in range(0, 400, 37)]
    seen: set[str] = set()
    topics: list[str] = []
    while len(topics) < TOPICS:
        shape = random.random()
        if shape < 0.4:
            text = random.choice(vocabulary)
        elif shape < 0.75:
            text = " ".join(random.sample(vocabulary, 2))
        elif shape < 0.85:
            text = f'"{random.choice(phrases)}"'
        elif shape < 0.95:
            text = " OR ".join(random.sample(vocabulary, 3))
        else:
            first, second = random.sample(vocabulary, 2)
            text = f"{first} -{second}"
        try:
            canonical = parse(text).canonical
        except QueryError:
            continue
        if canonical not in seen:
            seen.add(canonical)
            topics.append(text)
    return topics


async def _subscribe(store: Store, topics: list[str]) -> None:
    """Topics, chats and subscriptions written in bulk, in the repository's own shape."""
    moment = to_db(utc_now())
    queries = [parse(text) for text in topics]
    weights = [1 / rank for rank in range(1, TOPICS + 1)]
    pairs: set[tuple[int, int]] = {(index % CHATS, index) for index in range(TOPICS)}
    while len(pairs) < SUBSCRIPTIONS:
        chat = random.randrange(CHATS)
        for index in random.choices(range(TOPICS), weights, k=10):
            pairs.add((chat, index))
    async with store.database.transaction() as db:
        await db.executemany(
            "INSERT INTO chats (id, type, blocked, first_seen_at, last_seen_at)"
            " VALUES (?, 'private', ?, ?, ?)",
            [(chat, int(chat % 100 == 0), moment, moment) for chat in range(CHATS)],
        )
        await db.executemany(
            "INSERT INTO topics (id, canonical, query, created_at) VALUES (?, ?, ?, ?)",
            [(i + 1, q.canonical, q.to_json(), moment) for i, q in enumerate(queries)],
        )
        await db.executemany(
            "INSERT INTO topic_terms (term, topic_id) VALUES (?, ?)",
            [(anchor, i + 1) for i, q in enumerate(queries) for anchor in q.anchors],
        )
        await db.executemany(
            "INSERT INTO subscriptions (chat_id, topic_id, label, created_at) VALUES (?, ?, ?, ?)",
            [
                (chat, index + 1, topics[index], moment)
                for chat, index in sorted(pairs)[:SUBSCRIPTIONS]
            ],
        )


async def _briefing(store: Store, articles: list[str]) -> tuple[int, list[int]]:
    stories = tuple(
        Story(
            " ".join(text.split()[:12]),
            tuple(Block(BlockKind.PARAGRAPH, p) for p in text.split(" . ") if p.strip()),
        )
        for text in articles
    )
    # Summarized as ingest does, so that alerts carry the summaries they would carry.
    briefing = enrich(Briefing("bench-alerts", "Bench Daily", stories))
    result = await store.briefings.save(briefing)
    stored = await store.briefings.get(result.briefing_id)
    assert stored is not None
    return result.briefing_id, [s.id for s in stored.stories if s.id is not None]


async def _naive(store: Store, briefing: Briefing) -> tuple[int, list[tuple[float, float]]]:
    """Every subscription read, parsed and evaluated against every story, one by one."""
    alerts = 0

    async def loop() -> None:
        nonlocal alerts
        docs = [document(s.heading, *s.summary, s.text) for s in briefing.stories]
        found: set[tuple[int, int]] = set()
        async with store.database.connection.execute(
            "SELECT s.chat_id, t.query FROM subscriptions s JOIN topics t ON t.id = s.topic_id"
            " JOIN chats c ON c.id = s.chat_id WHERE c.blocked = 0"
        ) as cursor:
            async for row in cursor:
                query = from_json(row["query"])
                for index, doc in enumerate(docs):
                    if query.matches(doc):
                        found.add((row["chat_id"], index))
        alerts = len(found)

    times = await _time(loop, runs=3)
    return alerts, times


async def _time(
    step: Callable[[], Awaitable[None]],
    runs: int = RUNS,
    before: Callable[[], Awaitable[None]] | None = None,
) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run; CPU counts every thread (aiosqlite's too)."""
    times = []
    for _ in range(runs):
        if before is not None:
            await before()
        wall, cpu = time.perf_counter(), time.process_time()
        await step()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def _line(name: str, times: list[tuple[float, float]]) -> None:
    wall = [w for w, _ in times]
    cpu = [c for _, c in times]
    print(
        f"{name:<48} wall best {min(wall):6.3f} s, median {statistics.median(wall):6.3f} s;"
        f" CPU best {min(cpu):6.3f} s, median {statistics.median(cpu):6.3f} s"
    )


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
