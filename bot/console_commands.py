"""What a line typed in the console chat asks for, parsed without any I/O.

:func:`parse_console_line` never raises: a line it cannot use becomes a :class:`Problem`
whose message is the one line to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.ids import parse_id

CONSOLE_HELP = """\
Type a command like /today, or any text.
  :press MESSAGE BUTTON   press a button, e.g. :press 2 1
  :reply MESSAGE TEXT     reply to a message, e.g. :reply 2 I disagree
  :help                   this help
  :quit                   leave (Ctrl-D does the same)"""
PRESS_USAGE = "usage: :press MESSAGE BUTTON, e.g. :press 2 1 (see the buttons)"
REPLY_USAGE = "usage: :reply MESSAGE TEXT, e.g. :reply 2 I agree"


@dataclass(frozen=True, slots=True)
class Say:
    """A message from the person: a command like /today, or any text."""

    text: str


@dataclass(frozen=True, slots=True)
class Press:
    """Press button ``button`` (counted from 1) under message ``message_id``."""

    message_id: int
    button: int


@dataclass(frozen=True, slots=True)
class Reply:
    """Reply to message ``message_id`` with ``text``."""

    message_id: int
    text: str


@dataclass(frozen=True, slots=True)
class ShowHelp:
    """List the console commands."""


@dataclass(frozen=True, slots=True)
class Quit:
    """Leave the console."""


@dataclass(frozen=True, slots=True)
class Blank:
    """An empty line: nothing to do."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that asks for nothing usable; ``message`` is one line saying why."""

    message: str


ConsoleCommand = Say | Press | Reply | ShowHelp | Quit | Blank | Problem


def parse_console_line(line: str) -> ConsoleCommand:
    """The command one typed line stands for."""
    line = line.strip()
    if not line:
        return Blank()
    if not line.startswith(":"):
        return Say(line)
    words = line[1:].split(maxsplit=1)
    if not words:
        return Problem("a console command follows the colon; type :help")
    verb, args = words[0], words[1] if len(words) > 1 else ""
    if verb == "press":
        return _press(args.split())
    if verb == "reply":
        return _reply(args)
    if verb == "help":
        return ShowHelp()
    if verb == "quit":
        return Quit()
    return Problem(f"unknown console command :{verb}; type :help")


def _press(args: list[str]) -> Press | Problem:
    if len(args) != 2:
        return Problem(PRESS_USAGE)
    message_id, button = parse_id(args[0]), parse_id(args[1])
    if message_id is None or button is None:
        return Problem(PRESS_USAGE)
    return Press(message_id, button)


def _reply(args: str) -> Reply | Problem:
    words = args.split(maxsplit=1)
    message_id = parse_id(words[0]) if words else None
    if message_id is None or len(words) < 2:
        return Problem(REPLY_USAGE)
    return Reply(message_id, words[1])
