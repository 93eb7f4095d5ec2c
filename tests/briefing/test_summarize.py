"""The extractive summarizer, its sentence splitter and its page-furniture cleaning."""

from __future__ import annotations

import pysbd
import pytest

from briefing.summarize import (
    FEATURES,
    MAX_CANDIDATES,
    sentence_features,
    split_sentences,
    story_sentences,
    summarize,
)
from briefing.summary_weights import BODY_WEIGHTS, LEAD_SHARE, LEAD_WEIGHTS

# An invented story, laid out the way news pages arrive: byline, timestamps, dateline,
# a teaser line, a caption that restates the lead, credits and calls to action.
STORY = "\n".join(
    (
        "By . Jane Roe . PUBLISHED: 10:02 EST, 4 March 2014 | UPDATED: 11:15 EST, 4 March 2014 .",
        "LONDON, England (CNN) -- Engineers in Millbrook reopened the old stone bridge on Monday"
        " after a two-year repair that cost the town council 4.2 million pounds.",
        "Scroll down for video.",
        "A proud day.",
        "The bridge, built in 1821, had been closed since floods cracked two of its arches"
        " in 2012.",
        "Reopened: the old stone bridge in Millbrook reopened on Monday after a two-year repair .",
        "Photo: Getty Images",
        "Mayor Ann Lee said the repair used lime mortar mixed to the original recipe.",
        "Why does it matter?",
        "Traders on the High Street say footfall fell by a third while the crossing was shut.",
        "Last updated at 4:32 PM on 4th March 2014 .",
        "Follow @janeroe on Twitter.",
        "Click here to read more about the town's history.",
        "The council plans to light the arches with lamps powered by a small river turbine.",
        "Reuters contributed to this report.",
    )
)


def test_abbreviations_are_not_sentence_ends() -> None:
    text = "Mr. Smith met Lt. Col. Jane Doe of the U.S. Army on Tuesday. They talked for an hour."
    assert split_sentences(text) == [
        "Mr. Smith met Lt. Col. Jane Doe of the U.S. Army on Tuesday.",
        "They talked for an hour.",
    ]


def test_decimals_and_initials_stay_inside_their_sentence() -> None:
    text = (
        "Shares rose 3.5 per cent to 12.75 pounds in early trading. "
        "John F. Kennedy was born in 1917 in Brookline. He became president in 1961."
    )
    assert split_sentences(text) == [
        "Shares rose 3.5 per cent to 12.75 pounds in early trading.",
        "John F. Kennedy was born in 1917 in Brookline.",
        "He became president in 1961.",
    ]


def test_a_quotation_is_not_split() -> None:
    double = '"I will not go. Not today," she said. Then she left the room.'
    single = "The mayor said: 'We are ready. The river will not flood it.' Engineers disagreed."
    assert split_sentences(double) == [
        '"I will not go. Not today," she said.',
        "Then she left the room.",
    ]
    assert split_sentences(single) == [
        "The mayor said: 'We are ready. The river will not flood it.'",
        "Engineers disagreed.",
    ]


def test_questions_exclamations_and_line_breaks_end_sentences() -> None:
    text = "Is the bridge safe? Engineers say yes!\nThe council met at 9 a.m. on Monday\nto vote"
    assert split_sentences(text) == [
        "Is the bridge safe?",
        "Engineers say yes!",
        "The council met at 9 a.m. on Monday",
        "to vote",
    ]


def test_splits_as_pysbd_does_on_ordinary_prose() -> None:
    text = (
        "Prof. Ada Byron of St. Andrews spoke first. She cited a 2.5 per cent rise. "
        'Dr. Alan Turing replied, "The data are thin. We need more." The room fell silent. '
        "Officials from No. 10 and the U.K. Treasury declined to comment. Is that wise? "
        "Nobody knows! The meeting ended at 5 p.m. and everyone went home."
    )
    segmented = pysbd.Segmenter(language="en", clean=False).segment(text)
    assert split_sentences(text) == [sentence.strip() for sentence in segmented]


def test_double_dashes_do_not_glue_sentences() -> None:
    text = "The man -- a teacher. He came back. The dog -- a poodle -- barked."
    assert split_sentences(text) == [
        "The man -- a teacher.",
        "He came back.",
        "The dog -- a poodle -- barked.",
    ]


def test_stray_full_stops_of_flattened_text_are_dropped() -> None:
    text = "Two lawyers representing a woman who . claims to know him sued. Mr . Moss quit."
    assert split_sentences(text) == [
        "Two lawyers representing a woman who claims to know him sued.",
        "Mr Moss quit.",
    ]


def test_page_furniture_never_becomes_a_summary_sentence() -> None:
    every_sentence = summarize(STORY, 50)
    joined = " ".join(every_sentence)
    for furniture in (
        "By",
        "Jane Roe",
        "PUBLISHED",
        "UPDATED",
        "EST",
        "(CNN)",
        "LONDON",
        "Scroll down",
        "Getty",
        "Last updated",
        "@janeroe",
        "Click here",
        "contributed",
    ):
        assert furniture not in joined, furniture
    assert every_sentence[0].startswith("Engineers in Millbrook reopened the old stone bridge")


