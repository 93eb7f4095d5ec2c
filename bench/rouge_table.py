"""ROUGE of our summarizer against Lead-3 and sumy's algorithms, measured in one run.

Every method picks 3 sentences per article; each summary is scored against the human
highlights with rouge-score (ROUGE-1, ROUGE-2, ROUGE-L F1, Porter stemming, x100).

- Lead-3: the first 3 sentences of the raw article (split by ``split_sentences``).
- Lead-3 clean: the first 3 of the sentences ours chooses from (``story_sentences``:
  bylines, datelines, timestamps and page furniture removed).
- sumy: LexRank, TextRank, LSA, Luhn and SumBasic over those same clean sentences, with
  sumy's English stemmer and stop words; sumy's own tokenizer needs NLTK data, so it is
  handed a pysbd-based one.

Our method and its two constants were tuned on the first 50 articles, so the table also
shows each half. Times are per article, the best of 3 runs (this machine is shared and
noisy), including sentence splitting and cleaning.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.summarize import split_sentences, story_sentences, summarize

SENTENCES = 3
TUNING_ARTICLES = 50
_TIMING_RUNS = 3
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")

Summarizer = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Article:
    """One article of the data set and its human-written highlights."""

    text: str
    highlights: str


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
    """A method's scores over all articles and over each half, and its timing in ms."""

    name: str
    all: Scores
    tuning: Scores
    held_out: Scores
    median_ms: float
    p95_ms: float


def load_articles(path: Path) -> list[Article]:
    """The articles of a JSON-lines file with ``article`` and ``highlights`` fields."""
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
            articles.append(Article(record["article"], record["highlights"]))
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
        return Scores(*(100 * statistics.fmean(t[k] for t in triples) for k in range(3)))


def lead3(text: str) -> list[str]:
    """The first three sentences of the raw text."""
    return split_sentences(text)[:SENTENCES]


def lead3_clean(text: str) -> list[str]:
    """The first three story sentences, page furniture removed."""
    return story_sentences(text)[:SENTENCES]


def ours(text: str) -> list[str]:
    """Our summarizer with three sentences."""
    return summarize(text, SENTENCES)


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

        def run(text: str) -> list[str]:
            sentences = [Sentence(s, tokenizer) for s in story_sentences(text)]
            document = ObjectDocumentModel([Paragraph(sentences)])
            return [str(sentence) for sentence in summarizer(document, SENTENCES)]

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
    summaries: list[list[str]] = []
    best_seconds: list[float] = []
    for article in articles:
        fastest = float("inf")
        for _ in range(_TIMING_RUNS):
            started = time.perf_counter()
            summary = method(article.text)
            fastest = min(fastest, time.perf_counter() - started)
        summaries.append(summary)
        best_seconds.append(fastest)
    references = [article.highlights for article in articles]
    half = min(TUNING_ARTICLES, len(articles))
    milliseconds = sorted(1000 * s for s in best_seconds)
    return MethodResult(
        name=name,
        all=meter.mean(summaries, references),
        tuning=meter.mean(summaries[:half], references[:half]),
        held_out=meter.mean(summaries[half:], references[half:])
        if half < len(articles)
        else meter.mean(summaries, references),
        median_ms=statistics.median(milliseconds),
        p95_ms=milliseconds[min(len(milliseconds) - 1, round(0.95 * (len(milliseconds) - 1)))],
    )


def print_rouge_table(path: Path) -> None:
    """Print ours against Lead-3, Lead-3 clean and the sumy algorithms on ``path``."""
    articles = load_articles(path)
    meter = RougeMeter()
    methods: list[tuple[str, Summarizer]] = [
        ("ours", ours),
        ("Lead-3", lead3),
        ("Lead-3 clean", lead3_clean),
        *sumy_methods(),
    ]
    results = [measure(name, method, articles, meter) for name, method in methods]
    half = min(TUNING_ARTICLES, len(articles))
    print(f"ROUGE F1 x100, {SENTENCES} sentences, {len(articles)} articles of {path.name}")
    print(f"{'method':<14}| {'R-1':>6} | {'R-2':>6} | {'R-L':>6} | {'median ms':>9}")
    print(f"{'-' * 14}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 11}")
    for r in results:
        s = r.all
        print(
            f"{r.name:<14}| {s.rouge1:6.2f} | {s.rouge2:6.2f} | {s.rouge_l:6.2f} |"
            f" {r.median_ms:9.2f}"
        )
    print()
    rest = len(articles) - half
    print(f"by half: R-1 R-2 R-L on the first {half} (ours tuned there) | the other {rest}")
    for r in results:
        t, h = r.tuning, r.held_out
        print(
            f"{r.name:<14}| {t.rouge1:6.2f} {t.rouge2:6.2f} {t.rouge_l:6.2f}"
            f" | {h.rouge1:6.2f} {h.rouge2:6.2f} {h.rouge_l:6.2f}"
        )
    print()
    own, baselines = results[0], results[1:]
    print(f"ours per article: median {own.median_ms:.2f} ms, p95 {own.p95_ms:.2f} ms")
    losses = [b.name for b in baselines if not own.all.beats(b.all)]
    if losses:
        print(f"ours beats every baseline on R-1, R-2 and R-L: NO (not {', '.join(losses)})")
    else:
        print("ours beats every baseline on R-1, R-2 and R-L: yes")
