"""Comment highlights (interim: most-replied substantive comments first)."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.models import Comment


@dataclass(frozen=True, slots=True)
class Highlight:
    """A comment worth showing, as a short excerpt."""

    comment: Comment
    excerpt: str
    author: str | None
    reply_count: int


def highlights(comments: list[Comment], limit: int) -> list[Highlight]:
    """The ``limit`` comments most worth showing, best first."""
    replies = {c.key: sum(1 for r in comments if r.parent_key == c.key) for c in comments}
    eligible = [c for c in comments if len(c.text.split()) > 3]
    ranked = sorted(eligible, key=lambda c: (-replies[c.key], -len(c.text)))
    return [
        Highlight(c, c.text.split("\n\n")[0][:280], c.author, replies[c.key])
        for c in ranked[:limit]
    ]
