"""Parsing plain-text digests: the seed edition, boilerplate, threads, bad input, speed."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path

import pytest

from briefing.digest import NotADigestError, parse_digest
from briefing.models import BlockKind, Briefing
from tests.work_count import call_count, growth

SEED_HEADINGS = (
    "Putin says Syrian people “divided” and discusses safe zones with Trump",
    "Syria’s Women Activists: “We Are on the Frontlines of Fighting Terrorism”",  # noqa: RUF001
    "Russian Lieutenant Colonel Killed by Sniper",
    "Aid Into Besieged, Bombarded Douma for 1st Time Since October",
)
SEED_THREAD = (
    ("1", None),
    ("1.1", "1"),
    ("1.2", "1"),
    ("2", None),
    ("3", None),
    ("3.1", "3"),
    ("4", None),
    ("4.1", "4"),
    ("5", None),
)
BOILERPLATE = (
    "Related Posts",
    "Leave a Comment",
    "Share this",
    "Like this",
    "Click to share",
    "Posted in",
    "Tagged",
    "©",
)

FOOTER_DIGEST = """Tideline Daily: Storm Watch

Ferries Cancelled as the Gale Arrives

All afternoon crossings were cancelled. The operator expects to resume tomorrow.

Steps the harbour master asks boat owners to take:

1. Double the mooring lines.

Share this:

Click to share on Twitter (Opens in new window)

Like this:

Like Loading...

Posted in Weather, Harbour

Tagged gale, ferries

© 2024 Tideline Daily. All rights reserved.

Related Posts

Tideline Daily: Last Week's Storm

Tideline Daily: Ferry Fares Rise

2 Comments

Ada Quill says:

