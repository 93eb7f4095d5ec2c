"""The query language of topic alerts (and of search): parse, normalize, match.

Syntax: words that must all appear (stemmed, so "sanction" matches "sanctions"),
``"quoted phrases"`` of consecutive words, ``OR`` (or ``|``) between alternatives, and
``-word`` or ``-"a phrase"`` exclusions that apply to the whole query. Everything else a user
may type (FTS operators, stars, parentheses, emoji) separates words and is otherwise
ignored, so any text is either a query or one :class:`QueryError` line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from briefing.highlight_text import WORD_RE, strip_urls
from briefing.text_terms import STOP_WORDS

MAX_QUERY_CHARS = 200
EXAMPLE = 'chemical weapons OR "nerve agent" -training'
_QUOTES = frozenset('"“”„«»')
_OR_WORDS = frozenset({"OR", "|", "||"})
_NOT_WORDS = frozenset({"NOT", "!"})  # FTS habits: "NOT x" excludes x like "-x"

Term = tuple[str, ...]
"""One required or excluded term: a single stem, or the stems of a phrase in order."""


class QueryError(ValueError):
    """A text that is not a query; the message is one line meant for the user."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: any alternative matches, unless an exclusion appears.

    Attributes:
        alternatives: each a tuple of terms that must all appear.
        exclusions: terms none of which may appear.
    """

    alternatives: tuple[tuple[Term, ...], ...]
    exclusions: tuple[Term, ...] = ()

    @property
    def canonical(self) -> str:
        """The normal form: equal for queries that match the same stories the same way."""
        alternatives = " OR ".join(" ".join(_render(t) for t in alt) for alt in self.alternatives)
        excluded = " ".join("-" + _render(term) for term in self.exclusions)
        return f"{alternatives} {excluded}".strip()

    @property
    def anchors(self) -> frozenset[str]:
        """One stem per alternative that every matching text must contain.

        An inverted index on these finds every candidate: a text without the anchor of an
        alternative cannot match that alternative. The longest stem stands in for the
        rarest, so that few topics are candidates for any one story.
        """
        return frozenset(
            max((stem for term in alt for stem in term), key=lambda s: (len(s), s))
            for alt in self.alternatives
        )

    def matches(self, document: Document) -> bool:
        """Whether ``document`` satisfies an alternative and contains no exclusion."""
        if any(document.contains(term) for term in self.exclusions):
            return False
        return any(all(document.contains(term) for term in alt) for alt in self.alternatives)

    def to_json(self) -> str:
        """The query as JSON, for storage; :func:`from_json` reads it back."""
        return json.dumps(
            {"any": [list(map(list, alt)) for alt in self.alternatives], "not": self.exclusions},
            ensure_ascii=False,
            separators=(",", ":"),
        )


def from_json(text: str) -> Query:
    """The query :meth:`Query.to_json` wrote."""
    data = json.loads(text)
    return Query(
        tuple(tuple(tuple(term) for term in alt) for alt in data["any"]),
        tuple(tuple(term) for term in data["not"]),
    )


@dataclass(frozen=True, slots=True)
class Document:
    """A text as queries see it: its stems in order, and where each stem occurs."""

    stems: tuple[str, ...]
    positions: Mapping[str, tuple[int, ...]]

    def contains(self, term: Term) -> bool:
        """Whether the stem, or the phrase's stems in a row, occur in the text."""
        first, *rest = term
        starts = self.positions.get(first, ())
        if not rest:
            return bool(starts)
        width = len(term)
        return any(self.stems[start : start + width] == term for start in starts)


def document(*texts: str) -> Document:
    """The :class:`Document` of ``texts`` (e.g. a story's heading, summary and body).

    The texts are kept apart, so a phrase never runs from the end of one into the next.
    """
    stems: list[str] = []
    positions: dict[str, list[int]] = {}
    for text in texts:
        for stem in stems_of_text(text):
            positions.setdefault(stem, []).append(len(stems))
            stems.append(stem)
        stems.append("")  # a boundary no term contains
    return Document(tuple(stems), {stem: tuple(at) for stem, at in positions.items()})


