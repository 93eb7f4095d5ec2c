"""Reading sources: fetch, parse, fetch each entry's discussion, and store every entry.

:class:`SourcePoller` polls one source and records the outcome on it; :class:`PollScheduler`
runs the polls that are due, each in its own task, so one slow or failing source never
delays the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.sources.fetch import Fetcher, FetchError, FetchResult
from bot.sources.ingestor import Ingested, Ingestor
from briefing.documents import DOCUMENT_ERRORS, read_document
from briefing.feeds import FeedEntry, FeedError, parse_comment_feed
from briefing.models import Briefing, Comment
from briefing.sources import Source, SourceKind
from briefing.wordpress import (
    WordPressError,
    api_endpoint,
    api_root,
    parse_wp_comments,
    site_of,
)
from storage.briefings import SaveOutcome, StoredState
from storage.store import Store
from storage.timestamps import utc_now

logger = logging.getLogger(__name__)

WP_POSTS_PER_POLL = 20
WP_COMMENTS_PER_PAGE = 100
WP_COMMENT_PAGES = 10  # at most 1,000 comments a post a poll
RECENT_ENTRIES_WITH_COMMENTS = 5  # entries whose discussion is re-read when no count is given
POLL_ERRORS: tuple[type[Exception], ...] = (FetchError, *DOCUMENT_ERRORS)
INTERNAL_ERROR = "internal error while reading this source (the bot's log has the details)"


@dataclass(frozen=True, slots=True)
class Stored:
    """A document's title and what storing each of its entries did."""

    title: str | None
    ingested: tuple[Ingested, ...]


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll of a source did."""

    source: Source
    ingested: tuple[Ingested, ...] = ()
    not_modified: bool = False
    error: str | None = None

    def count(self, outcome: SaveOutcome) -> int:
        """How many entries the poll saved with this outcome."""
        return sum(1 for item in self.ingested if item.outcome is outcome)

    @property
    def new_comments(self) -> int:
        """Comments stored for the first time by this poll."""
        return sum(item.new_comments for item in self.ingested)

    def describe(self) -> str:
        """One line for the operator."""
        if self.error is not None:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified since the last poll"
        return (
            f"{len(self.ingested)} entries: {self.count(SaveOutcome.CREATED)} new, "
            f"{self.count(SaveOutcome.UPDATED)} updated, {self.new_comments} new comments"
        )


class SourcePoller:
    """Polls one source at a time; every entry is stored in its own transaction."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        ingestor: Ingestor,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._ingestor = ingestor
        self._clock = clock

    async def poll(self, source: Source) -> PollReport:
        """Fetch and store ``source`` now, and record the success or failure on it."""
        assert source.id is not None, "only stored sources are polled"
        try:
            report = await self._poll(source)
        except POLL_ERRORS as error:
            report = PollReport(source, error=str(error))
        except Exception:
            logger.exception("polling source %s (%s) failed", source.id, source.display_url)
            report = PollReport(source, error=INTERNAL_ERROR)
        if report.error is None:
            logger.info("source %s: %s", source.id, report.describe())
        else:
            logger.warning("source %s (%s): %s", source.id, source.display_url, report.error)
            await self._store.sources.record_failure(source.id, report.error, now=self._clock())
        return report

    async def ingest_fetched(
        self, kind: SourceKind, fetched: FetchResult, *, source: Source | None = None
    ) -> Stored:
        """Store every entry of an already fetched document, with its discussion."""
        site = site_of(source.url if source else fetched.url)
        document = await asyncio.to_thread(
            read_document, kind, fetched.content, fetched.url, fetched.headers, site=site
        )
        source_id = source.id if source else None
        stored: list[Ingested] = []
        for index, entry in enumerate(document.entries):
            state = await self._store.briefings.stored_state(entry.briefing.key)
            briefing = await self._with_discussion(entry, state, index, kind, fetched.url)
            stored.append(await self._ingestor.ingest_known(briefing, state, source_id=source_id))
        return Stored(document.title, tuple(stored))

    async def _poll(self, source: Source) -> PollReport:
        url = (
            wordpress_posts_url(source.url) if source.kind is SourceKind.WORDPRESS else source.url
        )
        fetched = await self._fetcher.fetch(
            url, etag=source.etag, last_modified=source.last_modified
        )
        stored = Stored(None, ())
        if not fetched.not_modified:
            stored = await self.ingest_fetched(source.kind, fetched, source=source)
        assert source.id is not None
        updated = await self._store.sources.record_success(
            source.id,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            # A title someone chose (an OPML import) wins over the document's own.
            title=stored.title if source.title is None else None,
            now=self._clock(),
        )
        return PollReport(updated or source, stored.ingested, fetched.not_modified)

    async def _with_discussion(
        self,
        entry: FeedEntry,
        state: StoredState | None,
        index: int,
        kind: SourceKind,
        base_url: str,
    ) -> Briefing:
        """The entry's briefing with its comments, when they may have changed."""
        briefing = entry.briefing
        if not _discussion_may_have_changed(entry, state, index):
            return briefing
        comments: list[Comment] | None = None
        try:
            if kind is SourceKind.WORDPRESS and entry.wp_post_id is not None:
                comments = await self._wordpress_comments(base_url, entry.wp_post_id)
            elif entry.comment_feed_url is not None:
                fetched = await self._fetcher.fetch(entry.comment_feed_url)
                comments = await asyncio.to_thread(
                    parse_comment_feed, fetched.content, fetched.headers
                )
        except (FetchError, FeedError, WordPressError) as error:
            # The entry itself is still worth storing; its discussion is read next time.
            logger.warning("comments of %r not read: %s", briefing.title, error)
        if not comments:
            return briefing
        count = briefing.comment_count if briefing.comment_count is not None else len(comments)
        return replace(briefing, comments=(*briefing.comments, *comments), comment_count=count)

    async def _wordpress_comments(self, posts_url: str, post_id: int) -> list[Comment]:
        comments: list[Comment] = []
        root = api_root(posts_url) or posts_url
        for page in range(1, WP_COMMENT_PAGES + 1):
            params = {"post": post_id, "per_page": WP_COMMENTS_PER_PAGE, "page": page}
            fetched = await self._fetcher.fetch(api_endpoint(root, "wp/v2/comments", params))
            batch = await asyncio.to_thread(parse_wp_comments, fetched.content)
            comments.extend(batch)
            if len(batch) < WP_COMMENTS_PER_PAGE:
                break
        return comments


