"""One sentence splitter for summaries, comment highlights and LLM answers."""

from __future__ import annotations

from briefing import highlight_text, summarize, text_sentences

DASHED = "The vote was close -- closer than anyone said. Then the count began -- it ran all night."
TRICKY = (
    "He met Mr. Smith in the U.S. on Monday. They talked for 2.5 hours.\n"
    "A line without a stop\n"
    '"We will rebuild," the mayor said. "It will take years."'
)


def test_highlights_and_summaries_split_alike() -> None:
    for text in (DASHED, TRICKY):
        assert highlight_text.split_sentences(text) == summarize.split_sentences(text)


def test_a_dash_pair_does_not_glue_two_sentences() -> None:
    # pysbd alone reads the two "--" as one aside and returns a single sentence.
    assert text_sentences.split_sentences(DASHED) == [
        "The vote was close -- closer than anyone said.",
        "Then the count began -- it ran all night.",
    ]


def test_abbreviations_decimals_and_line_breaks() -> None:
    assert text_sentences.split_sentences(TRICKY) == [
        "He met Mr. Smith in the U.S. on Monday.",
        "They talked for 2.5 hours.",
        "A line without a stop",
        '"We will rebuild," the mayor said.',
        '"It will take years."',
    ]