def stems_of_text(text: str) -> list[str]:
    """The stems of the words of ``text`` that carry content, in order."""
    found = WORD_RE.findall(strip_urls(text).lower().replace("\u2019", "'"))
    return [stem for stem in map(_stem, found) if stem]


def parse(text: str) -> Query:
    """The query ``text`` says; :class:`QueryError` with one user-facing line if none."""
    flat = " ".join(text.split())
    if not flat:
        raise QueryError(f"A topic needs at least one word, e.g. {EXAMPLE}")
    if len(flat) > MAX_QUERY_CHARS:
        raise QueryError(
            f"A topic is at most {MAX_QUERY_CHARS} characters; this one has {len(flat):,}."
        )
    alternatives: list[tuple[Term, ...]] = []
    current: list[Term] = []
    exclusions: list[Term] = []
    negate_next = False
    for kind, piece in _tokens(flat):
        if negate_next and kind in ("phrase", "word"):
            kind = "not-" + kind
        negate_next = kind == "not"
        if kind == "or":
            alternatives.append(tuple(current))
            current = []
        elif kind != "not":
            terms = _phrase(piece) if kind.endswith("phrase") else _words(piece)
            (exclusions if kind.startswith("not-") else current).extend(terms)
    alternatives.append(tuple(current))
    kept = _normal_alternatives(alternatives)
    if not kept:
        if exclusions:
            raise QueryError(
                "A topic needs at least one word to look for, not only -exclusions,"
                " e.g. sanctions -sport"
            )
        raise QueryError(
            "I found no word to look for: common words like “the”, emoji and"
            f" punctuation are left out. Try e.g. {EXAMPLE}"
        )
    return Query(kept, tuple(sorted(set(exclusions))))


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) pieces: "or", "not", "phrase", "word", "not-phrase", "not-word"."""
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char.isspace():
            index += 1
            continue
        negated = char == "-"
        start = index + 1 if negated else index
        if start < end and text[start] in _QUOTES:
            close = _next_quote(text, start + 1)
            yield ("not-phrase" if negated else "phrase", text[start + 1 : close])
            index = close + 1
            continue
        stop = start
        while stop < end and not text[stop].isspace() and text[stop] not in _QUOTES:
            stop += 1
        piece = text[start:stop]
        if not negated and piece in _OR_WORDS:
            yield "or", piece
        elif not negated and piece in _NOT_WORDS:
            yield "not", piece
        elif piece:
            yield ("not-word" if negated else "word", piece)
        index = stop


def _next_quote(text: str, start: int) -> int:
    """Where the phrase opened before ``start`` closes; an unclosed one runs to the end."""
    for index in range(start, len(text)):
        if text[index] in _QUOTES:
            return index
    return len(text)


def _words(text: str) -> list[Term]:
    return [(stem,) for stem in stems_of_text(text)]


def _phrase(text: str) -> list[Term]:
    stems = tuple(stems_of_text(text))
    return [stems] if stems else []


def _normal_alternatives(alternatives: Iterable[tuple[Term, ...]]) -> tuple[tuple[Term, ...], ...]:
    """Each alternative's terms sorted and unique; empty and repeated alternatives dropped."""
    unique = {tuple(sorted(set(alt))) for alt in alternatives if alt}
    # An alternative that needs everything another needs and more adds nothing ("a OR a b").
    kept = [alt for alt in unique if not any(o != alt and set(o) <= set(alt) for o in unique)]
    return tuple(sorted(kept))


def _render(term: Term) -> str:
    return term[0] if len(term) == 1 else '"' + " ".join(term) + '"'


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The stem of a content word; "" for a function word or a single character.

    The short function-word list of ``text_terms`` is used rather than the long stop-word
    list of the highlights, which holds words a topic needs ("new", "state").
    """
    word = word.strip("'-_")
    if len(word) < 2 or word in STOP_WORDS:
        return ""
    return str(_stemmer().stemWord(word))
