"""Summary post-filter: a summary never ends on a sentence that announces what follows.

An extractive summary picks sentences out of their place; one that introduced a clip, a
quote or a list ("A clip from the interview ... on the Charlie Rose Show:") then dangles
with nothing after it. Such sentences are dropped from the end, never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Closing quotes and brackets may follow the colon: "...as follows:)" still announces.
_COLON_END = re.compile(r":[\s\"'\u201d\u2019)\]]*$")
_FOLLOWS_END = re.compile(
    r"\b(?:below|as follows|the following|follows|see here|watch here|listen here)"
    r"[\s.!\"'\u201d\u2019)\]]*$",
    re.IGNORECASE,
)
_ANNOUNCES_MEDIA = re.compile(
    r"^(?:watch|listen(?: to)?|see|here (?:is|are)|here's|click|read more)\b"
    r".*\b(?:video|clip|interview|footage|audio|podcast|here|below)[\s.!:]*$",
    re.IGNORECASE,
)


def announces_what_follows(sentence: str) -> bool:
    """Whether a sentence only introduces something after it (a colon, "below", "watch")."""
    text = sentence.strip()
    return bool(
        _COLON_END.search(text) or _FOLLOWS_END.search(text) or _ANNOUNCES_MEDIA.match(text)
    )


def without_dangling_end(sentences: Sequence[str]) -> tuple[str, ...]:
    """The sentences without the announcing ones at their end (all of them, if every one is)."""
    kept = list(sentences)
    while kept and announces_what_follows(kept[-1]):
        kept.pop()
    return tuple(kept)
