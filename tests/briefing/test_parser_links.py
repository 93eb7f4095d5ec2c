"""Every parser emits only http(s) links, and none carries the credentials of its source."""

from __future__ import annotations

import json

import pytest

from briefing.digest import parse_digest
from briefing.documents import read_document
from briefing.feeds import parse_feed
from briefing.models import Briefing
from briefing.source_kind import find_feed_links, find_wp_api_root
from briefing.sources import SourceKind
from briefing.wordpress import parse_wp_posts, site_key
from briefing.wxr import parse_wxr
from tests.briefing.test_wordpress import post
from tests.briefing.test_wxr import wxr

BAD_LINKS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "http://127.0.0.1:99999/",
    "http://xn--ls8h.la:1/",
    "https://harbour.example/" + "a" * 5000,
]
SECRET_FEED = "http://ann:s3cret@harbour.example/feed/"
DIGEST = "Harbour Daily\n\nLead\n\nThe tide came in.\n\nFerries\n\nThey run hourly.\n"


def _links(briefing: Briefing) -> list[str | None]:
    return [briefing.url, *(story.url for story in briefing.stories)]


def _rss(link: str, content: str = "<p>Text of the post.</p>", guid: str = "post-1") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/">
<channel><title>Harbour</title><link>{link}</link>
<item><title>Post</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>
<comments>{link}</comments><wfw:commentRss>/post/1/feed</wfw:commentRss>
<content:encoded><![CDATA[{content}]]></content:encoded></item>
</channel></rss>""".encode()


@pytest.mark.parametrize("bad", BAD_LINKS)
def test_a_feed_entry_link_that_is_not_http_is_dropped(bad: str) -> None:
    feed = parse_feed(_rss(bad.replace("&", "&amp;")), "https://harbour.example/feed/")
    [entry] = feed.entries
    assert _links(entry.briefing) == [None, None]
    assert entry.comments_url is None


def test_a_story_heading_link_that_is_not_http_is_dropped() -> None:
    content = '<p>Lead.</p><h2><a href="javascript:alert(1)">Ferries</a></h2><p>Hourly.</p>'
    [entry] = parse_feed(_rss("https://harbour.example/p/1", content), FEED_URL).entries
    assert [s.url for s in entry.briefing.stories] == [None, None]


def test_feed_links_leave_the_credentials_of_the_feed_url_out() -> None:
    content = '<p>Lead.</p><h2><a href="/ferries">Ferries</a></h2><p>Hourly.</p>'
    feed = parse_feed(_rss("/post/1", content, guid=SECRET_FEED + "?p=1"), SECRET_FEED)
    [entry] = feed.entries
    briefing = entry.briefing
    assert briefing.url == "http://harbour.example/post/1"
    assert [s.url for s in briefing.stories] == [None, "http://harbour.example/ferries"]
    assert briefing.key == "http://harbour.example/feed/?p=1"
    assert entry.comments_url == "http://harbour.example/post/1"
    assert feed.link == "http://harbour.example/post/1"
    # Comment feeds are only fetched, never shown: a protected feed's need the credentials.
    assert entry.comment_feed_url == "http://ann:s3cret@harbour.example/post/1/feed"


@pytest.mark.parametrize("bad", BAD_LINKS)
def test_a_wordpress_post_link_that_is_not_http_is_dropped(bad: str) -> None:
    body = '<p>Lead.</p><h2><a href="javascript:alert(1)">Ferries</a></h2><p>Hourly.</p>'
    item = post(link=bad, content={"rendered": body, "protected": False})
    [wp_post] = parse_wp_posts(json.dumps([item]).encode(), "https://harbour.example/")
    assert wp_post.link is None
    assert _links(wp_post.briefing) == [None, None, None]


def test_wordpress_keys_leave_the_credentials_of_the_site_out() -> None:
    [wp_post] = parse_wp_posts(json.dumps([post()]).encode(), "http://ann:s3cret@harbour.example")
    assert wp_post.briefing.key == "wp:harbour.example:41"
    assert site_key("https://ann:s3cret@Harbour.example/blog/") == "harbour.example/blog"


def _wxr_item(link: str, content: str = "<p>Lead.</p>") -> str:
    return f"""<item><title>Post</title><link>{link}</link>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <wp:post_id>7</wp:post_id><wp:status>publish</wp:status>
  <wp:post_type>post</wp:post_type></item>"""


@pytest.mark.parametrize("bad", BAD_LINKS)
def test_a_wxr_link_that_is_not_http_is_dropped(bad: str) -> None:
    for content in ("<p>Lead text.</p>", ""):
        [briefing] = parse_wxr(wxr(_wxr_item(bad.replace("&", "&amp;"), content)))
        assert _links(briefing) == [None, None]


def test_wxr_keys_and_links_leave_credentials_out() -> None:
    items = _wxr_item("http://ann:s3cret@harbour.example/?p=7")
    data = wxr(items).replace(b"https://harbour.example<", b"https://ann:s3cret@harbour.example<")
    [briefing] = parse_wxr(data)
    assert briefing.key == "wxr:harbour.example:7"
    assert _links(briefing) == ["http://harbour.example/?p=7", None]


@pytest.mark.parametrize("bad", BAD_LINKS)
def test_a_digest_url_that_is_not_http_is_dropped(bad: str) -> None:
    assert parse_digest(DIGEST, key="k", url=bad).url is None


def test_a_fetched_digest_is_keyed_and_linked_without_credentials() -> None:
    url = "http://ann:s3cret@harbour.example/daily.txt"
    [entry] = read_document(SourceKind.DIGEST, DIGEST.encode(), url).entries
    assert entry.briefing.key == "http://harbour.example/daily.txt"
    assert entry.briefing.url == "http://harbour.example/daily.txt"


def test_a_digest_file_keeps_its_file_uri_as_key_and_no_link() -> None:
    [entry] = read_document(SourceKind.DIGEST, DIGEST.encode(), "file:///srv/daily.txt").entries
    assert (entry.briefing.key, entry.briefing.url) == ("file:///srv/daily.txt", None)


def test_discovered_feed_links_are_only_fetchable_urls() -> None:
    page = b"""<html><head>
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="http://127.0.0.1:99999/feed">
<link rel="alternate" type="application/rss+xml" href="http://xn--ls8h.la/feed">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="https://api.w.org/" href="data:application/json,[]">
</head><body></body></html>"""
    assert find_feed_links(page, SECRET_FEED) == ["http://ann:s3cret@harbour.example/feed.xml"]
    assert find_wp_api_root(page, SECRET_FEED) is None


FEED_URL = "https://harbour.example/feed/"
