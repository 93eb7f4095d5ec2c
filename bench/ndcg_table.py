"""NDCG of comment highlights against Reddit's hidden scores, with baselines.

Each thread of ``reddit-dev.jsonl`` becomes a list of ``Comment`` (oldest first, replies
included, scores left out). Every method orders the thread's top-level comments; the gain
of a comment is its score clipped at 0 (0 for a "[deleted]" or "[removed]" body, which
no method can show) and the ideal is taken over all top-level comments.
Comments that ``rank`` leaves out count as not recommended: they follow its picks in time
order. Baselines, measured in the same run: chronological, longest-first,
most-replies-first (direct replies); and, as a reference, largest-subtree-first (all
replies below it), the crowd signal ``rank`` builds on. Ties keep time order.

Run with ``python -m bench.ndcg_table``.
"""

from __future__ import annotations

import html
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.shared_data import shared_data_dir
from briefing.highlights import rank
from briefing.models import Comment

OURS = "ours"
BASELINES = ("chronological", "longest-first", "most-replies-first")
# Not a baseline but a yardstick: our engagement signal alone, with no substance,
# earliness or diversity, which an editor wants but votes do not reward.
REFERENCES = ("largest-subtree-first",)
CUTOFFS = (3, 5)
# Bodies of comments taken down: no method can show one, so they gain nothing for any.
REMOVED = frozenset({"[deleted]", "[removed]"})


@dataclass(frozen=True, slots=True)
class EvalThread:
    """One thread: its comments as the ranker sees them, and the hidden scores."""

    thread_id: str
    comments: tuple[Comment, ...]
    scores: dict[str, int]
    post: str = ""

    @property
    def top_level(self) -> list[Comment]:
        """The top-level comments, oldest first."""
        return [c for c in self.comments if c.parent_key is None]


@dataclass(frozen=True, slots=True)
class _Row:
    """One comment row: ``[id, parent_id, depth, author, score, gilded, created_utc, body]``."""

    key: str
    parent_id: str
    author: str | None
    score: int
    created: float
    body: str


def load_threads(path: Path) -> list[EvalThread]:
    """The threads of a ``reddit-dev.jsonl``-shaped file, comments oldest first.

    Raises:
        ValueError: a line is not a thread with a list of well-formed comment rows.
    """
    threads = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        raw = record.get("comments") if isinstance(record, dict) else None
        if not isinstance(raw, list):
            raise ValueError(f"{path}:{number}: no comments list")
        try:
            rows = sorted((_row(item) for item in raw), key=lambda row: row.created)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
        comments = tuple(
            Comment(
                key=row.key,
                text=html.unescape(row.body),
                parent_key=row.parent_id[3:] if row.parent_id.startswith("t1_") else None,
                author=row.author,
                published=datetime.fromtimestamp(row.created, tz=UTC),
            )
            for row in rows
        )
        scores = {row.key: row.score for row in rows}
        post = "\n\n".join(
            str(record.get(field) or "") for field in ("title", "selftext") if record.get(field)
        )
        threads.append(
            EvalThread(str(record.get("thread_id", number)), comments, scores, html.unescape(post))
        )
    return threads


_FIELDS = ("id", "parent_id", "depth", "author", "score", "gilded", "created_utc", "body")


def _row(item: object) -> _Row:
    if isinstance(item, dict):
        values = [item.get(name) for name in _FIELDS]
    elif isinstance(item, list) and len(item) == len(_FIELDS):
        values = list(item)
    else:
        raise ValueError(f"not a comment row: {item!r:.80}")
    key, parent, _depth, author, score, _gilded, created, body = values
    if not isinstance(score, int) or not isinstance(created, int | float):
        raise ValueError(f"comment {key!r} lacks a numeric score or created_utc")
    return _Row(
        key=str(key),
        parent_id=str(parent),
        author=None if author in (None, "[deleted]") else str(author),
        score=score,
        created=float(created),
        body=str(body or ""),
    )


def ndcg(order: Sequence[str], gains: dict[str, float], k: int) -> float:
    """NDCG@k of ``order``; the ideal ranks every key of ``gains``. ``nan`` if all are 0."""
    ideal = sorted(gains.values(), reverse=True)[:k]
    ideal_dcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    if ideal_dcg == 0:
        return math.nan
    dcg = sum(gains.get(key, 0.0) / math.log2(i + 2) for i, key in enumerate(order[:k]))
    return dcg / ideal_dcg


def _ours(thread: EvalThread) -> list[str]:
    top = [c.key for c in thread.top_level]
    top_keys = set(top)
    picked = [c.key for c in rank(list(thread.comments), post=thread.post) if c.key in top_keys]
    chosen = set(picked)
    return picked + [key for key in top if key not in chosen]


def _sorted_by(thread: EvalThread, measure: Callable[[Comment], float]) -> list[str]:
    top = thread.top_level
    position = {c.key: i for i, c in enumerate(top)}
    return [c.key for c in sorted(top, key=lambda c: (-measure(c), position[c.key]))]


def _subtree_size(thread: EvalThread) -> dict[str, int]:
    parent = {c.key: c.parent_key for c in thread.comments}
    size = dict.fromkeys(parent, 0)
    for key in parent:
        above = parent[key]
        seen = {key}
        while above is not None and above in size and above not in seen:
            size[above] += 1
            seen.add(above)
            above = parent[above]
    return size


