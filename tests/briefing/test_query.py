"""The topic query language: parsing, the canonical form, matching, and every odd input."""

from __future__ import annotations

import pytest

from briefing.query import (
    MAX_QUERY_CHARS,
    Document,
    Query,
    QueryError,
    document,
    from_json,
    parse,
)

SANCTIONS = document(
    "New sanctions on Iran",
    "The United Nations imposed sanctions on Iran's nuclear programme.",
    "Officials said the nerve agents were found near the border.",
)


def _matches(text: str, doc: Document = SANCTIONS) -> bool:
    return parse(text).matches(doc)


def test_words_are_all_required_and_stemmed() -> None:
    assert _matches("sanction iran")
    assert _matches("Sanctioned IRAN")
    assert not _matches("sanction russia")


def test_spacing_case_order_and_plurals_give_one_canonical_form() -> None:
    assert parse("Sanctions  iran").canonical == parse("iran sanction").canonical
    assert parse("iran sanction").canonical == "iran sanction"
    assert parse("a OR b OR iran").canonical == parse("iran").canonical


def test_a_phrase_needs_its_words_in_a_row() -> None:
    assert _matches('"nerve agent"')
    assert _matches('"united nations"')
    assert not _matches('"nations united"')
    assert not _matches('"iran border"')


def test_a_phrase_does_not_run_from_one_text_into_the_next() -> None:
    doc = document("Talks on Iran", "Sanctions follow")
    assert not parse('"iran sanctions"').matches(doc)


def test_or_takes_either_alternative() -> None:
    assert _matches("russia OR iran")
    assert _matches("russia | iran")
    assert not _matches("russia OR china")
    # "or" in lower case is an ordinary (function) word, not the operator.
    assert not _matches("russia or china")


def test_exclusions_apply_to_the_whole_query() -> None:
    assert not _matches("iran -nerve")
    assert not _matches('russia OR iran -"nerve agents"')
    assert _matches('iran -"agents nerve"')
    assert not _matches("iran NOT border")


def test_canonical_form_of_a_full_query() -> None:
    query = parse('chemical weapons OR "nerve agent" -training')
    assert query.canonical == 'chemic weapon OR "nerv agent" -train'
    assert query.anchors == frozenset({"weapon", "agent"})


def test_json_round_trip() -> None:
    query = parse('chemical weapons OR "nerve agent" -training -"war games"')
    assert from_json(query.to_json()) == query


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("iran AND sanctions", "iran sanction"),  # FTS operators: AND is a function word
        ("sanction*", "sanction"),  # stars
        ("NEAR(iran sanctions)", "iran sanction"),  # NEAR and parentheses
        ("((iran) sanctions", "iran sanction"),  # unbalanced parentheses
        ('"unclosed phrase', '"unclos phrase"'),  # an unclosed quote runs to the end
        ("“curly quotes” iran", '"cur quot" iran'),
        ("🔥 iran 🔥", "iran"),  # emoji are not words
        ("إيران عقوبات", "إيران عقوبات"),  # right-to-left text
        ("iran - sanctions", "iran sanction"),  # a lone "-" excludes nothing
        ("iran --sanctions", "iran -sanction"),
        ("column:iran", "column iran"),  # FTS column filters
        ("OR iran OR", "iran"),  # dangling operators
        ("iran; DROP TABLE topics; --", "drop iran tabl topic"),
    ],
)
def test_odd_inputs_are_valid_topics(text: str, canonical: str) -> None:
    assert parse(text).canonical == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "A topic needs at least one word, e.g."),
        ("   ", "A topic needs at least one word, e.g."),
        ("-", "I found no word to look for"),
        ("-iran -sanctions", "not only -exclusions"),
        ("NOT iran", "not only -exclusions"),
        ("🔥🔥🔥", "I found no word to look for"),
        ("the of and", "I found no word to look for"),
        ("(((", "I found no word to look for"),
        ('""', "I found no word to look for"),
        ("*", "I found no word to look for"),
        ("x" * 10_000, f"at most {MAX_QUERY_CHARS} characters; this one has 10,000."),
    ],
)
def test_inputs_that_are_no_topic_get_one_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse(text)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_limit_counts_the_text_with_its_spacing_collapsed() -> None:
    assert parse("iran " + " " * 500 + "x" * (MAX_QUERY_CHARS - 5)).alternatives
    with pytest.raises(QueryError, match="this one has 201"):
        parse("iran " + "x" * (MAX_QUERY_CHARS - 4))


def test_redundant_alternatives_are_dropped() -> None:
    assert parse("iran OR iran sanctions") == Query(((("iran",),),))