def test_other_bylines_and_datelines_are_stripped() -> None:
    cases = {
        "By . Daily Mail Reporter . Hundreds queued overnight for the sale.": "Hundreds",
        "By John Hall and Ted Thornhill\nHundreds queued overnight for the sale.": "Hundreds",
        "(CNN)Hundreds queued overnight for the sale.": "Hundreds",
        "Beirut (CNN) -- Hundreds queued overnight for the sale.": "Hundreds",
        "WASHINGTON \u2014 Hundreds queued overnight for the sale.": "Hundreds",
        "NEW YORK, March 3 (Reuters) - Hundreds queued overnight for the sale.": "Hundreds",
        "PUBLISHED: 07:04 EST, 9 January 2014 | UPDATED: 07:16 EST, 9 January 2014 . "
        "Hundreds queued overnight for the sale.": "Hundreds",
    }
    for text, first_word in cases.items():
        assert story_sentences(text) == ["Hundreds queued overnight for the sale."], text
        assert summarize(text, 1)[0].startswith(first_word)


def test_by_starting_a_real_sentence_is_kept() -> None:
    text = "By Monday, the flood had reached the square. Shops closed early."
    assert story_sentences(text) == [
        "By Monday, the flood had reached the square.",
        "Shops closed early.",
    ]


def test_summary_skips_questions_fragments_and_repeats() -> None:
    summary = summarize(STORY, 4)
    assert len(summary) == 4
    assert summary[0].startswith("Engineers in Millbrook reopened the old stone bridge")
    for passed_over in ("A proud day.", "Why does it matter?", "Reopened: the old stone"):
        assert not any(s.startswith(passed_over) for s in summary), passed_over


def test_passed_over_sentences_fill_places_left() -> None:
    text = "Why now? Because the river rose there. It did."
    summary = summarize(text, 2)
    assert len(summary) == 2
    assert "Because the river rose there." in summary


def test_sentences_come_in_reading_order() -> None:
    story = story_sentences(STORY)
    for count in range(1, len(story) + 1):
        positions = [story.index(sentence) for sentence in summarize(STORY, count)]
        assert positions == sorted(positions)


def test_max_sentences_is_respected() -> None:
    total = len(story_sentences(STORY))
    for count in range(1, total + 3):
        assert len(summarize(STORY, count)) == min(count, total)


def test_a_short_text_is_returned_whole() -> None:
    text = "The ferry is cancelled. Buses replace it until Friday?"
    assert summarize(text, 3) == ["The ferry is cancelled.", "Buses replace it until Friday?"]


def test_empty_and_blank_text_give_nothing() -> None:
    assert summarize("", 3) == []
    assert summarize(" \n\t \u00a0 ", 3) == []
    assert split_sentences("   ") == []
    assert summarize("Scroll down for video", 3) == []


def test_same_input_same_summary() -> None:
    assert summarize(STORY, 3) == summarize(STORY, 3)
    assert summarize(STORY * 3, 4) == summarize(STORY * 3, 4)


def test_bad_arguments_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        summarize(STORY, 0)
    with pytest.raises(TypeError, match="max_sentences must be an int"):
        summarize(STORY, 2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_sentences must be an int"):
        summarize(STORY, True)
    with pytest.raises(TypeError, match="text must be a str"):
        summarize(None, 3)  # type: ignore[arg-type]


def test_credit_lines_are_dropped_and_look_alikes_kept() -> None:
    credits = [
        "Photo: Getty Images",
        "(Picture: AFP/Getty)",
        "Image copyright Reuters",
        "Picture by Jo Lee/AP",
        "AFP/Getty Images",
    ]
    kept = [
        "He told Reuters the plan was dead.",
        "Pictures by local residents showed the flooded main road.",
        "Sources say the minister will resign next week.",
    ]
    assert story_sentences("\n".join(credits + kept)) == kept


def test_a_quotation_left_open_does_not_swallow_the_paragraph() -> None:
    sentences = [f"Witness number {n} saw the lorry turn left at the lights." for n in range(40)]
    text = "The officer said: '" + " ".join(sentences)
    assert len(split_sentences(text)) > 10


def test_the_weight_tables_cover_every_feature() -> None:
    assert len(LEAD_WEIGHTS) == len(FEATURES) == len(BODY_WEIGHTS)
    assert 0 < LEAD_SHARE < 1
    rows = sentence_features(story_sentences(STORY), 2)
    assert rows
    assert all(len(row) == len(FEATURES) for row in rows)
    assert sentence_features([], 3) == []


def test_a_long_story_is_summarized_from_its_first_sentences() -> None:
    filler = [
        f"Residents of ward {n} met the council to discuss the bridge plans." for n in range(90)
    ]
    summary = summarize(" ".join(filler), 3)
    assert len(summary) == 3
    assert all(filler.index(s) < MAX_CANDIDATES for s in summary)
