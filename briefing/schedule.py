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


MIN_INTERVAL_SECONDS = 60
MAX_INTERVAL_SECONDS = 7 * 24 * 3600
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """Seconds in an interval such as ``15m``, ``1h30m``, ``2h``, ``1d`` or ``900``.

    Raises:
        ValueError: not an interval, or outside one minute to one week; the message is
            one line saying what is accepted.
    """
    spec = text.strip().lower().replace(" ", "")
    usage = f"{text.strip()!r} is not an interval like 15m, 1h30m, 2h or 1d"
    if spec.isdigit():
        seconds = int(spec)
    else:
        seconds, number = 0, ""
        for char in spec:
            if char.isdigit():
                number += char
            elif char in _UNITS and number:
                seconds += int(number) * _UNITS[char]
                number = ""
            else:
                raise ValueError(usage)
        if number or not spec:
            raise ValueError(usage)
    if not MIN_INTERVAL_SECONDS <= seconds <= MAX_INTERVAL_SECONDS:
        raise ValueError("an interval must be between 1m and 7d")
    return seconds


def format_interval(seconds: int) -> str:
    """The shortest way to write ``seconds`` with d/h/m/s units, e.g. ``1h30m``."""
    parts: list[str] = []
    for unit, size in sorted(_UNITS.items(), key=lambda item: -item[1]):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
