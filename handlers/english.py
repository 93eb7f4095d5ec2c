"""Small rules that make the bot's lines read as good English."""

from __future__ import annotations

# A title that ends a sentence itself ("Putin Stepping Back from Assad?") takes no period.
_ENDS_SENTENCE = (".", "?", "!", "…")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"


def full_stop(text: str) -> str:
    """The period to put after ``text`` at the end of a sentence: none if it has its own."""
    return "" if text.rstrip().rstrip(_CLOSERS).endswith(_ENDS_SENTENCE) else "."
