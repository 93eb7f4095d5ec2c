"""Sentence splitting: pysbd decides every ambiguous boundary, a cheap pass the obvious ones.

pysbd (the Python port of the Pragmatic Segmenter) handles abbreviations (U.S., Mr.,
Lt. Col.), decimals, initials and quotations, but ``Segmenter.segment`` costs about 25 ms
for a 700-word article: it runs regexes over the whole text for each of its 200
abbreviations that occurs as a mere substring ("is", "man", "no"), then matches every
sentence back into the text. So each paragraph is

1. cut at the boundaries that no rule of pysbd would keep together: a word of two or more
   characters that is not one of pysbd's abbreviations, a full stop (or ! ?), a space and
   a capital, with every quotation and bracket opened since the last cut closed again;
2. and only the pieces that still hold a possible boundary go to pysbd's processor, in one
   call, with its abbreviation list narrowed to those the pieces write with a full stop
   (the others cannot change its answer).

That is about ten times faster. It differs from pysbd run on the whole text on purpose in
two ways: "--" never holds text together (pysbd pairs any two of them as an aside, and
so glues sentences when writers use it as a dash), and a quotation holds its sentences
together only up to its closing mark or up to a new quotation opening after a full stop.
News copy reopens a quote at each of its paragraphs and closes it only after the last,
which makes pysbd glue whole flattened paragraphs of quotes into one "sentence".
"""

from __future__ import annotations

import re
from functools import lru_cache

from pysbd.lang.english import English
from pysbd.processor import Processor

_PARAGRAPH_BREAK = re.compile(r"\r\n?|\n")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Flattened text (CNN/DailyMail among others) keeps each lost line break as " . ": a full
# stop that stands between spaces before a lowercase word, or right after a comma, colon
# or bar, never ends a sentence.
_STRAY_STOP = re.compile(r" \.(?= [a-z(])|(?<=[,;:|]) \.(?= )")
# ...and so is one after a word that cannot end a sentence ("Mr . Moss", "In . 2009").
_STOP_AFTER_WORD = re.compile(r"(?<![\w.-])([A-Za-z]+) \.(?= )")
_CANNOT_END_SENTENCE = frozenset(
    """a an the and but or nor so yet in on at of for to by with from into onto since as if
    after afterwards before while when because than that this these those his her their its
    our my your""".split()  # noqa: SIM905
)
# Hidden from pysbd, which never splits between two "--" (see above).
_DOUBLE_DASH = "--"
_DASH_STAND_IN = "\ue000\ue000"

_POSSIBLE_END = re.compile(r"[.!?\u2026]['\"\u2019\u201d)\]]*\s")
# A full stop (or ! ?) with any closing quotes, then space and a capital, maybe quoted...
_STOP_BEFORE_CAPITAL = re.compile(r"[.!?]+['\"\u2019\u201d)\]]*\s+(?=(['\"\u2018\u201c]?)[A-Z])")
# ...after a whole word of two characters or more (not an initial, not "U.S.").
_WORD_BEFORE_STOP = re.compile(
    r"(?<![\w.'\u2019-])([A-Za-z0-9][\w'\u2019-]*[A-Za-z0-9])['\"\u2019\u201d)\]]? ?$"
)
_QUOTE_MARKS = re.compile(r"['\u2018\u2019\u201c\u201d()\[\]\"]")
_WRITTEN_ABBREVIATION = re.compile(r"(?<!\S)([A-Za-z][A-Za-z.]*)\.")
_WORDLIKE = re.compile(r"\w")
_ABBREVIATIONS = frozenset(English.Abbreviation.ABBREVIATIONS)
_TITLE_ABBREVIATIONS = frozenset(English.Abbreviation.PREPOSITIVE_ABBREVIATIONS)
_FIRST_PERSON = re.compile(r"I(?:\s|'m|'ll)")
# pysbd's time grows with the square of the text it gets (each abbreviation it meets runs
# a regex over all of it), so it gets a few pieces at a time, and a quotation still open
# after this many characters (some ten sentences) is taken for a stray or unclosed mark.
_PYSBD_BATCH_CHARS = 2000
_LONGEST_QUOTATION = 1500


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs (lines) of ``text``, spaces unified, stray full stops gone."""
    lines = (_SPACES.sub(" ", line).strip() for line in _PARAGRAPH_BREAK.split(text))
    return [_drop_stray_stops(line) for line in lines if line]


def _drop_stray_stops(line: str) -> str:
    line = _STRAY_STOP.sub("", line)
    if " . " not in line:
        return line
    return _STOP_AFTER_WORD.sub(_keep_real_stop, line)


def _keep_real_stop(match: re.Match[str]) -> str:
    word = match.group(1).lower()
    return (
        match.group(1) if word in _CANNOT_END_SENTENCE or word in _ABBREVIATIONS else match.group()
    )


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped; a line break always ends a sentence."""
    return [sentence for paragraph in paragraphs(text) for sentence in split_paragraph(paragraph)]


