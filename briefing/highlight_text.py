"""Text helpers for comment highlights: URLs, words, content stems and sentences.

The heavy objects (the Snowball stemmer, the stop-word set) are built once, by the
``lru_cache``'d factories below. Sentences come from :mod:`briefing.text_sentences`, the one
splitter that summaries, highlights and LLM answers share.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]
from stop_words import get_stop_words  # type: ignore[import-untyped]

from briefing.text_sentences import split_sentences as split_sentences

# Spelled out rather than IGNORECASE, which makes the scan several times slower.
URL_RE = re.compile(r"(?:[hH][tT][tT][pP][sS]?://|[wW][wW][wW]\.)\S+")
# A word: letters, digits or underscores, with inner apostrophes or hyphens ("don't",
# "well-known"); curly apostrophes are made straight first.
WORD_RE = re.compile(r"\w+(?:['\-]\w+)*")
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (the ``stop-words`` package's list), lower case."""
    return frozenset(word.replace("\u2019", "'") for word in get_stop_words("english"))


@lru_cache(maxsize=65536)
def _content_stem(word: str) -> str:
    """The stem of a content word; "" for a stop word, a number or a single character."""
    if word in stop_words() or word.isdigit() or len(word) < 2:
        return ""
    return str(_stemmer().stemWord(word))


def strip_urls(text: str) -> str:
    """The text with every URL replaced by a space."""
    return URL_RE.sub(" ", text)


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, URLs left out."""
    return WORD_RE.findall(strip_urls(text).lower().replace("\u2019", "'"))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry content: stop words and bare numbers left out."""
    return stems_of(words(text))


def stems_of(word_list: list[str]) -> list[str]:
    """Stems of the content words among ``word_list`` (as ``words`` returns them)."""
    return [stem for stem in map(_content_stem, word_list) if stem]


def collapse_spaces(text: str) -> str:
    """``text`` with every run of whitespace made one space, ends stripped."""
    return _SPACE_RE.sub(" ", text).strip()


def cut_at_word(text: str, max_chars: int, ellipsis: str = "…") -> str | None:
    """``text`` itself when it fits ``max_chars``; else its start, cut at whitespace, with
    ``ellipsis``; ``None`` when not even the first word fits.

    Nothing but the cut changes: line breaks, emoji, zero-width and right-to-left
    characters and markup-looking text are kept as written.
    """
    if len(text) <= max_chars:
        return text
    room = max_chars - len(ellipsis)
    if room < 1:
        return None
    boundary = max((m.start() for m in _SPACE_RE.finditer(text, 0, room + 1)), default=-1)
    kept = text[:boundary].rstrip().rstrip(",;:-\u2013\u2014").rstrip()
    return kept + ellipsis if boundary > 0 and kept else None


def sentence_spans(text: str, sentences: list[str]) -> list[tuple[int, int]] | None:
    """Where each of ``sentences`` (split from ``text``, whitespace maybe normalized) lies
    in ``text``, as (start, end) offsets; ``None`` if they are not ``text``'s own characters
    in order. Empty sentences are skipped."""
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences:
        wanted = [c for c in sentence if not c.isspace()]
        if not wanted:
            continue
        start = -1
        for char in wanted:
            while position < len(text) and text[position].isspace():
                position += 1
            if position >= len(text) or text[position] != char:
                return None
            if start < 0:
                start = position
            position += 1
        spans.append((start, position))
    return spans
