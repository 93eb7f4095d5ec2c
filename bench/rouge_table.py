"""ROUGE of our summarizer against Lead-B and sumy's algorithms, measured in one run.

Every method picks B sentences per article: 3 on CNN/DailyMail, min(reference sentences,
5) on BBC News Summary (the protocol of issue 12). Each summary is scored against the
reference with rouge-score (ROUGE-1, ROUGE-2, ROUGE-L F1, Porter stemming, x100). BBC
articles are summarized without their title line (a feed story's heading is apart too).

- Lead-B: the first B sentences of the raw article (split by ``split_sentences``).
- Lead-B clean: the first B of the sentences ours chooses from (``story_sentences``:
  bylines, datelines, timestamps and page furniture removed).
- sumy: LexRank, TextRank, LSA, Luhn and SumBasic over those same clean sentences, with
  sumy's English stemmer and stop words; sumy's own tokenizer needs NLTK data, so it is
  handed a pysbd-based one.

Our method was tuned on one half of each set (CNN/DM: the first 50 articles; BBC: the
first 20 of each topic), so the table also shows each half, and the bootstrap interval
(95%, 2,000 paired resamples of articles) of ours minus the best baseline on each metric.
Times are per article, the best of 3 runs (this machine is shared and noisy), including
sentence splitting and cleaning.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.summarize import split_sentences, story_sentences, summarize

SENTENCES = 3
TUNING_ARTICLES = 50
# BBC: the budget is the reference's sentence count, at most this many.
BBC_MAX_SENTENCES = 5
# BBC: the first this-many articles of each topic are the tuning half.
BBC_TUNING_PER_TOPIC = 20
_TIMING_RUNS = 3
_RESAMPLES = 2000
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")

# A method takes the article's text and its sentence budget.
Summarizer = Callable[[str, int], list[str]]


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a data set, its reference summary, budget and half."""

    text: str
    highlights: str
    budget: int = SENTENCES
    tuning: bool = True


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean ROUGE F1 (x100) of a method over some articles."""

    rouge1: float
    rouge2: float
    rouge_l: float

    def beats(self, other: Scores) -> bool:
        """Whether these are higher on all three metrics."""
        return (
            self.rouge1 > other.rouge1
            and self.rouge2 > other.rouge2
            and self.rouge_l > other.rouge_l
        )


@dataclass(frozen=True, slots=True)
class MethodResult:
    """A method's scores over all articles and each half, per-article F1s, timing in ms."""

    name: str
    all: Scores
    tuning: Scores
    held_out: Scores
    per_article: tuple[tuple[float, float, float], ...]
    median_ms: float
    p95_ms: float


def load_articles(path: Path) -> list[Article]:
    """The articles of a JSON-lines file with ``article`` and ``highlights`` fields.

    The budget is ``SENTENCES``; the first ``TUNING_ARTICLES`` are the tuning half.
    """
    articles: list[Article] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record.get("article"), str) or not isinstance(
                record.get("highlights"), str
            ):
                raise ValueError(f"{path}:{number}: needs string 'article' and 'highlights'")
            tuning = len(articles) < TUNING_ARTICLES
            articles.append(Article(record["article"], record["highlights"], SENTENCES, tuning))
    if not articles:
        raise ValueError(f"{path}: no articles")
    return articles


def load_bbc_articles(path: Path) -> list[Article]:
    """The articles of ``bbc-news-summary-dev-200.jsonl``, title line removed.

    The budget is min(reference sentences, ``BBC_MAX_SENTENCES``); the first
    ``BBC_TUNING_PER_TOPIC`` of each topic are the tuning half.
    """
    articles: list[Article] = []
    per_topic: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            text, summary = record.get("article"), record.get("summary")
            if not isinstance(text, str) or not isinstance(summary, str):
                raise ValueError(f"{path}:{number}: needs string 'article' and 'summary'")
            topic = str(record.get("topic", ""))
            seen = per_topic.get(topic, 0)
            per_topic[topic] = seen + 1
            title, blank, body = text.partition("\n\n")
            reference = [s for s in summary.splitlines() if s.strip()]
            articles.append(
                Article(
                    text=body if blank else title,
                    highlights="\n".join(reference),
                    budget=max(1, min(len(reference), BBC_MAX_SENTENCES)),
                    tuning=seen < BBC_TUNING_PER_TOPIC,
                )
            )
    if not articles:
        raise ValueError(f"{path}: no articles")
    return articles