class PollScheduler:
    """Starts a poll for every due source, one task each, never two for the same source."""

    def __init__(
        self,
        store: Store,
        poller: SourcePoller,
        *,
        concurrency: int = 8,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._poller = poller
        self._clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._running: dict[int, asyncio.Task[PollReport]] = {}

    async def tick(self) -> int:
        """Start polls for the due sources not already being polled; returns how many."""
        started = 0
        for source in await self._store.sources.due(self._clock()):
            if source.id is None or source.id in self._running:
                continue
            task = asyncio.create_task(self._limited(source), name=f"poll-source-{source.id}")
            self._running[source.id] = task
            task.add_done_callback(self._forget)
            started += 1
        return started

    async def wait_idle(self) -> None:
        """Wait for the polls under way to finish."""
        while self._running:
            await asyncio.wait(list(self._running.values()))

    async def aclose(self) -> None:
        """Cancel the polls under way (each entry is its own transaction: none is half-done)."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _forget(self, task: asyncio.Task[PollReport]) -> None:
        self._running = {key: t for key, t in self._running.items() if t is not task}

    async def _limited(self, source: Source) -> PollReport:
        async with self._slots:
            return await self._poller.poll(source)


def _discussion_may_have_changed(entry: FeedEntry, state: StoredState | None, index: int) -> bool:
    if entry.comment_feed_url is None and entry.wp_post_id is None:
        return False
    if state is None or state.content_hash != entry.briefing.content_hash():
        return True
    if entry.briefing.comment_count is not None:
        return entry.briefing.comment_count != state.comment_count
    return index < RECENT_ENTRIES_WITH_COMMENTS


def wordpress_posts_url(root: str) -> str:
    """The newest posts under a WordPress REST API root."""
    params: dict[str, str | int] = {
        "per_page": WP_POSTS_PER_POLL,
        "orderby": "date",
        "order": "desc",
    }
    return api_endpoint(root, "wp/v2/posts", params)
