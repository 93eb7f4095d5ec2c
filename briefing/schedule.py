"""When to poll a source again: pure arithmetic on intervals and failures."""

from __future__ import annotations

DEFAULT_BACKOFF_CAP_SECONDS = 6 * 3600


def backoff_delay(
    failures: int, base_seconds: int, cap_seconds: int = DEFAULT_BACKOFF_CAP_SECONDS
) -> int:
    """Seconds to wait before the next attempt after ``failures`` failures in a row.

    The delay doubles with each failure: ``base * 2**(failures - 1)``, so the first failure
    waits one ordinary interval. It is capped at ``cap_seconds``, but never falls below
    ``base_seconds``: a source polled once a day is not polled more often because it fails.
    No failures (``0``) also gives ``base_seconds``. Deterministic, no jitter.

    Raises:
        ValueError: ``failures`` is negative, or ``base_seconds``/``cap_seconds`` is not
            positive.
    """
    if failures < 0:
        raise ValueError(f"failures must be 0 or more, not {failures}")
    if base_seconds <= 0:
        raise ValueError(f"base_seconds must be positive, not {base_seconds}")
    if cap_seconds <= 0:
        raise ValueError(f"cap_seconds must be positive, not {cap_seconds}")
    ceiling = max(cap_seconds, base_seconds)
    # Past this many doublings the cap is reached; stop before computing huge powers of two.
    doublings = min(max(failures - 1, 0), ceiling.bit_length())
    return min(base_seconds << doublings, ceiling)
