"""Progress of a long ingest: a bar redrawn in place on a terminal, plain lines otherwise."""

from __future__ import annotations

from typing import Protocol, TextIO

BAR_WIDTH = 30
LINE_EVERY = 100  # entries between two plain progress lines


class Progress(Protocol):
    """Told after each stored entry how many of how many are stored."""

    def __call__(self, done: int, total: int) -> None: ...


class ProgressReporter:
    """Shows ``label: stored N/TOTAL entries`` on ``out``.

    On a terminal, one line with a bar, redrawn with ``\\r`` and ended with a newline
    when the last entry is stored. Elsewhere (a pipe, a log file), a plain line every
    ``every`` entries and one at the end, and nothing at all for fewer than ``every``
    entries, so short ingests print only their results.
    """

    def __init__(self, out: TextIO, label: str, *, every: int = LINE_EVERY) -> None:
        if every <= 0:
            raise ValueError(f"every must be positive, not {every}")
        self._out = out
        self._label = label
        self._every = every
        self._terminal = _is_terminal(out)

    def __call__(self, done: int, total: int) -> None:
        if self._terminal:
            self._out.write(f"\r{self._label}: {bar(done, total)} {done}/{total} entries")
            if done >= total:
                self._out.write("\n")
        elif done % self._every == 0 or (done >= total and total >= self._every):
            self._out.write(f"{self._label}: stored {done}/{total} entries\n")
        else:
            return
        self._out.flush()


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[#####.....]``: ``done`` of ``total`` as ``width`` cells."""
    filled = width if total <= 0 else min(width, done * width // total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
