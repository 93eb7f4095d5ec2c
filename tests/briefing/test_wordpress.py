"""Tests for briefing.wordpress: REST API JSON to posts and comments."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from briefing.wordpress import (
    WordPressError,
    api_endpoint,
    api_root,
    parse_wp_comments,
    parse_wp_posts,
    site_key,
    site_of,
)

SITE = "https://harbour.example/"


def post(**overrides: object) -> dict[str, object]:
    value: dict[str, object] = {
        "id": 41,
        "date": "2024-05-01T10:00:00",
        "date_gmt": "2024-05-01T08:00:00",
        "modified_gmt": "2024-05-02T09:30:00",
        "link": "https://harbour.example/2024/05/tides/",
        "title": {"rendered": "Tides &#038; ferries"},
        "content": {
            "rendered": "<p>Lead text.</p>\n<h2>Ferries</h2>\n<p>Hourly.</p>\n",
            "protected": False,
        },
        "excerpt": {"rendered": "<p>Lead text. Ferries hourly&hellip;</p>", "protected": False},
    }
    value.update(overrides)
    return value


def comment(id_: int, parent: int, author: str, when: str, html: str) -> dict[str, object]:
    return {
        "id": id_,
        "post": 41,
        "parent": parent,
        "author_name": author,
        "date_gmt": when,
        "content": {"rendered": html},
    }


def test_posts_become_briefings_split_at_headings() -> None:
    (wp_post,) = parse_wp_posts(json.dumps([post()]).encode(), SITE)
    assert wp_post.id == 41
    assert wp_post.link == "https://harbour.example/2024/05/tides/"
    assert wp_post.modified == datetime(2024, 5, 2, 9, 30, tzinfo=UTC)
    briefing = wp_post.briefing
    assert briefing.key == "wp:harbour.example:41"
    assert briefing.title == "Tides & ferries"
    assert briefing.published == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert briefing.url == wp_post.link
    assert [(s.heading, s.text) for s in briefing.stories] == [
        ("Tides & ferries", "Lead text."),
        ("Ferries", "Hourly."),
    ]


def test_a_protected_or_empty_post_is_its_excerpt_linking_to_the_post() -> None:
    protected = post(id=42, content={"rendered": "", "protected": True})
    empty = post(id=43, content={"rendered": "<p><img src='x.png'></p>", "protected": False})
    for wp_post in parse_wp_posts(json.dumps([protected, empty]), SITE):
        (story,) = wp_post.briefing.stories
        assert story.text == "Lead text. Ferries hourly…"
        assert story.url == wp_post.link


def test_missing_fields_are_tolerated() -> None:
    (wp_post,) = parse_wp_posts(json.dumps([{"id": 5}]), SITE)
    assert wp_post.briefing.title == "Post 5"
    assert wp_post.briefing.published is None
    assert wp_post.link is None


def test_site_keys_ignore_scheme_case_and_trailing_slash() -> None:
    assert site_key("https://Harbour.example/blog/") == "harbour.example/blog"
    assert site_key("http://harbour.example/blog") == "harbour.example/blog"
    assert site_key("harbour.example") == "harbour.example"


def test_comments_are_threaded_by_parent_and_ordered_oldest_first() -> None:
    data = json.dumps(
        [  # the API's default order is newest first
            comment(12, 11, "Bob", "2024-05-01T09:30:00", "<p>Not on Sundays.</p>\n"),
            comment(11, 0, "Ann", "2024-05-01T09:00:00", "<p>Late &amp; slow.</p>\n<p>Two.</p>"),
        ]
    ).encode()
    comments = parse_wp_comments(data)
    assert [(c.key, c.parent_key, c.author) for c in comments] == [
        ("11", None, "Ann"),
        ("12", "11", "Bob"),
    ]
    assert comments[0].text == "Late & slow.\n\nTwo."
    assert comments[0].published == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def test_json_after_php_warnings_is_recovered() -> None:
    data = (
        b"<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/theme.php</b> "
        b"on line <b>12</b><br />\n" + json.dumps([post()]).encode()
    )
    assert [p.id for p in parse_wp_posts(data, SITE)] == [41]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the body is empty"),
        (b"<!DOCTYPE html><html><body>Log in</body></html>", "the body is HTML or XML"),
        (b"not json at all", "not WordPress JSON"),
        (
            b'{"code":"rest_no_route","message":"No route was found","data":{"status":404}}',
            "WordPress API error rest_no_route: No route was found",
        ),
        (b'{"namespaces": ["wp/v2"]}', "expected a list of posts, got a JSON object"),
        (b'"text"', "expected a list of posts, got str"),
        (b'[{"title": "no id"}]', r"posts\[0\] is not a WordPress object"),
    ],
)
def test_bad_post_responses_raise_wordpress_errors(data: bytes, message: str) -> None:
    with pytest.raises(WordPressError, match=message) as raised:
        parse_wp_posts(data, SITE)
    assert isinstance(raised.value, ValueError)
    assert "\n" not in str(raised.value)


def test_bad_comment_responses_raise_wordpress_errors() -> None:
    with pytest.raises(WordPressError, match="rest_post_invalid_id"):
        parse_wp_comments('{"code": "rest_post_invalid_id", "message": "Invalid post ID."}')
    with pytest.raises(WordPressError, match=r"comments\[1\]"):
        parse_wp_comments(json.dumps([comment(1, 0, "A", "", ""), [1]]))


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("https://example.org/wp-json/", "https://example.org/wp-json/wp/v2/posts?page=2"),
        (
            "https://example.org/blog/wp-json",
            "https://example.org/blog/wp-json/wp/v2/posts?page=2",
        ),
        (
            "https://example.org/?rest_route=/",
            "https://example.org/?rest_route=/wp/v2/posts&page=2",
        ),
        (
            "https://example.org/?rest_route=%2F",
            "https://example.org/?rest_route=/wp/v2/posts&page=2",
        ),
    ],
)
def test_api_endpoint_in_both_forms_of_api_root(root: str, expected: str) -> None:
    assert api_endpoint(root, "wp/v2/posts", {"page": 2}) == expected


@pytest.mark.parametrize(
    ("url", "root", "site"),
    [
        (
            "https://example.org/wp-json/wp/v2/posts?per_page=5",
            "https://example.org/wp-json/",
            "https://example.org",
        ),
        (
            "https://example.org/blog/wp-json/",
            "https://example.org/blog/wp-json/",
            "https://example.org/blog",
        ),
        (
            "https://example.org/?rest_route=/wp/v2/posts&page=3",
            "https://example.org/?rest_route=/",
            "https://example.org",
        ),
    ],
)
def test_api_root_and_site_of_a_rest_url(url: str, root: str, site: str) -> None:
    assert api_root(url) == root
    assert site_of(root) == site


def test_a_url_outside_the_api_has_no_api_root() -> None:
    assert api_root("https://example.org/feed/") is None
