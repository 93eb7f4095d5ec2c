"""Tests for briefing.source_kind: sniffing a fetched body, finding advertised feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.source_kind import detect_kind, find_feed_links, find_wp_api_root

URL = "https://harbour.example/"

WORDPRESS_PAGE = b"""<!DOCTYPE html>
<html lang="en-US"><head>
<meta charset="UTF-8">
<title>Harbour</title>
<link rel="alternate" type="application/rss+xml" title="Harbour &raquo; Feed"
  href="https://harbour.example/feed/" />
<link rel="alternate" type="application/rss+xml" title="Harbour &raquo; Comments Feed"
  href="https://harbour.example/comments/feed/" />
<link rel="https://api.w.org/" href="https://harbour.example/wp-json/" />
</head><body><p>Hello</p></body></html>"""

PLAIN_PAGE = b"""<html><head><base href="https://cdn.harbour.example/site/">
<link rel="alternate" type="application/atom+xml" href="atom.xml">
<link rel="alternate stylesheet" type="text/css" href="alt.css">
<LINK REL="Alternate" TYPE="application/rss+xml" HREF="/rss">
<link rel="alternate" type="application/rss+xml" href="/rss">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
</head><body></body></html>"""


@pytest.mark.parametrize(
    ("content_type", "data", "url", "kind"),
    [
        ("application/rss+xml", b'<?xml version="1.0"?><rss version="2.0"/>', URL, "feed"),
        (
            None,
            b'\n\n<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>',
            URL,
            "feed",
        ),
        (
            "text/xml",
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns="http://purl.org/rss/1.0/"/>',
            URL,
            "feed",
        ),
        (
            "text/html",  # servers mislabel feeds; the body decides
            b"<?xml-stylesheet href='s.xsl'?><!-- hi --><rss version='2.0'></rss>",
            URL,
            "feed",
        ),
        (
            "application/xml",
            b'<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">',
            URL,
            "wxr",
        ),
        (None, b'<?xml version="1.0"?><opml version="2.0"><body/></opml>', URL, "opml"),
        ("application/json", b'[{"id": 1, "link": "x", "content": {}}]', URL, "wordpress"),
        (None, b'{"code": "rest_no_route", "message": "x"}', URL, "wordpress"),
        (None, b'{"namespaces": ["wp/v2"], "routes": {}}', URL, "wordpress"),
        (None, b"[]", f"{URL}wp-json/wp/v2/posts", "wordpress"),
        (None, b"[]", f"{URL}?rest_route=/wp/v2/posts", "wordpress"),
        ("application/feed+json", b'{"version": "https://jsonfeed.org/version/1"}', URL, "feed"),
        ("text/html", WORDPRESS_PAGE, URL, "wordpress"),
        ("text/html", PLAIN_PAGE, URL, "html"),
        (None, b"<!doctype html><p>hi</p>", URL, "html"),
        ("text/plain", b"Syria Daily: Putin Stepping Back\n\nText of the lead.", URL, "digest"),
        (None, b"[Update] Harbour Daily\n\nText.", URL, "digest"),
        (None, "\ufeff<rss version='2.0'/>".encode("utf-16"), URL, "feed"),
    ],
)
def test_detect_kind(content_type: str | None, data: bytes, url: str, kind: str) -> None:
    assert detect_kind(content_type, data, url) == kind


def test_a_doctype_with_an_internal_subset_is_skipped_to_the_root() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "<b>">]><rss version="2.0"/>'
    assert detect_kind(None, data, URL) == "feed"


def test_an_empty_body_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty body"):
        detect_kind("text/plain", b" \n", URL)


def test_feed_links_are_absolute_unique_in_order_with_comment_feeds_last() -> None:
    assert find_feed_links(WORDPRESS_PAGE, URL) == [
        "https://harbour.example/feed/",
        "https://harbour.example/comments/feed/",
    ]
    assert find_feed_links(PLAIN_PAGE, "https://harbour.example/page") == [
        "https://cdn.harbour.example/site/atom.xml",
        "https://cdn.harbour.example/rss",
    ]
    assert find_feed_links(b"", URL) == []
    assert find_feed_links(b"<p>no head</p>", URL) == []


def test_wordpress_api_root() -> None:
    assert find_wp_api_root(WORDPRESS_PAGE, URL) == "https://harbour.example/wp-json/"
    assert find_wp_api_root(PLAIN_PAGE, URL) is None


def test_shared_files_are_recognised(shared_data: Path) -> None:
    feeds = shared_data / "feeds"
    assert detect_kind(None, (feeds / "dcrainmaker.xml").read_bytes(), URL) == "feed"
    assert detect_kind(None, (feeds / "tpm-2017-11-08.atom").read_bytes(), URL) == "feed"
    wxr = (shared_data / "wp-theme-unit-test.wxr.xml").read_bytes()
    assert detect_kind("application/xml", wxr, URL) == "wxr"


def test_the_model_edition_is_a_digest(seed_file: Path) -> None:
    assert detect_kind("text/plain", seed_file.read_bytes(), URL) == "digest"
