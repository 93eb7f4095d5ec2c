"""Tests for briefing.html_text: HTML to stories of clean text blocks."""

from __future__ import annotations

from briefing.html_text import (
    clean_text,
    html_to_blocks,
    html_to_stories,
    html_to_text,
    inline_text,
    text_to_blocks,
)
from briefing.models import Block, BlockKind
from tests.work_count import call_count, growth

TITLE = "Harbour Daily"


def headings(html: str) -> list[str]:
    return [story.heading for story in html_to_stories(html, TITLE)]


def test_splits_at_h2_h3_h4_with_leading_text_as_lead_under_the_title() -> None:
    html = (
        "<p>The tide came in early.</p>"
        "<h2>Ferry timetable</h2><p>Boats run hourly.</p>"
        "<h3>Fish market</h3><p>Prices fell.</p>"
        "<h4>Weather</h4><p>Fog by noon.</p>"
    )
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == [TITLE, "Ferry timetable", "Fish market", "Weather"]
    assert [s.text for s in stories] == [
        "The tide came in early.",
        "Boats run hourly.",
        "Prices fell.",
        "Fog by noon.",
    ]


def test_without_leading_text_the_first_section_is_the_lead_with_its_heading() -> None:
    html = "<h2>Lighthouse repainted</h2><p>White again.</p><h2>Gulls</h2><p>Many.</p>"
    assert headings(html) == ["Lighthouse repainted", "Gulls"]


def test_a_post_without_headings_is_one_story_under_the_title() -> None:
    stories = html_to_stories("<p>One.</p><p>Two.</p>", TITLE)
    assert len(stories) == 1
    assert stories[0].heading == TITLE
    assert stories[0].blocks == (
        Block(BlockKind.PARAGRAPH, "One."),
        Block(BlockKind.PARAGRAPH, "Two."),
    )


def test_bold_paragraphs_are_headings_when_there_are_no_heading_tags() -> None:
    html = (
        "<p>Intro text.</p>"
        "<p><strong>Ferry timetable</strong></p><p>Boats run hourly.</p>"
        "<p><b><em>Fish market:</em></b>&nbsp;</p><p>Prices fell.</p>"
        "<p><strong>Not a heading.</strong></p><p>Because it ends with a period.</p>"
        "<p><strong>Mixed</strong> with plain text is not a heading</p>"
    )
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == [TITLE, "Ferry timetable", "Fish market:"]
    assert stories[2].text == (
        "Prices fell.\n\nNot a heading.\n\nBecause it ends with a period.\n\n"
        "Mixed with plain text is not a heading"
    )


def test_bold_paragraphs_are_text_when_the_post_has_heading_tags() -> None:
    html = "<p><strong>Bold line</strong></p><h2>Real</h2><p>Body.</p>"
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == [TITLE, "Real"]
    assert stories[0].text == "Bold line"


def test_a_long_bold_paragraph_is_not_a_heading() -> None:
    html = f"<p>Lead.</p><p><strong>{'word ' * 40}</strong></p><p>After.</p>"
    assert headings(html) == [TITLE]


def test_text_is_clean_entities_whitespace_links_and_line_breaks() -> None:
    html = (
        "<p>Caf&eacute;&nbsp;&amp;  bar &#8212; <a href='/x'>read   this</a>\n  now</p>"
        "<p>Line one<br>Line two<br/>\n  Line three</p>"
    )
    assert html_to_text(html) == "Café & bar — read this now\n\nLine one\nLine two\nLine three"


def test_blockquotes_become_quote_blocks() -> None:
    html = "<p>He said:</p><blockquote><p>First.</p><p>Second.</p></blockquote><p>Then.</p>"
    assert html_to_blocks(html) == (
        Block(BlockKind.PARAGRAPH, "He said:"),
        Block(BlockKind.QUOTE, "First."),
        Block(BlockKind.QUOTE, "Second."),
        Block(BlockKind.PARAGRAPH, "Then."),
    )


