"""URL safety: what may be fetched, what may be shown, and credentials never shown."""

from __future__ import annotations

import pytest

from briefing.urls import (
    MAX_URL_LENGTH,
    fetchable_url,
    safe_link,
    shown_url,
    url_problem,
    without_credentials,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/feed.xml",
        "http://example.org:8080/a?b=1&c=2#top",
        "https://bücher.example/",
        "https://xn--bcher-kva.example/",
        "http://10.0.0.5/feed",  # an address question, not a URL one: the fetcher decides
        "http://[2001:db8::1]:443/",
        "https://example.org./trailing-dot",
        "https://my_host.example/underscore",
    ],
)
def test_valid_http_urls_have_no_problem(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("javascript:alert(1)", "not an http(s) URL"),
        ("JavaScript:alert(1)", "not an http(s) URL"),
        ("data:text/html,<script>alert(1)</script>", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("ftp://example.org/feed", "not an http(s) URL"),
        ("//example.org/feed", "not an http(s) URL"),
        ("http:///path", "the URL has no host"),
        ("http://127.0.0.1:99999/", "invalid port '99999' (1 to 65535)"),
        ("http://example.org:0/", "invalid port '0' (1 to 65535)"),
        ("http://example.org:http/", "invalid port 'http' (1 to 65535)"),
        ("http://xn--ls8h.la:1/", "invalid international host name"),
        ("http://💩.la/", "invalid international host name"),
        ("http://exa mple.org/", "the URL contains spaces or control characters"),
        ("http://example.org/\r\nSet-Cookie:x", "the URL contains spaces or control characters"),
        ("http://a..b/", "invalid host name"),
        ("http://-a.example/", "invalid host name"),
        ("http://a<b>.example/", "invalid host name"),
        ("http://" + "a" * 64 + ".example/", "invalid host name"),
        ("http://999.1.1.1/", "invalid IPv4 address in the URL"),
        ("http://[::1/", "not a valid URL"),
        ("http://[::zz]/", "not a valid URL"),
        ("http://e.org/" + "a" * MAX_URL_LENGTH, "the URL is longer than 2,048 characters"),
    ],
)
def test_bad_urls_say_why(url: str, problem: str) -> None:
    assert url_problem(url) == problem


def test_the_length_cap_is_inclusive() -> None:
    base = "http://e.org/"
    assert url_problem(base + "a" * (MAX_URL_LENGTH - len(base))) is None
    assert url_problem(base + "a" * (MAX_URL_LENGTH - len(base) + 1)) is not None


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " javascript:alert(1)", "data:,hi", "file:///etc/passwd", "", None],
)
def test_only_http_links_are_safe(url: str | None) -> None:
    assert safe_link(url) is None
    assert safe_link(url, "https://example.org/feed") is None


def test_a_safe_link_leaves_the_credentials_out() -> None:
    assert safe_link("http://ann:s3cret@example.org/post/1") == "http://example.org/post/1"
    assert safe_link("/post/1", "http://ann:s3cret@example.org/feed") == (
        "http://example.org/post/1"
    )
    assert safe_link("http://ann@example.org/") == "http://example.org/"


def test_a_fetchable_url_keeps_the_credentials_and_resolves_against_the_base() -> None:
    base = "http://ann:s3cret@example.org/feed"
    assert fetchable_url("/post/1/feed", base) == "http://ann:s3cret@example.org/post/1/feed"
    assert fetchable_url("javascript:alert(1)", base) is None
    assert fetchable_url("http://example.org:99999/", base) is None


def test_inner_spaces_are_encoded_as_browsers_do() -> None:
    assert safe_link("  https://example.org/a b  ") == "https://example.org/a%20b"


def test_an_unjoinable_link_is_none() -> None:
    assert safe_link("http://[::1/", "https://example.org/") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://ann:s3cret@example.org/x", "http://example.org/x"),
        ("http://ann:p@ss@example.org/x", "http://example.org/x"),
        ("https://example.org/a@b", "https://example.org/a@b"),
        ("tag:example.org,2026:post-1", "tag:example.org,2026:post-1"),
        ("http://u:p@[::1/", "[::1/"),
    ],
)
def test_without_credentials(url: str, expected: str) -> None:
    assert without_credentials(url) == expected


def test_a_shown_url_is_short_one_line_and_without_credentials() -> None:
    shown = shown_url("http://ann:s3cret@example.org/" + "a" * 5000 + "\n")
    assert shown.startswith("http://example.org/aaa")
    assert len(shown) == 120
    assert shown.endswith("…")
    assert "s3cret" not in shown
