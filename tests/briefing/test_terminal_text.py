"""Outside text made safe for a terminal."""

from __future__ import annotations

import pytest

from briefing.terminal_text import for_terminal


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;pwned\x07Title", "\\x1b]0;pwned\\x07Title"),  # sets the window title
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # clears the screen
        ("abc\u202egpj.exe", "abc\\u202egpj.exe"),
        ("\u2066in\u2069 \u200f\u200e\u061c", "\\u2066in\\u2069 \\u200f\\u200e\\u061c"),
        ("paid\rfree", "paid\\x0dfree"),
        ("nul\x00 bell\x07 del\x7f csi\x9b", "nul\\x00 bell\\x07 del\\x7f csi\\x9b"),
        ("line\u2028break", "line\\u2028break"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
    ],
)
def test_controls_become_visible_escapes(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def test_ordinary_text_is_kept_as_it_is() -> None:
    text = "Café «Ωmega» — 東京 📰 مرحبا\n\tindented \\x1b as typed"
    assert for_terminal(text) == text


def test_escaping_twice_changes_nothing_more() -> None:
    once = for_terminal("\x1b[31mred\u202e\r")
    assert for_terminal(once) == once
