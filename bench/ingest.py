"""How fast, and in how much memory, feed entries become stored briefings (fetch-free).

Stages, each timed on its own over the whole feed (the best of a few runs):

- ``feedparser``: ``feedparser.parse`` with parse_feed's options;
- ``html split``: the rest of ``parse_feed`` (decoding, guards, html_text's split of each
  entry into stories, building the models): parse_feed's time minus feedparser's;
- ``enrich``: extractive summaries and comment placement (``briefing.enrich.enrich``);
- ``store``: ``BriefingRepository.save`` of every enriched briefing, each in its own
  transaction, into a fresh SQLite file in a temporary directory;
- ``end to end``: what the poller does with a fetched feed, minus the per-entry comment
  feeds (fetches): ``read_document`` in ``asyncio.to_thread``, then ``Ingestor.ingest``
  of each entry in turn (stored-state query, enrich in ``asyncio.to_thread``, save) into
  a fresh database, keeping each result as the poller's report does;
- ``again, unchanged``: the same feed ingested a second time into that database (a poll
  that finds nothing new: no summarizing, the comments placed, the save a no-op).

Entries of a feed carry no comments (a poll reads them from each entry's comment feed), so
comment placement and the comment store path are measured on a second generated feed whose
entries are each handed 25 generated comments before ``ingest``, as the poller does.

Baselines measured in the same run, since the machine is shared and noisy: feedparser
with its defaults, and the same rows written with the standard ``sqlite3`` module (same
schema and pragmas, one transaction per briefing, rows prepared beforehand).

The whole process is pinned to one CPU first: ingest is sequential, and the threads of
``asyncio.to_thread`` and aiosqlite then cannot hide work on a second core.

Memory, in child processes per feed size (generated feeds of 250 to 2,000 entries, read
from a file as a fetched body would arrive): ``tracemalloc`` peaks while parsing and while
ingesting, what the parsed entries and the kept results hold, the largest working memory
of any single entry's ingest; and, in a separate untraced child, the peak resident memory
(``VmHWM``, which unlike ``ru_maxrss`` does not inherit the parent's peak across fork and
exec; ``ru_maxrss`` where there is no /proc) and the end-to-end rate at that size.

Run: ``python -m bench.ingest`` (``BRIEFBOT_SHARED_DATA`` names the shared data folder);
it takes about three minutes, most of it in the traced children.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TypeVar

import feedparser

from bench.generated_feed import FEED_URL, generated_comments, generated_feed
from bench.parse_speed import HEADERS, best_of
from bench.shared_data import shared_data_dir
from bot.sources.ingestor import Ingested, Ingestor
from briefing.documents import read_document
from briefing.enrich import enrich
from briefing.feeds import parse_feed
from briefing.models import Briefing, Comment
from briefing.sources import SourceKind
from storage.db import MIGRATIONS_PACKAGE
from storage.store import Store
from storage.timestamps import to_db

TARGET_PER_SECOND = 200
GENERATED_ENTRIES = 1000
DISCUSSED_ENTRIES = 200
COMMENTS_PER_ENTRY = 25
MEMORY_SIZES = (250, 500, 1000, 2000)
SHARED_FEEDS = (
    ("dcrainmaker.xml", "https://www.dcrainmaker.com/feed"),
    ("tpm-2017-11-08.atom", "http://talkingpointsmemo.com/feed"),
)
_MEMORY_FLAG = "--memory-child"
_MB = 1024 * 1024

T = TypeVar("T")
Discussions = Sequence[tuple[Comment, ...]]


@dataclass(frozen=True, slots=True)
class Stage:
    """One timed step over a whole feed."""

    name: str
    seconds: float
    baseline: bool = False


@dataclass(frozen=True, slots=True)
class FeedTimings:
    """The stages of one feed."""

    name: str
    entries: int
    size: int
    stages: tuple[Stage, ...]

    @property
    def end_to_end(self) -> float:
        """Entries per second, end to end."""
        seconds = next(s.seconds for s in self.stages if s.name == "end to end")
        return self.entries / seconds


# -- timing ---------------------------------------------------------------------------


def time_feed(
    name: str, data: bytes, url: str, repeats: int, discussions: Discussions = ()
) -> FeedTimings:
    """Time every stage of ingesting ``data`` (the best of ``repeats`` runs each).

    Args:
        discussions: the comments handed to each entry in turn, if any.
    """
    briefings = _discussed(
        [entry.briefing for entry in parse_feed(data, url).entries], discussions
    )
    enriched = [enrich(briefing) for briefing in briefings]
    parsed_with_defaults = best_of(repeats, lambda: feedparser.parse(data))
    feedparser_only = best_of(
        repeats,
        lambda: feedparser.parse(
            data, sanitize_html=False, resolve_relative_uris=False, response_headers=HEADERS
        ),
    )
    parse_total = best_of(repeats, lambda: parse_feed(data, url))
    enrich_time = best_of(repeats, lambda: [enrich(briefing) for briefing in briefings])
    store_time = min(
        _in_fresh_store(lambda store: _save_all(store, enriched)) for _ in range(repeats)
    )
    sqlite_time = min(_plain_sqlite_insert(enriched) for _ in range(repeats))
    end_to_end, again = zip(
        *(
            _in_fresh_store(lambda store: _ingest_twice(store, data, url, discussions))
            for _ in range(repeats)
        ),
        strict=True,
    )
    stages = (
        Stage("feedparser, defaults", parsed_with_defaults, baseline=True),
        Stage("feedparser", feedparser_only),
        Stage("html split", parse_total - feedparser_only),
        Stage("parse_feed", parse_total),
        Stage("enrich", enrich_time),
        Stage("plain sqlite3 insert", sqlite_time, baseline=True),
        Stage("store", store_time),
        Stage("end to end", min(end_to_end)),
        Stage("again, unchanged", min(again)),
    )
    return FeedTimings(name, len(briefings), len(data), stages)


def _discussed(briefings: list[Briefing], discussions: Discussions) -> list[Briefing]:
    if not discussions:
        return briefings
    return [replace(b, comments=c) for b, c in zip(briefings, discussions, strict=True)]


def _in_fresh_store(work: Callable[[Store], Awaitable[T]]) -> T:
    async def run() -> T:
        with tempfile.TemporaryDirectory() as folder:
            store = await Store.open(Path(folder) / "bench.db")
            try:
                return await work(store)
            finally:
                await store.close()

    return asyncio.run(run())


async def _save_all(store: Store, briefings: Sequence[Briefing]) -> float:
    started = time.perf_counter()
    for briefing in briefings:
        await store.briefings.save(briefing)
    return time.perf_counter() - started


async def ingest_feed(
    store: Store, data: bytes, url: str, discussions: Discussions = ()
) -> list[Ingested]:
    """Parse and store a fetched feed the way ``SourcePoller.ingest_fetched`` does.

    Args:
        discussions: each entry's comments, handed over as the poller hands over what it
            read from the entry's comment feed.
    """
    entries = await asyncio.to_thread(read_document, SourceKind.FEED, data, url)
    ingestor = Ingestor(store)
    stored: list[Ingested] = []
    for index, entry in enumerate(entries.entries):
        briefing = entry.briefing
        if discussions:
            briefing = replace(briefing, comments=discussions[index])
        stored.append(await ingestor.ingest(briefing))
    return stored


async def _ingest_twice(
    store: Store, data: bytes, url: str, discussions: Discussions
) -> tuple[float, float]:
    started = time.perf_counter()
    await ingest_feed(store, data, url, discussions)
    first = time.perf_counter() - started
    started = time.perf_counter()
    await ingest_feed(store, data, url, discussions)
    return first, time.perf_counter() - started


def _plain_sqlite_insert(briefings: Sequence[Briefing]) -> float:
    """The same briefing, story and comment rows through ``sqlite3``, a transaction each."""
    moment = to_db(datetime.now(UTC))
    rows = [
        (
            (b.key, b.title, b.url, to_db(b.published), b.comment_count, b.content_hash()),
            [
                (
                    position,
                    s.heading,
                    json.dumps([[k.kind.value, k.text] for k in s.blocks], ensure_ascii=False),
                    s.url,
                    json.dumps(list(s.summary), ensure_ascii=False),
                )
                for position, s in enumerate(b.stories)
            ],
            [
                (c.key, c.parent_key, c.story_position, c.author, c.text, position)
                for position, c in enumerate(b.comments)
            ],
        )
        for b in briefings
    ]
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "plain.db", isolation_level=None)
        try:
            for pragma in ("journal_mode = WAL", "foreign_keys = ON", "synchronous = NORMAL"):
                db.execute(f"PRAGMA {pragma}")
            for script in sorted(resources.files(MIGRATIONS_PACKAGE).iterdir(), key=str):
                if script.name.endswith(".sql"):
                    db.executescript(script.read_text(encoding="utf-8"))
            started = time.perf_counter()
            for briefing_row, story_rows, comment_rows in rows:
                db.execute("BEGIN IMMEDIATE")
                cursor = db.execute(
                    "INSERT INTO briefings (key, title, url, published_at, comment_count,"
                    " content_hash, ingested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*briefing_row, moment, moment),
                )
                db.executemany(
                    "INSERT INTO stories (briefing_id, position, heading, blocks, url, summary)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [(cursor.lastrowid, *story) for story in story_rows],
                )
                db.executemany(
                    "INSERT INTO comments (briefing_id, key, parent_key, story_position,"
                    " author, body, position, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'source')",
                    [(cursor.lastrowid, *comment) for comment in comment_rows],
                )
                db.execute("COMMIT")
            return time.perf_counter() - started
        finally:
            db.close()


# -- memory ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemoryFigures:
    """Memory of ingesting one generated feed, in bytes (see the module docstring)."""

    entries: int
    input_bytes: int
    parse_peak: int
    parsed: int
    ingest_peak: int
    kept: int
    entry_peak: int
    rss_start: int
    rss_peak: int
    per_second: float


def measure_memory(entries: int) -> MemoryFigures:
    """Run the traced and the untraced child on a generated feed of ``entries`` entries."""
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.xml"
        feed.write_bytes(generated_feed(entries))
        traced = _run_child(feed, traced=True)
        untraced = _run_child(feed, traced=False)
    return MemoryFigures(
        entries=entries,
        input_bytes=int(traced["input_bytes"]),
        parse_peak=int(traced["parse_peak"]),
        parsed=int(traced["parsed"]),
        ingest_peak=int(traced["ingest_peak"]),
        kept=int(traced["kept"]),
        entry_peak=int(traced["entry_peak"]),
        rss_start=int(untraced["rss_start"]),
        rss_peak=int(untraced["rss_peak"]),
        per_second=entries / untraced["seconds"],
    )


def _run_child(feed: Path, *, traced: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.ingest", _MEMORY_FLAG, str(feed)]
    if traced:
        command.append("traced")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def _memory_child(feed: Path, *, traced: bool) -> dict[str, float]:
    """Ingest the feed in ``feed`` into a fresh database and report its memory."""
    data = feed.read_bytes()
    gc.collect()
    figures: dict[str, float] = {"input_bytes": len(data), "rss_start": _peak_rss()}

    async def run(store: Store) -> None:
        if traced:
            tracemalloc.start()
        started, start = time.perf_counter(), _traced()
        entries = await asyncio.to_thread(read_document, SourceKind.FEED, data, FEED_URL)
        figures["parse_peak"] = _traced_peak() - start
        figures["parsed"] = _traced() - start
        loop_start = _traced()
        ingestor = Ingestor(store)
        kept: list[Ingested] = []  # as the poller's report keeps them
        entry_peak = loop_peak = 0
        for entry in entries.entries:
            before = _traced()
            if traced:
                tracemalloc.reset_peak()
            kept.append(await ingestor.ingest(entry.briefing))
            entry_peak = max(entry_peak, _traced_peak() - before)
            loop_peak = max(loop_peak, _traced_peak())
        figures["seconds"] = time.perf_counter() - started
        figures["entry_peak"] = entry_peak
        figures["kept"] = _traced() - loop_start
        figures["ingest_peak"] = loop_peak - start
        if traced:
            tracemalloc.stop()

    _in_fresh_store(run)
    figures["rss_peak"] = _peak_rss()
    return figures


def _traced() -> int:
    return tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0


def _traced_peak() -> int:
    return tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else 0


def _peak_rss() -> int:
    """This process's peak resident memory in bytes: VmHWM, else ``ru_maxrss``."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


