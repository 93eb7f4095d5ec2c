"""A source the bot polls for briefings, and its polling state."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from briefing.schedule import DEFAULT_BACKOFF_CAP_SECONDS, backoff_delay
from briefing.urls import without_credentials

DEFAULT_INTERVAL_SECONDS = 900
MAX_ERROR_LENGTH = 500


class SourceKind(StrEnum):
    """How a source's documents are read."""

    FEED = "feed"
    WORDPRESS = "wordpress"
    DIGEST = "digest"
    WXR = "wxr"


@dataclass(frozen=True, slots=True)
class Source:
    """A polled source: where it is, how often to poll it, and how the last polls went.

    Attributes:
        url: where the source is fetched from.
        kind: which parser reads it.
        title: the source's own name, once a poll has found one.
        interval_seconds: the ordinary time between two polls.
        etag: the validator to send as ``If-None-Match`` on the next poll.
        last_modified: the validator to send as ``If-Modified-Since`` on the next poll.
        last_error: one line saying why the latest poll failed; cleared by a success.
        failures: polls failed in a row; a success resets it to 0.
        next_poll_at: when the source is due again; ``None`` means due now (never polled).
        id: the storage id, ``None`` until stored.
    """

    url: str
    kind: SourceKind
    title: str | None = None
    interval_seconds: int = DEFAULT_INTERVAL_SECONDS
    etag: str | None = None
    last_modified: str | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    failures: int = 0
    next_poll_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.url.strip():
            raise ValueError("a source needs a URL")
        if self.interval_seconds <= 0:
            raise ValueError(f"interval_seconds must be positive, not {self.interval_seconds}")
        if self.failures < 0:
            raise ValueError(f"failures must be 0 or more, not {self.failures}")

    @property
    def display_url(self) -> str:
        """The URL without any ``user:password@``, safe for messages and logs."""
        return without_credentials(self.url)

    def succeeded(
        self,
        *,
        now: datetime,
        etag: str | None,
        last_modified: str | None,
        title: str | None = None,
        note: str | None = None,
    ) -> Source:
        """This source after a successful poll at ``now``.

        The validators are replaced, ``title`` replaces the title when given, failures are
        cleared and the source is due again one interval later. ``note`` (e.g. comments that
        could not be read) is kept as the last error without counting as a failure: the
        entries were stored, so the source is not backed off.
        """
        return replace(
            self,
            etag=etag,
            last_modified=last_modified,
            title=title if title is not None else self.title,
            last_success_at=now,
            last_error=one_line(note) if note is not None else None,
            last_error_at=now if note is not None else None,
            failures=0,
            next_poll_at=now + timedelta(seconds=self.interval_seconds),
        )

    def failed(
        self, error: str, *, now: datetime, backoff_cap_seconds: int = DEFAULT_BACKOFF_CAP_SECONDS
    ) -> Source:
        """This source after a failed poll at ``now``: one more failure, and backed off.

        ``error`` is kept as one line of at most 500 characters; the next poll waits
        :func:`~briefing.schedule.backoff_delay` of the failures in a row.
        """
        failures = self.failures + 1
        delay = backoff_delay(failures, self.interval_seconds, backoff_cap_seconds)
        return replace(
            self,
            last_error=one_line(error),
            last_error_at=now,
            failures=failures,
            next_poll_at=now + timedelta(seconds=delay),
        )


def one_line(error: str) -> str:
    """``error`` on one line of at most :data:`MAX_ERROR_LENGTH` characters."""
    line = " ".join(error.split()) or "unknown error"
    if len(line) > MAX_ERROR_LENGTH:
        line = line[: MAX_ERROR_LENGTH - 1] + "…"
    return line


class SourceError(Exception):
    """A source cannot be added or read as asked; the message is one line for a person."""
