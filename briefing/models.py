"""The domain: a briefing, its ordered stories and its threaded discussion.

Every type here is an immutable value. Storage ids are ``None`` until a repository has
saved the value, and are then filled in on the copies it returns.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class BlockKind(StrEnum):
    """What a block of story text is."""

    PARAGRAPH = "paragraph"
    QUOTE = "quote"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph or quoted passage of a story's body, as plain text."""

    kind: BlockKind
    text: str


class CommentOrigin(StrEnum):
    """Where a comment was written: at the source, or in a Telegram chat."""

    SOURCE = "source"
    CHAT = "chat"


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment of a briefing's threaded discussion.

    Attributes:
        key: identity inside its briefing (the source's numbering or comment id, or
            ``tg:<chat_id>:<message_id>`` for a chat reply); replies name it as parent.
        text: plain text, paragraphs separated by a blank line.
        parent_key: the key of the comment this one replies to, ``None`` for top level.
        story_position: index of the story the comment is about, ``None`` for the
            briefing as a whole.
        edited: its writer changed it after sending it (chat comments).
    """

    key: str
    text: str
    parent_key: str | None = None
    author: str | None = None
    published: datetime | None = None
    origin: CommentOrigin = CommentOrigin.SOURCE
    story_position: int | None = None
    id: int | None = None
    edited: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    """One story of a briefing: the lead (position 0) or a sub-story under its heading."""

    heading: str
    blocks: tuple[Block, ...]
    url: str | None = None
    summary: tuple[str, ...] = ()
    id: int | None = None

    @property
    def text(self) -> str:
        """The body as plain text, blocks separated by a blank line."""
        return "\n\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Briefing:
    """One edition of a digest.

    Attributes:
        key: identity across ingests (a feed entry's guid, a post id, a file's URI);
            ingesting the same key again updates the stored briefing.
    """

    key: str
    title: str
    stories: tuple[Story, ...]
    comments: tuple[Comment, ...] = ()
    published: datetime | None = None
    url: str | None = None
    comment_count: int | None = None
    id: int | None = None
    source_id: int | None = field(default=None, compare=False)

    @property
    def lead(self) -> Story | None:
        """The lead story, if the briefing has any story."""
        return self.stories[0] if self.stories else None

    def content_hash(self) -> str:
        """A digest of the editorial content: title, link, date and stories.

        Comments, summaries and storage ids are left out: a discussion grows without the
        briefing changing, and a re-ingest of an unchanged entry hashes the same.
        """
        payload = {
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "stories": [
                [s.heading, s.url, [[b.kind.value, b.text] for b in s.blocks]]
                for s in self.stories
            ],
        }
        encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()


def replies_to(comments: tuple[Comment, ...] | list[Comment], key: str) -> list[Comment]:
    """The direct replies to the comment with ``key``, in thread order."""
    return [c for c in comments if c.parent_key == key]