# -- report ---------------------------------------------------------------------------


def print_timings(feeds: Sequence[FeedTimings]) -> None:
    """One block per feed: each stage's time, time per entry and entries per second."""
    print(f"{'feed / stage':<34}| {'ms':>8} | {'ms/entry':>8} | {'entries/s':>9}")
    print("|".join("-" * width for width in (34, 10, 10, 10)))
    for feed in feeds:
        print(f"{feed.name} ({feed.entries:,} entries, {feed.size / 1024:,.0f} KB)")
        for stage in feed.stages:
            label = f"  {stage.name}{' (baseline)' if stage.baseline else ''}"
            print(
                f"{label:<34}| {stage.seconds * 1000:8.1f} | "
                f"{stage.seconds * 1000 / feed.entries:8.2f} | "
                f"{feed.entries / stage.seconds:9,.0f}"
            )


def print_memory(rows: Sequence[MemoryFigures]) -> None:
    """The memory table, one row per feed size, in MB except the per-entry column."""
    print(
        f"{'entries':>7} | {'input':>5} | {'parse peak':>10} | {'parsed':>6} | "
        f"{'ingest peak':>11} | {'kept':>4} | {'1 entry KB':>10} | {'RSS start':>9} | "
        f"{'RSS peak':>8} | {'entries/s':>9}"
    )
    print("|".join("-" * width for width in (8, 7, 12, 8, 13, 6, 12, 11, 10, 10)))
    for r in rows:
        print(
            f"{r.entries:7,} | {r.input_bytes / _MB:5.1f} | {r.parse_peak / _MB:10.1f} | "
            f"{r.parsed / _MB:6.1f} | {r.ingest_peak / _MB:11.1f} | {r.kept / _MB:4.1f} | "
            f"{r.entry_peak / 1024:10.0f} | {r.rss_start / _MB:9.0f} | "
            f"{r.rss_peak / _MB:8.0f} | {r.per_second:9,.0f}"
        )


