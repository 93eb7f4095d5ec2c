"""``briefbot ingest``: text digests, feeds and WordPress exports from files or URLs."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.files import FileReadError, read_capped
from bot.progress import Progress
from bot.sources.fetch import FetchError
from bot.sources.ingestor import Ingested, Ingestor
from bot.sources.pipeline import Pipeline
from briefing.digest import parse_digest
from briefing.documents import DOCUMENT_ERRORS, read_document
from briefing.feeds import FeedEntry
from briefing.sample import sample_digest_text
from briefing.source_kind import detect_kind
from briefing.sources import SourceError, SourceKind
from briefing.urls import shown_url
from storage.store import Store

SAMPLE_KEY = "sample:harbour-town-daily"
URL_ERRORS: tuple[type[Exception], ...] = (SourceError, FetchError, *DOCUMENT_ERRORS)
FILE_KINDS = {"digest": SourceKind.DIGEST, "wxr": SourceKind.WXR, "feed": SourceKind.FEED}


class IngestError(Exception):
    """A file or URL could not be ingested; the message is one line for the operator."""


def is_url(target: str) -> bool:
    """Whether an ingest target names a URL rather than a file."""
    return target.startswith(("http://", "https://"))


async def ingest_file(
    path: Path, ingestor: Ingestor, progress: Progress | None = None
) -> list[Ingested]:
    """Store every briefing of a digest, feed or WordPress export file.

    A file's identity is its absolute location, so ingesting it again updates it.
    ``progress(stored, total)`` is told after each entry.
    """
    entries = await asyncio.to_thread(read_file_entries, path)
    stored: list[Ingested] = []
    for entry in entries:
        stored.append(await ingestor.ingest(entry.briefing))
        if progress is not None:
            progress(len(stored), len(entries))
    return stored


def read_file_entries(path: Path) -> list[FeedEntry]:
    """Read and parse a file as whatever kind it is.

    Raises:
        IngestError: unreadable, over :data:`~bot.files.MAX_FILE_BYTES`, or not a kind
            that can be ingested.
    """
    try:
        data = read_capped(path)
    except FileReadError as error:
        raise IngestError(str(error)) from None
    try:
        kind = FILE_KINDS.get(detect_kind(None, data, path.name))
    except ValueError:
        raise IngestError(f"{path}: the file is empty") from None
    if kind is None:
        raise IngestError(f"{path}: not a text digest, a feed or a WordPress export")
    try:
        return list(read_document(kind, data, path.resolve().as_uri()).entries)
    except DOCUMENT_ERRORS as error:
        raise IngestError(f"{path}: {error}") from None


async def ingest_url(
    url: str, pipeline: Pipeline, progress: Progress | None = None
) -> list[Ingested]:
    """Read a feed, WordPress site or digest at ``url`` once, without adding it as a source."""
    try:
        return await pipeline.sources.read_once(url, progress=progress)
    except URL_ERRORS as error:
        raise IngestError(f"{shown_url(url)}: {error}") from None


async def load_sample_if_empty(store: Store, ingestor: Ingestor) -> Ingested | None:
    """Put the packaged sample briefing into an empty database."""
    if await store.briefings.count() > 0:
        return None
    return await ingestor.ingest(parse_digest(sample_digest_text(), key=SAMPLE_KEY))
