"""Ingesting text digests from files into the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.digest import NotADigestError, parse_digest
from briefing.sample import sample_digest_text

from briefing.models import Briefing
from storage.briefings import SaveOutcome
from storage.store import Store

SAMPLE_KEY = "sample:harbour-town-daily"


class IngestError(Exception):
    """A file could not be ingested; the message is one line for the operator."""


@dataclass(frozen=True, slots=True)
class Ingested:
    """What ingesting one briefing did."""

    briefing: Briefing
    outcome: SaveOutcome

    def describe(self) -> str:
        """One line for the operator."""
        b = self.briefing
        return (
            f"{self.outcome.value}: {b.title!r} "
            f"({len(b.stories)} stories, {len(b.comments)} comments)"
        )


def read_digest(path: Path) -> Briefing:
    """Parse the text digest at ``path``; its identity is the file's absolute location."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: is a directory, not a digest file") from None
    except UnicodeDecodeError:
        raise IngestError(f"{path}: not a text digest (the file is not UTF-8 text)") from None
    except OSError as error:
        raise IngestError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        return parse_digest(text, key=path.resolve().as_uri())
    except NotADigestError as error:
        raise IngestError(f"{path}: {error}") from None


async def store_briefing(store: Store, briefing: Briefing) -> Ingested:
    """Save a parsed briefing and say what happened."""
    result = await store.briefings.save(briefing)
    return Ingested(briefing, result.outcome)


async def load_sample_if_empty(store: Store) -> Ingested | None:
    """Put the packaged sample briefing into an empty database."""
    if await store.briefings.count() > 0:
        return None
    return await store_briefing(store, parse_digest(sample_digest_text(), key=SAMPLE_KEY))
