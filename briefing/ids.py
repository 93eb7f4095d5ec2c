"""Row ids as people type them: ASCII digits within SQLite's integer range."""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # SQLite's INTEGER is a signed 64-bit value
_ASCII_DIGITS = re.compile("[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """The positive id ``text`` spells, or ``None`` if it is not one.

    Only ASCII digits count: ``str.isdigit`` accepts "²" and "٣", which ``int`` rejects or
    reads as another number. Ids past SQLite's range are no id at all.
    """
    if _ASCII_DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