def test_list_items_are_bulleted_paragraphs_and_cells_are_joined() -> None:
    html = (
        "<ul><li>Apples</li><li>Pears<ul><li>Green</li></ul></li></ul>"
        "<table><tr><th>Boat</th><th>Time</th></tr><tr><td>Ada</td><td>9:00</td></tr></table>"
    )
    wrapped = "<ol><li><p>Wrapped</p></li><li> </li></ol><p>After</p>"
    assert [b.text for b in html_to_blocks(wrapped)] == ["• Wrapped", "After"]
    assert [b.text for b in html_to_blocks(html)] == [
        "• Apples",
        "• Pears",
        "• Green",
        "Boat | Time",
        "Ada | 9:00",
    ]


def test_media_scripts_forms_and_widgets_are_dropped() -> None:
    html = """
    <p>Keep <img src="a.jpg" alt="ALT TEXT"> this.</p>
    <figure><img src="b.jpg"><figcaption>CAPTION</figcaption></figure>
    <script>var SCRIPT = 1;</script><style>.STYLE{}</style>
    <iframe src="https://video.example/embed">IFRAME</iframe>
    <video>VIDEO</video><audio>AUDIO</audio><object>OBJECT</object><embed src="x">
    <form><label>FORM</label><input value="INPUT"></form>
    <div class="sharedaddy sd-sharing-enabled"><h3>SHARE THIS</h3><p>SHARED</p></div>
    <div id="jp-relatedposts"><h3>Related</h3><p>RELATED ONE</p></div>
    <div class="social-links"><p>SOCIAL</p></div>
    <div class="yarpp-related"><p>YARPP</p></div>
    <div class="addtoany_share_save_container"><p>ADDTOANY</p></div>
    <div class="wp-block-buttons"><a href="#">BUTTON</a></div>
    <p style="display: none">HIDDEN</p><p hidden>HIDDEN TOO</p>
    <p>&nbsp;</p><p> </p><p>&#8212;</p>
    <p>Also keep this.</p>
    """
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == [TITLE]
    assert stories[0].text == "Keep this.\n\nAlso keep this."


def test_related_posts_sections_are_dropped_up_to_the_next_heading() -> None:
    html = (
        "<p>Lead.</p><h3>Related Posts</h3><ul><li>Old post</li></ul>"
        "<h3>Tides</h3><p>High at six.</p>"
    )
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == [TITLE, "Tides"]
    assert "Old post" not in " ".join(s.text for s in stories)


def test_feed_boilerplate_paragraph_is_dropped() -> None:
    html = '<p>Body.</p><p>The post <a href="/p">Tides</a> appeared first on <a>Harbour</a>.</p>'
    assert html_to_text(html) == "Body."


def test_story_url_only_when_the_story_is_a_link_to_elsewhere() -> None:
    html = (
        "<p>Lead with <a href='https://a.example/'>a link</a> in a long sentence of text.</p>"
        "<h3><a href='/tides'>Tides tonight</a></h3><p>Comment on it.</p>"
        "<h3>Gulls</h3><p><a href='https://birds.example/gulls'>Gulls are back</a>!</p>"
        "<h3>Fog</h3><p>Fog by noon, <a href='https://w.example/'>says</a> the office.</p>"
    )
    stories = html_to_stories(html, TITLE, base_url="https://harbour.example/today/")
    assert [s.url for s in stories] == [
        None,
        "https://harbour.example/tides",
        "https://birds.example/gulls",
        None,
    ]


def test_a_closing_heading_without_body_stays_as_text() -> None:
    html = "<h2>Tides</h2><p>High at six.</p><h2>Thanks for reading!</h2>"
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == ["Tides"]
    assert stories[0].text == "High at six.\n\nThanks for reading!"


def test_an_empty_grouping_heading_is_dropped() -> None:
    html = "<h2>Europe</h2><h3>France</h3><p>Rain.</p><h3>Spain</h3><p>Sun.</p>"
    assert headings(html) == ["France", "Spain"]


def test_broken_html_still_parses() -> None:
    html = "<p>Unclosed <b>bold <i>and italic<p>Next para</div></span><h2>Head<p>Body &bogus; <"
    stories = html_to_stories(html, TITLE)
    assert [s.heading for s in stories] == [TITLE, "Head"]
    assert stories[0].text == "Unclosed bold and italic\n\nNext para"
    assert stories[1].text.startswith("Body &bogus;")


