"""Fuzzing the query parser: any text is a query or one QueryError line, nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.query import MAX_QUERY_CHARS, QueryError, document, from_json, parse
from tests.fuzz import FUZZ

# Pieces users (and FTS habits) produce, so that the syntax paths are hit often.
_PIECES = st.sampled_from(
    [
        "iran",
        "Sanctions",
        "the",
        "OR",
        "|",
        "NOT",
        "AND",
        "NEAR",
        "NEAR/3",
        "-",
        "--",
        "*",
        '"',
        "“",
        "”",
        "(",
        ")",
        "-iran",
        '-"',
        "a",
        "x",
        "1",
        "2024",
        "é",
        "ß",
        "İ",
        "🔥",
        "👩‍👩‍👧",
        "مرحبا",
        "שלום",
        "\u200f",
        "\u202e",
        "\x00",
        "\t",
        "\n",
        "'",
        "\u2019",
        "_",
        ":",
        "^",
        "{",
        "}",
        "[",
        "]",
        "\\",
        "%",
        ";",
        "DROP",
        "TABLE",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(_PIECES, max_size=16).map(" ".join),
    st.lists(_PIECES, max_size=16).map("".join),
)
STORY = document("Iran faces new sanctions", "Sanctions on Iran — مرحبا “quoted” words.")


@FUZZ
@given(QUERIES)
def test_any_text_is_a_query_or_one_clear_line(text: str) -> None:
    try:
        query = parse(text)
    except QueryError as error:
        message = str(error)
        assert message
        assert "\n" not in message
        assert len(message) <= 200
        return
    assert len(" ".join(text.split())) <= MAX_QUERY_CHARS
    assert query.alternatives
    assert all(alternative for alternative in query.alternatives)
    assert all(stem for alt in query.alternatives for term in alt for stem in term)
    assert query.canonical
    assert len(query.anchors) <= len(query.alternatives)
    assert from_json(query.to_json()) == query
    assert isinstance(query.matches(STORY), bool)
    assert isinstance(query.matches(document(text)), bool)
