"""The content terms of a sentence: the words that carry its meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Function words, contraction stubs and the reporting verbs every news sentence carries.
# (A word list reads better as text than as 200 one-item lines.)
STOP_WORDS = frozenset(
    """
    a about above after again against ago ain all almost along already also although always
    am among an and another any anyone anything are aren around as at away back be became
    because become been before being below between both but by can cannot could couldn did
    didn do does doesn doing don done down during each either else enough even ever every
    few for from further get gets getting go goes going got had hadn has hasn have haven
    having he her here hers herself him himself his how however i if in into is isn it its
    itself just last least less let like ll made make many may me might more most mr mrs ms
    much must mustn my myself near need neither never next no nor not now of off often on
    once one only onto or other others our ours ourselves out over own per quite rather re
    really said same say saying says see seen shall she should shouldn since so some still
    such than that the their theirs them themselves then there these they this those though
    through thus to told too toward towards under until up upon us use used ve very was
    wasn way we well were weren what whatever when where whether which while who whom whose
    why will with within without won would wouldn yet you your yours yourself yourselves
    """.split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_APOSTROPHES = re.compile(r"['\u2019]")


@dataclass(frozen=True, slots=True)
class SentenceTerms:
    """What a sentence says, as the ranking sees it.

    Attributes:
        terms: lowercased content words, plurals folded, in order.
        words: how many words it has in all.
    """

    terms: tuple[str, ...]
    words: int


def sentence_terms(sentence: str) -> SentenceTerms:
    """Split ``sentence`` into words and keep its content terms."""
    tokens = _TOKEN.findall(sentence)
    terms: list[str] = []
    for token in tokens:
        word = token.lower()
        if "'" in word or "\u2019" in word:
            word = _APOSTROPHES.split(word, maxsplit=1)[0]
        if len(word) < 2 or word in STOP_WORDS:
            continue
        terms.append(_fold_plural(word))
    return SentenceTerms(tuple(terms), len(tokens))


def _fold_plural(word: str) -> str:
    if word[-1] != "s" or len(word) < 4 or word.endswith(("ss", "us", "is")):
        return word
    return word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two sparse unit vectors, i.e. their cosine similarity."""
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())
