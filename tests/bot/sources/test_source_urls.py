"""Sources read into a real store: credentials stay out of what is stored, and links a
source names (its feed, its comment feeds) are held to the address policy too."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.sources.addresses import AddressPolicy
from bot.sources.fetch import Fetcher, FetchError
from bot.sources.ingestor import Ingestor
from bot.sources.manager import SourceManager
from bot.sources.poller import SourcePoller
from storage.store import Store
from tests.briefing.test_wordpress import post
from tests.fakes.feeds import RSS, feed
from tests.fakes.http_server import HttpServer, static

ONLY_127_0_0_1 = AddressPolicy.exempting(["127.0.0.1/32"])


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    # 127.0.0.1 stands for a public site; 127.0.0.2 for the operator's own network.
    async with Fetcher(timeout=5.0, policy=ONLY_127_0_0_1) as opened:
        yield opened


@pytest.fixture
def manager(store: Store, fetcher: Fetcher) -> SourceManager:
    return SourceManager(store, fetcher, SourcePoller(store, fetcher, Ingestor(store)))


async def _all_briefings(store: Store) -> list[str]:
    """Every stored briefing's key, URL and story URLs, as one text per briefing."""
    found = []
    for briefing_id in range(1, await store.briefings.count() + 1):
        briefing = await store.briefings.get(briefing_id)
        assert briefing is not None
        found.append(f"{briefing.key} {briefing.url} {[s.url for s in briefing.stories]}")
    return found


async def test_a_protected_feed_is_stored_without_its_credentials(
    server: HttpServer, store: Store, manager: SourceManager
) -> None:
    secret = server.base_url.replace("http://", "http://ann:s3cret@")
    server.route("/feed.xml", static(feed(secret), content_type=RSS))
    server.route("/post/1/feed", static(feed(secret, comments=0), content_type=RSS))
    server.route("/post/2/feed", static(feed(secret, comments=0), content_type=RSS))
    stored = await manager.read_once(f"{secret}/feed.xml")
    assert len(stored) == 2
    texts = await _all_briefings(store)
    assert len(texts) == 2
    assert all("s3cret" not in text and "ann@" not in text for text in texts)
    assert f"{server.base_url}/post/1" in texts[0]
    # The comment feeds were fetched with the credentials.
    comment_requests = [r for r in server.requests if r.path.startswith("/post/")]
    assert {r.header("Authorization") for r in comment_requests} == {"Basic YW5uOnMzY3JldA=="}


async def test_a_wordpress_site_is_keyed_without_its_credentials(
    server: HttpServer, store: Store, manager: SourceManager
) -> None:
    posts = json.dumps([post(link="javascript:alert(1)")]).encode()
    server.route("/wp-json/wp/v2/posts", static(posts, content_type="application/json"))
    server.route("/wp-json/wp/v2/comments", static(b"[]", content_type="application/json"))
    secret = server.base_url.replace("http://", "http://ann:s3cret@")
    await manager.read_once(f"{secret}/wp-json/wp/v2/posts")
    [text] = await _all_briefings(store)
    host = server.base_url.removeprefix("http://")
    assert text.startswith(f"wp:{host}:41 None ")
    assert "javascript" not in text


async def test_a_feed_a_page_names_on_a_private_address_is_never_fetched(
    server: HttpServer, store: Store, manager: SourceManager
) -> None:
    port = server.server_address[1]
    page = (
        '<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="http://127.0.0.2:{port}/feed.xml"></head><body>Hi</body></html>'
    ).encode()
    url = server.route("/", static(page, content_type="text/html"))
    refusal = (
        "refused: 127.0.0.2 is a loopback address; "
        "set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true to allow it"
    )
    added = await manager.add(url)  # stored like any feed, and its first poll fails
    assert added.first_poll.error == refusal
    assert added.source.url == f"http://127.0.0.2:{port}/feed.xml"
    assert await store.briefings.count() == 0
    with pytest.raises(FetchError) as error:
        await manager.read_once(url)
    assert str(error.value) == refusal
    assert [r.path for r in server.requests] == ["/", "/"]


async def test_a_comment_feed_on_a_private_address_is_not_read(
    server: HttpServer, store: Store, manager: SourceManager
) -> None:
    internal = server.base_url.replace("127.0.0.1", "127.0.0.2")
    data = feed(server.base_url).replace(
        f"<wfw:commentRss>{server.base_url}".encode(), f"<wfw:commentRss>{internal}".encode()
    )
    url = server.route("/feed.xml", static(data, content_type=RSS))
    stored = await manager.read_once(url)
    assert [s.comments for s in stored] == [0, 0]  # stored, without their discussion
    assert await store.briefings.count() == 2
    assert [r.path for r in server.requests] == [
        "/feed.xml"
    ]  # read once: detection reuses the body
