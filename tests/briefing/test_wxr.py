"""Tests for briefing.wxr: WordPress export files to briefings with threaded comments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.models import Briefing, Comment
from briefing.wxr import WxrError, parse_wxr
from tests.work_count import call_count


def wxr(items: str, version: str = "1.2", scheme: str = "http") -> bytes:
    ns = f"{scheme}://wordpress.org/export/{version}/"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="WordPress/6.4" -->
<rss version="2.0" xmlns:excerpt="{ns}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel><title>Harbour</title><link>https://harbour.example</link>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:base_blog_url>https://harbour.example</wp:base_blog_url>
{items}
</channel></rss>""".encode()


def wxr_comment(id_: int, parent: int, approved: str = "1", kind: str = "comment") -> str:
    return f"""<wp:comment>
  <wp:comment_id>{id_}</wp:comment_id>
  <wp:comment_author><![CDATA[Reader {id_}]]></wp:comment_author>
  <wp:comment_date_gmt>2024-05-01 10:{id_:02d}:00</wp:comment_date_gmt>
  <wp:comment_content><![CDATA[Comment {id_} line one
line two.

Second paragraph of {id_}.]]></wp:comment_content>
  <wp:comment_approved>{approved}</wp:comment_approved>
  <wp:comment_type>{kind}</wp:comment_type>
  <wp:comment_parent>{parent}</wp:comment_parent>
</wp:comment>"""


def wxr_item(
    post_id: int,
    content: str,
    comments: str = "",
    *,
    post_type: str = "post",
    status: str = "publish",
    guid: str | None = None,
    password: str = "",
) -> str:
    guid_element = f'<guid isPermaLink="false">{guid}</guid>' if guid is not None else ""
    return f"""<item>
  <title>Post &amp; number {post_id}</title>
  <link>https://harbour.example/?p={post_id}</link>
  <pubDate>Wed, 01 May 2024 08:00:00 +0000</pubDate>
  {guid_element}
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_date_gmt>2024-05-01 08:00:00</wp:post_date_gmt>
  <wp:status>{status}</wp:status>
  <wp:post_type>{post_type}</wp:post_type>
  <wp:post_password>{password}</wp:post_password>
  {comments}
</item>"""


RAW_CONTENT = """Lead paragraph
with a line break.

[caption id="attachment_9" align="alignnone" width="300"]<img src="a.jpg" /> A caption[/caption]

<h2>Ferries</h2>
Hourly, except Sundays.

<!--more-->
More text.
<h2>Fish</h2>
<ul>
	<li>Cod</li>
	<li>Hake</li>
</ul>
[gallery ids="1,2,3"]"""


def test_published_posts_become_briefings_with_stories() -> None:
    items = (
        wxr_item(1, RAW_CONTENT, guid="https://harbour.example/?p=1")
        + wxr_item(2, "Draft.", status="draft")
        + wxr_item(3, "A page.", post_type="page")
        + wxr_item(4, "Attachment.", post_type="attachment", status="inherit")
        + wxr_item(5, "Secret.", password="hunter2")
        + wxr_item(6, "No guid.")
    )
    first, no_guid = parse_wxr(wxr(items))
    assert first.key == "https://harbour.example/?p=1"
    assert first.title == "Post & number 1"
    assert first.url == "https://harbour.example/?p=1"
    assert first.published == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert [(s.heading, s.text) for s in first.stories] == [
        ("Post & number 1", "Lead paragraph\nwith a line break."),
        ("Ferries", "Hourly, except Sundays.\n\nMore text."),
        ("Fish", "• Cod\n\n• Hake"),
    ]
    assert no_guid.key == "wxr:harbour.example:6"


def test_approved_comments_are_threaded_and_unapproved_ones_skipped() -> None:
    comments = (
        wxr_comment(10, 0)
        + wxr_comment(11, 10)
        + wxr_comment(12, 11, approved="0")
        + wxr_comment(13, 12)  # its parent is unapproved: hangs from 11 instead
        + wxr_comment(14, 0, approved="spam")
        + wxr_comment(15, 0, kind="pingback")
        + wxr_comment(16, 99)  # unknown parent: top level
    )
    (briefing,) = parse_wxr(wxr(wxr_item(1, "Body.", comments)))
    assert [(c.key, c.parent_key) for c in briefing.comments] == [
        ("10", None),
        ("11", "10"),
        ("13", "11"),
        ("16", None),
    ]
    assert briefing.comment_count == 4
    first = briefing.comments[0]
    assert first.author == "Reader 10"
    assert first.text == "Comment 10 line one\nline two.\n\nSecond paragraph of 10."
    assert first.published == datetime(2024, 5, 1, 10, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("version", "scheme"), [("1.0", "http"), ("1.1", "http"), ("1.2", "https")]
)
def test_every_wxr_version_is_read(version: str, scheme: str) -> None:
    (briefing,) = parse_wxr(wxr(wxr_item(1, "Body."), version, scheme))
    assert briefing.stories[0].text == "Body."


