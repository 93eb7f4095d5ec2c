"""Tests for briefing.opml: reading and writing subscription lists."""

from __future__ import annotations

import pytest

from briefing.opml import OpmlError, OpmlOutline, parse_opml, render_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
<head><title>My subscriptions</title></head>
<body>
  <outline text="News" title="News">
    <outline text="Harbour &amp; Sea" type="rss" xmlUrl="https://harbour.example/feed/"
      htmlUrl="https://harbour.example/"/>
    <outline text="Local">
      <outline text="Ferries" type="rss" xmlUrl="feed://ferries.example/rss.xml"/>
    </outline>
  </outline>
  <outline text="Weather" type="rss" xmlUrl="http://weather.example/atom.xml"/>
  <outline text="Harbour again" type="rss" xmlUrl="https://harbour.example/feed/"/>
  <outline text="Script" type="rss" xmlUrl="javascript:alert(1)"/>
  <outline text="Just a folder"/>
</body>
</opml>"""


def test_nested_outlines_are_flattened_in_order_once_each() -> None:
    assert parse_opml(NESTED) == [
        OpmlOutline(
            xml_url="https://harbour.example/feed/",
            title="Harbour & Sea",
            html_url="https://harbour.example/",
            folder="News",
        ),
        OpmlOutline(
            xml_url="http://ferries.example/rss.xml", title="Ferries", folder="News / Local"
        ),
        OpmlOutline(xml_url="http://weather.example/atom.xml", title="Weather"),
    ]


def test_title_falls_back_to_text_and_may_be_absent() -> None:
    data = b"""<opml version="2.0"><body>
    <outline title="Titled" text="ignored" xmlUrl="https://a.example/feed"/>
    <outline xmlUrl="https://b.example/feed"/></body></opml>"""
    assert [(o.title, o.xml_url) for o in parse_opml(data)] == [
        ("Titled", "https://a.example/feed"),
        (None, "https://b.example/feed"),
    ]


def test_a_bare_ampersand_is_read_leniently() -> None:
    data = b"""<?xml version="1.0"?><opml version="1.0"><body>
    <outline text="Fish & Chips" xmlUrl="https://fish.example/feed?a=1&b=2"/>
    </body></opml>"""
    (outline,) = parse_opml(data)
    assert outline.title == "Fish & Chips"
    assert outline.xml_url == "https://fish.example/feed?a=1&b=2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"<html><body>nope</body></html>", "the root element is <html>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"<opml version='2.0'><body><outline text='x'/></body></opml>", "no feeds"),
        (b"\x00\x01garbage", "not OPML"),
    ],
)
def test_bad_files_raise_opml_errors(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message) as raised:
        parse_opml(data)
    assert isinstance(raised.value, ValueError)


def test_an_entity_bomb_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://a.example/"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="refused: the file declares XML entities"):
        parse_opml(data)


def test_render_escapes_everything_and_round_trips() -> None:
    sources = [
        ("https://fish.example/feed?a=1&b=2", 'Fish "&" <Chips>\x01'),
        ("https://plain.example/rss", None),
    ]
    rendered = render_opml(sources, "Mine <&>")
    assert rendered.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<title>Mine &lt;&amp;&gt;</title>" in rendered
    assert 'xmlUrl="https://fish.example/feed?a=1&amp;b=2"' in rendered
    assert "\x01" not in rendered
    assert parse_opml(rendered.encode()) == [
        OpmlOutline(xml_url="https://fish.example/feed?a=1&b=2", title='Fish "&" <Chips>'),
        OpmlOutline(xml_url="https://plain.example/rss", title="https://plain.example/rss"),
    ]


def test_render_an_empty_list() -> None:
    rendered = render_opml([], "Nothing")
    assert "<body />" in rendered
    with pytest.raises(OpmlError, match="no feeds"):
        parse_opml(rendered.encode())


def _nested_opml(depth: int) -> bytes:
    return (
        b'<opml version="2.0"><body>'
        + b'<outline text="Folder">' * depth
        + b'<outline type="rss" text="Deep" xmlUrl="https://deep.example/feed"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )


@pytest.mark.parametrize("depth", [254, 256, 300, 2000])
def test_outlines_nested_past_256_levels_are_read(depth: int) -> None:
    [outline] = parse_opml(_nested_opml(depth))
    assert outline.xml_url == "https://deep.example/feed"
    assert outline.folder is not None
    assert outline.folder.count("Folder") == depth


@pytest.mark.parametrize("depth", [2100, 100_000])
def test_outlines_nested_past_the_parsers_limit_are_refused_saying_so(depth: int) -> None:
    with pytest.raises(OpmlError, match="nested deeper than 2048 levels"):
        parse_opml(_nested_opml(depth))
