"""A source the bot polls for briefings, and its polling state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

DEFAULT_INTERVAL_SECONDS = 900


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
        return redact_url(self.url)


def redact_url(url: str) -> str:
    """``url`` with the credentials of its userinfo part, if any, left out."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


class SourceError(Exception):
    """A source cannot be added or read as asked; the message is one line for a person."""
