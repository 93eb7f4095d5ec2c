"""The feed parser returns a feed or raises FeedError, whatever the bytes."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.feeds import FeedError, ParsedFeed, parse_feed
from tests.fuzz import FUZZ

_NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
    ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
_OPENINGS = st.sampled_from(
    [
        "",
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="iso-8859-1"?>',
        '<?xml version="1.0" encoding="utf-16"?>',
        '<?xml version="1.0" encoding="bogus"?>',
        '<!DOCTYPE rss [<!ENTITY a "aaaa">]>',
    ]
)
_SHAPES = st.sampled_from(
    [
        (f'<rss version="2.0" {_NAMESPACES}><channel>', "</channel></rss>"),
        ('<feed xmlns="http://www.w3.org/2005/Atom">', "</feed>"),
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "</rdf:RDF>"),
        ("<html><body>", "</body></html>"),
        ("", ""),
    ]
)
# Tags and text from real feeds, a document is a run of them (each byte of a drawn string
# picks one, which costs Hypothesis one draw, not one per token) with some random text in
# it: documents that are nearly feeds (an element left open, a stray close, an odd value).
TOKENS = (
    "<item>", "</item>", "<entry>", "</entry>", "<title>", "</title>", "<link>", "</link>",
    '<link rel="replies" href="/c"/>', '<link href="http://[x"/>', "<guid>", "</guid>",
    "<pubDate>", "</pubDate>", "<updated>", "</updated>", "<description>", "</description>",
    "<content:encoded>", "</content:encoded>", '<content type="html" xml:base="http://[::1/">',
    "</content>", "<summary>", "</summary>", "<dc:creator>", "</dc:creator>",
    "<wfw:commentRss>", "</wfw:commentRss>", "<slash:comments>", "</slash:comments>",
    "<![CDATA[", "]]>", "&lt;h2&gt;Heading&lt;/h2&gt;&lt;p&gt;Text.&lt;/p&gt;", "&amp;",
    "&bogus;", "&#0;", "&#2000000;", "&#x110000;", "<", ">", "Tue, 24 Nov 2026 01:00:00 +0000",
    "2026-13-45T99:00:00Z", "http://[::1/", "https://example.org/?p=12", "/relative/link",
    "12", "-1", "99999999999999999999", " ", "\n", "\x00", "\x1b", "\u202e", "\ud800",
    "Harbour Daily",
)  # fmt: skip


def _document(opening: str, shape: tuple[str, str], picks: bytes, text: str, at: int) -> str:
    tokens = [TOKENS[pick % len(TOKENS)] for pick in picks]
    tokens.insert(at % (len(tokens) + 1), text)
    return opening + shape[0] + "".join(tokens) + shape[1]


_DOCUMENTS = st.builds(
    lambda document, encoding, cut: _encoded(document, encoding, cut),
    st.builds(
        _document, _OPENINGS, _SHAPES, st.binary(max_size=40), st.text(max_size=12), st.integers()
    ),
    st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=300)),
)
# Whole entries, so that many documents are feeds and their entries are read too.
ENTRIES = (
    "<item><title>Tides</title><link>https://example.org/p/1</link><guid>https://example.org/?p=1"
    "</guid><content:encoded><![CDATA[<p>Lead.</p><h2>Ferry</h2><p>Later.</p>]]>"
    "</content:encoded><slash:comments>3</slash:comments></item>",
    "<item><title>Plain</title><description>Only a teaser &amp; more.</description></item>",
    "<item><description>&lt;h3&gt;No title&lt;/h3&gt;&lt;p&gt;Body&lt;/p&gt;</description></item>",
    '<entry><title type="html">Atom &lt;b&gt;bold&lt;/b&gt;</title><id>tag:x,2026:1</id>'
    '<updated>2026-11-24T01:00:00Z</updated><content type="html" xml:base="/base/">'
    "&lt;p&gt;Atom body&lt;/p&gt;&lt;h2&gt;Sub&lt;/h2&gt;&lt;p&gt;More&lt;/p&gt;</content>"
    '<link rel="replies" href="comments.xml"/></entry>',
    "<entry><title>Bare</title><summary>Atom summary</summary></entry>",
)
_WELL_FORMED = st.builds(
    lambda shape, picks, text: _encoded(
        shape[0]
        + f"<title>{escape(text)}</title>"
        + "".join(ENTRIES[pick % len(ENTRIES)] for pick in picks)
        + shape[1],
        "utf-8",
        None,
    ),
    _SHAPES,
    st.binary(max_size=6),
    st.text(max_size=20),
)
BODIES = st.one_of(_DOCUMENTS, _WELL_FORMED, st.binary(max_size=200))
HEADERS = st.one_of(
    st.none(),
    st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus", ""]).map(
        lambda charset: {"content-type": f"application/rss+xml; charset={charset}"}
    ),
)


def _encoded(document: str, encoding: str, cut: int | None) -> bytes:
    """The document in ``encoding`` (unencodable characters replaced), maybe cut short."""
    data = document.encode(encoding, errors="replace")
    return data if cut is None else data[:cut]


def parsed_or_error(data: bytes, headers: dict[str, str] | None) -> ParsedFeed | str:
    """The parsed feed, or the message of the FeedError it raised."""
    try:
        return parse_feed(data, "https://example.org/feed.xml", headers)
    except FeedError as error:
        return str(error)


# feedparser warns when an Atom <updated> is read as the published date: expected here.
@pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")
@FUZZ
@given(BODIES, HEADERS)
@example(b"<>&#2000000;", None)  # feedparser's chr() of a code point past U+10FFFF
@example(b'<rss version="2.0"><channel><link>h://[</link></channel></rss>', None)
# Crossed <item><link></item></link>: feedparser's element stack fails (KeyError 'links').
@example(b'<rss version="2.0"><channel><item><link></item></link></channel></rss>', None)
@example(
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>'
    b'<content type="html" xml:base="http://[::1/">&lt;a href="x"&gt;a&lt;/a&gt;'
    b"</content></entry></feed>",
    None,
)
def test_any_body_is_a_feed_or_one_error_line(data: bytes, headers: dict[str, str] | None) -> None:
    outcome = parsed_or_error(data, headers)
    if isinstance(outcome, str):
        assert len(outcome.splitlines()) == 1
    else:
        assert outcome.title
