"""The summary post-filter drops sentences that announce what follows."""

from __future__ import annotations

from briefing.summary_cleanup import announces_what_follows, without_dangling_end

CLIP = (
    "A clip from the interview of three Syrian women activists — Noha Alkamcha, Yasmin "
    "Kayali Sabra, and Zaina Erhaim — on the US Public Broadcasting Service\u2019s "
    "Charlie Rose Show:"
)


def test_a_last_sentence_ending_in_a_colon_is_dropped() -> None:
    summary = ("The activists spoke about the siege.", CLIP)
    assert without_dangling_end(summary) == ("The activists spoke about the siege.",)


def test_announcements_of_what_follows_are_dropped_from_the_end() -> None:
    assert announces_what_follows("A clip from the interview:")
    assert announces_what_follows("The full statement is below.")
    assert announces_what_follows("Watch the video here.")
    assert announces_what_follows('He said the following: "')
    assert without_dangling_end(("One.", "Details follow below.", "Watch the clip:")) == ("One.",)


def test_ordinary_sentences_are_kept_unchanged() -> None:
    summary = (
        "Ratio: 3 to 1 in favour.",
        "The council backed the wall, as the mayor had promised.",
        "Ships came in below the cliffs of the north harbour today",
    )
    assert without_dangling_end(summary) == summary
    assert not announces_what_follows("See you at the harbour on Monday.")


def test_a_colon_inside_a_sentence_is_no_announcement() -> None:
    assert not announces_what_follows("The vote: 12 for, 3 against.")


def test_every_sentence_announcing_leaves_nothing() -> None:
    assert without_dangling_end(("Watch:", "Listen below.")) == ()
    assert without_dangling_end(()) == ()
