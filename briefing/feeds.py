"""RSS and Atom feeds (and WordPress comment feeds) as briefings and comments.

Parsing is feedparser's; around it this module decides the text encoding, refuses entity
declarations (feedparser's lenient fallback would expand a quadratic-blowup entity), and
turns each entry's HTML into stories with :mod:`briefing.html_text`.

Encoding: a byte-order mark wins; then bytes that are valid UTF-8 are UTF-8 whatever the
declaration says (the common misconfiguration is UTF-8 declared as ISO-8859-1); then the
HTTP charset or the XML declaration; a Latin-1/Windows-1252 reading (declared, or the
fallback) is replaced by charset-normalizer's guess when it reads as mojibake, as a
Windows-1251 feed declared ISO-8859-1 does.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
from charset_normalizer import from_bytes

from briefing.html_text import (
    html_to_blocks,
    html_to_stories,
    html_to_text,
    inline_text,
    text_to_blocks,
)
from briefing.models import Block, Briefing, Comment, Story
from briefing.urls import fetchable_url, safe_link, without_credentials

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
LATIN_ENCODINGS = frozenset({"iso8859_1", "iso8859_15", "cp1252", "ascii"})
#: a Latin reading at least this messy (charset-normalizer's chaos) is re-detected.
MOJIBAKE_CHAOS = 0.1
UNTITLED = "Untitled"

_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>")
_UTF8_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
_FIRST_ELEMENT = re.compile(r"<\w")
_HTML_START = re.compile(r"<!doctype\s+html|<(html|head|body)[\s>]", re.IGNORECASE)
_WP_POST_ID = re.compile(r"[?&]p=(\d+)(?:&|#|$)")
_WP_COMMENT_ID = re.compile(r"#comment-(\d+)$")
_UTF8_XML = "application/xml; charset=utf-8"
_WP_COMMENT_FEED = "{base}?p={post_id}&feed=rss2"


class FeedError(ValueError):
    """The bytes are not a usable feed; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed entry as a briefing, with what the feed says about its discussion.

    Attributes:
        briefing: the entry; ``briefing.comment_count`` is ``slash:comments`` (or
            ``thr:total``) when the feed gives it.
        comment_feed_url: the entry's comment feed: ``wfw:commentRss`` or an Atom
            ``rel="replies"`` link; for a WordPress post (guid ``...?p=123``) without
            one, WordPress's per-post comment feed ``<site>/?p=123&feed=rss2``.
        comments_url: the web page of the discussion (RSS ``<comments>``).
        wp_post_id: the WordPress post id, when the guid shows it.
    """

    briefing: Briefing
    comment_feed_url: str | None = None
    comments_url: str | None = None
    wp_post_id: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's channel and its entries, in feed order."""

    title: str
    link: str | None
    entries: tuple[FeedEntry, ...]
    generator: str | None = None

    @property
    def briefings(self) -> tuple[Briefing, ...]:
        """The entries' briefings, in feed order."""
        return tuple(entry.briefing for entry in self.entries)


