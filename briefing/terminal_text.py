"""Text from outside (feeds, chats, files) made safe to print on a terminal.

A terminal obeys what it is sent: ESC starts a control sequence (set the window title,
clear the screen, recolour everything after it), a carriage return overwrites the line, a
bidi override reverses how the rest of the line reads. Printed text keeps only line feeds
and tabs among the controls; every other control, bidi control and lone surrogate is shown
as a visible escape (``\\x1b``, ``\\u202e``). Stored text stays as written.
"""

from __future__ import annotations

import re

# C0 controls but \t and \n, DEL and C1; the bidi marks, embeddings, overrides and
# isolates; line and paragraph separators (some terminals break lines on them); lone
# surrogates, which cannot be encoded for the terminal at all.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def for_terminal(text: str) -> str:
    """``text`` with every character a terminal would act on replaced by its escape."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
