"""Turn a post's HTML into stories of clean text blocks.

A post is split into stories at its ``h1``-``h4`` headings. A post without heading tags
is split at paragraph-level bold headings instead: a ``<p>`` whose only text is bold,
at most 120 characters long and not ending in a period.

The lead story: text before the first heading is the lead, under the post's title. When
nothing comes before the first heading, that heading's section is the lead and keeps its
own heading (as in the model edition, where the lead has its own headline under the
title). A post without any heading is one story under the title.

Text is plain: entities decoded, whitespace collapsed (a ``<br>`` stays a line break),
links reduced to their text, list items prefixed with "• ", table cells joined with
" | ". Images, figures and captions, scripts, styles, embedded media, forms, hidden
elements, share/social/related-post widgets, "Related Posts" sections and paragraphs
without a single letter or digit are dropped.

``Story.url`` is set only when a story is essentially a link to elsewhere: its heading is
one link, or its body is a single paragraph mostly made of one link. Otherwise it is
``None`` and the story lives at its briefing's URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urljoin, urlsplit

import lxml.etree

from briefing.models import Block, BlockKind, Story

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
BOLD_TAGS = frozenset({"b", "strong"})
DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "img",
        "picture",
        "source",
        "track",
        "svg",
        "canvas",
        "map",
        "area",
        "figure",
        "figcaption",
        "iframe",
        "frame",
        "frameset",
        "embed",
        "object",
        "param",
        "video",
        "audio",
        "form",
        "input",
        "button",
        "select",
        "option",
        "textarea",
        "label",
        "fieldset",
        "nav",
        "dialog",
    }
)
#: HTML5 void elements that libxml2's HTML 4 parser lets swallow the content after them.
VOID_TAGS = frozenset({"embed", "source", "track", "wbr", "keygen"})
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "address",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "pre",
        "h5",
        "h6",
        "hr",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "details",
        "summary",
        "center",
        "body",
        "html",
    }
)
#: class or id fragments of share buttons, social widgets and related-post blocks.
WIDGET_PATTERN = re.compile(
    r"share|sharedaddy|social|jp-relatedposts|related-posts|yarpp|addtoany|wp-block-buttons"
    r"|screen-reader-text|sr-only|visually-hidden|more-link|read[-_]more",
    re.IGNORECASE,
)
#: headings that open boilerplate sections, dropped up to the next heading.
BOILERPLATE_HEADING = re.compile(
    r"^(related( posts| articles| stories| reading| content)?|you (may|might) also like"
    r"|share this( post| article)?|like this)\W*$",
    re.IGNORECASE,
)
#: whole paragraphs that are feed boilerplate (Yoast SEO's RSS footer).
BOILERPLATE_PARAGRAPH = re.compile(r"^The post .+ appeared first on .+$", re.DOTALL)
HEADING_MAX_CHARS = 200
BOLD_HEADING_MAX_CHARS = 120

_AUTOP_BLOCKS = BLOCK_TAGS | HEADING_TAGS | {"td", "th"}
_MARKED_TAGS = _AUTOP_BLOCKS | {"a"}  # the tags whose start or end the walker acts on
_BREAK = "\ue000"  # a private-use character standing for <br> until a block is flushed
_BLANK_LINES = re.compile(r"\n[ \t\r\f]*\n\s*")
_WORD = re.compile(r"\w")
#: invisible characters, and those XML cannot hold (lxml refuses them in text).
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TEXT_OUTSIDE_BOLD = lxml.etree.XPath(".//text()[not(ancestor::b or ancestor::strong)]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def html_to_stories(
    html: str, title: str, *, base_url: str | None = None, autop: bool = False
) -> tuple[Story, ...]:
    """Split HTML into stories at its headings (see the module docstring).

    Args:
        html: the post's HTML (a fragment or a whole page).
        title: the post's title, the heading of the lead when text precedes any heading.
        base_url: resolves relative links for ``Story.url``.
        autop: treat blank lines as paragraph breaks and newlines as line breaks, as
            WordPress does when it renders raw post content (WXR exports).

    Returns:
        The stories in order; empty when the HTML holds no text.
    """
    root = _parse(html)
    if root is None:
        return ()
    _prune(root)
    bold_headings = set() if _has_headings(root) else _bold_headings(root)
    walker = _Walker(base_url=base_url, autop=autop, bold_headings=bold_headings)
    walker.walk(root)
    return _stories(walker.sections, title, base_url)


def html_to_blocks(html: str, *, autop: bool = False) -> tuple[Block, ...]:
    """The text blocks of HTML without splitting it into stories (headings become text)."""
    root = _parse(html)
    if root is None:
        return ()
    _prune(root)
    walker = _Walker(base_url=None, autop=autop, bold_headings=set(), split=False)
    walker.walk(root)
    return tuple(block for section in walker.sections for block in section.blocks)


def html_to_text(html: str, *, autop: bool = False) -> str:
    """HTML as plain text, blocks separated by a blank line."""
    return "\n\n".join(block.text for block in html_to_blocks(html, autop=autop))


def inline_text(html: str) -> str:
    """HTML (or plain text) flattened to one line, e.g. for a title."""
    if "<" not in html and "&" not in html:
        return clean_text(html).replace("\n", " ")
    return " ".join(html_to_text(html).split())


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Plain text as paragraphs, split at blank lines."""
    paragraphs = (clean_text(part) for part in _BLANK_LINES.split(_INVISIBLE.sub("", text)))
    return tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs if _WORD.search(p))


