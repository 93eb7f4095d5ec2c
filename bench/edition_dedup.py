"""The edition's near-duplicate threshold, measured: how alike are two reports of one story?

Positives: each CNN/DailyMail dev article against its reference highlights, written by
other hands: the article's first sentence as the heading and the next two as the summary,
against the first highlight as the heading and the rest as the summary (as two sources'
stories of one news item would read in an edition). Negatives: every pair of different
articles. Then the two real feeds of the shared data (one news day of Talking Points
Memo, a week of DC Rainmaker), every entry taken as a source of its own (harsher than an
edition, which compares only stories of different sources): every pair at 0.25 or more is
printed with its headings, to be read.

Printed: the similarity (``briefing.edition``'s cosine over TF-IDF of heading and summary
terms) of positives and negatives, and at each candidate threshold the share of positives
found and of negative pairs wrongly merged; the threshold in use is marked.

Run: ``python -m bench.edition_dedup`` (needs ../shared/data).
"""

from __future__ import annotations

import json
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.shared_data import shared_data_dir
from briefing.edition import DUPLICATE_THRESHOLD, DayStory, story_terms, tfidf_vectors
from briefing.enrich import enrich
from briefing.feeds import parse_feed
from briefing.summarize import story_sentences
from briefing.text_terms import cosine

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
WHEN = datetime(2026, 12, 2, tzinfo=UTC)


def _story(source: str, sentences: list[str]) -> DayStory:
    return DayStory(None, None, source, sentences[0], " ".join(sentences[1:3]), WHEN)


def main() -> int:
    """Print the figures; 2 without the shared data."""
    data = shared_data_dir()
    if data is None:
        print("../shared/data is absent: nothing to measure", file=sys.stderr)
        return 2
    records = [
        json.loads(line)
        for line in (data / "cnn-dailymail-dev-100.jsonl").read_text().splitlines()
    ]
    articles = [_story("article", story_sentences(r["article"])) for r in records]
    reports = [_story("highlights", r["highlights"].splitlines()) for r in records]
    # One IDF over everything an edition of that size would hold.
    vectors = tfidf_vectors([story_terms(s) for s in articles + reports])
    count = len(articles)
    positives = [cosine(vectors[i], vectors[count + i]) for i in range(count)]
    negatives = [
        cosine(vectors[i], vectors[count + j])
        for i in range(count)
        for j in range(count)
        if i != j
    ]
    feed_negatives = _feed_pairs(data)
    print(f"positives (article vs its highlights): {len(positives)}")
    _describe("  similarity", positives)
    print(f"negatives (different articles): {len(negatives):,}")
    _describe("  similarity", negatives)
    print(f"pairs of stories of different entries of the two real feeds: {len(feed_negatives):,}")
    _describe("  similarity", [value for value, _, _ in feed_negatives])
    for value, first, second in sorted(feed_negatives, reverse=True):
        if value >= min(THRESHOLDS) + 0.05:
            print(f"  {value:.3f}  {first[:60]!r}  ~  {second[:60]!r}")
    print()
    print("threshold | positives found | article pairs merged | feed pairs at or above")
    for threshold in THRESHOLDS:
        found = sum(p >= threshold for p in positives) / len(positives)
        merged = sum(n >= threshold for n in negatives) / len(negatives)
        feed = sum(value >= threshold for value, _, _ in feed_negatives)
        mark = "  <- in use" if threshold == DUPLICATE_THRESHOLD else ""
        print(f"{threshold:9.2f} | {found:15.0%} | {merged:20.3%} | {feed:17d}{mark}")
    return 0


def _feed_pairs(data: Path) -> list[tuple[float, str, str]]:
    stories: list[DayStory] = []
    for name in ("tpm-2017-11-08.atom", "dcrainmaker.xml"):
        feed = parse_feed((data / "feeds" / name).read_bytes(), f"https://{name}/")
        for entry in feed.entries:
            briefing = enrich(entry.briefing)
            for story in briefing.stories:
                # Every entry is a source of its own: any two entries may be merged.
                stories.append(
                    DayStory(
                        None,
                        None,
                        briefing.title,
                        story.heading,
                        " ".join(story.summary[:2]),
                        WHEN,
                    )
                )
    vectors = tfidf_vectors([story_terms(s) for s in stories])
    return [
        (cosine(vectors[i], vectors[j]), _named(stories[i]), _named(stories[j]))
        for i in range(len(stories))
        for j in range(i + 1, len(stories))
        if stories[i].source != stories[j].source
    ]


def _named(story: DayStory) -> str:
    return story.heading if story.heading == story.source else f"{story.source} / {story.heading}"


def _describe(label: str, values: list[float]) -> None:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    median = statistics.median(ordered)
    print(
        f"{label}: min {ordered[0]:.3f}, p10 {at(0.1):.3f}, median {median:.3f},"
        f" p99 {at(0.99):.3f}, p99.9 {at(0.999):.3f}, max {ordered[-1]:.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