def parse_feed(data: bytes, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0 or Atom bytes into briefings.

    Args:
        data: the response body.
        url: the feed's URL (after redirects); relative links resolve against it.
        headers: the HTTP response headers, if any (only the charset is used).

    Raises:
        FeedError: empty body, HTML page, JSON, entity declarations, malformed XML
            without any entry, or XML that is not RSS or Atom.
    """
    parsed = _feedparse(data, headers)
    channel = parsed.feed
    link = _clean_url(channel.get("link"), url)
    title = _title(channel) or urlsplit(url).netloc or UNTITLED
    entries = tuple(_entry(entry, url) for entry in parsed.entries)
    return ParsedFeed(title=title, link=link, entries=entries, generator=channel.get("generator"))


def parse_comment_feed(data: bytes, headers: Mapping[str, str] | None = None) -> list[Comment]:
    """Parse a per-post comment feed (WordPress RSS, or Atom with RFC 4685 threading).

    Keys: the WordPress comment id (``#comment-123`` in the guid) when present, so they
    match the REST API's and WXR's, otherwise the entry id. Parents: WordPress 5.4+ starts
    a reply's content with "In reply to <a href="...#comment-123">Name</a>." (translated),
    which becomes ``parent_key`` "123" and is removed from the text; an Atom
    ``thr:in-reply-to`` naming another entry of the feed becomes that entry's key.
    Otherwise a comment is top level. Comments come oldest first (WordPress lists the
    newest first), undated ones last in feed order.

    Raises:
        FeedError: as :func:`parse_feed`.
    """
    parsed = _feedparse(data, headers)
    keys = {entry.get("id", ""): _comment_key(entry, i) for i, entry in enumerate(parsed.entries)}
    comments = []
    for index, entry in enumerate(parsed.entries):
        key = _comment_key(entry, index)
        html, is_html = _richest_text(entry)
        parent_key, html = _split_wordpress_reply(html) if is_html else (None, html)
        if parent_key is None:
            ref = (entry.get("thr_in-reply-to") or {}).get("ref")
            parent_key = keys.get(ref) if ref and ref != entry.get("id") else None
        text = html_to_text(html) if is_html else "\n\n".join(b.text for b in text_to_blocks(html))
        comments.append(
            Comment(
                key=key,
                text=text,
                parent_key=parent_key,
                author=_author(entry),
                published=_published(entry),
            )
        )
    latest = datetime.max.replace(tzinfo=UTC)
    return sorted(comments, key=lambda c: c.published or latest)


# -- bytes to feedparser ------------------------------------------------------------


def _feedparse(data: bytes, headers: Mapping[str, str] | None) -> Any:
    if not data.strip():
        raise FeedError("not a feed: the body is empty")
    text = decode_xml(data, _header_charset(headers))
    text = text.lstrip("\ufeff \t\r\n")
    start = text[:1024]
    if start[:1] in ("{", "["):
        raise FeedError("not a feed: the body is JSON")
    if not start.startswith("<"):
        raise FeedError("not a feed: the body is not XML")
    if _HTML_START.match(_skip_prolog(start)):
        raise FeedError("not a feed: the page is HTML")
    if declares_entities(text):
        raise FeedError("refused: the feed declares XML entities (a possible entity bomb)")
    tail = text[-1024:]
    document = _utf8_document(text)
    # feedparser's parse is when a feed's memory peaks: the decoded text (one to four bytes
    # a character) is dropped first, so only these bytes and the caller's go along.
    del text
    try:
        parsed = feedparser.parse(
            document,
            # No content-location: feedparser would then resolve a base URI at every element
            # (40% of its time); links are resolved here, against xml:base and the URL.
            response_headers={"content-type": _UTF8_XML},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (ValueError, AttributeError, KeyError, IndexError) as error:
        # Its loose parser's own failures on broken markup, found by fuzzing: chr() of
        # "&#2000000;" (ValueError); a stray "=" and NUL inside <channel> (AttributeError,
        # KeyError from its element stack).
        raise FeedError(f"not a feed: unreadable XML ({_describe(error)})") from None
    if parsed.bozo and not _ROOT_CLOSED.search(tail):
        # Entries recovered from a cut-off document would be stored half-written.
        raise FeedError(
            f"not a feed: malformed XML, the document ends before its root element closes"
            f" ({_describe(parsed.bozo_exception)})"
        )
    if not parsed.entries:
        if parsed.bozo:
            raise FeedError(f"not a feed: malformed XML ({_describe(parsed.bozo_exception)})")
        if not parsed.version:
            raise FeedError("not a feed: the XML is neither RSS nor Atom")
    return parsed


def _utf8_document(text: str) -> bytes:
    """The document as UTF-8 that says so: its own XML declaration replaced."""
    encoded = text.encode("utf-8")
    declaration = _XML_DECLARATION.match(encoded)
    return b"".join(
        (_UTF8_DECLARATION, memoryview(encoded)[declaration.end() if declaration else 0 :])
    )


_ROOT_CLOSED = re.compile(
    r"</\s*(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>\s*(?:<!--.*?-->\s*)*\Z", re.DOTALL
)


def decode_xml(data: bytes, charset: str | None = None) -> str:
    """Decode an XML document's bytes (see the module docstring for the order of trust)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    sniffed = _sniff_utf16_32(data)
    if sniffed:
        return data.decode(sniffed, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = [_codec(charset), _codec(_declared_encoding(data))]
    for codec in declared:
        if codec and codec not in LATIN_ENCODINGS and codec != "utf_8":
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    latin = next((c for c in declared if c in LATIN_ENCODINGS and c != "ascii"), "cp1252")
    return _unless_mojibake(data, latin)


def declares_entities(text: str) -> bool:
    """Whether the document declares entities before its first element.

    Both where feedparser looks (anything before the first ``<name``, even after junk)
    and in a DOCTYPE's internal subset, which may hold ``<name`` inside a comment.
    """
    first_element = _FIRST_ELEMENT.search(text)
    if "<!ENTITY" in text[: first_element.start() if first_element else len(text)]:
        return True
    rest = _skip_prolog(text)
    if rest[:9].upper() != "<!DOCTYPE":
        return False
    bracket, close = rest.find("["), rest.find(">")
    return bracket != -1 and (close == -1 or bracket < close) and "<!ENTITY" in rest


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _sniff_utf16_32(data: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, from the zero bytes around the first ``<``."""
    head = data[:4]
    patterns = {
        b"\x00\x00\x00<": "utf-32-be",
        b"<\x00\x00\x00": "utf-32-le",
    }
    if head in patterns:
        return patterns[head]
    if head[:2] == b"\x00<":
        return "utf-16-be"
    if head[:2] == b"<\x00":
        return "utf-16-le"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED_ENCODING.match(data.lstrip()[:200])
    return match.group(1).decode("ascii") if match else None


def _header_charset(headers: Mapping[str, str] | None) -> str | None:
    if not headers:
        return None
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None


def _unless_mojibake(data: bytes, latin: str) -> str:
    """Decode as ``latin`` unless that reads as mojibake and another charset reads clean."""
    text = data.decode(latin, errors="replace")
    as_declared = from_bytes(data, cp_isolation=[latin]).best()
    chaos = as_declared.chaos if as_declared is not None else 1.0
    if chaos < MOJIBAKE_CHAOS:
        return text
    guess = from_bytes(data).best()
    if guess is not None and guess.encoding != latin and guess.chaos + MOJIBAKE_CHAOS <= chaos:
        return str(guess)
    return text


def _skip_prolog(text: str) -> str:
    """``text`` from its first markup that is not whitespace, a comment or a PI."""
    position = 0
    while True:
        while position < len(text) and (text[position].isspace() or text[position] == "\ufeff"):
            position += 1
        if text.startswith("<?", position):
            end = text.find("?>", position + 2)
        elif text.startswith("<!--", position):
            end = text.find("-->", position + 4)
        else:
            return text[position:]
        if end == -1:
            return ""
        position = end + 2 if text[end] == "?" else end + 3


def _describe(error: BaseException) -> str:
    line = getattr(error, "getLineNumber", None)
    message = getattr(error, "getMessage", None)
    if callable(line) and callable(message):
        return f"line {line()}: {message()}"
    return str(error) or type(error).__name__


# -- entries --------------------------------------------------------------------------


def _entry(entry: Any, feed_url: str) -> FeedEntry:
    link = _clean_url(entry.get("link"), feed_url)
    title = _title(entry)
    published = _published(entry)
    stories = _stories(entry, title or UNTITLED, link, feed_url)
    if not title:
        title = _title_from(stories, link)
        stories = tuple(
            Story(title, s.blocks, s.url) if s.heading == UNTITLED else s for s in stories
        )
    guid = without_credentials((entry.get("id") or "").strip())
    key = guid or link or _hash_key(title, published)
    post_id = _wp_post_id(guid)
    briefing = Briefing(
        key=key,
        title=title,
        stories=stories,
        published=published,
        url=link,
        comment_count=_comment_count(entry),
    )
    return FeedEntry(
        briefing=briefing,
        comment_feed_url=_comment_feed_url(entry, guid, post_id, feed_url),
        comments_url=_clean_url(entry.get("comments"), feed_url),
        wp_post_id=post_id,
    )


def _stories(entry: Any, title: str, link: str | None, feed_url: str) -> tuple[Story, ...]:
    """Full content split at its headings, or the teaser as one story pointing at ``link``."""
    contents: Sequence[Any] = entry.get("content") or ()
    html = [c for c in contents if c.get("type") in HTML_TYPES and c.get("value")]
    if html:
        best = max(html, key=lambda c: len(c["value"]))
        base = _clean_url(best.get("base"), feed_url) or feed_url
        stories = html_to_stories(best["value"], title, base_url=base)
        if stories:
            return stories
    plain = [c for c in contents if c.get("value")]
    if plain and not html:
        blocks = text_to_blocks(max(plain, key=lambda c: len(c["value"]))["value"])
        if blocks:
            return (Story(title, blocks),)
    return _teaser(entry, title, link, feed_url)


def _teaser(entry: Any, title: str, link: str | None, feed_url: str) -> tuple[Story, ...]:
    """The summary: split when it carries sub-headings (a full post), else one story."""
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    blocks: tuple[Block, ...]
    if detail.get("type", "text/html") in HTML_TYPES:
        base = _clean_url(detail.get("base"), feed_url) or feed_url
        stories = html_to_stories(summary, title, base_url=base)
        if len(stories) > 1:
            return stories
        blocks = html_to_blocks(summary)
    else:
        blocks = text_to_blocks(summary)
    return (Story(title, blocks, url=link),)


def _title(element: Any) -> str:
    """An entry's or channel's title as one line of plain text."""
    raw = element.get("title") or ""
    detail = element.get("title_detail") or {}
    if detail.get("type") in HTML_TYPES:
        return inline_text(raw)
    return " ".join(raw.split())


def _title_from(stories: tuple[Story, ...], link: str | None) -> str:
    """A title for an untitled entry: the start of its text, else its link."""
    first = next((b.text for s in stories for b in s.blocks), "")
    words = " ".join(first.split())
    if len(words) > 80:
        words = words[:80].rsplit(" ", 1)[0] + "…"
    return words or link or UNTITLED


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _comment_count(entry: Any) -> int | None:
    for field_name in ("slash_comments", "thr_total"):
        value = str(entry.get(field_name) or "").strip()
        if value.isdigit():
            return int(value)
    return None


def _comment_feed_url(entry: Any, guid: str, post_id: int | None, feed_url: str) -> str | None:
    # Only fetched, never shown: a protected feed's credentials stay for its comment feeds.
    declared = fetchable_url(entry.get("wfw_commentrss"), feed_url)
    if declared:
        return declared
    for link in entry.get("links") or ():
        if link.get("rel") == "replies" and link.get("href"):
            return fetchable_url(link["href"], feed_url)
    if post_id is not None:
        parts = urlsplit(guid)
        base = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
        return fetchable_url(_WP_COMMENT_FEED.format(base=base, post_id=post_id))
    return None


def _wp_post_id(guid: str) -> int | None:
    try:
        parts = urlsplit(guid)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    match = _WP_POST_ID.search(guid)
    return int(match.group(1)) if match else None


def _hash_key(title: str, published: datetime | None) -> str:
    payload = f"{title}\n{published.isoformat() if published else ''}".encode()
    return "sha256:" + hashlib.sha256(payload).hexdigest()[:32]


def _clean_url(value: str | None, base: str) -> str | None:
    """A link to show: http(s) only, without the credentials the feed's URL may carry."""
    return safe_link(value, base)


# -- comments -------------------------------------------------------------------------


def _comment_key(entry: Any, index: int) -> str:
    for candidate in (entry.get("id"), entry.get("link")):
        match = _WP_COMMENT_ID.search(candidate or "")
        if match:
            return match.group(1)
    return (entry.get("id") or entry.get("link") or "").strip() or f"#{index}"


def _richest_text(entry: Any) -> tuple[str, bool]:
    """The longest content (WordPress's ``content:encoded``), else the summary; is it HTML?"""
    contents = [c for c in entry.get("content") or () if c.get("value")]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return best["value"], best.get("type") in HTML_TYPES
    detail = entry.get("summary_detail") or {}
    return entry.get("summary") or "", detail.get("type", "text/html") in HTML_TYPES


_REPLY_LINK = re.compile(
    r"""^\s*(?:<p>)?([^<]{0,60})<a\s[^>]*href=["'][^"']*#comment-(\d+)["'][^>]*>(.*?)</a>"""
    r"""([^<]{0,30}?)(?:</p>|\n\n|<br\s*/?>)""",
    re.IGNORECASE | re.DOTALL,
)


def _split_wordpress_reply(html: str) -> tuple[str | None, str]:
    """WordPress's "In reply to <a>Name</a>." first paragraph: the parent id and the rest."""
    match = _REPLY_LINK.match(html)
    if not match or len(match.group(3)) > 200:
        return None, html
    return match.group(2), html[match.end() :]


def _author(entry: Any) -> str | None:
    author = (entry.get("author") or "").strip()
    return author or None
