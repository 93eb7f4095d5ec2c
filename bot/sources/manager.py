"""Managing sources: adding one (detecting its kind), removing, listing, OPML in and out.

Used alike by the ``briefbot sources`` commands and the admins' chat commands.
"""

from __future__ import annotations

import asyncio
import builtins
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.progress import Progress
from bot.sources.fetch import Fetcher, FetchError, FetchResult
from bot.sources.ingestor import Ingested
from bot.sources.poller import PollReport, SourcePoller, wordpress_posts_url
from briefing.ids import parse_id
from briefing.opml import OpmlError, parse_opml, render_opml
from briefing.source_kind import detect_kind, find_feed_links, find_wp_api_root
from briefing.sources import DEFAULT_INTERVAL_SECONDS, Source, SourceError, SourceKind
from briefing.urls import shown_url, url_problem
from briefing.wordpress import api_root
from storage.sources import SourceExistsError
from storage.store import Store

OPML_TITLE = "briefbot sources"
POLL_ALL_CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class Added:
    """A source just stored, and its first poll."""

    source: Source
    first_poll: PollReport


@dataclass(frozen=True, slots=True)
class Imported:
    """What an OPML import did."""

    added: tuple[Source, ...]
    already_there: tuple[str, ...]
    rejected: tuple[tuple[str, str], ...]


class SourceManager:
    """Adds, removes and lists sources; see :class:`handlers.context.SourceAdmin`."""

    def __init__(self, store: Store, fetcher: Fetcher, poller: SourcePoller) -> None:
        self._store = store
        self._fetcher = fetcher
        self._poller = poller

    async def add(
        self,
        url: str,
        *,
        interval_seconds: int = DEFAULT_INTERVAL_SECONDS,
        kind: SourceKind | None = None,
    ) -> Added:
        """Store a source (finding its kind and its feed when not given) and poll it once.

        Raises:
            SourceError: not an http(s) URL, unreachable, not a source, or already stored.
        """
        url = checked_url(url)
        await self._refuse_if_stored(url)
        if kind is None:
            url, kind = await self._discover(url)
        try:
            source = await self._store.sources.add(url, kind, interval_seconds)
        except SourceExistsError as error:
            # Discovery led to a feed URL that is stored already.
            raise _already_polled(error.source) from None
        return Added(source, await self._poller.poll(source))

    async def remove(self, reference: str) -> Source | None:
        """Forget the source with this id or URL; its briefings stay. The removed source."""
        reference = reference.strip()
        source_id = parse_id(reference)
        if source_id is None and not _storable(reference):
            return None  # no stored URL holds a lone surrogate (argv's undecodable bytes)
        found = await (
            self._store.sources.get(source_id)
            if source_id is not None
            else self._store.sources.by_url(reference)
        )
        if found is None or found.id is None:
            return None
        return found if await self._store.sources.remove(found.id) else None

    async def list(self) -> list[Source]:
        """Every source, oldest first."""
        return await self._store.sources.list()

    async def poll_all(self) -> builtins.list[PollReport]:
        """Poll every source now, a few at a time; each one's report, oldest source first."""
        slots = asyncio.Semaphore(POLL_ALL_CONCURRENCY)

        async def poll(source: Source) -> PollReport:
            async with slots:
                return await self._poller.poll(source)

        return list(await asyncio.gather(*(poll(s) for s in await self._store.sources.list())))

    async def read_once(
        self, url: str, *, progress: Progress | None = None
    ) -> builtins.list[Ingested]:
        """Store what ``url`` holds now, with its discussion, without adding it as a source.

        The URL is downloaded once: the body that told its kind is the one stored (only a
        page that names a feed, or a WordPress site, leads to a second fetch, of the feed or
        the posts). ``progress(stored, total)`` is told after each entry.

        Raises:
            SourceError: as for :meth:`add`; FetchError or a document error while reading.
        """
        url, kind, fetched = await self._discover_fetched(checked_url(url))
        if fetched is None:
            fetched = await self._fetcher.fetch(
                wordpress_posts_url(url) if kind is SourceKind.WORDPRESS else url
            )
        stored = await self._poller.ingest_fetched(kind, fetched, progress=progress)
        return list(stored.ingested)

    async def import_opml(self, data: bytes, *, interval_seconds: int) -> Imported:
        """Store every feed of a subscription list; the scheduler polls them soon after.

        Raises:
            SourceError: the file is not OPML.
        """
        try:
            outlines = parse_opml(data)
        except OpmlError as error:
            raise SourceError(str(error)) from None
        added: list[Source] = []
        already: list[str] = []
        rejected: list[tuple[str, str]] = []
        for outline in outlines:
            try:
                url = checked_url(outline.xml_url)
                added.append(
                    await self._store.sources.add(
                        url, SourceKind.FEED, interval_seconds, outline.title
                    )
                )
            except SourceExistsError:
                already.append(outline.xml_url)
            except SourceError as error:
                rejected.append((outline.xml_url, str(error)))
            except ValueError as error:  # one unusable outline never ends the import
                rejected.append((outline.xml_url, f"not a usable URL ({error})"))
        return Imported(tuple(added), tuple(already), tuple(rejected))

    async def export_opml(self) -> str:
        """Every source as an OPML 2.0 document."""
        sources = await self._store.sources.list()
        return render_opml([(s.url, s.title) for s in sources], OPML_TITLE)

    async def _refuse_if_stored(self, url: str) -> None:
        stored = await self._store.sources.by_url(url)
        if stored is not None:
            raise _already_polled(stored)

    async def _discover(self, url: str) -> tuple[str, SourceKind]:
        """What to poll for ``url``: itself, the feed its page names, or its WordPress API."""
        url, kind, _ = await self._discover_fetched(url)
        return url, kind

    async def _discover_fetched(self, url: str) -> tuple[str, SourceKind, FetchResult | None]:
        """As :meth:`_discover`, with the fetched body when it is the document to read."""
        fetched = await self._fetch(url)
        kind = detect_kind(fetched.headers.get("content-type"), fetched.content, fetched.url)
        if kind == "wordpress":
            root = api_root(url) or find_wp_api_root(fetched.content, fetched.url)
            if root is not None:
                return root, SourceKind.WORDPRESS, None
            kind = "html"
        if kind == "html":
            feeds = find_feed_links(fetched.content, fetched.url)
            if not feeds:
                raise SourceError("that page is neither a feed nor names one")
            return feeds[0], SourceKind.FEED, None
        if kind == "opml":
            raise SourceError("that is a subscription list: use `briefbot sources import`")
        return url, SourceKind(kind), fetched

    async def _fetch(self, url: str) -> FetchResult:
        try:
            fetched = await self._fetcher.fetch(url)
        except FetchError as error:
            raise SourceError(f"cannot read {error.url}: {error}") from None
        if not fetched.content.strip():
            raise SourceError("the address answered with an empty body")
        return fetched


def _storable(text: str) -> bool:
    """Whether SQLite can take ``text``: it must encode as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _already_polled(source: Source) -> SourceError:
    return SourceError(f"already polled as source {source.id} ({source.display_url})")


def checked_url(url: str) -> str:
    """``url`` trimmed, if it is an absolute http(s) URL with a valid host and port, and at
    most :data:`~briefing.urls.MAX_URL_LENGTH` characters. Credentials it carries are kept
    for fetching; messages show it without them.

    Raises:
        SourceError: anything else, in one line.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise SourceError(f"{shown_url(url)!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError("a source must be an http:// or https:// address")
    problem = url_problem(url)
    if problem is not None:
        raise SourceError(f"not a usable source address: {problem}")
    return url