Thanks for the warning.

  Ben Rook says:

  Same from me.Leave a Comment"""


def _seed(seed_file: Path) -> Briefing:
    return parse_digest(seed_file.read_text(encoding="utf-8"), key="seed")


def _comment_text(briefing: Briefing, key: str) -> str:
    return next(comment.text for comment in briefing.comments if comment.key == key)


def test_seed_title_and_exact_story_headings(seed_file: Path) -> None:
    briefing = _seed(seed_file)
    assert briefing.title == "Syria Daily: Putin Stepping Back from Assad?"
    assert tuple(story.heading for story in briefing.stories) == SEED_HEADINGS


def test_seed_story_without_body_beyond_its_intro_is_a_story(seed_file: Path) -> None:
    activists = _seed(seed_file).stories[1]
    assert len(activists.blocks) == 1
    assert activists.blocks[0].text.startswith("A clip from the interview")


def test_seed_lead_keeps_every_paragraph_in_order(seed_file: Path) -> None:
    lead = _seed(seed_file).stories[0]
    assert len(lead.blocks) == 18
    assert lead.blocks[0].text.startswith("In a day of Russian diplomatic initiatives")
    assert lead.blocks[-1].text.startswith("The Russian President’s initiative continues")  # noqa: RUF001


def test_seed_quotation_after_a_colon_is_a_quote_block(seed_file: Path) -> None:
    lead = _seed(seed_file).stories[0]
    quote = next(b for b in lead.blocks if b.text.startswith("We resolutely condemn"))
    assert quote.kind is BlockKind.QUOTE
    assert quote.text == "We resolutely condemn any use of chemical weapons."
    attributed = next(b for b in lead.blocks if b.text.startswith("The President continued"))
    assert attributed.kind is BlockKind.PARAGRAPH


def test_seed_thread_has_nine_comments_with_exact_nesting(seed_file: Path) -> None:
    comments = _seed(seed_file).comments
    assert tuple((c.key, c.parent_key) for c in comments) == SEED_THREAD
    assert comments[1].text.startswith("Bashar is told")
    assert comments[2].text.startswith("It isn’t partition")  # noqa: RUF001
    assert all(c.author is None for c in comments)


def test_seed_multi_paragraph_comments_are_whole(seed_file: Path) -> None:
    briefing = _seed(seed_file)
    reply = _comment_text(briefing, "1.2").split("\n\n")
    assert len(reply) == 2
    assert reply[1].startswith("Trump also talked about North Korea")
    second = _comment_text(briefing, "2")
    assert second.startswith("A pair of interesting articles:")
    for part in ("1) This article questions", "Idlib, however, is not Aleppo", "Ominous warning."):
        assert part in second
    assert second.endswith("about guerilla night-time operations:")
    third = _comment_text(briefing, "3").split("\n\n")
    assert third[0] == "Partition? Are you seriously on the same planet?"
    assert third[1:] == [
        "It is not up for discussion.",
        third[2],
        third[3],
        "More wishful thinking by the mainstream blockheads.",
    ]
    assert third[2].startswith("Syria is one of the most united peoples")
    assert third[3].startswith("The obvious solution is not up to Trump")
    fourth = _comment_text(briefing, "4").split("\n\n")
    assert len(fourth) == 4
    assert fourth[-1].startswith("The Syrians decide their future")
    assert _comment_text(briefing, "5").endswith("for our involvement…")


def test_seed_boilerplate_is_absent_everywhere(seed_file: Path) -> None:
    briefing = _seed(seed_file)
    texts = [s.heading for s in briefing.stories] + [s.text for s in briefing.stories]
    texts += [c.text for c in briefing.comments]
    for text in texts:
        for phrase in BOILERPLATE:
            assert phrase not in text


def test_seed_key_url_and_count(seed_file: Path) -> None:
    briefing = parse_digest(seed_file.read_text(encoding="utf-8"), "k", url="https://x.test/1")
    assert (briefing.key, briefing.url, briefing.comment_count) == ("k", "https://x.test/1", 9)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="cr"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: "\ufeff" + t.replace("\n", "\r\n") + "\r\n", id="bom-crlf"),
        pytest.param(lambda t: t.replace("\n", "  \n"), id="trailing-spaces"),
        pytest.param(lambda t: t.replace("    ", "\t"), id="tabs"),
        pytest.param(lambda t: t + "\n\n\n", id="trailing-newlines"),
        pytest.param(lambda t: "\n".join("  " + line for line in t.split("\n")), id="indented"),
    ],
)
def test_seed_variants_parse_identically(seed_file: Path, variant: object) -> None:
    text = seed_file.read_text(encoding="utf-8")
    assert callable(variant)
    assert parse_digest(variant(text), "seed") == parse_digest(text, "seed")


def test_hard_wrapped_text_is_unwrapped(seed_file: Path) -> None:
    text = seed_file.read_text(encoding="utf-8")
    wrapped_lines: list[str] = []
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        hanging = indent + (2 if line.lstrip()[:1] in set("•0123456789") else 0)
        pieces = textwrap.wrap(line.strip(), 72 - indent, break_on_hyphens=False) or [""]
        wrapped_lines.append(" " * indent + pieces[0])
        wrapped_lines.extend(" " * hanging + piece for piece in pieces[1:])
    original = parse_digest(text, "seed")
    wrapped = parse_digest("\n".join(wrapped_lines), "seed")
    assert wrapped.stories == original.stories
    assert [c.key for c in wrapped.comments] == [c.key for c in original.comments]


def test_footer_boilerplate_and_related_list_are_dropped() -> None:
    briefing = parse_digest(FOOTER_DIGEST, "footer")
    assert [s.heading for s in briefing.stories] == ["Ferries Cancelled as the Gale Arrives"]
    assert [b.text for b in briefing.stories[0].blocks] == [
        "All afternoon crossings were cancelled. The operator expects to resume tomorrow.",
        "Steps the harbour master asks boat owners to take:",
        "1. Double the mooring lines.",
    ]
    assert briefing.stories[0].blocks[2].kind is BlockKind.PARAGRAPH


def test_says_lines_give_authors_and_replies() -> None:
    comments = parse_digest(FOOTER_DIGEST, "footer").comments
    assert [(c.key, c.parent_key, c.author, c.text) for c in comments] == [
        ("1", None, "Ada Quill", "Thanks for the warning."),
        ("1.1", "1", "Ben Rook", "Same from me."),
    ]


def test_reply_to_a_reply_and_bullet_kinds() -> None:
    text = (
        "Quay Daily: Nets\n\n\nNets Mended on the Quay\n\n\nThe nets were mended.\n\n"
        "  1. First.\n\n      - Deep reply.\n\n          * Reply to the reply.\n\n"
        "    ◦ Shallow reply.\n\n  2. Second.\n\n• Same-level bullet."
    )
    comments = parse_digest(text, "q").comments
    assert [(c.key, c.parent_key, c.text) for c in comments] == [
        ("1", None, "First."),
        ("1.1", "1", "Deep reply."),
        ("1.1.1", "1.1", "Reply to the reply."),
        ("1.2", "1", "Shallow reply."),
        ("2", None, "Second."),
        ("2.1", "2", "Same-level bullet."),
    ]


def test_lead_without_heading_takes_the_title() -> None:
    text = "Bay Daily: Calm\n\nA calm day on the bay.\n\nTides Tonight\n\nHigh water at six."
    briefing = parse_digest(text, "bay")
    assert [s.heading for s in briefing.stories] == ["Bay Daily: Calm", "Tides Tonight"]


def test_wholly_quoted_and_marked_paragraphs_are_quotes() -> None:
    text = (
        "Bay Daily: Voices\n\nWhat the Harbour Said\n\nThe harbour master spoke.\n\n"
        "“Keep off the breakwater tonight.”\n\n> Gusts may reach\n> ninety kilometres.\n\n"
        "“Stay in,” she said, “and stay warm.”"
    )
    kinds = [b.kind for b in parse_digest(text, "v").stories[0].blocks]
    assert kinds == [BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.QUOTE, BlockKind.PARAGRAPH]


NOT_DIGESTS = {
    "empty": "",
    "whitespace": " \n\t\r\n  ",
    "bom only": "\ufeff\n",
    "binary": bytes(range(256)).decode("latin-1") * 4,
    "nul bytes": "Title\x00\x00\x00\n\nHeading\n\nBody.",
    "single line": "Just one paragraph of text.",
    "single paragraph": "A paragraph that wraps\nonto a second line\nand a third.",
    "html page": "<!DOCTYPE html>\n<html><head><title>T</title></head><body>x</body></html>",
    "html fragment": "Title\n<div>\n<p>\n</p>\n</div>",
    "json": '{"title": "Daily", "stories": []}',
    "json array": "[1, 2, 3]",
    "json lines": '{"a": 1}\n{"b": 2}',
    "rss": '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title></channel></rss>',
    "prose without headings": "An essay title\n\nFirst paragraph here.\n\nSecond paragraph here.",
    "headings without body": "Shopping List\n\nApples\n\nBread\n\nCheese",
    "source code": "import os\n\ndef main():\n    return os.getcwd()\n",
    "only the comment form": "Leave a Comment",
    "only boilerplate": "Daily\n\nShare this:\n\nLike this:\n\nRelated Posts",
    "long first line": "word " * 200 + "\n\nHeading\n\nBody text.",
}


@pytest.mark.parametrize("text", NOT_DIGESTS.values(), ids=NOT_DIGESTS.keys())
def test_not_a_digest_raises_with_a_one_line_message(text: str) -> None:
    with pytest.raises(NotADigestError) as raised:
        parse_digest(text, "bad")
    message = str(raised.value)
    assert message.startswith("not a digest: ")
    assert "\n" not in message
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "name",
    [
        "feeds/dcrainmaker.xml",
        "feeds/tpm-2017-11-08.atom",
        "wp-theme-unit-test.wxr.xml",
        "cnn-dailymail-dev-100.jsonl",
        "reddit-dev.jsonl",
    ],
)
def test_shared_non_digest_files_raise(shared_data: Path, name: str) -> None:
    with pytest.raises(NotADigestError):
        parse_digest((shared_data / name).read_text(encoding="utf-8"), name)


def _large_digest(stories: int, comments: int) -> str:
    sentence = "The harbour & the town agreed that temperatures < 5°C close the deck. "
    parts = ["Big Daily: Everything At Once", "", ""]
    for number in range(stories):
        parts += [f"Story Number {number} About the Harbour", ""]
        parts += [sentence * 6 + f"Paragraph {p}.\n" for p in range(8)]
    parts += ["Related Posts", "", ""]
    for number in range(1, comments + 1):
        parts += [f"  {number}. {sentence * 3}", ""]
        parts += [f"    {sentence * 2}", ""]
        parts += [f"      • Reply to {number}. {sentence}", ""]
    parts.append("Leave a Comment")
    return "\n".join(parts)


def test_large_digest_parses_in_linear_time() -> None:
    text = _large_digest(stories=320, comments=2000)
    assert len(text) > 2_000_000
    briefing = parse_digest(text, "big")
    assert len(briefing.stories) == 320
    assert len(briefing.comments) == 4000
    assert briefing.comments[-1].key == "2000.1"
    digests = {n: _large_digest(stories=n, comments=n * 6) for n in (40, 160)}
    assert growth(lambda n: parse_digest(digests[n], "big"), 40, 160) < 1.2


@pytest.mark.parametrize(
    "text",
    [
        "T\n\nH\n\n" + "a" * 2_000_000,
        "T\n\nHeading\n\n" + "“" * 500_000 + "." * 500_000,
        "T\n\nHeading\n\n" + ("  1. x\n" + " " * 500 + "• y\n\n") * 2_000,
        "T\n\nHeading\n\n" + "says: on said: " * 100_000,
    ],
    ids=["one long line", "quotes and dots", "deep bullets", "author words"],
)
def test_adversarial_input_stays_linear(text: str) -> None:
    def parse(part: str) -> None:
        with contextlib.suppress(NotADigestError):
            parse_digest(part, "adversarial")

    assert call_count(lambda: parse(text)) <= len(text)
    # The same shape at an eighth and at the whole of its length.
    eighth = text[: len(text) // 8]
    parts = {1: eighth, 8: text}
    assert growth(lambda n: parse(parts[n]), 1, 8) < 1.5


def test_comments_numbered_past_9999_stay_separate() -> None:
    numbers = (9998, 9999, 10_000, 10_001, 123_456)
    comments = "\n\n".join(f"  {n}. Comment number {n} about the ferry." for n in numbers)
    text = (
        "Quay Daily: Long Thread\n\n\nHigh water at the quay\n\n\nThe tide came in early.\n\n"
        f"Related Posts\n\n{comments}\n\nLeave a Comment"
    )
    briefing = parse_digest(text, key="long")
    assert [c.key for c in briefing.comments] == [str(n) for n in numbers]
    assert _comment_text(briefing, "10000") == "Comment number 10000 about the ferry."
