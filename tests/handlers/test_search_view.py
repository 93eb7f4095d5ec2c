"""The pure parts of the search view: snippets escaped, found words in bold."""

from __future__ import annotations

from handlers.search_view import snippet_html
from storage.search import HIT_END, HIT_START


def test_snippet_is_escaped_and_marks_found_words() -> None:
    text = f"a <b> & {HIT_START}iran{HIT_END} said"
    assert snippet_html(text) == "a &lt;b&gt; &amp; <b>iran</b> said"


def test_unpaired_or_empty_markers_are_dropped() -> None:
    assert snippet_html(f"{HIT_START}cut off") == "cut off"
    assert snippet_html(f"x {HIT_START}{HIT_END} y{HIT_END}") == "x  y"
