"""The console's pure line parser."""

from __future__ import annotations

import pytest

from bot.console_commands import (
    PRESS_USAGE,
    REPLY_USAGE,
    Blank,
    ConsoleCommand,
    Press,
    Problem,
    Quit,
    Reply,
    Say,
    ShowHelp,
    parse_console_line,
)


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("/today\n", Say("/today")),
        ("  hello there  ", Say("hello there")),
        ("", Blank()),
        (" \t\n", Blank()),
        (":press 2 1", Press(2, 1)),
        (":press  3\t12 ", Press(3, 12)),
        (":reply 2 I disagree", Reply(2, "I disagree")),
        (":reply 2   spaced  out ", Reply(2, "spaced  out")),
        (":help", ShowHelp()),
        (":quit", Quit()),
        (":quit\n", Quit()),
    ],
)
def test_well_formed_lines(line: str, command: ConsoleCommand) -> None:
    assert parse_console_line(line) == command


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (":press ² 1", PRESS_USAGE),
        (":press 2 ²", PRESS_USAGE),
        (":press ٢ 1", PRESS_USAGE),
        (":press 2 0", PRESS_USAGE),
        (":press -1 1", PRESS_USAGE),
        (":press 2", PRESS_USAGE),
        (":press 2 1 3", PRESS_USAGE),
        (":press 99999999999999999999999 1", PRESS_USAGE),
        (":press " + "9" * 5000 + " 1", PRESS_USAGE),
        (":reply ² hi", REPLY_USAGE),
        (":reply 2", REPLY_USAGE),
        (":reply", REPLY_USAGE),
        (":reply 9223372036854775808 hi", REPLY_USAGE),
        (":bogus", "unknown console command :bogus; type :help"),
        (":", "a console command follows the colon; type :help"),
    ],
)
def test_unusable_lines_are_one_line_problems(line: str, message: str) -> None:
    assert parse_console_line(line) == Problem(message)


def test_the_largest_sqlite_id_is_still_an_id() -> None:
    assert parse_console_line(":reply 9223372036854775807 hi") == Reply(2**63 - 1, "hi")
