"""What a failed send means for its message: retry, wait, end it, or follow the chat."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Capped exponential backoff for transient errors, and when to give up."""

    max_attempts: int = 8
    first_delay: float = 1.0
    max_delay: float = 300.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed try (1, 2, ...)."""
        return float(min(self.max_delay, self.first_delay * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True, slots=True)
class Transient:
    """Try again later: after ``wait`` seconds if Telegram said so, else after backoff."""

    error: str
    wait: float | None = None


@dataclass(frozen=True, slots=True)
class Permanent:
    """This message can never be sent (bad request, chat not found)."""

    error: str


@dataclass(frozen=True, slots=True)
class Blocked:
    """The bot may no longer write to the chat: end every message queued for it."""

    error: str


@dataclass(frozen=True, slots=True)
class Migrated:
    """The group became a supergroup: move the chat, then send there."""

    new_chat_id: int


Outcome = Transient | Permanent | Blocked | Migrated


def classify(error: Exception) -> Outcome:
    """The outcome of a send that raised ``error``.

    TimedOut and NetworkError (PTB's error for 5xx answers too) are transient; so is any
    other Telegram error (e.g. 401 while a token is being replaced): it ends after the
    policy's attempts, never silently.
    """
    if isinstance(error, RetryAfter):
        return Transient(describe(error), wait=retry_after_seconds(error))
    if isinstance(error, ChatMigrated):
        return Migrated(error.new_chat_id)
    if isinstance(error, Forbidden):
        return Blocked(describe(error))
    if isinstance(error, BadRequest):
        return Permanent(describe(error))
    return Transient(describe(error))


def describe(error: Exception) -> str:
    """One line: the error's kind and Telegram's description."""
    text = error.message if isinstance(error, TelegramError) else str(error)
    kind = type(error).__name__
    line = text if text.startswith(f"{kind}:") else f"{kind}: {text}"
    return " ".join(line.split())[:500]


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's retry_after in seconds, as an int (PTB's default) or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