def orderings(thread: EvalThread) -> dict[str, list[str]]:
    """Every method's order of the thread's top-level comment keys."""
    direct = {c.key: 0 for c in thread.comments}
    for c in thread.comments:
        if c.parent_key in direct:
            direct[c.parent_key] += 1
    subtree = _subtree_size(thread)
    return {
        OURS: _ours(thread),
        "chronological": [c.key for c in thread.top_level],
        "longest-first": _sorted_by(thread, lambda c: len(c.text)),
        "most-replies-first": _sorted_by(thread, lambda c: direct[c.key]),
        "largest-subtree-first": _sorted_by(thread, lambda c: subtree[c.key]),
    }


def evaluate(
    paths: Path | Sequence[Path],
) -> tuple[list[str], dict[str, list[tuple[float, float]]]]:
    """Thread ids and, per method, (NDCG@3, NDCG@5) for each thread of every file."""
    threads = [t for p in ([paths] if isinstance(paths, Path) else paths) for t in load_threads(p)]
    methods = (OURS, *BASELINES, *REFERENCES)
    results: dict[str, list[tuple[float, float]]] = {m: [] for m in methods}
    for thread in threads:
        gains = {
            c.key: 0.0 if c.text.strip() in REMOVED else float(max(thread.scores[c.key], 0))
            for c in thread.top_level
        }
        for method, order in orderings(thread).items():
            at3, at5 = (ndcg(order, gains, k) for k in CUTOFFS)
            results[method].append((at3, at5))
    return [t.thread_id for t in threads], results


def mean_ndcg(values: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean NDCG@3 and NDCG@5 over the threads that have any positive gain."""
    at3 = [v[0] for v in values if not math.isnan(v[0])]
    at5 = [v[1] for v in values if not math.isnan(v[1])]
    return (statistics.fmean(at3) if at3 else math.nan, statistics.fmean(at5) if at5 else math.nan)


def synthetic_thread(size: int, seed: int = 7) -> list[Comment]:
    """A reproducible thread of ``size`` comments: made-up words drawn Zipf-like (a few
    common, most rare), one comment in three top-level, the rest replying nearby."""
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bdfgklmnprstvz')}{rng.choice('aeiou')}{i}x" for i in range(3000)]
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    start = datetime(2024, 5, 1, tzinfo=UTC)
    comments = []
    for i in range(size):
        parent = None if i % 3 == 0 or i < 3 else str(rng.randrange(max(0, i - 30), i))
        body = rng.choices(vocabulary, weights, k=rng.randrange(4, 60))
        text = "The " + " ".join(body) + ". And " + " ".join(body[::3]) + "."
        author = f"reader{rng.randrange(80)}"
        comments.append(Comment(str(i), text, parent, author, start + timedelta(minutes=i)))
    return comments


def rank_time_ms(size: int = 500, repeats: int = 5) -> float:
    """Median milliseconds ``rank`` takes on a synthetic thread of ``size`` comments."""
    comments = synthetic_thread(size)
    rank(comments)  # the first call loads the word lists and the stemmer
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        rank(comments)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def print_ndcg_table(paths: Path | Sequence[Path]) -> None:
    """Print method | NDCG@3 | NDCG@5 (mean and per thread) and whether ours wins."""
    thread_ids, results = evaluate(paths)
    names = ", ".join(p.name for p in ([paths] if isinstance(paths, Path) else paths))
    print(f"Comment highlights on {names}: NDCG of top-level comments vs hidden score")
    header = ["method", "NDCG@3", "NDCG@5"]
    header += [f"{tid} @3/@5" for tid in thread_ids]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    means = {method: mean_ndcg(values) for method, values in results.items()}
    for method, values in results.items():
        cells = [method, f"{means[method][0]:.3f}", f"{means[method][1]:.3f}"]
        cells += [f"{a:.3f}/{b:.3f}" for a, b in values]
        print(" | ".join(cells))
    ours = means[OURS]
    rivals = (*BASELINES, *REFERENCES)
    beaten = [b for b in rivals if ours[0] > means[b][0] and ours[1] > means[b][1]]
    missed = [b for b in rivals if b not in beaten]
    print(
        f"ours beats every baseline ({', '.join(rivals)}) on mean NDCG@3 and NDCG@5: "
        + ("yes" if not missed else f"no (not: {', '.join(missed)})")
    )
    for reference in REFERENCES:
        delta3, delta5 = (ours[i] - means[reference][i] for i in (0, 1))
        print(f"ours minus reference {reference}: NDCG@3 {delta3:+.3f}, NDCG@5 {delta5:+.3f}")
    print(f"rank() on a 500-comment thread: {rank_time_ms():.1f} ms (median of 5)")


def main() -> int:
    """Print the table for ../shared/data/reddit-dev.jsonl; exit 2 when it is absent."""
    data = shared_data_dir()
    if data is None:
        print("../shared/data is absent: nothing to measure", file=sys.stderr)
        return 2
    print_ndcg_table([data / "reddit-dev.jsonl", data / "reddit-dev-more.jsonl"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
