"""The pure ordering behind the comments view and the highlights' newest chat comment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.highlights import highlights
from briefing.models import Comment, CommentOrigin
from handlers.comments_view import excerpt_as_written
from handlers.threads import comment_count, highlights_with_newest, threaded

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _source(n: int, replies: int) -> list[Comment]:
    root = Comment(
        f"{n}",
        f"Point {n}: the harbour wall budget needs an independent audit before spring.",
        author=f"Writer {n}",
        published=START + timedelta(minutes=n),
    )
    answers = [
        Comment(
            f"{n}.{r}",
            f"Reply {r} agrees that the audit of the wall budget should come first.",
            parent_key=f"{n}",
            author=f"Replier {n}.{r}",
            published=START + timedelta(minutes=n, seconds=r + 1),
        )
        for r in range(replies)
    ]
    return [root, *answers]


def _chat(key: str, text: str, minutes: int) -> Comment:
    return Comment(
        key,
        text,
        author="Ada",
        published=START + timedelta(hours=1, minutes=minutes),
        origin=CommentOrigin.CHAT,
    )


def test_the_newest_chat_comment_follows_the_highlights_until_it_ranks() -> None:
    discussion = [*_source(1, 3), *_source(2, 2), *_source(3, 2)]
    fresh = _chat("tg:1:5", "Point 3: the harbour wall budget needs an audit.", 0)
    comments = [*discussion, fresh]
    assert fresh not in [h.comment for h in highlights(comments, 2)]
    picks = highlights_with_newest(comments, 2)
    assert len(picks) == 3
    assert picks[-1].comment == fresh
    assert picks[:2] == highlights(comments, 2)


def test_only_the_newest_chat_comment_gets_the_extra_place() -> None:
    older = _chat("tg:1:5", "An older chat view on the harbour wall audit and its cost.", 0)
    newer = _chat("tg:1:6", "A newer chat view: the ferry matters more than the wall.", 5)
    picks = highlights_with_newest([*_source(1, 3), *_source(2, 2), older, newer], 2)
    assert [p.comment.key for p in picks][-1] == "tg:1:6"
    assert "tg:1:5" not in [p.comment.key for p in picks]


def test_a_chat_comment_already_ranked_or_not_eligible_adds_nothing() -> None:
    only = _chat("tg:1:5", "The harbour wall audit is overdue and the council knows it.", 0)
    assert [h.comment for h in highlights_with_newest([only], 3)] == [only]
    one_word = _chat("tg:1:6", "Agreed", 1)
    assert len(highlights_with_newest([*_source(1, 1), one_word], 1)) == 1


def test_threads_keep_replies_under_their_parent_and_count_what_they_show() -> None:
    comments = [*_source(1, 2), Comment("x", "   "), *_source(2, 0)]
    entries = threaded(comments, newest_first=True)
    assert [(e.comment.key, e.depth, e.replies_to) for e in entries] == [
        ("2", 0, None),
        ("1", 0, None),
        ("1.0", 1, "Writer 1"),
        ("1.1", 1, "Writer 1"),
    ]
    assert comment_count(comments) == 4


def test_a_reply_whose_parent_is_gone_still_says_it_is_a_reply() -> None:
    orphan = Comment("9", "Replying to something removed from the harbour thread.", "gone")
    [entry] = threaded([orphan])
    assert (entry.depth, entry.replies_to, entry.is_reply) == (0, "an earlier comment", True)


def test_an_excerpt_keeps_every_character_it_shows() -> None:
    text = "Line one\n\nLine two with 😀 emoji " + "word " * 50
    cut = excerpt_as_written(text, 60)
    assert cut.endswith("…")
    assert text.startswith(cut[:-1])
    assert len(cut.encode("utf-16-le")) // 2 <= 60
    assert excerpt_as_written("  short\ntext  ", 60) == "short\ntext"