class RougeMeter:
    """Scores summaries against references with the standard rouge-score settings."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)

    def f1(self, summary: Sequence[str], reference: str) -> tuple[float, float, float]:
        """ROUGE-1, ROUGE-2 and ROUGE-L F1 of one summary, in 0..1."""
        scores = self._scorer.score(reference, "\n".join(summary))
        return (
            float(scores["rouge1"].fmeasure),
            float(scores["rouge2"].fmeasure),
            float(scores["rougeL"].fmeasure),
        )

    def mean(self, summaries: Sequence[Sequence[str]], references: Sequence[str]) -> Scores:
        """Mean F1 x100 over paired summaries and references."""
        triples = [self.f1(s, r) for s, r in zip(summaries, references, strict=True)]
        return mean_scores(triples)


def mean_scores(triples: Sequence[tuple[float, float, float]]) -> Scores:
    """Mean F1 x100 of per-article (R-1, R-2, R-L) F1s."""
    return Scores(*(100 * statistics.fmean(t[k] for t in triples) for k in range(3)))


def lead(text: str, count: int) -> list[str]:
    """The first ``count`` sentences of the raw text."""
    return split_sentences(text)[:count]


def lead_clean(text: str, count: int) -> list[str]:
    """The first ``count`` story sentences, page furniture removed."""
    return story_sentences(text)[:count]


def lead3_clean(text: str) -> list[str]:
    """The first three story sentences, page furniture removed."""
    return lead_clean(text, SENTENCES)


def ours(text: str, count: int = SENTENCES) -> list[str]:
    """Our summarizer."""
    return summarize(text, count)


class _PysbdTokenizer:
    """The tokenizer interface sumy expects, on our pysbd-based splitter."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def sumy_methods() -> list[tuple[str, Summarizer]]:
    """sumy's LexRank, TextRank, LSA, Luhn and SumBasic as summarizers of clean text."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _PysbdTokenizer()
    stop_words = get_stop_words("english")

    def method(summarizer_class: type) -> Summarizer:
        summarizer = summarizer_class(Stemmer("english"))
        summarizer.stop_words = stop_words

        def run(text: str, count: int) -> list[str]:
            sentences = [Sentence(s, tokenizer) for s in story_sentences(text)]
            document = ObjectDocumentModel([Paragraph(sentences)])
            return [str(sentence) for sentence in summarizer(document, count)]

        return run

    return [
        ("LexRank", method(LexRankSummarizer)),
        ("TextRank", method(TextRankSummarizer)),
        ("LSA", method(LsaSummarizer)),
        ("Luhn", method(LuhnSummarizer)),
        ("SumBasic", method(SumBasicSummarizer)),
    ]


def measure(
    name: str, method: Summarizer, articles: Sequence[Article], meter: RougeMeter
) -> MethodResult:
    """Run ``method`` over every article (timing each) and score its summaries."""
    triples: list[tuple[float, float, float]] = []
    best_seconds: list[float] = []
    for article in articles:
        fastest = float("inf")
        for _ in range(_TIMING_RUNS):
            started = time.perf_counter()
            summary = method(article.text, article.budget)
            fastest = min(fastest, time.perf_counter() - started)
        triples.append(meter.f1(summary, article.highlights))
        best_seconds.append(fastest)
    tuning = [t for t, a in zip(triples, articles, strict=True) if a.tuning]
    held_out = [t for t, a in zip(triples, articles, strict=True) if not a.tuning]
    milliseconds = sorted(1000 * s for s in best_seconds)
    return MethodResult(
        name=name,
        all=mean_scores(triples),
        tuning=mean_scores(tuning or triples),
        held_out=mean_scores(held_out or triples),
        per_article=tuple(triples),
        median_ms=statistics.median(milliseconds),
        p95_ms=milliseconds[min(len(milliseconds) - 1, round(0.95 * (len(milliseconds) - 1)))],
    )


def bootstrap_margin(
    own: Sequence[float], other: Sequence[float], seed: int = 12
) -> tuple[float, float, float]:
    """Mean of ``own - other`` (x100) and its 95% paired-bootstrap interval."""
    rng = random.Random(seed)
    deltas = [100 * (a - b) for a, b in zip(own, other, strict=True)]
    means = sorted(statistics.fmean(rng.choices(deltas, k=len(deltas))) for _ in range(_RESAMPLES))
    return (
        statistics.fmean(deltas),
        means[int(0.025 * _RESAMPLES)],
        means[int(0.975 * _RESAMPLES) - 1],
    )


def print_rouge_table(path: Path, articles: Sequence[Article] | None = None) -> None:
    """Print ours against Lead-B, Lead-B clean and the sumy algorithms on ``path``."""
    articles = list(articles) if articles is not None else load_articles(path)
    meter = RougeMeter()
    methods: list[tuple[str, Summarizer]] = [
        ("ours", ours),
        ("Lead-B", lead),
        ("Lead-B clean", lead_clean),
        *sumy_methods(),
    ]
    results = [measure(name, method, articles, meter) for name, method in methods]
    budgets = sorted({a.budget for a in articles})
    budget = str(budgets[0]) if len(budgets) == 1 else f"{budgets[0]}-{budgets[-1]}"
    print(f"ROUGE F1 x100, B = {budget} sentences, {len(articles)} articles of {path.name}")
    print(f"{'method':<14}| {'R-1':>6} | {'R-2':>6} | {'R-L':>6} | {'median ms':>9}")
    print(f"{'-' * 14}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 11}")
    for r in results:
        s = r.all
        print(
            f"{r.name:<14}| {s.rouge1:6.2f} | {s.rouge2:6.2f} | {s.rouge_l:6.2f} |"
            f" {r.median_ms:9.2f}"
        )
    print()
    half = sum(a.tuning for a in articles)
    rest = len(articles) - half
    print(f"by half: R-1 R-2 R-L on the {half} ours was tuned on | the other {rest}")
    for r in results:
        t, h = r.tuning, r.held_out
        print(
            f"{r.name:<14}| {t.rouge1:6.2f} {t.rouge2:6.2f} {t.rouge_l:6.2f}"
            f" | {h.rouge1:6.2f} {h.rouge2:6.2f} {h.rouge_l:6.2f}"
        )
    print()
    own, baselines = results[0], results[1:]
    for metric, label in enumerate(("R-1", "R-2", "R-L")):
        best = max(baselines, key=lambda b: statistics.fmean(t[metric] for t in b.per_article))
        for part, wanted in (("all", None), ("untouched half", False)):
            pairs = [
                (o[metric], b[metric])
                for o, b, a in zip(own.per_article, best.per_article, articles, strict=True)
                if wanted is None or a.tuning == wanted
            ]
            if not pairs:
                continue
            mean, low, high = bootstrap_margin([p[0] for p in pairs], [p[1] for p in pairs])
            print(
                f"ours - {best.name} ({label}, {part}): {mean:+.2f}"
                f" [95% bootstrap {low:+.2f}, {high:+.2f}]"
            )
    print(f"ours per article: median {own.median_ms:.2f} ms, p95 {own.p95_ms:.2f} ms")
    losses = [b.name for b in baselines if not own.all.beats(b.all)]
    if losses:
        print(f"ours beats every baseline on R-1, R-2 and R-L: NO (not {', '.join(losses)})")
    else:
        print("ours beats every baseline on R-1, R-2 and R-L: yes")