def split_paragraph(paragraph: str) -> list[str]:
    """The sentences of one paragraph as :func:`paragraphs` gives it."""
    pieces = _obvious_pieces(paragraph.replace(_DOUBLE_DASH, _DASH_STAND_IN))
    ambiguous = iter(_pysbd_split_each([p for p in pieces if _POSSIBLE_END.search(p)]))
    sentences: list[str] = []
    for piece in pieces:
        parts = next(ambiguous) if _POSSIBLE_END.search(piece) else [piece]
        for part in parts:
            sentence = part.strip().replace(_DASH_STAND_IN, _DOUBLE_DASH)
            if sentences and sentence and not _WORDLIKE.search(sentence):
                sentences[-1] += sentence  # a closing quote that pysbd cut loose
            elif sentence:
                sentences.append(sentence)
    return sentences


def _obvious_pieces(paragraph: str) -> list[str]:
    """Cut ``paragraph`` after each full stop that pysbd could not read otherwise.

    A quotation or bracket still open keeps the text together for pysbd to judge, unless
    a new quotation opens after the full stop (news copy opens a quote again at each of
    its paragraphs and closes it only after the last one) or it has been open too long.
    """
    marks = [
        (m.start(), _quote_effect(paragraph, m.start())) for m in _QUOTE_MARKS.finditer(paragraph)
    ]
    pieces: list[str] = []
    start = next_mark = depth = straight = 0
    for stop in _STOP_BEFORE_CAPITAL.finditer(paragraph):
        while next_mark < len(marks) and marks[next_mark][0] < stop.end():
            effect = marks[next_mark][1]
            if effect == 2:
                straight ^= 1
            else:
                depth += effect
            next_mark += 1
        word = _WORD_BEFORE_STOP.search(paragraph, max(start, stop.start() - 40), stop.start())
        if word is None or _abbreviation_holds(word.group(1).lower(), paragraph, stop.end()):
            continue
        open_quote = (depth > 0 or straight) and not stop.group(1)
        if open_quote and stop.end() - start < _LONGEST_QUOTATION:
            continue
        pieces.append(paragraph[start : stop.end()].strip())
        start = stop.end()
        depth = straight = 0
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]


def _abbreviation_holds(word: str, text: str, next_at: int) -> bool:
    """Whether pysbd would keep ``word.`` with the capitalised word at ``next_at``.

    It does after a title ("Mr.", "Gen.", "St."), and after its other abbreviations
    only before "I", "I'm" or "I'll"; a non-abbreviation before a capital ends a sentence.
    """
    if word in _TITLE_ABBREVIATIONS:
        return True
    return word in _ABBREVIATIONS and _FIRST_PERSON.match(text, next_at) is not None


def _quote_effect(text: str, at: int) -> int:
    """+1 opens a quotation or bracket, -1 closes one, 2 is a straight double quote, 0 an
    apostrophe."""
    char = text[at]
    if char in "\u201c([":
        return 1
    if char in "\u201d)]":
        return -1
    if char == '"':
        return 2
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if before in " ([" and (after.isalnum() or after == "_") and char in "'\u2018":
        return 1
    if (before.isalnum() or before in "_.,!?;:") and (after in " .,;:!?)]"):
        return -1 if char in "'\u2019" else 0
    return 0


def _pysbd_split_each(pieces: list[str]) -> list[list[str]]:
    """pysbd's sentences of each piece, a few pieces (one line each) per call."""
    grouped: list[list[str]] = []
    batch: list[str] = []
    for piece in pieces:
        if batch and sum(map(len, batch)) + len(piece) > _PYSBD_BATCH_CHARS:
            grouped.extend(_pysbd_split_batch(batch))
            batch = []
        batch.append(piece)
    if batch:
        grouped.extend(_pysbd_split_batch(batch))
    return grouped


def _pysbd_split_batch(pieces: list[str]) -> list[list[str]]:
    sentences = _pysbd_split("".join(piece + " \n" for piece in pieces))
    grouped: list[list[str]] = []
    taken = 0
    for piece in pieces:
        wanted, found, group = _visible_length(piece), 0, []
        while found < wanted and taken < len(sentences):
            group.append(sentences[taken])
            found += _visible_length(sentences[taken])
            taken += 1
        if found != wanted:  # pysbd changed the text: ask it piece by piece instead
            return [_pysbd_split(piece + " ") for piece in pieces]
        grouped.append(group)
    if taken != len(sentences):
        return [_pysbd_split(piece + " ") for piece in pieces]
    return grouped


def _visible_length(text: str) -> int:
    return len(text) - sum(map(text.count, " \n\r\t"))


def _pysbd_split(text: str) -> list[str]:
    written: set[str] = set()
    for match in _WRITTEN_ABBREVIATION.finditer(text):
        token = match.group(1).lower()
        written.update(token[:i] for i, char in enumerate(token) if char == ".")
        written.add(token)
    language = _english_knowing(frozenset(written & _ABBREVIATIONS))
    result: list[str] = Processor(text, language).process()
    return result


@lru_cache(maxsize=256)
def _english_knowing(abbreviations: frozenset[str]) -> type[English]:
    """pysbd's English rules with only ``abbreviations`` in its abbreviation list."""
    kept = [a for a in English.Abbreviation.ABBREVIATIONS if a in abbreviations]
    narrowed = type("Abbreviation", (English.Abbreviation,), {"ABBREVIATIONS": kept})
    return type("English", (English,), {"Abbreviation": narrowed})
