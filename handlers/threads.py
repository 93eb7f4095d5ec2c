"""A discussion as readers browse it: which comments show, threaded, in either order.

Pure: comments in, ordered entries out. The views render them; handlers pick the comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefing.highlight_picks import picked_first
from briefing.highlights import Highlight, Rejection, excerpt, highlights, rank, rejection_reason
from briefing.models import Comment, CommentOrigin

# The whole discussion shows every comment but the empty and the abusive ones; the
# highlights are stricter (rank also drops one-word, link-only and duplicate comments).
_HIDDEN = {Rejection.EMPTY, Rejection.ABUSIVE}


@dataclass(frozen=True, slots=True)
class Entry:
    """One comment in thread order: its depth, and whom it answers when it is a reply."""

    comment: Comment
    depth: int
    replies_to: str | None = None  # the parent's author ("a reader" when unnamed)

    @property
    def is_reply(self) -> bool:
        """Whether the comment answers another."""
        return self.comment.parent_key is not None


def shown(comments: Sequence[Comment]) -> list[Comment]:
    """The comments the discussion view shows, in stored (thread) order."""
    return [c for c in comments if rejection_reason(c) not in _HIDDEN]


def comment_count(comments: Sequence[Comment]) -> int:
    """How many comments the discussion view shows (the N of "💬 Comments (N)")."""
    return len(shown(comments))


def threaded(comments: Sequence[Comment], *, newest_first: bool = False) -> list[Entry]:
    """Every shown comment, each thread's replies under their parent (oldest reply first).

    Threads are ordered best first by the highlights ranking (threads it does not rank
    follow, oldest first), or newest first by their opening comment.
    """
    visible = shown(comments)
    by_key = {c.key: c for c in comments}
    present = {c.key for c in visible}
    children: dict[str, list[Comment]] = {}
    roots: list[Comment] = []
    for comment in _oldest_first(visible):
        parent_key = comment.parent_key
        if parent_key is not None and parent_key in present and parent_key != comment.key:
            children.setdefault(parent_key, []).append(comment)
        else:
            roots.append(comment)
    if newest_first:
        roots.reverse()
    else:
        place = {c.key: i for i, c in enumerate(_ranked(comments))}
        roots.sort(key=lambda c: place.get(c.key, len(place)))
    entries: list[Entry] = []
    done: set[str] = set()
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        comment, depth = stack.pop()
        if comment.key in done:
            continue
        done.add(comment.key)
        answers = None
        if comment.parent_key is not None:
            parent = by_key.get(comment.parent_key)
            answers = (parent.author or "a reader") if parent else "an earlier comment"
        entries.append(Entry(comment, depth, answers))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.key, [])))
    # Replies that only answer each other (a cycle) reach no root: shown last, flat.
    entries.extend(Entry(c, 0, "an earlier comment") for c in visible if c.key not in done)
    return entries


def highlights_with_newest(
    comments: Sequence[Comment],
    limit: int,
    picked: Sequence[int] = (),
    *,
    post: str | None = None,
) -> list[Highlight]:
    """The ``limit`` best comments, and the newest chat comment after them when it is not one.

    A chat comment arrives with no replies and late in the thread, so the ranking puts it
    low; shown here until it ranks on its own (or a newer chat comment takes its slot),
    every reader sees that the discussion is alive and can answer it.

    ``picked`` are comment ids an LLM chose, best first (``bot.sources.llm_highlights``):
    those the ranking still holds go first; the ranking fills the rest. ``post`` is what
    the discussion is under (``briefing.highlights.rank``).
    """
    if picked:
        picks = _with_picks(comments, limit, picked, post)
    else:
        picks = highlights(list(comments), limit, post=post)
    chosen = {h.comment.key for h in picks}
    ranked = {c.key for c in _ranked(comments)}
    chat = [c for c in _oldest_first(comments) if c.origin is CommentOrigin.CHAT]
    if limit == 0 or not chat or chat[-1].key in chosen or chat[-1].key not in ranked:
        return picks
    newest = chat[-1]
    replies = _subtree_size(newest, comments)
    return [*picks, Highlight(newest, excerpt(newest), newest.author, replies)]


def _with_picks(
    comments: Sequence[Comment], limit: int, picked: Sequence[int], post: str | None
) -> list[Highlight]:
    ids: Sequence[int | None] = picked
    chosen = picked_first(rank(list(comments), post=post), ids, key=lambda c: c.id)[:limit]
    return [Highlight(c, excerpt(c), c.author, _subtree_size(c, comments)) for c in chosen]


def _ranked(comments: Sequence[Comment]) -> list[Comment]:
    return rank(list(comments))


def _oldest_first(comments: Sequence[Comment]) -> list[Comment]:
    """By time when every comment has one, else as stored (the order they arrived in)."""
    times: list[datetime] = [c.published for c in comments if c.published is not None]
    if len(times) < len(comments) or len({t.tzinfo is None for t in times}) > 1:
        return list(comments)
    indexed = sorted(enumerate(comments), key=lambda pair: (pair[1].published, pair[0]))
    return [comment for _, comment in indexed]


def _subtree_size(comment: Comment, comments: Sequence[Comment]) -> int:
    below: dict[str, list[str]] = {}
    for c in comments:
        if c.parent_key is not None:
            below.setdefault(c.parent_key, []).append(c.key)
    seen: set[str] = set()
    todo = list(below.get(comment.key, []))
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(below.get(key, []))
    return len(seen)
