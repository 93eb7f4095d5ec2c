"""The console's line parser never raises, and every problem is one line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.console_commands import Blank, Press, Problem, Quit, Reply, Say, ShowHelp
from bot.console_commands import parse_console_line as parse
from briefing.ids import MAX_ID
from tests.fuzz import FUZZ

# Words a console line is made of; each byte of a drawn string picks one.
WORDS = (
    ":press", ":reply", ":help", ":quit", ":", "/today", "1", "2", "0", "²", "٣", "-1",
    "99999999999999999999999", "9223372036854775807", "9223372036854775808", "9" * 5000,
    " ", "\t", "\x1b[2J", "\u202e", "\u2028", "\x85", "\ufffd", "\n", "\r",
)  # fmt: skip


def _line(picks: bytes, text: str, at: int) -> str:
    words = [WORDS[pick % len(WORDS)] for pick in picks]
    words.insert(at % (len(words) + 1), text)
    return " ".join(words)


LINES = st.one_of(
    st.text(),
    st.builds(_line, st.binary(max_size=8), st.text(max_size=8), st.integers()),
)


@FUZZ
@given(LINES)
def test_every_line_parses_to_a_command(line: str) -> None:
    command = parse(line)
    if isinstance(command, Problem):
        assert len(command.message.splitlines()) == 1
    elif isinstance(command, Press):
        assert 1 <= command.message_id <= MAX_ID
        assert 1 <= command.button <= MAX_ID
    elif isinstance(command, Reply):
        assert 1 <= command.message_id <= MAX_ID
        assert command.text
        assert command.text == command.text.strip()
    elif isinstance(command, Say):
        assert command.text
        assert command.text == line.strip()
    else:
        assert isinstance(command, Blank | ShowHelp | Quit)
        assert isinstance(command, Blank) == (not line.strip())