def test_a_post_without_text_is_one_empty_story_linking_to_it() -> None:
    (briefing,) = parse_wxr(wxr(wxr_item(1, '<img src="only.jpg" />')))
    (story,) = briefing.stories
    assert (story.blocks, story.url) == ((), "https://harbour.example/?p=1")


def test_control_characters_from_old_exports_are_removed() -> None:
    (briefing,) = parse_wxr(wxr(wxr_item(1, "Bell\x07 and form\x0cfeed.")))
    assert briefing.stories[0].text == "Bell and formfeed."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel><title>x", "malformed XML"),
        (
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title></channel></rss>",
            "no WordPress export namespace",
        ),
        (b"<?xml version='1.0'?><opml version='2.0'/>", "the root element is not <rss>"),
    ],
)
def test_bad_files_raise_wxr_errors(data: bytes, message: str) -> None:
    with pytest.raises(WxrError, match=message) as raised:
        parse_wxr(data)
    assert isinstance(raised.value, ValueError)


def test_an_entity_bomb_is_refused_before_parsing() -> None:
    entities = ['<!ENTITY a0 "ha">'] + [
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    ]
    data = wxr(wxr_item(1, "&a9;")).replace(
        b"<rss", f"<!DOCTYPE rss [{''.join(entities)}]>\n<rss".encode(), 1
    )
    with pytest.raises(WxrError, match="refused: the file declares XML entities"):
        parse_wxr(data)

    def refuse() -> None:
        with pytest.raises(WxrError):
            parse_wxr(data)

    assert call_count(refuse) < 1000  # refused before parsing: a parse costs thousands


# -- shared data ----------------------------------------------------------------------


def theme_unit_test(shared_data: Path) -> list[Briefing]:
    return parse_wxr((shared_data / "wp-theme-unit-test.wxr.xml").read_bytes())


def depth(comment: Comment, by_key: dict[str, Comment]) -> int:
    level = 1
    while comment.parent_key is not None:
        comment = by_key[comment.parent_key]
        level += 1
    return level


def test_template_comments_keeps_its_ten_level_thread(shared_data: Path) -> None:
    briefing = next(b for b in theme_unit_test(shared_data) if b.title == "Template: Comments")
    # 20 comments in the file; one (1015, "auser") is not approved.
    assert len(briefing.comments) == 19
    assert "1015" not in {c.key for c in briefing.comments}
    by_key = {c.key: c for c in briefing.comments}
    assert all(c.parent_key is None or c.parent_key in by_key for c in briefing.comments)
    assert max(depth(c, by_key) for c in briefing.comments) == 10
    deepest = max(briefing.comments, key=lambda c: depth(c, by_key))
    assert deepest.text.startswith("Comment Depth 10")
    chain = [deepest.key]
    while by_key[chain[-1]].parent_key is not None:
        chain.append(by_key[chain[-1]].parent_key or "")
    assert chain == ["915", "914", "913", "912", "911", "910", "907", "906", "905", "904"]
    assert briefing.stories[0].blocks[0].text == "This post tests comments in the following ways."
    assert briefing.stories[0].blocks[1].text == "• Threaded comments up to 10 levels deep"


def test_theme_unit_test_posts_are_all_published_posts(shared_data: Path) -> None:
    briefings = theme_unit_test(shared_data)
    assert len(briefings) == 55
    assert len({b.key for b in briefings}) == 55  # guids repeat (?p=568, ?p=582): post ids
    assert {b.key for b in briefings if b.key.startswith("wxr:")} == {
        "wxr:wpthemetestdata.wordpress.com:1161",
        "wxr:wpthemetestdata.wordpress.com:1158",
    }
    assert all(b.published is not None and b.stories for b in briefings)
    texts = [b.text for s in (x.stories for x in briefings) for st in s for b in st.blocks]
    residue = ("[caption", "[gallery", "[embed", "<img", "<p>", "<div", "<a ", "<br")
    assert not [t for t in texts if any(r in t for r in residue)]
    assert any(t.startswith("The HTML <blockquote> Element") for t in texts)  # was &lt;
