"""The domain values and their content hash."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from briefing.models import Block, BlockKind, Briefing, Comment, CommentOrigin, Story


def _briefing(**changes: Any) -> Briefing:
    story = Story("Lead", (Block(BlockKind.PARAGRAPH, "Body."),))
    base = Briefing(key="k", title="Daily", stories=(story,))
    return replace(base, **changes)


def test_content_hash_ignores_comments_summaries_and_ids() -> None:
    plain = _briefing()
    chat = Comment(key="tg:1:2", text="hi", origin=CommentOrigin.CHAT)
    source = Comment(key="1", text="A reader's view.")
    summarized = (Story("Lead", (Block(BlockKind.PARAGRAPH, "Body."),), summary=("Body.",)),)
    same = _briefing(comments=(chat, source), stories=summarized, id=7)
    assert plain.content_hash() == same.content_hash()


def test_content_hash_changes_with_the_text() -> None:
    edited = Story("Lead", (Block(BlockKind.PARAGRAPH, "Edited."),))
    assert _briefing().content_hash() != _briefing(stories=(edited,)).content_hash()
