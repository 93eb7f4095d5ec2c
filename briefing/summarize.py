"""Extractive summaries of news stories: a few of the story's own sentences, in order.

News is written as an inverted pyramid: the first sentences state what happened and the
rest elaborates. So the summary walks the story in reading order and takes a sentence
unless it is not a statement of the news:

- a question ("Do you suffer from FOMO?"): hooks and rhetorical asides;
- a fragment of fewer than eight words: subheadings, teasers, a lone "He did.";
- a near repeat of a sentence already taken (TF-IDF cosine of its content words, within
  the article): a caption restating the lead, a paragraph restating the first.

Sentences passed over fill any places left, in order. Sentences come from
:func:`split_sentences` (pysbd), with bylines, datelines, timestamps, photo credits and
calls to action dropped first (:mod:`briefing.text_boilerplate`).

On a CNN/DailyMail sample (``bench/rouge_table.py``) this beats Lead-3 on the cleaned
sentences by about one ROUGE point on both halves. Scoring sentences by PacSum-style
directed centrality, names and figures, length and MMR instead did as well on the half we
tuned on and no better than Lead-3 on the other, so the simple rule stays.
"""

from __future__ import annotations

import math

from briefing.text_boilerplate import is_boilerplate, strip_header
from briefing.text_sentences import paragraphs, split_paragraph, split_sentences
from briefing.text_terms import SentenceTerms, cosine, sentence_terms

__all__ = ["split_sentences", "story_sentences", "summarize"]

# Fewer words than this make a fragment, not a sentence that can state the news. ROUGE on
# either half of the sample changes little from 6 to 8.
_MIN_WORDS = 8
# A sentence at least this similar to one already taken mostly repeats it. About 1 in 100
# sentence pairs of a story reach it (the median pair shares no term); ROUGE on either half
# changes little from 0.2 to 0.3.
_REPEAT_SIMILARITY = 0.25


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
    chosen = _choose(sentences, max_sentences)
    return [sentences[i] for i in sorted(chosen)]


def _choose(sentences: list[str], count: int) -> list[int]:
    """Indexes of ``count`` sentences: in reading order, statements that add something."""
    analysed = [sentence_terms(sentence) for sentence in sentences]
    frequency = _document_frequency(analysed)
    # Vectors only of the sentences the walk compares: it stops once it has ``count``.
    vectors: dict[int, dict[str, float]] = {}
    chosen: list[int] = []
    passed_over: list[int] = []
    for index, sentence in enumerate(sentences):
        if len(chosen) == count:
            break
        if "?" in sentence or analysed[index].words < _MIN_WORDS:
            passed_over.append(index)
            continue
        vector = _tfidf_vector(analysed[index], frequency, len(sentences))
        if any(cosine(vector, vectors[j]) >= _REPEAT_SIMILARITY for j in chosen):
            passed_over.append(index)
        else:
            chosen.append(index)
            vectors[index] = vector
    return chosen + passed_over[: count - len(chosen)]


def _document_frequency(analysed: list[SentenceTerms]) -> dict[str, int]:
    """In how many of the article's sentences each content term occurs."""
    frequency: dict[str, int] = {}
    for terms in analysed:
        for term in set(terms.terms):
            frequency[term] = frequency.get(term, 0) + 1
    return frequency


def _tfidf_vector(terms: SentenceTerms, frequency: dict[str, int], count: int) -> dict[str, float]:
    """The unit TF-IDF vector of a sentence's content terms, IDF taken within the article."""
    weights: dict[str, float] = {}
    for term in terms.terms:
        weights[term] = weights.get(term, 0.0) + math.log((count + 1) / (frequency[term] + 0.5))
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: weight / norm for term, weight in weights.items()}
