"""Counting the work a call does, so a test can bound cost without reading a clock."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable


def call_count(run: Callable[[], object]) -> int:
    """The Python and C function calls ``run()`` makes, as cProfile counts them.

    The count is the same on a busy machine as on an idle one: warm caches up first (one
    call before counting) when the first run does one-off work.
    """
    profile = cProfile.Profile()
    profile.enable()
    try:
        run()
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined, no-any-return]


def growth(run_with: Callable[[int], object], small: int, large: int) -> float:
    """How much more work ``run_with(large)`` does than ``run_with(small)``, per unit of size.

    About 1 for linear work; ``large / small`` for quadratic work.
    """
    run_with(small)  # one-off work (imports, compiled patterns, word lists) out of the count
    ratio = call_count(lambda: run_with(large)) / call_count(lambda: run_with(small))
    return ratio / (large / small)
