"""``briefbot ingest`` in process: size caps, progress, and a URL downloaded once."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.ingest_command import IngestError, ingest_file
from bot.progress import ProgressReporter, bar
from bot.sources.fetch import Fetcher
from bot.sources.ingestor import Ingestor
from bot.sources.manager import SourceManager
from bot.sources.poller import SourcePoller
from storage.store import Store
from tests.fakes.feeds import RSS
from tests.fakes.http_server import HttpServer, static


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _feed(entries: int) -> bytes:
    items = "".join(
        f"""<item><title>Quay Daily: Day {n}</title><link>https://quay.example/{n}</link>
<guid isPermaLink="false">quay-{n}</guid><pubDate>Tue, 24 Nov 2026 06:00:00 +0000</pubDate>
<description>The ferry left on time on day {n}. The tide was high.</description></item>"""
        for n in range(1, entries + 1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>Quay Daily</title><link>https://quay.example/</link>{items}</channel></rss>""".encode()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(timeout=5.0, allow_private=True) as opened:
        yield opened


async def test_a_long_file_ingest_prints_plain_progress_lines_when_piped(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(_feed(250))
    out = io.StringIO()
    stored = await ingest_file(path, Ingestor(store), ProgressReporter(out, "feed.xml"))
    assert len(stored) == 250
    assert out.getvalue().splitlines() == [
        "feed.xml: stored 100/250 entries",
        "feed.xml: stored 200/250 entries",
        "feed.xml: stored 250/250 entries",
    ]


async def test_a_file_ingest_on_a_terminal_redraws_one_bar(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(_feed(3))
    out = _Terminal()
    await ingest_file(path, Ingestor(store), ProgressReporter(out, "feed.xml"))
    text = out.getvalue()
    assert text.count("\r") == 3
    assert text.endswith(f"\rfeed.xml: {bar(3, 3)} 3/3 entries\n")
    assert f"feed.xml: {bar(1, 3)} 1/3 entries" in text


def test_a_bar_fills_in_proportion() -> None:
    assert bar(0, 4, width=8) == "[........]"
    assert bar(1, 4, width=8) == "[##......]"
    assert bar(4, 4, width=8) == "[########]"


async def test_a_short_ingest_prints_no_progress_when_piped(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(_feed(2))
    out = io.StringIO()
    await ingest_file(path, Ingestor(store), ProgressReporter(out, "feed.xml"))
    assert out.getvalue() == ""


async def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "digest.txt"
    with path.open("wb") as file:
        file.truncate(200 * 1024 * 1024)
    with pytest.raises(IngestError, match="larger than 10 MB"):
        await ingest_file(path, Ingestor(store))
    assert await store.briefings.count() == 0


async def test_ingesting_a_url_downloads_it_once_and_shows_progress(
    server: HttpServer, store: Store, fetcher: Fetcher
) -> None:
    url = server.route("/feed.xml", static(_feed(120), content_type=RSS))
    poller = SourcePoller(store, fetcher, Ingestor(store))
    out = io.StringIO()
    stored = await SourceManager(store, fetcher, poller).read_once(
        url, progress=ProgressReporter(out, url)
    )
    assert len(stored) == 120
    assert [r.path for r in server.requests] == ["/feed.xml"]
    assert out.getvalue().splitlines() == [
        f"{url}: stored 100/120 entries",
        f"{url}: stored 120/120 entries",
    ]
