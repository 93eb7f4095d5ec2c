"""Reading sources: fetch, parse, fetch each entry's discussion, and store every entry.

:class:`SourcePoller` polls one source and records the outcome on it; :class:`PollScheduler`
runs the polls that are due, each in its own task, so one slow or failing source never
delays the others.

An entry's comment feed is read concurrently with the others (a few at a time), at most
:data:`COMMENT_FEEDS_PER_POLL` of them a poll, all within one deadline for the poll. Comments
that fail, or are skipped by the cap or the deadline, never hold their entry back: it is
stored without a comment count, so the next poll reads its discussion again. Such a poll is
a success with a note: the source is not backed off, and the note is its last error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.sources.fetch import Fetcher, FetchError, FetchResult
from bot.sources.ingestor import Ingested, Ingestor
from briefing.documents import DOCUMENT_ERRORS, read_document
from briefing.feeds import FeedEntry, FeedError, parse_comment_feed
from briefing.models import Briefing, Comment
from briefing.sources import Source, SourceKind
from briefing.urls import without_credentials
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
COMMENT_ERRORS: tuple[type[Exception], ...] = (FetchError, FeedError, WordPressError)
COMMENTS_INTERNAL_ERROR = "internal error while reading them (the bot's log has the details)"
COMMENT_FEEDS_PER_POLL = 50  # a source with 10,000 entries cannot hold a poll slot for days
COMMENT_FETCHES_AT_ONCE = 4
COMMENTS_DEADLINE_SECONDS = 60.0  # for all of one poll's comment feeds together


@dataclass(frozen=True, slots=True)
class CommentsNotRead:
    """Entries stored without their discussion this time.

    Attributes:
        failed: one line per entry whose comments could not be read: its title and why.
        over_cap: entries left out by the per-poll cap on comment feeds.
        past_deadline: entries whose comment feeds were still unread at the poll's deadline.
    """

    failed: tuple[str, ...] = ()
    over_cap: int = 0
    past_deadline: int = 0

    def describe(self) -> str | None:
        """One line, or ``None`` when every wanted discussion was read."""
        parts: list[str] = []
        if self.failed:
            entries = _entries(len(self.failed))
            parts.append(f"comments of {entries} not read (first: {self.failed[0]})")
        if self.over_cap:
            entries = _entries(self.over_cap)
            parts.append(f"comments of {entries} skipped (over the cap on comment feeds a poll)")
        if self.past_deadline:
            entries = _entries(self.past_deadline)
            parts.append(f"comments of {entries} skipped (past the poll's deadline)")
        if not parts:
            return None
        return "; ".join(parts) + "; read next poll"


@dataclass(frozen=True, slots=True)
class Stored:
    """A document's title and what storing each of its entries did."""

    title: str | None
    ingested: tuple[Ingested, ...]
    comments: CommentsNotRead = field(default_factory=CommentsNotRead)


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll of a source did."""

    source: Source
    ingested: tuple[Ingested, ...] = ()
    not_modified: bool = False
    error: str | None = None
    comments: CommentsNotRead = field(default_factory=CommentsNotRead)

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
        line = (
            f"{len(self.ingested)} entries: {self.count(SaveOutcome.CREATED)} new, "
            f"{self.count(SaveOutcome.UPDATED)} updated, {self.new_comments} new comments"
        )
        note = self.comments.describe()
        return f"{line}; {note}" if note else line


@dataclass(frozen=True, slots=True)
class _Discussion:
    """What reading one entry's comments gave: the comments, or why there are none."""

    comments: tuple[Comment, ...] = ()
    problem: str | None = None


