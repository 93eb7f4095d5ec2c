"""Extractive summaries of news stories: a few of the story's own sentences, in order.

Each sentence is scored by a logistic model of a few features, and the ``max_sentences``
best are returned in reading order; questions and fragments of under eight words (hooks,
subheadings, "A proud day.") state no news, and a near repeat of a sentence already taken
(TF-IDF cosine ``_REPEAT_SIMILARITY``, a caption restating the lead) adds none, so they
come only when other sentences run out. The features (``sentence_features``):

- position: first, second, third, relative and log position;
- length: log word count, length against the story's mean, "a fragment of under 8 words";
- centrality: TextRank (PageRank over shared content words, normalised by log lengths),
  degree over TF-IDF cosine within the story, PacSum's directed (forward and backward)
  degree, and similarity to the first sentence;
- form: a question, a quotation, figures, capitalised words, distinct-word density;
- the lead walk: whether the inverted-pyramid rule picks it (read in order, taking each
  statement of eight words or more that is not a question nor a near repeat).

How much of the story the summary may take decides what matters. A short summary of a
long story (under ``LEAD_SHARE`` of its sentences, like 3 of a 30-sentence wire story)
is the lead's job; one that takes a sixth or more must also cover the body, and there
central, long sentences win. So there are two weight tables, one per regime, both
fitted (``bench/fit_summary.py``) on the tuning halves of the CNN/DailyMail and BBC News
development sets pooled; the regime depends only on the budget and the story, never on
where the story came from. Figures: ``python -m bench.quality``.

Sentences come from :func:`split_sentences` (pysbd), with bylines, datelines, timestamps,
photo credits and calls to action dropped first (:mod:`briefing.text_boilerplate`).
"""

from __future__ import annotations

import math
import re

from briefing.summary_weights import BODY_WEIGHTS, LEAD_SHARE, LEAD_WEIGHTS
from briefing.text_boilerplate import is_boilerplate, strip_header
from briefing.text_sentences import paragraphs, split_paragraph, split_sentences
from briefing.text_terms import SentenceTerms, cosine, sentence_terms

__all__ = [
    "FEATURES",
    "in_lead_regime",
    "sentence_features",
    "split_sentences",
    "story_sentences",
    "summarize",
]

# Fewer words than this make a fragment, not a sentence that can state the news.
_MIN_WORDS = 8
# A sentence at least this similar to one already taken mostly repeats it (the lead walk).
_REPEAT_SIMILARITY = 0.25
# A summary covering the body takes central sentences, which share terms by nature: only
# a restatement this close is a repeat there.
_BODY_REPEAT_SIMILARITY = 0.5
# Only this many first sentences compete: the pairs cost their count squared, and no
# summary of a few sentences is drawn from past the sixtieth (past the fortieth in the
# lead regime, whose weights favour the first ones and which skips TextRank's rounds).
MAX_CANDIDATES = 60
LEAD_CANDIDATES = 40
_PAGERANK_DAMPING = 0.85
_PAGERANK_ROUNDS = 10
_DIGIT = re.compile(r"\d")
# A capitalised word after the first: names, places, organisations.
_CAPITALISED = re.compile(r"\s[A-Z]")

FEATURES = tuple(
    "bias first second third relpos logpos loglen rellen short textrank degree forward"  # noqa: SIM905
    " backward overlap_degree like_first question quote figures capitals log_count density"
    " lead_walk".split()
)


_QUESTION = FEATURES.index("question")
_SHORT = FEATURES.index("short")


def story_sentences(text: str) -> list[str]:
    """The sentences of a story, in order, without bylines, datelines and page furniture."""
    return [
        sentence
        for paragraph in paragraphs(text)
        for sentence in split_paragraph(strip_header(paragraph))
        if not is_boilerplate(sentence)
    ]


def summarize(text: str, max_sentences: int) -> list[str]:
    """The ``max_sentences`` sentences of ``text`` that best summarize it, in reading order.

    A story with no more sentences than that is returned whole; an empty one gives ``[]``.

    Raises:
        TypeError: ``text`` is not a string or ``max_sentences`` not an integer.
        ValueError: ``max_sentences`` is less than 1.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if isinstance(max_sentences, bool) or not isinstance(max_sentences, int):
        raise TypeError(f"max_sentences must be an int, not {type(max_sentences).__name__}")
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, not {max_sentences}")
    sentences = story_sentences(text)
    if len(sentences) <= max_sentences:
        return sentences
    rows, vectors = _analyse(sentences, max_sentences)
    lead = in_lead_regime(max_sentences, len(sentences))
    weights = LEAD_WEIGHTS if lead else BODY_WEIGHTS
    repeat = _REPEAT_SIMILARITY if lead else _BODY_REPEAT_SIMILARITY
    scores = [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
    # Questions and fragments state no news: they come after every statement.
    statement = [not (row[_QUESTION] or row[_SHORT]) for row in rows]
    order = sorted(range(len(rows)), key=lambda i: (not statement[i], -scores[i], i))
    chosen: list[int] = []
    repeats: list[int] = []
    for index in order:
        if len(chosen) == max_sentences:
            break
        if any(cosine(vectors[index], vectors[j]) >= repeat for j in chosen):
            repeats.append(index)
        else:
            chosen.append(index)
    chosen += repeats[: max_sentences - len(chosen)]
    return [sentences[i] for i in sorted(chosen)]


def in_lead_regime(budget: int, count: int) -> bool:
    """Does a summary of ``budget`` of ``count`` sentences take the lead's weights?"""
    return budget < LEAD_SHARE * count


def sentence_features(sentences: list[str], budget: int) -> list[list[float]]:
    """One row of ``FEATURES`` per candidate sentence (the first ``MAX_CANDIDATES``, or
    ``LEAD_CANDIDATES`` in the lead regime, where TextRank is left at 0)."""
    return _analyse(sentences, budget)[0]


