"""The digest parser returns a briefing or raises NotADigestError, whatever the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.digest import NotADigestError, parse_digest
from briefing.models import Briefing
from tests.fuzz import FUZZ

# Lines of real digests (see the seed edition), so that many examples get past the first
# checks into the story and discussion parsing; each byte of a drawn string picks one.
LINES = (
    "Syria Daily: Putin Stepping Back?",
    "Russian Lieutenant Colonel Killed by Sniper",
    "The tide came in early. Boats waited at the outer mooring for an hour.",
    "The harbour master said the pattern will hold all week, and the ferry waits.",
    "",
    "",
    "",
    "Related Posts",
    "Leave a Comment",
    "Share this:",
    "1. Reader says:",
    "2.",
    "10) Another reader",
    "  • Reply from someone",
    "    - nested reply",
    "      * deeper still",
    "Ahmad says:",
    "March 3, 2017 at 10:12 am",
    "“A wholly quoted line.”",
    "<p>markup</p><div>more</div>",
    '{"json": true}',
    "\ufeff",
    "\t\tindented",
    "\x00\x1b\u202e",
    "x" * 300,
)


def _text(picks: bytes, text: str, at: int) -> str:
    lines = [LINES[pick % len(LINES)] for pick in picks]
    lines.insert(at % (len(lines) + 1), text)
    return "\n".join(lines)


# A digest's opening (title, heading, paragraph), so that what follows is parsed as stories
# and discussion rather than refused at the start.
OPENING = (
    "Quay Daily: Tides\n\n\nHigh water at the quay\n\n\n"
    "The tide came in early. Boats waited at the outer mooring.\n\n"
)
_LINES = st.builds(_text, st.binary(max_size=40), st.text(max_size=40), st.integers())
TEXTS = st.one_of(st.text(), _LINES, _LINES.map(OPENING.__add__))


def parsed_or_error(text: str) -> Briefing | str:
    """The parsed briefing, or the message of the NotADigestError it raised."""
    try:
        return parse_digest(text, key="fuzz:digest")
    except NotADigestError as error:
        return str(error)


@FUZZ
@given(TEXTS)
def test_any_text_is_a_briefing_or_one_error_line(text: str) -> None:
    outcome = parsed_or_error(text)
    if isinstance(outcome, str):
        assert len(outcome.splitlines()) == 1
    else:
        assert outcome.title
        assert outcome.stories
