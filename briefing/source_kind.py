"""What kind of source a fetched URL is, from its body (the Content-Type only breaks ties).

Kinds and what parses them:

- ``feed``: RSS or Atom (:func:`briefing.feeds.parse_feed`); also JSON that is not
  WordPress's, which ``parse_feed`` then rejects with a clear message.
- ``wordpress``: WordPress REST JSON (:mod:`briefing.wordpress`), or an HTML page of a
  WordPress site, whose API root :func:`find_wp_api_root` gives.
- ``wxr``: a WordPress export file (:func:`briefing.wxr.parse_wxr`).
- ``opml``: a subscription list (:func:`briefing.opml.parse_opml`).
- ``html``: another web page; :func:`find_feed_links` lists the feeds it advertises.
- ``digest``: plain text, a pasted digest edition.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from briefing.feeds import BOMS
from briefing.urls import fetchable_url

SourceKind = Literal["feed", "wordpress", "digest", "wxr", "opml", "html"]

FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
)
WP_API_REL = "https://api.w.org/"
SNIFF_BYTES = 65536

_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_WXR_NAMESPACE = re.compile(r"""=\s*["']https?://wordpress\.org/export/1\.\d+/["']""")
_WP_API_LINK = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']https://api\.w\.org/["']""", re.I)
_COMMENTS_FEED = re.compile(r"/comments/feed/?$|[?&]feed=comments-", re.IGNORECASE)
_WP_JSON_URL = re.compile(r"/wp-json(/|$)|[?&]rest_route=", re.IGNORECASE)


def detect_kind(content_type: str | None, data: bytes, url: str) -> SourceKind:
    """Sniff what ``data`` fetched from ``url`` is.

    Raises:
        ValueError: the body is empty.
    """
    head = _head_text(data).lstrip("\ufeff \t\r\n")
    if not head:
        raise ValueError("empty body: nothing to detect")
    media_type = (content_type or "").split(";")[0].strip().lower()
    if head[0] in "{[":
        decoded = _json(data)
        if decoded is None:
            return "digest"
        return "wordpress" if _is_wordpress_json(decoded, url) else "feed"
    if head[0] != "<":
        return "digest"
    root = _root_name(head)
    if root in ("rss", "rdf:rdf", "rdf", "feed"):
        return "wxr" if root == "rss" and _WXR_NAMESPACE.search(head[:8192]) else "feed"
    if root == "opml":
        return "opml"
    if root in ("html", "head", "body") or media_type == "text/html":
        return "wordpress" if _WP_API_LINK.search(head) else "html"
    return "feed" if "xml" in media_type or root is None else "html"


def find_feed_links(html: bytes, base_url: str) -> list[str]:
    """The feeds a page advertises (``<link rel="alternate" type="application/rss+xml">``).

    URLs are absolute (against ``<base href>`` or ``base_url``), in page order, each once,
    with comment feeds ("Comments Feed", ``/comments/feed/``) after the others.
    """
    document = _parse_html(html)
    if document is None:
        return []
    base = _base_url(document, base_url)
    found: list[str] = []
    for link in document.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rels and kind in FEED_LINK_TYPES and href:
            url = fetchable_url(href, base)
            if url is not None and url not in found:
                found.append(url)
    return sorted(found, key=lambda url: bool(_COMMENTS_FEED.search(url)))


def find_wp_api_root(html: bytes, base_url: str) -> str | None:
    """The WordPress REST API root a page advertises (``<link rel="https://api.w.org/">``)."""
    document = _parse_html(html)
    if document is None:
        return None
    base = _base_url(document, base_url)
    for link in document.iter("link"):
        href = (link.get("href") or "").strip()
        if (link.get("rel") or "").strip() == WP_API_REL and href:
            return fetchable_url(href, base)
    return None


def _head_text(data: bytes) -> str:
    head = data[:SNIFF_BYTES]
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    if head[:2] in (b"\x00<", b"<\x00"):
        return head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def _root_name(head: str) -> str | None:
    """The first element's name past the prolog; ``html`` for an HTML DOCTYPE."""
    rest = head
    while True:
        rest = rest.lstrip()
        if rest.startswith(("<?", "<!--")):
            closing = "?>" if rest.startswith("<?") else "-->"
            end = rest.find(closing)
            if end == -1:
                return None
            rest = rest[end + len(closing) :]
        elif rest[:9].lower() == "<!doctype":
            if rest[9:].lstrip()[:4].lower() == "html":
                return "html"
            bracket, close = rest.find("["), rest.find(">")
            subset = bracket != -1 and (close == -1 or bracket < close)
            end = rest.find("]>", bracket) + 2 if subset else close + 1
            if end <= 1:
                return None
            rest = rest[end:]
        else:
            match = _ROOT.match(rest)
            return match.group(1).lower() if match else None


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig", errors="replace"))
    except json.JSONDecodeError:
        return None


def _is_wordpress_json(decoded: Any, url: str) -> bool:
    if _WP_JSON_URL.search(url):
        return True
    if isinstance(decoded, dict):
        code = str(decoded.get("code") or "")
        return code.startswith("rest_") or ("namespaces" in decoded and "routes" in decoded)
    return (
        isinstance(decoded, list)
        and bool(decoded)
        and all(isinstance(item, dict) for item in decoded)
        and all("id" in item and ("content" in item or "link" in item) for item in decoded)
    )


def _parse_html(html: bytes) -> lxml.etree._Element | None:
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(remove_comments=True, no_network=True)
    try:
        return lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def _base_url(document: lxml.etree._Element, base_url: str) -> str:
    base = document.find(".//base[@href]")
    return urljoin(base_url, base.get("href", "").strip()) if base is not None else base_url
