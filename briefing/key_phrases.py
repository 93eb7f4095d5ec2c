"""Key phrases of a story, offered as one-tap topic subscriptions ("🔔 Alert me")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from briefing.models import Story
from briefing.query import QueryError, parse
from briefing.text_terms import STOP_WORDS

MAX_PHRASES = 3
MAX_PHRASE_CHARS = 40
MAX_PHRASE_WORDS = 3
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
# Lower-case words that may sit inside a name: "Bank of England", "Abu al Hasan".
_LINKS = frozenset({"of", "de", "al", "el", "la", "von", "van", "der", "du", "bin"})
_HEADING_BONUS = 2
_NAME_BONUS = 1


def key_phrases(story: Story, limit: int = MAX_PHRASES) -> list[str]:
    """Up to ``limit`` short phrases that say what ``story`` is about, best first.

    Names (runs of capitalized words, frequent ones first, those in the heading ahead) come
    first; the heading's content words fill in when a story names too few. Deterministic:
    the same story always gives the same phrases, so a button may name one by its index.
    Every phrase is a valid topic query.
    """
    texts = [story.heading, *story.summary, *(block.text for block in story.blocks)]
    heading_names = set(_names(story.heading))
    counts = Counter(name for text in texts for name in _names(text))
    scored = sorted(
        counts,
        key=lambda name: (
            -(
                counts[name]
                + (_HEADING_BONUS if name in heading_names else 0)
                + (_NAME_BONUS if " " in name else 0)
            ),
            name,
        ),
    )
    heading_words = [w for w in _WORD.findall(story.heading) if _content(w)]
    return _pick([*scored, *heading_words], limit)


def phrase_query(phrase: str) -> str:
    """The topic query for a key phrase: its words in a row, as a quoted phrase."""
    return f'"{phrase}"' if " " in phrase else phrase


def _names(text: str) -> Iterable[str]:
    """Runs of capitalized words (with name links inside), leading function words dropped."""
    for sentence in re.split(r"[.!?;:()\[\]\"“”]+", text):
        run: list[str] = []
        start = 0
        for index, word in enumerate([*_WORD.findall(sentence), ""]):
            if word[:1].isupper() or (run and word in _LINKS):
                start = index if not run else start
                run.append(word)
                continue
            # A lone capital opening a sentence is only grammar ("Officials said ...").
            if run and not (start == 0 and len(run) == 1):
                yield from _trimmed(run)
            run = []


def _trimmed(run: list[str]) -> Iterable[str]:
    while run and (run[-1] in _LINKS or not _content(run[-1])):
        run = run[:-1]
    while run and not _content(run[0]):
        run = run[1:]
    if run and len(run) <= MAX_PHRASE_WORDS:
        yield " ".join(run)


def _content(word: str) -> bool:
    return len(word) > 1 and word.lower() not in STOP_WORDS and not word.isdigit()


def _pick(candidates: Iterable[str], limit: int) -> list[str]:
    chosen: list[str] = []
    covered: list[frozenset[str]] = []
    for phrase in candidates:
        if len(chosen) == limit:
            break
        if len(phrase) > MAX_PHRASE_CHARS:
            continue
        try:
            stems = frozenset(
                stem for alt in parse(phrase).alternatives for t in alt for stem in t
            )
        except QueryError:
            continue
        # "Iran" adds nothing beside "Iran nuclear deal", nor the deal beside Iran.
        if any(stems <= seen or seen <= stems for seen in covered):
            continue
        chosen.append(phrase)
        covered.append(stems)
    return chosen
