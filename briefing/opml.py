"""OPML subscription lists: read the feeds out of one, write one for export."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

import lxml.etree

from briefing.feeds import declares_entities

_XML_ILLEGAL_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ILLEGAL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_TOO_DEEP = lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT
MAX_DEPTH = 2048  # libxml2's limit with huge_tree
_TOO_DEEP_MESSAGE = f"refused: outlines nested deeper than {MAX_DEPTH} levels"


class OpmlError(ValueError):
    """The bytes are not a usable OPML file; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class OpmlOutline:
    """One subscription of an OPML file.

    Attributes:
        xml_url: the feed's URL (``xmlUrl``; ``feed://`` is read as ``http://``).
        title: ``title``, else ``text``, if any.
        html_url: the site's URL (``htmlUrl``), if any.
        folder: the titles of the enclosing outlines joined with " / ", if nested.
    """

    xml_url: str
    title: str | None = None
    html_url: str | None = None
    folder: str | None = None


def parse_opml(data: bytes) -> list[OpmlOutline]:
    """The feeds of an OPML file, nested outlines flattened, in document order.

    Outlines without an http(s) ``xmlUrl`` are skipped, and a feed listed twice is kept
    once (the first). Malformed XML (an unescaped ``&`` is common) is read leniently.

    Raises:
        OpmlError: empty, entity declarations, nested deeper than :data:`MAX_DEPTH`, not
            OPML, or no feed at all.
    """
    root = _root(data)
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML: no <body>")
    outlines: list[OpmlOutline] = []
    seen: set[str] = set()
    stack: list[tuple[lxml.etree._Element, tuple[str, ...]]] = [(body, ())]
    while stack:  # depth-first, children in order, without recursion
        element, folders = stack.pop()
        label = _label(element) if element is not body else ""
        inner = (*folders, label) if label else folders
        children = [c for c in element if c.tag == "outline"]
        stack.extend((child, inner) for child in reversed(children))
        url = _feed_url(element.get("xmlUrl") or element.get("xmlurl"))
        if element is body or not url or url in seen:
            continue
        seen.add(url)
        outlines.append(
            OpmlOutline(
                xml_url=url,
                title=label or None,
                html_url=_feed_url(element.get("htmlUrl") or element.get("htmlurl")),
                folder=" / ".join(folders) or None,
            )
        )
    if not outlines:
        raise OpmlError("no feeds in this OPML file (no outline has an xmlUrl)")
    return outlines


def render_opml(sources: Sequence[tuple[str, str | None]], title: str) -> str:
    """An OPML 2.0 document listing ``(feed_url, title)`` pairs, every value escaped."""
    opml = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(opml, "head")
    ElementTree.SubElement(head, "title").text = _xml_safe(title)
    body = ElementTree.SubElement(opml, "body")
    for url, name in sources:
        text = _xml_safe(name or url)
        ElementTree.SubElement(
            body, "outline", type="rss", text=text, title=text, xmlUrl=_xml_safe(url)
        )
    ElementTree.indent(opml)
    return _DECLARATION + ElementTree.tostring(opml, encoding="unicode") + "\n"


def _root(data: bytes) -> lxml.etree._Element:
    data = data.lstrip()
    if not data:
        raise OpmlError("not OPML: the file is empty")
    if b"<!ENTITY" in data and declares_entities(data.decode("utf-8", errors="replace")):
        raise OpmlError("refused: the file declares XML entities (a possible entity bomb)")
    data = _XML_ILLEGAL_BYTES.sub(b"", data)
    root = None
    for lenient in (False, True):
        if lenient:  # hand-edited lists often carry a bare "&"
            data = _BARE_AMPERSAND.sub(b"&amp;", data)
        # huge_tree lifts libxml2's nesting limit from 256 to 2048 levels; entities stay
        # refused above, and the file is already size-capped by its reader.
        parser = lxml.etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            recover=lenient,
            huge_tree=True,
        )
        try:
            root = lxml.etree.fromstring(data, parser)
        except lxml.etree.XMLSyntaxError as error:
            if _too_deep(parser):
                raise OpmlError(_TOO_DEEP_MESSAGE) from None
            if lenient:
                raise OpmlError(f"not OPML: malformed XML ({error})") from error
            continue
        if _too_deep(parser):  # recovered, but without everything below the limit
            raise OpmlError(_TOO_DEEP_MESSAGE)
        if root is not None:
            break
    if root is None or not isinstance(root.tag, str):
        raise OpmlError("not OPML: no XML document")
    if lxml.etree.QName(root).localname.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{lxml.etree.QName(root).localname}>")
    return root


def _too_deep(parser: lxml.etree.XMLParser) -> bool:
    return any(entry.type == _TOO_DEEP for entry in parser.error_log)


def _label(element: lxml.etree._Element) -> str:
    return " ".join((element.get("title") or element.get("text") or "").split())


def _feed_url(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    url = value.strip()
    if url.lower().startswith("feed://"):
        url = "http://" + url[len("feed://") :]
    elif url.lower().startswith("feed:"):
        url = url[len("feed:") :]
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/": kept, so that the importer names it and its reason
        return url if url.lower().startswith(("http://", "https://")) else None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (escaping is ElementTree's job)."""
    return _XML_ILLEGAL_TEXT.sub("", text)