def print_memory_verdict(rows: Sequence[MemoryFigures]) -> None:
    """Say how memory grows with the feed and whether the per-entry part stays flat."""

    def span(values: list[float], unit: str, digits: int = 1) -> str:
        low, high = f"{min(values):.{digits}f}", f"{max(values):.{digits}f}"
        return f"{low}{unit}" if low == high else f"{low}-{high}{unit}"

    print(
        "memory grows with the feed: parse_feed reads the whole document at once (feedparser"
        f" cannot stream), peaking at {span([r.parse_peak / r.input_bytes for r in rows], 'x')}"
        f" the input; then the parsed entries hold "
        f"{span([r.parsed / r.input_bytes for r in rows], 'x')}, and the results kept for the"
        f" poll's report {span([r.kept / r.input_bytes for r in rows], 'x')} more"
    )
    entry = [r.entry_peak / 1024 for r in rows]
    flat = max(entry) <= 1.25 * min(entry)
    print(
        f"working memory of one entry's ingest (its peak above what was held before it): "
        f"{span(entry, ' KB', 0)}, {'flat' if flat else 'NOT flat'} from {rows[0].entries:,} to "
        f"{rows[-1].entries:,} entries"
    )


def _pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned: no sched_setaffinity here"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})  # threads and children started later inherit it
    return f"pinned to CPU {cpu}"