def clean_text(raw: str) -> str:
    """Collapse whitespace (no-break spaces included), keep single line breaks."""
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def _parse(html: str) -> lxml.etree._Element | None:
    html = _INVISIBLE.sub("", _XML_DECLARATION.sub("", html, count=1))
    if not html.strip():
        return None
    parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    document = lxml.etree.fromstring(html, parser)
    if document is None:  # nothing but comments
        return None
    body = document.find("body")
    return body if body is not None else document


def _prune(root: lxml.etree._Element) -> None:
    """Remove everything that is not text of the post; turn ``<br>`` into a marker."""
    for element in list(root.iter(*VOID_TAGS)):
        _unwrap(element)
    doomed = list(root.iter(*DROPPED_TAGS))
    doomed.extend(e for e in root.iter() if e.attrib and _is_widget_or_hidden(e))
    for element in root.iter("br"):
        element.tail = _BREAK + (element.tail or "")
        doomed.append(element)
    for element in doomed:
        _drop_keeping_tail(element)


def _unwrap(element: lxml.etree._Element) -> None:
    """Replace ``element`` by its content (text, children and tail stay in place)."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    for text in (element.text, None if len(element) else element.tail):
        if text:
            if previous is None:
                parent.text = (parent.text or "") + text
            else:
                previous.tail = (previous.tail or "") + text
    if len(element) and element.tail:
        element[-1].tail = (element[-1].tail or "") + element.tail
    index = parent.index(element)
    parent[index : index + 1] = list(element)


def _drop_keeping_tail(element: lxml.etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _is_widget_or_hidden(element: lxml.etree._Element) -> bool:
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names = f"{attrib.get('class', '')} {attrib.get('id', '')}"
    return bool(names.strip()) and WIDGET_PATTERN.search(names) is not None


def _has_headings(root: lxml.etree._Element) -> bool:
    return any(_heading_text(h) for h in root.iter(*HEADING_TAGS) if isinstance(h.tag, str))


def _text_of(element: lxml.etree._Element) -> str:
    """All text inside ``element`` (an HTML parser yields only ``str``)."""
    return "".join(cast(Iterator[str], element.itertext()))


def _heading_text(element: lxml.etree._Element) -> str:
    text = clean_text(_text_of(element).replace(_BREAK, " "))
    return text if len(text) <= HEADING_MAX_CHARS else ""


def _bold_headings(root: lxml.etree._Element) -> set[lxml.etree._Element]:
    """Paragraphs that serve as headings: only bold text, short, no final period."""
    found = set()
    for paragraph in root.iter("p"):
        text = clean_text(_text_of(paragraph).replace(_BREAK, " "))
        if not text or len(text) > BOLD_HEADING_MAX_CHARS or text.endswith((".", "…")):
            continue
        if not any(True for _ in paragraph.iter(*BOLD_TAGS)):
            continue
        outside = cast(list[str], _TEXT_OUTSIDE_BOLD(paragraph))
        if not "".join(outside).replace(_BREAK, " ").strip():
            found.add(paragraph)
    return found


@dataclass
class _Section:
    heading: str | None
    heading_url: str | None = None
    blocks: list[Block] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, raw text)
    boilerplate: bool = False


class _Walker:
    """Collects blocks into sections while walking a pruned tree once."""

    def __init__(
        self,
        *,
        base_url: str | None,
        autop: bool,
        bold_headings: set[lxml.etree._Element],
        split: bool = True,
    ) -> None:
        self.base_url = base_url
        self.autop = autop
        self.bold_headings = bold_headings
        self.split = split
        self.sections: list[_Section] = [_Section(heading=None)]
        self.buffer: list[str] = []
        self.quote_depth = 0
        self.pre_depth = 0

    def walk(self, root: lxml.etree._Element) -> None:
        walker = lxml.etree.iterwalk(root, events=("start", "end"))
        plain = not self.autop  # the common case, kept cheap: most elements are inline
        for event, element in walker:
            tag = element.tag
            if event == "start":
                heading = self.split and (tag in HEADING_TAGS or element in self.bold_headings)
                if heading and self._open_section(element):
                    walker.skip_subtree()
                elif tag in _MARKED_TAGS:
                    self._start(element, tag)
                elif element.text:
                    if plain and not self.pre_depth:
                        self.buffer.append(element.text)
                    else:
                        self._text(element.text, element, element[0] if len(element) else element)
                continue
            if tag in _MARKED_TAGS:
                self._end(tag)
            tail = element.tail
            if tail and element is not root:
                if plain and not self.pre_depth:
                    self.buffer.append(tail)
                else:
                    following = element.getnext()
                    self._text(
                        tail, element, element.getparent() if following is None else following
                    )
        self._flush()

    def _open_section(self, element: lxml.etree._Element) -> bool:
        heading = _heading_text(element)
        if not heading:
            return False
        self._flush()
        section = _Section(heading=heading, boilerplate=bool(BOILERPLATE_HEADING.match(heading)))
        links = [a for a in element.iter("a") if a.get("href")]
        if len(links) == 1 and len(clean_text(_text_of(links[0]))) * 2 >= len(heading):
            section.heading_url = _absolute(links[0].get("href", ""), self.base_url)
        self.sections.append(section)
        return True

    def _start(self, element: lxml.etree._Element, tag: str) -> None:
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self._flush()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag == "li":
                self.buffer.append("• ")
        elif tag in ("td", "th") and element.getprevious() is not None:
            self.buffer.append(" | ")
        elif tag == "a":
            href = element.get("href")
            if href:
                self.sections[-1].links.append((href, _text_of(element)))
        if element.text:
            self._text(element.text, element, element[0] if len(element) else element)

    def _end(self, tag: str) -> None:
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self._flush()
            if tag == "li":
                self.buffer.clear()  # the bullet of an empty item
            elif tag == "blockquote":
                self.quote_depth -= 1
            elif tag == "pre":
                self.pre_depth -= 1
        elif tag in ("td", "th"):
            self.buffer.append(" ")

    def _text(
        self,
        text: str,
        before: lxml.etree._Element | None = None,
        after: lxml.etree._Element | None = None,
    ) -> None:
        """Collect ``text`` found between the tags of ``before`` and ``after``."""
        if self.pre_depth:
            self.buffer.append(text.replace("\n", _BREAK))
        elif self.autop:
            # As wpautop does, newlines next to a block tag are not line breaks.
            if before is not None and before.tag in _AUTOP_BLOCKS:
                text = text.lstrip()
            if after is not None and after.tag in _AUTOP_BLOCKS:
                text = text.rstrip()
            parts = _BLANK_LINES.split(text)
            for index, part in enumerate(parts):
                if index:
                    self._flush()
                self.buffer.append(part.replace("\n", _BREAK))
        else:
            self.buffer.append(text)

    def _flush(self) -> None:
        if not self.buffer:
            return
        raw = "".join(self.buffer)
        self.buffer.clear()
        if raw == "• ":  # a list item whose text is in a nested block: keep the bullet
            self.buffer.append(raw)
            return
        if not _WORD.search(raw):
            return
        text = clean_text(raw.replace("\n", " ").replace(_BREAK, "\n"))
        if text == "•" or BOILERPLATE_PARAGRAPH.match(text):
            return
        kind = BlockKind.QUOTE if self.quote_depth else BlockKind.PARAGRAPH
        self.sections[-1].blocks.append(Block(kind, text))


def _absolute(href: str, base_url: str | None) -> str | None:
    """``href`` as an absolute http(s) URL, or ``None``."""
    try:
        url = urljoin(base_url, href.strip()) if base_url else href.strip()
        parts = urlsplit(url)
    except ValueError:  # "http://[": an unparseable link is no link
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _stories(sections: list[_Section], title: str, base_url: str | None) -> tuple[Story, ...]:
    lead, *rest = sections
    stories: list[Story] = []
    if lead.blocks:
        stories.append(Story(title, tuple(lead.blocks), url=_story_url(lead, base_url)))
    for index, section in enumerate(rest):
        if section.boilerplate:
            continue
        if not section.blocks:
            # A heading with nothing under it: a grouping title is dropped, but a closing
            # line ("Thanks for reading!") stays as text of the story before it.
            if index == len(rest) - 1 and stories and section.heading:
                last = stories[-1]
                extra = Block(BlockKind.PARAGRAPH, section.heading)
                stories[-1] = Story(last.heading, (*last.blocks, extra), last.url)
            continue
        heading = section.heading or title
        stories.append(Story(heading, tuple(section.blocks), url=_story_url(section, base_url)))
    return tuple(stories)


def _story_url(section: _Section, base_url: str | None) -> str | None:
    """The link a story stands for, if it is essentially a link to elsewhere."""
    if section.heading_url:
        return section.heading_url
    if len(section.blocks) != 1 or not section.links:
        return None
    hrefs = {href.strip() for href, _ in section.links}
    linked = sum(len(clean_text(text)) for _, text in section.links)
    if len(hrefs) == 1 and linked * 2 >= len(section.blocks[0].text):
        return _absolute(section.links[0][0], base_url)
    return None