class SourcePoller:
    """Polls one source at a time; every entry is stored in its own transaction."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        ingestor: Ingestor,
        *,
        clock: Callable[[], datetime] = utc_now,
        comment_feeds_per_poll: int = COMMENT_FEEDS_PER_POLL,
        comment_fetches_at_once: int = COMMENT_FETCHES_AT_ONCE,
        comments_deadline: float = COMMENTS_DEADLINE_SECONDS,
    ) -> None:
        if comment_feeds_per_poll < 0 or comment_fetches_at_once <= 0 or comments_deadline <= 0:
            raise ValueError("comment limits must be positive (the cap may be 0)")
        self._store = store
        self._fetcher = fetcher
        self._ingestor = ingestor
        self._clock = clock
        self._comment_cap = comment_feeds_per_poll
        self._comment_fetches = comment_fetches_at_once
        self._comments_deadline = comments_deadline

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
        self,
        kind: SourceKind,
        fetched: FetchResult,
        *,
        source: Source | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Stored:
        """Store every entry of an already fetched document, with its discussion.

        ``progress(stored, total)`` is called after each entry is stored.
        """
        site = site_of(source.url if source else fetched.url)
        document = await asyncio.to_thread(
            read_document, kind, fetched.content, fetched.url, fetched.headers, site=site
        )
        entries = document.entries
        states = [await self._store.briefings.stored_state(e.briefing.key) for e in entries]
        wanted = [
            index
            for index, (entry, state) in enumerate(zip(entries, states, strict=True))
            if _discussion_may_have_changed(entry, state, index)
        ]
        slots = asyncio.Semaphore(self._comment_fetches)
        tasks = {
            index: asyncio.create_task(
                self._discussion(entries[index], kind, fetched.url, slots),
                name=f"comments-{index}",
            )
            for index in wanted[: self._comment_cap]
        }
        over_cap = set(wanted[self._comment_cap :])
        deadline = asyncio.get_running_loop().time() + self._comments_deadline
        failed: list[str] = []
        past_deadline = 0
        stored: list[Ingested] = []
        seen: set[str] = set()
        source_id = source.id if source else None
        try:
            for index, entry in enumerate(entries):
                briefing = entry.briefing
                task = tasks.get(index)
                if task is not None:
                    discussion = await _by_deadline(task, deadline)
                    if discussion is None:
                        past_deadline += 1
                    elif discussion.problem is not None:
                        failed.append(f"{_quoted_title(briefing.title)}: {discussion.problem}")
                    briefing = _with_comments(briefing, discussion)
                elif index in over_cap:
                    briefing = _with_comments(briefing, None)
                state = states[index]
                if briefing.key in seen:  # listed twice: the first one is stored by now
                    state = await self._store.briefings.stored_state(briefing.key)
                seen.add(briefing.key)
                stored.append(
                    await self._ingestor.ingest_known(briefing, state, source_id=source_id)
                )
                if progress is not None:
                    progress(len(stored), len(entries))
        finally:
            await _cancel(tasks.values())
        not_read = CommentsNotRead(tuple(failed), len(over_cap), past_deadline)
        if (note := not_read.describe()) is not None:
            logger.warning("%s: %s", without_credentials(fetched.url), note)
        return Stored(document.title, tuple(stored), not_read)

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
        note = stored.comments.describe()
        updated = await self._store.sources.record_success(
            source.id,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            # A title someone chose (an OPML import) wins over the document's own.
            title=stored.title if source.title is None else None,
            note=note,
            now=self._clock(),
        )
        return PollReport(
            updated or source, stored.ingested, fetched.not_modified, comments=stored.comments
        )

    async def _discussion(
        self, entry: FeedEntry, kind: SourceKind, base_url: str, slots: asyncio.Semaphore
    ) -> _Discussion:
        """The entry's comments, or one line saying why they could not be read."""
        async with slots:
            try:
                if kind is SourceKind.WORDPRESS and entry.wp_post_id is not None:
                    comments = await self._wordpress_comments(base_url, entry.wp_post_id)
                elif entry.comment_feed_url is not None:
                    fetched = await self._fetcher.fetch(entry.comment_feed_url)
                    comments = await asyncio.to_thread(
                        parse_comment_feed, fetched.content, fetched.headers
                    )
                else:
                    comments = []
            except COMMENT_ERRORS as error:
                logger.warning("comments of %r not read: %s", entry.briefing.title, error)
                return _Discussion(problem=str(error))
            except Exception:
                # One entry's discussion never costs the poll its other entries.
                logger.exception("reading the comments of %r failed", entry.briefing.title)
                return _Discussion(problem=COMMENTS_INTERNAL_ERROR)
        return _Discussion(tuple(comments))

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


def _with_comments(briefing: Briefing, discussion: _Discussion | None) -> Briefing:
    """The briefing with the comments read; without a count when they were not read, so
    that the next poll sees a changed count and reads them again."""
    if discussion is None or discussion.problem is not None:
        return replace(briefing, comment_count=None)
    if not discussion.comments:
        return briefing
    comments = discussion.comments
    count = briefing.comment_count if briefing.comment_count is not None else len(comments)
    return replace(briefing, comments=(*briefing.comments, *comments), comment_count=count)


async def _by_deadline(task: asyncio.Task[_Discussion], deadline: float) -> _Discussion | None:
    """The task's result, or ``None`` (and the task cancelled) when ``deadline`` passes first."""
    remaining = max(0.0, deadline - asyncio.get_running_loop().time())
    done, _ = await asyncio.wait({task}, timeout=remaining)
    if not done:
        task.cancel()
        return None
    return task.result()


async def _cancel(tasks: Iterable[asyncio.Task[_Discussion]]) -> None:
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _quoted_title(title: str, limit: int = 60) -> str:
    """A title for a one-line note, quoted, cut at ``limit`` characters."""
    text = " ".join(title.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


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
