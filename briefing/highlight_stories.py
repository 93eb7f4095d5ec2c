"""Which story of a briefing is a comment about? BM25 over the stories' words.

Each story (heading and body) is one document; the comment is the query. Words are
stemmed content words (stop words removed), and each distinct query word counts once, so
a word repeated in a rant does not outweigh the rest. A comment is assigned to the best
story only when that story is clearly ahead of the runner-up; otherwise it is about the
briefing as a whole (``None``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from briefing.highlight_text import content_stems
from briefing.models import Story

# BM25's usual constants (Robertson & Zaragoza): term-frequency saturation and how much
# a long document is discounted.
_K1 = 1.2
_B = 0.75
# "Clearly closer": the best story must score this many times the runner-up. 1.5 means
# the comment shares half as much evidence again with it as with any other story.
_CLEAR_LEAD = 1.5
# And it must share at least one word that is rare among the stories (a word in every
# story scores ln(1 + 0.5 / (N + 0.5)), well under this).
_MIN_EVIDENCE = 0.5


def story_scores(comment_text: str, stories: Sequence[Story]) -> list[float]:
    """The BM25 score of each story for the comment, in story order."""
    documents = [Counter(content_stems(f"{story.heading}\n\n{story.text}")) for story in stories]
    if not documents:
        return []
    average_length = sum(doc.total() for doc in documents) / len(documents) or 1.0
    document_frequency: Counter[str] = Counter()
    for doc in documents:
        document_frequency.update(doc.keys())
    query = set(content_stems(comment_text))
    scores = []
    for doc in documents:
        length_norm = _K1 * (1 - _B + _B * doc.total() / average_length)
        score = 0.0
        for term in query:
            frequency = doc[term]
            if frequency:
                rarity = document_frequency[term]
                idf = math.log(1 + (len(documents) - rarity + 0.5) / (rarity + 0.5))
                score += idf * frequency * (_K1 + 1) / (frequency + length_norm)
        scores.append(score)
    return scores


def assign_story(comment_text: str, stories: Sequence[Story]) -> int | None:
    """The index of the story the comment is about, or ``None`` for the whole briefing.

    ``None`` too when no story is clearly closer than the others: the best one must
    score at least ``_CLEAR_LEAD`` times the runner-up and at least ``_MIN_EVIDENCE``.
    """
    scores = story_scores(comment_text, stories)
    if not scores:
        return None
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    runner_up = max((s for i, s in enumerate(scores) if i != best), default=0.0)
    if scores[best] < _MIN_EVIDENCE or scores[best] < _CLEAR_LEAD * runner_up:
        return None
    return best
