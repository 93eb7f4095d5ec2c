"""One fetched or read document of any source kind, turned into entries.

The single place that maps a source kind to its parser, so the CLI, the poller and the
admin commands read documents the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefing.digest import NotADigestError, parse_digest
from briefing.feeds import FeedEntry, FeedError, parse_feed
from briefing.sources import SourceKind
from briefing.urls import without_credentials
from briefing.wordpress import WordPressError, parse_wp_posts
from briefing.wxr import WxrError, parse_wxr


class DocumentError(ValueError):
    """The document cannot be read as the kind asked; the message is one line."""


@dataclass(frozen=True, slots=True)
class Document:
    """A document's own title, when it has one, and its entries in document order."""

    title: str | None
    entries: tuple[FeedEntry, ...]


DOCUMENT_ERRORS: tuple[type[ValueError], ...] = (
    DocumentError,
    FeedError,
    NotADigestError,
    WordPressError,
    WxrError,
)


def read_document(
    kind: SourceKind,
    data: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    site: str | None = None,
) -> Document:
    """The title and entries of ``data`` read as ``kind``.

    Args:
        url: where the document came from; a digest's identity, a feed's base URL.
        site: for ``wordpress``, the site the REST API belongs to (keys name it).

    Raises:
        One of :data:`DOCUMENT_ERRORS`, with a one-line message.
    """
    if kind is SourceKind.FEED:
        feed = parse_feed(data, url, headers)
        return Document(feed.title, feed.entries)
    if kind is SourceKind.WXR:
        return Document(None, tuple(FeedEntry(briefing) for briefing in parse_wxr(data)))
    if kind is SourceKind.WORDPRESS:
        posts = parse_wp_posts(data, site or url)
        return Document(None, tuple(FeedEntry(p.briefing, wp_post_id=p.id) for p in posts))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError("not a text digest: the body is not UTF-8 text") from None
    # A fetched digest is keyed by its URL, which may carry the fetcher's credentials.
    digest = parse_digest(text, key=without_credentials(url), url=url)
    return Document(digest.title, (FeedEntry(digest),))
