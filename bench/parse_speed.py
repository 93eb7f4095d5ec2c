"""How fast feeds become briefings: entries/s, split by stage.

Stages: ``feedparser`` (feedparser.parse with parse_feed's options: no sanitizing, no
URI rewriting, since html_text reads only text), ``html split`` (html_text.html_to_stories
on each entry's content) and ``parse_feed`` end to end (decoding, guards, both stages,
building the models). The baseline is feedparser with its defaults (sanitize_html and
resolve_relative_uris on), measured in the same run.

Run: ``.venv/bin/python -m bench.parse_speed``
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import feedparser

from bench.generated_feed import FEED_URL, generated_feed
from bench.shared_data import shared_data_dir
from briefing.feeds import parse_feed
from briefing.html_text import html_to_stories

HEADERS = {"content-type": "application/xml; charset=utf-8"}  # as parse_feed passes


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeats`` runs, in seconds."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def measure(name: str, data: bytes, url: str, repeats: int) -> None:
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    contents = [
        (max((c.value for c in e.get("content", [])), key=len, default=""), e.get("title", ""))
        for e in parsed.entries
    ]
    entries = len(parsed.entries)
    baseline = best_of(repeats, lambda: feedparser.parse(data))
    stage_parse = best_of(
        repeats,
        lambda: feedparser.parse(
            data, sanitize_html=False, resolve_relative_uris=False, response_headers=HEADERS
        ),
    )
    stage_split = best_of(
        repeats, lambda: [html_to_stories(html, title) for html, title in contents]
    )
    total = best_of(repeats, lambda: parse_feed(data, url))
    print(f"{name}: {entries} entries, {len(data) / 1024:.0f} KB")
    print(f"  feedparser, defaults (baseline) {baseline * 1000:8.1f} ms")
    print(f"  feedparser, our options         {stage_parse * 1000:8.1f} ms")
    print(f"  html split                      {stage_split * 1000:8.1f} ms")
    print(
        f"  parse_feed total                {total * 1000:8.1f} ms"
        f"  = {entries / total:,.0f} entries/s, {len(data) / total / 1e6:.1f} MB/s"
    )


def main() -> None:
    data_dir = shared_data_dir()
    if data_dir is None:
        print("shared data not found (set BRIEFBOT_SHARED_DATA): shared feeds skipped")
    else:
        feeds: list[tuple[Path, str]] = [
            (data_dir / "feeds" / "dcrainmaker.xml", "https://www.dcrainmaker.com/feed"),
            (data_dir / "feeds" / "tpm-2017-11-08.atom", "http://talkingpointsmemo.com/feed"),
        ]
        for path, url in feeds:
            measure(path.name, path.read_bytes(), url, repeats=5)
    measure("generated", generated_feed(), FEED_URL, repeats=3)


if __name__ == "__main__":
    main()