def test_empty_or_markup_only_html_has_no_stories() -> None:
    assert html_to_stories("", TITLE) == ()
    assert html_to_stories("   \n", TITLE) == ()
    assert html_to_stories("<!-- nothing -->", TITLE) == ()
    assert html_to_stories("<p><img src='x.png'></p>", TITLE) == ()


def test_characters_xml_cannot_hold_are_removed() -> None:
    assert html_to_text("<p>a\x01b\x0cc\ud800d\u200be<br>f</p>") == "abcde\nf"


def test_xml_declaration_in_a_fragment_is_ignored() -> None:
    assert html_to_text('<?xml version="1.0" encoding="utf-8"?><p>Hi</p>') == "Hi"


def test_autop_treats_blank_lines_as_paragraphs_like_wordpress() -> None:
    raw = "First line\nsame paragraph.\n\nSecond paragraph.\n<ul>\n\t<li>Item</li>\n</ul>"
    assert [b.text for b in html_to_blocks(raw, autop=True)] == [
        "First line\nsame paragraph.",
        "Second paragraph.",
        "• Item",
    ]
    assert html_to_text(raw) == "First line same paragraph. Second paragraph.\n\n• Item"


def test_pre_keeps_its_lines() -> None:
    assert html_to_text("<pre>a = 1\nb = 2</pre>") == "a = 1\nb = 2"


def test_plain_text_helpers() -> None:
    assert text_to_blocks("One\r\nstill one.\n\n\n  Two \u200b \n\n-- \n") == (
        Block(BlockKind.PARAGRAPH, "One\nstill one."),
        Block(BlockKind.PARAGRAPH, "Two"),
    )
    assert clean_text("  a\u00a0 b \n\n c ") == "a b\nc"
    assert inline_text("Caf&eacute; <em>news</em>\n today") == "Café news today"
    assert inline_text("Plain  title") == "Plain title"


def _post(sections: int) -> str:
    section = (
        "<h2>Section {n}</h2>"
        + "<p>Some <a href='https://example.org/{n}'>linked</a> words &amp; more text "
        "with <strong>bold</strong> and <em>emphasis</em> to fill a paragraph.</p>"
        * PARAGRAPHS_PER_SECTION
    )
    return "".join(section.format(n=n) for n in range(sections))


PARAGRAPHS_PER_SECTION = 30
# About 40 function calls per paragraph today (lxml does the parsing in C).
CALLS_PER_PARAGRAPH = 60


def test_a_100_kb_post_is_split_with_bounded_work() -> None:
    html = _post(25)
    assert len(html) > 100_000
    stories = html_to_stories(html, TITLE)
    assert len(stories) == 25
    calls = call_count(lambda: html_to_stories(html, TITLE))
    assert calls < 25 * PARAGRAPHS_PER_SECTION * CALLS_PER_PARAGRAPH


def test_splitting_grows_linearly_with_the_post() -> None:
    posts = {n: _post(n) for n in (25, 100)}
    assert growth(lambda n: html_to_stories(posts[n], TITLE), 25, 100) < 1.2


def test_deeply_nested_html_keeps_its_text_and_headings() -> None:
    for depth in (255, 300, 1500, 5000, 50_000):
        inner = (
            "<p>The tide came in early &amp; fast.</p><script>track()</script>"
            "<h2>Ferry timetable</h2><p>Boats run hourly.</p>"
        )
        html = "<div>" * depth + inner + "</div>" * depth
        stories = html_to_stories(html, TITLE)
        assert [s.heading for s in stories] == [TITLE, "Ferry timetable"], depth
        assert [b.text for b in stories[0].blocks] == ["The tide came in early & fast."]
        assert [b.text for b in stories[1].blocks] == ["Boats run hourly."]


def test_deeply_nested_quotes_and_lists_keep_their_text() -> None:
    html = "<blockquote>" * 3000 + "<p>Quoted words.</p>" + "</blockquote>" * 3000
    assert "Quoted words." in html_to_text(html)
    items = "<ul><li>" * 2500 + "Innermost item" + "</li></ul>" * 2500
    assert "Innermost item" in html_to_text(items)
