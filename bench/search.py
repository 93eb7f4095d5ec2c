"""/search on a ten-year archive, beside the framework's floor, through process_update.

Setup (not timed, or reused with ``--db PATH``): 5 sources, one briefing from each every day
for 3,650 days (18,250 briefings), 20,000 stories (one a briefing, two in every tenth or
so), 500,000 comments, every row written through :class:`storage.store.Store`, the search
index filled by its triggers. Texts are sentences of the CNN/DailyMail articles of the
shared data, drawn at random. The chat searching has turned one source off.

Timed, one core: real ``telegram.Update`` objects through ``Application.process_update``
with the recording request of the tests, for

- ``floor``: a handler that only replies "ok" (PTB, the recording request, one sendMessage);
- ``search``: ``/search`` with words of the same articles: single words (frequent and
  rare), pairs, quoted phrases, ``OR`` alternatives and exclusions; first pages and ▶ pages.

Run: ``python -m bench.search [--db PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import CommandHandler
from telegram.warnings import PTBUserWarning

from bench.shared_data import shared_data_dir
from bot.app import build_application
from bot.settings import Settings
from briefing.models import Block, BlockKind, Briefing, Comment, Story
from briefing.query import stems_of_text
from handlers.context import BotApplication, BotContext
from storage.store import Store
from tests.fakes.botapi import TOKEN, FakeBotApi
from tests.fakes.request import RecordingRequest

SEED = 8
SOURCES = 5
DAYS = 3_650
STORIES = 20_000
COMMENTS = 500_000
SEARCHES = 600
FLOOR_RUNS = 600
CHAT: dict[str, Any] = {"id": 4242, "type": "private", "first_name": "Ada"}
USER: dict[str, Any] = {"id": 4242, "is_bot": False, "first_name": "Ada"}
START = datetime(2016, 12, 1, 7, tzinfo=UTC)


def main() -> None:
    """Build (or reuse) the archive, time the floor and /search, print p50/p99."""
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--db", type=Path, help="keep the archive here and reuse it")
    parser.add_argument("--scale", type=float, default=1.0, help="a fraction of the archive")
    arguments = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        sys.exit("bench.search needs ../shared/data (or BRIEFBOT_SHARED_DATA)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    articles = [
        json.loads(line)["article"]
        for line in (data / "cnn-dailymail-dev-100.jsonl").read_text().splitlines()
    ]
    sentences = [s.strip() + "." for a in articles for s in a.split(". ") if len(s) > 30]
    if arguments.db is not None:
        asyncio.run(_bench(arguments.db, sentences, arguments.scale))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_bench(Path(folder) / "search.sqlite3", sentences, arguments.scale))


async def _bench(path: Path, sentences: list[str], scale: float) -> None:
    rng = random.Random(SEED)
    store = await Store.open(path)
    try:
        if await store.briefings.count() == 0:
            began = time.perf_counter()
            await _build(store, sentences, rng, scale)
            print(f"built the archive in {time.perf_counter() - began:.0f} s: {path}")
        await _describe(store)
        unfollowed = await store.sources.list()
        if unfollowed and unfollowed[0].id is not None:
            await store.follows.set_following(CHAT["id"], unfollowed[0].id, False)
    finally:
        await store.close()
    settings = Settings(token=SecretStr(TOKEN), database=path, timezone="UTC")
    api = FakeBotApi()
    application = build_application(settings, request=RecordingRequest(api))
    application.handlers[0].insert(0, CommandHandler("ok", _ok))  # before the fallbacks
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        try:
            queries = _queries(sentences, rng)
            for typed in queries[:20]:  # warm the page cache and PTB's paths
                await _send(application, api, f"/search {typed}")
            floor = [await _send(application, api, "/ok") for _ in range(FLOOR_RUNS)]
            searches = [await _send(application, api, f"/search {q}") for q in queries]
            pages = [await _press_next(application, api, q) for q in queries[: SEARCHES // 4]]
        finally:
            assert application.post_shutdown is not None
            await application.post_shutdown(application)
    _line("floor (reply 'ok')", floor)
    _line("/search", searches)
    _line("/search minus floor p50", [max(0.0, t - statistics.median(floor)) for t in searches])
    _line("▶ next page", [t for t in pages if t is not None])


async def _ok(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("ok")


async def _send(application: BotApplication, api: FakeBotApi, text: str) -> float:
    api.user_sends(CHAT, USER, text)
    return await _process(application, api)


async def _press_next(application: BotApplication, api: FakeBotApi, typed: str) -> float | None:
    await _send(application, api, f"/search {typed}")
    last = api.sent[-1]
    forward = [b["callback_data"] for row in last.buttons for b in row if b["text"] == "▶"]
    if not forward:
        return None
    api.user_presses(USER, last, forward[0])
    return await _process(application, api)


async def _process(application: BotApplication, api: FakeBotApi) -> float:
    updates = api.take_updates(0, 0)
    total = 0.0
    for data in updates:
        update = Update.de_json(data, application.bot)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Tasks created via", PTBUserWarning)
            began = time.perf_counter()
            await application.process_update(update)
            total += time.perf_counter() - began
    api.take_updates(updates[-1]["update_id"] + 1, 0)
    return total


async def _build(store: Store, sentences: list[str], rng: random.Random, scale: float) -> None:
    source_ids: list[int | None] = []
    for number in range(SOURCES):
        added = await store.sources.add(f"https://news{number}.example.org/feed", "feed")
        source_ids.append(added.id)
    briefings = round(SOURCES * DAYS * scale)
    extra = round(STORIES * scale) - briefings  # briefings that hold a second story
    second = set(rng.sample(range(briefings), extra))
    comments_in_all = round(COMMENTS * scale)
    per_comment = comments_in_all // briefings
    spare = comments_in_all - per_comment * briefings
    for index in range(briefings):
        day, source = divmod(index, SOURCES)
        stories = [_story(sentences, rng) for _ in range(2 if index in second else 1)]
        count = per_comment + (1 if index < spare else 0)
        comments = tuple(
            Comment(str(n), " ".join(rng.sample(sentences, 2)), author=f"reader{n % 97}")
            for n in range(count)
        )
        published = START + timedelta(days=day, hours=source)
        briefing = Briefing(
            f"s{source}-d{day}", f"News {source} Daily", tuple(stories), comments, published
        )
        await store.briefings.save(briefing, source_id=source_ids[source])
        if index % 2_000 == 0:
            print(f"  {index:,} / {briefings:,} briefings", file=sys.stderr)


def _story(sentences: list[str], rng: random.Random) -> Story:
    body = [" ".join(rng.sample(sentences, 4)) for _ in range(rng.randint(3, 6))]
    heading = rng.choice(sentences)[:90]
    return Story(
        heading,
        tuple(Block(BlockKind.PARAGRAPH, text) for text in body),
        summary=tuple(rng.sample(sentences, 2)),
    )


def _queries(sentences: list[str], rng: random.Random) -> list[str]:
    """Searches as people type them, from frequent and rare words of the corpus."""
    words: Counter[str] = Counter()
    typed: dict[str, str] = {}
    for sentence in sentences:
        for word in sentence.split():
            word = word.strip(".,;:!?\"'()").lower()
            if word.isalpha() and stems_of_text(word):
                words[word] += 1
                typed.setdefault(word, word)
    ranked = [w for w, _ in words.most_common()]
    frequent, rare = ranked[:200], ranked[len(ranked) // 2 :]
    shapes = [
        lambda: rng.choice(frequent),
        lambda: rng.choice(rare),
        lambda: f"{rng.choice(frequent)} {rng.choice(frequent)}",
        lambda: _phrase(sentences, rng),
        lambda: f"{rng.choice(frequent)} OR {rng.choice(rare)}",
        lambda: f"{rng.choice(frequent)} -{rng.choice(frequent)}",
    ]
    return [rng.choice(shapes)() for _ in range(SEARCHES)]


def _phrase(sentences: list[str], rng: random.Random) -> str:
    words = rng.choice(sentences).split()
    start = rng.randrange(max(1, len(words) - 2))
    return '"' + " ".join(words[start : start + 2]).strip(".,;:\"'") + '"'


async def _describe(store: Store) -> None:
    counts = []
    for table in ("sources", "briefings", "stories", "comments"):
        async with store.database.connection.execute(f"SELECT count(*) FROM {table}") as cur:
            row = await cur.fetchone()
        counts.append(f"{int(row[0]) if row else 0:,} {table}")
    print("archive: " + ", ".join(counts))


def _line(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000
    print(f"{name:<26} n={len(ordered):>4}  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")


if __name__ == "__main__":
    main()