def _analyse(
    sentences: list[str], budget: int
) -> tuple[list[list[float]], list[dict[str, float]]]:
    """The feature rows and TF-IDF vectors of the candidate sentences."""
    lead = in_lead_regime(budget, len(sentences))
    sentences = sentences[: LEAD_CANDIDATES if lead else MAX_CANDIDATES]
    count = len(sentences)
    if count == 0:
        return [], []
    analysed = [sentence_terms(s) for s in sentences]
    vectors = _tfidf_vectors(analysed)
    term_sets = [set(t.terms) for t in analysed]
    similarity, overlap = _pair_weights(vectors, term_sets)
    textrank = [0.0] * count if lead else _scaled(_pagerank(overlap))
    degree = _scaled([sum(row) for row in similarity])
    forward = _scaled([sum(row[i + 1 :]) for i, row in enumerate(similarity)])
    backward = _scaled([sum(row[:i]) for i, row in enumerate(similarity)])
    overlap_degree = _scaled([sum(row) for row in overlap])
    walked = set(_lead_walk(sentences, analysed, vectors, budget))
    mean_words = sum(t.words for t in analysed) / count
    rows = []
    for i, sentence in enumerate(sentences):
        words = analysed[i].words
        rows.append(
            [
                1.0,
                float(i == 0),
                float(i == 1),
                float(i == 2),
                i / count,
                math.log(i + 1),
                math.log(words + 1),
                words / mean_words if mean_words else 0.0,
                float(words < _MIN_WORDS),
                textrank[i],
                degree[i],
                forward[i],
                backward[i],
                overlap_degree[i],
                cosine(vectors[i], vectors[0]) if i else 1.0,
                float("?" in sentence),
                float('"' in sentence or "\u201c" in sentence),
                10 * len(_DIGIT.findall(sentence)) / max(1, len(sentence)),
                len(_CAPITALISED.findall(sentence)) / max(1, words),
                math.log(count),
                len(term_sets[i]) / max(1, words),
                float(i in walked),
            ]
        )
    return rows, vectors


def _tfidf_vectors(analysed: list[SentenceTerms]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors of the sentences' content terms, IDF taken within the story."""
    frequency: dict[str, int] = {}
    for terms in analysed:
        for term in set(terms.terms):
            frequency[term] = frequency.get(term, 0) + 1
    count = len(analysed)
    vectors = []
    for terms in analysed:
        weights: dict[str, float] = {}
        for term in terms.terms:
            idf = math.log((count + 1) / (frequency[term] + 0.5))
            weights[term] = weights.get(term, 0.0) + idf
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({term: weight / norm for term, weight in weights.items()})
    return vectors


def _pair_weights(
    vectors: list[dict[str, float]], term_sets: list[set[str]]
) -> tuple[list[list[float]], list[list[float]]]:
    """TF-IDF cosine and TextRank's overlap (shared terms over the sum of the log sizes)
    of every pair of sentences, through an inverted index: only pairs sharing a term
    cost anything."""
    count = len(vectors)
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings.setdefault(term, []).append((i, weight))
    similarity = [[0.0] * count for _ in range(count)]
    shared = [[0] * count for _ in range(count)]
    for posting in postings.values():
        for a in range(len(posting)):
            i, weight_i = posting[a]
            row, shared_row = similarity[i], shared[i]
            for j, weight_j in posting[a + 1 :]:
                row[j] += weight_i * weight_j
                shared_row[j] += 1
    logs = [math.log(len(terms)) if len(terms) > 1 else 0.0 for terms in term_sets]
    overlap = [[0.0] * count for _ in range(count)]
    for i in range(count):
        for j in range(i + 1, count):
            similarity[j][i] = similarity[i][j]
            if shared[i][j] and logs[i] and logs[j]:
                overlap[i][j] = overlap[j][i] = shared[i][j] / (logs[i] + logs[j])
    return similarity, overlap


def _pagerank(weights: list[list[float]]) -> list[float]:
    """PageRank over a symmetric weighted graph, a fixed number of rounds."""
    count = len(weights)
    edges = [[(j, w) for j, w in enumerate(row) if w] for row in weights]
    out = [sum(w for _, w in row) or 1.0 for row in edges]
    rank = [1.0 / count] * count
    base = (1 - _PAGERANK_DAMPING) / count
    for _ in range(_PAGERANK_ROUNDS):
        share = [rank[j] / out[j] for j in range(count)]
        rank = []
        for row in edges:
            total = 0.0
            for j, w in row:
                total += w * share[j]
            rank.append(base + _PAGERANK_DAMPING * total)
    return rank


def _scaled(values: list[float]) -> list[float]:
    """The values over their maximum (all 0 when none is positive)."""
    top = max(values, default=0.0)
    return [v / top for v in values] if top > 0 else [0.0] * len(values)


def _lead_walk(
    sentences: list[str],
    analysed: list[SentenceTerms],
    vectors: list[dict[str, float]],
    count: int,
) -> list[int]:
    """The inverted-pyramid pick: statements in reading order, no questions, fragments or
    near repeats of one already taken; sentences passed over fill any places left."""
    chosen: list[int] = []
    passed_over: list[int] = []
    for index, sentence in enumerate(sentences):
        if len(chosen) == count:
            break
        fragment = "?" in sentence or analysed[index].words < _MIN_WORDS
        similar = (cosine(vectors[index], vectors[j]) for j in chosen)
        if fragment or any(value >= _REPEAT_SIMILARITY for value in similar):
            passed_over.append(index)
        else:
            chosen.append(index)
    return chosen + passed_over[: count - len(chosen)]
