"""Excerpts keep a comment's characters: they only cut, at a word boundary, with "…"."""

from __future__ import annotations

import pytest

from briefing.highlight_text import cut_at_word, sentence_spans
from briefing.highlights import excerpt
from briefing.models import Comment

EXACT = [
    "Good to see this covered. <b>bold?</b> & 5 < 6",
    "Line one\nline two\n\nparagraph  with  two spaces",
    "Great 👍🏽 news 👨‍👩‍👧 for families 🇸🇾",
    "שלום עולם. مرحبا بالعالم! \u200fmixed\u200e text",
    "zero\u200bwidth\u200cjoiners\u200dhere and\ufeffthere",
    "*not bold* _not italic_ `not code` [not](a link) ~~no~~",
]


def _comment(text: str) -> Comment:
    return Comment(key="c", text=text)


@pytest.mark.parametrize("text", EXACT)
def test_a_comment_that_fits_is_its_excerpt_character_for_character(text: str) -> None:
    assert excerpt(_comment(text)) == text


@pytest.mark.parametrize("text", EXACT)
def test_a_shortened_excerpt_is_a_piece_of_the_comment(text: str) -> None:
    long_text = (text + "\n") * 30
    short = excerpt(_comment(long_text), 120)
    assert len(short) <= 120
    assert short.removesuffix("…") in long_text


def test_sentences_of_an_excerpt_keep_the_line_break_between_them() -> None:
    text = "First point here.\nSecond point there.\n" + "Filler words go on. " * 40
    chosen = excerpt(_comment(text), 40)
    assert chosen in text
    assert chosen.removesuffix("…") in text


def test_cut_at_word_keeps_the_start_and_cuts_at_whitespace_only() -> None:
    assert cut_at_word("one two\nthree four", 12) == "one two…"
    assert cut_at_word("emoji 👍🏽👍🏽 and more", 14) == "emoji 👍🏽👍🏽…"
    assert cut_at_word("short", 10) == "short"
    assert cut_at_word("unbreakableword more", 5) is None


def test_sentence_spans_find_each_sentence_in_the_original() -> None:
    text = "One  two.\nThree four."
    assert sentence_spans(text, ["One two.", "Three four."]) == [(0, 9), (10, 21)]
    assert sentence_spans(text, ["Other."]) is None