def main(argv: Sequence[str] = ()) -> int:
    """Print the timing and memory tables and whether the target is met."""
    arguments = list(argv)
    if arguments[:1] == [_MEMORY_FLAG]:
        traced = arguments[2:] == ["traced"]
        print(json.dumps(_memory_child(Path(arguments[1]), traced=traced)))
        return 0
    print(f"ingest benchmark, one core ({_pin_to_one_cpu()}), fetch-free")
    print(
        "ingest is sequential; parsing and enrich run in asyncio.to_thread workers and SQLite"
        " in aiosqlite's thread, all on that one core"
    )
    feeds: list[FeedTimings] = []
    data_dir = shared_data_dir()
    if data_dir is None:
        print("shared data not found (set BRIEFBOT_SHARED_DATA): shared feeds skipped")
    else:
        for name, url in SHARED_FEEDS:
            data = (data_dir / "feeds" / name).read_bytes()
            feeds.append(time_feed(name, data, url, repeats=5))
    generated = time_feed("generated", generated_feed(GENERATED_ENTRIES), FEED_URL, repeats=3)
    feeds.append(generated)
    discussions = [generated_comments(n, COMMENTS_PER_ENTRY) for n in range(DISCUSSED_ENTRIES)]
    feeds.append(
        time_feed(
            f"generated, {COMMENTS_PER_ENTRY} comments each",
            generated_feed(DISCUSSED_ENTRIES),
            FEED_URL,
            repeats=3,
            discussions=discussions,
        )
    )
    print()
    print_timings(feeds)
    print()
    print("memory (MB) ingesting generated feeds; one traced and one untraced child per size:")
    memory = [measure_memory(size) for size in MEMORY_SIZES]
    print_memory(memory)
    print_memory_verdict(memory)
    print()
    met = generated.end_to_end >= TARGET_PER_SECOND
    print(
        f"target {TARGET_PER_SECOND} article-sized entries/s end to end on one core: "
        f"{'met' if met else 'NOT met'} ({generated.end_to_end:,.0f} entries/s on the "
        f"generated feed of {generated.entries:,} entries)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
