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


class StoryIndex:
    """The stories of one briefing as BM25 documents, built once to score many comments.

    Stemming the stories is the costly part of placing a comment, so a briefing's comments
    share one index instead of each reading every story again.
    """

    def __init__(self, stories: Sequence[Story]) -> None:
        documents = [
            Counter(content_stems(f"{story.heading}\n\n{story.text}")) for story in stories
        ]
        count = len(documents)
        average_length = (sum(doc.total() for doc in documents) / count if count else 0) or 1.0
        document_frequency: Counter[str] = Counter()
        for doc in documents:
            document_frequency.update(doc.keys())
        self._documents = documents
        self._length_norms = [
            _K1 * (1 - _B + _B * doc.total() / average_length) for doc in documents
        ]
        self._idf = {
            term: math.log(1 + (count - rarity + 0.5) / (rarity + 0.5))
            for term, rarity in document_frequency.items()
        }

    def scores(self, comment_text: str) -> list[float]:
        """The BM25 score of each story for the comment, in story order."""
        query = set(content_stems(comment_text))
        scores = []
        for doc, length_norm in zip(self._documents, self._length_norms, strict=True):
            score = 0.0
            for term in query:
                frequency = doc[term]
                if frequency:
                    score += self._idf[term] * frequency * (_K1 + 1) / (frequency + length_norm)
            scores.append(score)
        return scores

    def assign(self, comment_text: str) -> int | None:
        """The index of the story the comment is about, or ``None`` for the whole briefing.

        ``None`` too when no story is clearly closer than the others: the best one must
        score at least ``_CLEAR_LEAD`` times the runner-up and at least ``_MIN_EVIDENCE``.
        """
        scores = self.scores(comment_text)
        if not scores:
            return None
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        runner_up = max((s for i, s in enumerate(scores) if i != best), default=0.0)
        if scores[best] < _MIN_EVIDENCE or scores[best] < _CLEAR_LEAD * runner_up:
            return None
        return best


def story_scores(comment_text: str, stories: Sequence[Story]) -> list[float]:
    """The BM25 score of each story for the comment, in story order."""
    return StoryIndex(stories).scores(comment_text)


def assign_story(comment_text: str, stories: Sequence[Story]) -> int | None:
    """The story one comment is about (see :meth:`StoryIndex.assign`).

    Placing several comments of a briefing, build one :class:`StoryIndex` instead.
    """
    return StoryIndex(stories).assign(comment_text)
