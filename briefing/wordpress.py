"""Posts and comments from the WordPress REST API (``/wp-json/wp/v2/...``) JSON.

A site's API root takes one of two forms: ``https://site/wp-json/`` with pretty permalinks,
``https://site/?rest_route=/`` without; :func:`api_endpoint` and :func:`api_root` speak both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefing.html_text import html_to_blocks, html_to_stories, html_to_text, inline_text
from briefing.models import Briefing, Comment, Story
from briefing.urls import safe_link

_PHP_NOTICE = re.compile(r"<b>(?:Warning|Notice|Deprecated|Fatal error)</b>", re.IGNORECASE)


class WordPressError(ValueError):
    """The body is not the WordPress JSON expected; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class WpPost:
    """One post of ``/wp/v2/posts``.

    Attributes:
        id: the WordPress post id (the ``post`` of its comments).
        link: the post's permalink.
        briefing: the post, keyed ``wp:<site>:<id>`` (see :func:`site_key`).
        modified: when the post was last edited (``modified_gmt``), to skip unchanged ones.
    """

    id: int
    link: str | None
    briefing: Briefing
    modified: datetime | None = None


def api_endpoint(root: str, route: str, params: Mapping[str, str | int]) -> str:
    """The URL of ``route`` (such as ``wp/v2/posts``) under an API root, with ``params``."""
    parts = urlsplit(root)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "rest_route" in query:
        query["rest_route"] = f"/{route}"
        query.update({name: str(value) for name, value in params.items()})
        return urlunsplit(parts._replace(query=urlencode(query, safe="/"), fragment=""))
    return f"{root.rstrip('/')}/{route}?{urlencode(params)}"


def api_root(url: str) -> str | None:
    """The API root of a REST API URL in either form, or ``None`` for any other URL."""
    parts = urlsplit(url)
    if "rest_route" in dict(parse_qsl(parts.query, keep_blank_values=True)):
        return urlunsplit(parts._replace(query="rest_route=/", fragment=""))
    if "/wp-json" in parts.path:
        path = parts.path.split("/wp-json", 1)[0] + "/wp-json/"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return None


def site_of(root: str) -> str:
    """The site an API root belongs to, e.g. ``https://example.org/blog``."""
    parts = urlsplit(root)
    path = parts.path.split("/wp-json", 1)[0].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def site_key(site: str) -> str:
    """A site's identity in keys: host and path, without scheme or trailing slash.

    ``https://Example.org/blog/`` and ``http://example.org/blog`` give ``example.org/blog``.
    """
    parts = urlsplit(site if "//" in site else f"//{site}")
    host = parts.netloc.rpartition("@")[2]  # credentials are the fetcher's, not an identity
    return f"{host.lower()}{parts.path.rstrip('/')}"


def parse_wp_posts(data: bytes | str, site: str) -> list[WpPost]:
    """Parse a ``/wp/v2/posts`` response into posts, each a briefing split at headings.

    A password-protected post, or one with empty content, becomes one story holding its
    excerpt with ``Story.url`` set to the post's link.

    Args:
        data: the response body.
        site: the site's base URL; keys are ``wp:<site_key(site)>:<id>``.

    Raises:
        WordPressError: not JSON, an API error object, or not a list of posts.
    """
    prefix = f"wp:{site_key(site)}:"
    return [_post(item, prefix) for item in _items(data, "posts")]


def parse_wp_comments(data: bytes | str) -> list[Comment]:
    """Parse a ``/wp/v2/comments`` response into comments, oldest first.

    Keys are the comment ids; ``parent`` 0 is top level.

    Raises:
        WordPressError: not JSON, an API error object, or not a list of comments.
    """
    comments = [_comment(item) for item in _items(data, "comments")]
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(comments, key=lambda c: (c.published or epoch, int(c.key)))


def _items(data: bytes | str, what: str) -> list[dict[str, Any]]:
    decoded = _loads(data)
    if isinstance(decoded, dict):
        if "code" in decoded:
            message = inline_text(str(decoded.get("message") or "")) or "no message"
            raise WordPressError(f"WordPress API error {decoded['code']}: {message}")
        raise WordPressError(f"expected a list of {what}, got a JSON object")
    if not isinstance(decoded, list):
        raise WordPressError(f"expected a list of {what}, got {type(decoded).__name__}")
    for index, item in enumerate(decoded):
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            raise WordPressError(f"{what}[{index}] is not a WordPress object with an integer id")
    return decoded


def _loads(data: bytes | str) -> Any:
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise WordPressError("not WordPress JSON: the body is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        recovered = _after_php_notices(text)
        if recovered is not None:
            return recovered
        if text.startswith("<"):
            raise WordPressError("not WordPress JSON: the body is HTML or XML") from error
        raise WordPressError(f"not WordPress JSON: {error}") from error


def _after_php_notices(text: str) -> Any | None:
    """The JSON after PHP warnings that a misconfigured site prints before it."""
    if not _PHP_NOTICE.search(text[:4096]):
        return None
    starts = [i for i in (text.find("["), text.find("{")) if i != -1]
    if not starts:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, min(starts))
    except json.JSONDecodeError:
        return None
    return value


def _post(item: dict[str, Any], prefix: str) -> WpPost:
    post_id: int = item["id"]
    link = safe_link(_string(item.get("link")))
    title = inline_text(_rendered(item, "title")) or f"Post {post_id}"
    content = "" if _protected(item) else _rendered(item, "content")
    stories = html_to_stories(content, title, base_url=link)
    if not stories:
        stories = (Story(title, html_to_blocks(_rendered(item, "excerpt")), url=link),)
    briefing = Briefing(
        key=f"{prefix}{post_id}",
        title=title,
        stories=stories,
        published=_gmt(item.get("date_gmt")),
        url=link,
    )
    modified = _gmt(item.get("modified_gmt"))
    return WpPost(id=post_id, link=link, briefing=briefing, modified=modified)


def _comment(item: dict[str, Any]) -> Comment:
    parent = item.get("parent")
    return Comment(
        key=str(item["id"]),
        text=html_to_text(_rendered(item, "content")),
        parent_key=str(parent) if isinstance(parent, int) and parent > 0 else None,
        author=" ".join(_string(item.get("author_name")).split()) or None,
        published=_gmt(item.get("date_gmt")),
    )


def _rendered(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    if isinstance(value, dict):
        return _string(value.get("rendered"))
    return _string(value)


def _protected(item: dict[str, Any]) -> bool:
    content = item.get("content")
    return isinstance(content, dict) and content.get("protected") is True


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _gmt(value: Any) -> datetime | None:
    """A REST ``*_gmt`` field (``2017-11-05T19:35:55``, no zone) as an aware UTC time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
