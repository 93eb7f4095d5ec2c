"""WordPress export files (WXR 1.0-1.2) as briefings with threaded comments.

Each published post (``wp:post_type`` post, ``wp:status`` publish, no password) becomes a
briefing: its raw ``content:encoded`` is rendered as WordPress would (blank lines are
paragraphs, media shortcodes dropped) and split into stories (a post without text is one
story without blocks, linking to the post); its approved comments
(``wp:comment_approved`` 1, pingbacks and trackbacks left out) are threaded by
``wp:comment_parent``. A reply whose parent was not approved hangs from its nearest
approved ancestor, so every ``parent_key`` names a comment of the briefing.

Parsing is lxml's with entities unresolved and no network; a file declaring entities is
refused, and characters XML forbids (control codes that old exports carry) are removed
before parsing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import lxml.etree

from briefing.feeds import declares_entities
from briefing.html_text import html_to_stories, html_to_text, inline_text
from briefing.models import Briefing, Comment, Story
from briefing.urls import safe_link, without_credentials

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
#: the export namespace of any WXR version, http or https.
WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
SKIPPED_COMMENT_TYPES = frozenset({"pingback", "trackback"})

_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MEDIA_SHORTCODE = re.compile(
    r"\[(caption|wp_caption|embed|video|audio)\b[^\]]*\].*?\[/\1\]"
    r"|\[/?(?:caption|wp_caption|gallery|embed|video|audio|playlist)\b[^\]]*\]",
    re.DOTALL | re.IGNORECASE,
)
_NO_DATE = "0000-00-00 00:00:00"


class WxrError(ValueError):
    """The bytes are not a usable WordPress export; the message says why in one line."""


def parse_wxr(data: bytes) -> list[Briefing]:
    """The published posts of a WordPress export, in file order.

    Keys are the post's guid, or ``wxr:<site>:<post_id>`` when it has none or an earlier
    post of the file already has it (``<site>`` is the blog URL's host and path).

    Raises:
        WxrError: empty, entity declarations, malformed XML, or not a WXR file.
    """
    channel, wp = _channel(data)
    site = _site(channel, wp)
    briefings: list[Briefing] = []
    seen: set[str] = set()
    for item in channel.iterfind("item"):
        if (
            _text(item, f"{{{wp}}}post_type") != "post"
            or _text(item, f"{{{wp}}}status") != "publish"
            or _text(item, f"{{{wp}}}post_password")
        ):
            continue
        guid = _text(item, "guid")
        key = (
            guid if guid and guid not in seen else f"wxr:{site}:{_text(item, f'{{{wp}}}post_id')}"
        )
        seen.add(key)
        briefings.append(_post(item, wp, key))
    return briefings


def _channel(data: bytes) -> tuple[lxml.etree._Element, str]:
    data = data.lstrip()
    if not data:
        raise WxrError("not a WordPress export: the file is empty")
    if b"<!ENTITY" in data and declares_entities(data.decode("utf-8", errors="replace")):
        raise WxrError("refused: the file declares XML entities (a possible entity bomb)")
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = lxml.etree.fromstring(_XML_ILLEGAL.sub(b"", data), parser)
    except lxml.etree.XMLSyntaxError as error:
        raise WxrError(f"not a WordPress export: malformed XML ({error})") from error
    if root is None or root.tag != "rss":
        raise WxrError("not a WordPress export: the root element is not <rss>")
    wp = next((ns for ns in (root.nsmap or {}).values() if ns and WXR_NAMESPACE.match(ns)), None)
    channel = root.find("channel")
    if wp is None or channel is None:
        raise WxrError("not a WordPress export: no WordPress export namespace (an RSS feed?)")
    return channel, wp


def _site(channel: lxml.etree._Element, wp: str) -> str:
    url = _text(channel, f"{{{wp}}}base_blog_url") or _text(channel, "link")
    parts = urlsplit(without_credentials(url))
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}" or "unknown"


def _post(item: lxml.etree._Element, wp: str, key: str) -> Briefing:
    post_id = _text(item, f"{{{wp}}}post_id")
    link = safe_link(_text(item, "link"))
    title = inline_text(_text(item, "title")) or f"Post {post_id}"
    content = _MEDIA_SHORTCODE.sub("", _text(item, f"{{{CONTENT_NS}}}encoded"))
    comments = _comments(item, wp)
    stories = html_to_stories(content, title, base_url=link, autop=True)
    return Briefing(
        key=key,
        title=title,
        stories=stories or (Story(title, (), url=link),),
        comments=comments,
        published=_gmt(_text(item, f"{{{wp}}}post_date_gmt")) or _rfc822(_text(item, "pubDate")),
        url=link,
        comment_count=len(comments),
    )


def _comments(item: lxml.etree._Element, wp: str) -> tuple[Comment, ...]:
    parents: dict[str, str] = {}
    approved: list[tuple[datetime | None, int, Comment]] = []
    for element in item.iterfind(f"{{{wp}}}comment"):
        key = _text(element, f"{{{wp}}}comment_id")
        parents[key] = _text(element, f"{{{wp}}}comment_parent")
        if (
            _text(element, f"{{{wp}}}comment_approved") != "1"
            or _text(element, f"{{{wp}}}comment_type") in SKIPPED_COMMENT_TYPES
        ):
            continue
        published = _gmt(_text(element, f"{{{wp}}}comment_date_gmt"))
        comment = Comment(
            key=key,
            text=html_to_text(_text(element, f"{{{wp}}}comment_content"), autop=True),
            author=" ".join(_text(element, f"{{{wp}}}comment_author").split()) or None,
            published=published,
        )
        approved.append((published, int(key) if key.isdigit() else 0, comment))
    keys = {comment.key for _, _, comment in approved}
    approved.sort(key=lambda entry: (entry[0] or datetime.min.replace(tzinfo=UTC), entry[1]))
    return tuple(
        replace(comment, parent_key=_approved_ancestor(comment.key, parents, keys))
        for _, _, comment in approved
    )


def _approved_ancestor(key: str, parents: dict[str, str], approved: set[str]) -> str | None:
    """The nearest approved ancestor of ``key``; ``None`` at top level or on a cycle."""
    seen = {key}
    parent = parents.get(key, "0")
    while parent not in ("", "0") and parent not in seen:
        if parent in approved:
            return parent
        seen.add(parent)
        parent = parents.get(parent, "0")
    return None


def _text(element: lxml.etree._Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _gmt(value: str) -> datetime | None:
    if not value or value == _NO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
