"""Comment highlights: the comments of a discussion an editor would show, best first.

A WordPress thread has no votes, so the ranking reads what it has: the text, the reply
structure, the time order and the authors.

Eligibility (``rejection_reason``, ``is_highlightable``): empty (a "[deleted]" or
"[removed]" body too), one-word, link-only and abusive comments are not worth showing
read alone. In a thread, ``rank`` keeps a one-word or link-only comment that someone else
replied to: readers found it worth answering ("Source?", the one-word answer to "what's
the best X?" that the thread argues about); abuse and empty comments stay out whatever
the replies. ``rank`` also drops exact and near duplicates, keeping the first copy in
thread order. Ineligible comments are left out of ``rank``'s output, not put last.

Relevance of an eligible comment, from three principled signals and one discount:

* engagement: ``log2(1 + participants)``, where participants are the distinct people who
  replied anywhere in its reply subtree (its own author excluded; a reply without an
  author counts as one person). Counting people, not replies, keeps a two-person
  back-and-forth from looking like a crowd; the log gives diminishing returns, so each
  doubling of the crowd adds the same.
* substance: ``1 - exp(-n / 8)`` for ``n`` distinct content words (stems; stop words,
  numbers and URLs left out): after the long stop list, 8 such words make about two
  sentences and earn 63% of the credit; it saturates soon after, so length lifts a
  considered remark over a quip but never buys the top spot.
* earliness: ``1 / log2(2 + r)`` for the comment's place ``r`` among its siblings in
  time order: the comments that came first were read by more people (the same position
  discount as DCG's).
* depth: the sum is divided by ``1 + depth``: a reply needs its parent to make sense.

Questions: a reply that only asks back counts ``QUESTION_REPLIES`` of a participant, and
the repliers of a comment that itself asks count ``ASKING_REPLIES`` each: answers to a
question are a crowd it summoned, not only one it earned.

Substance and earliness are weighted by one half each, so together they are worth at
most one doubling of participants: they order comments that drew a similar crowd, and
lift substantive, early comments that drew none.

Diversity: the first ``DIVERSE_HEAD`` places are filled greedily by maximal marginal
relevance (Carbonell and Goldstein, 1998) with ``MMR_LAMBDA = 0.7``, so three comments
making the same point do not all reach the top; the rest follow by relevance. Similarity
there is the cosine of TF-IDF stem vectors, IDF over the thread, so the words every
comment shares (the thread's subject) make no two comments alike.

The post: ``rank(..., post=)`` takes what the discussion is under; when its title asks a
question, a one-word top-level comment answers it and stays eligible.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from briefing.highlight_abuse import is_abusive
from briefing.highlight_stories import StoryIndex, assign_story
from briefing.highlight_text import (
    URL_RE,
    content_stems,
    cut_at_word,
    sentence_spans,
    split_sentences,
    stems_of,
    words,
)
from briefing.models import Comment
from briefing.text_terms import cosine

__all__ = [
    "DIVERSE_HEAD",
    "MMR_LAMBDA",
    "MMR_POOL",
    "Highlight",
    "Rejection",
    "StoryIndex",
    "assign_story",
    "excerpt",
    "highlights",
    "is_highlightable",
    "rank",
    "rejection_reason",
    "relevance",
]

# Weights of substance and earliness against one doubling of participants (see above).
SUBSTANCE_WEIGHT = 0.5
EARLINESS_WEIGHT = 0.5
# A reply that only asks back adds less than one that answers or argues: two thirds of a
# participant.
QUESTION_REPLIES = 2 / 3
# A comment that asks draws replies because it asks, not only because readers valued it:
# its repliers count four fifths each.
ASKING_REPLIES = 0.8
# Distinct content words that earn 63% of the substance credit: about two sentences.
SUBSTANCE_SCALE = 8.0
# Maximal marginal relevance: the usual trade-off, relevance weighted over novelty.
MMR_LAMBDA = 0.7
# How many top places MMR fills; a briefing shows a handful of highlights, and MMR costs
# one similarity per candidate per place.
DIVERSE_HEAD = 10
# How many of the most relevant comments compete for those places.
MMR_POOL = 5 * DIVERSE_HEAD
# "Edit:", "EDIT 2:", "Gold edit:" open a note about the comment, not its point.
_EDIT_NOTE_RE = re.compile(r"(?:\w+\s+)?edit\s*\d*\s*:", re.IGNORECASE)
# Near duplicates share this much of their content words (Jaccard of the stem sets).
NEAR_DUPLICATE = 0.8


class Rejection(StrEnum):
    """Why a comment is not worth showing."""

    EMPTY = "empty"
    ONE_WORD = "one word"
    LINK_ONLY = "link only"
    ABUSIVE = "abusive"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Highlight:
    """One comment chosen for display.

    Attributes:
        reply_count: the number of comments in its reply subtree (replies to it, replies
            to those, and so on), as a reader counts "N replies" in a thread.
    """

    comment: Comment
    excerpt: str
    author: str | None
    reply_count: int


@dataclass(frozen=True, slots=True)
class _Thread:
    """The structure ``rank`` reads: thread order, depth, siblings, subtrees."""

    order: tuple[Comment, ...]
    depth: dict[str, int]
    sibling_rank: dict[str, int]
    descendants: dict[str, tuple[Comment, ...]]


def rejection_reason(comment: Comment) -> Rejection | None:
    """Why the comment, read alone, is not worth showing; ``None`` when it is.

    Duplicates need the whole thread: ``rank`` finds them.
    """
    return _rejection(comment.text, words(comment.text))


# What Reddit and others leave in place of a comment taken down.
_REMOVED_BODIES = frozenset({"[deleted]", "[removed]"})
# Reasons a reply from someone else overrides: short, but readers answered it.
_SHORT = frozenset({Rejection.ONE_WORD, Rejection.LINK_ONLY})


def _rejection(text: str, word_list: list[str]) -> Rejection | None:
    if not text.strip() or text.strip() in _REMOVED_BODIES:
        return Rejection.EMPTY
    if len(word_list) <= 1 and URL_RE.search(text) is not None:
        return Rejection.LINK_ONLY
    if not word_list:
        return Rejection.EMPTY
    if len(word_list) == 1:
        return Rejection.ONE_WORD
    if is_abusive(text):
        return Rejection.ABUSIVE
    return None


def is_highlightable(comment: Comment) -> bool:
    """Is the comment, read alone, worth showing? (``rank`` also drops duplicates.)"""
    return rejection_reason(comment) is None


def _thread_order(comments: Sequence[Comment]) -> tuple[Comment, ...]:
    """Oldest first when every comment has a time; otherwise the order given."""
    if not all(c.published is not None for c in comments):
        return tuple(comments)
    aware = {c.published.tzinfo is not None for c in comments if c.published is not None}
    if len(aware) > 1:
        raise ValueError("comments mix timezone-aware and naive published times")
    indexed = sorted(enumerate(comments), key=lambda pair: (pair[1].published, pair[0]))
    return tuple(comment for _, comment in indexed)


def _thread(comments: Sequence[Comment]) -> _Thread:
    keys = Counter(c.key for c in comments)
    repeated = sorted(key for key, count in keys.items() if count > 1)
    if repeated:
        raise ValueError(f"comment keys must be unique, repeated: {', '.join(repeated)}")
    order = _thread_order(comments)
    by_key = {c.key: c for c in order}
    children: dict[str | None, list[Comment]] = {}
    for comment in order:
        parent = comment.parent_key if comment.parent_key in by_key else None
        children.setdefault(parent, []).append(comment)
    sibling_rank = {c.key: i for group in children.values() for i, c in enumerate(group)}
    # Parents before children whatever the clocks say, so children are summed first below.
    preorder: list[Comment] = []
    # A reply whose parent is missing is still a reply: one level deep.
    depth = {c.key: int(c.parent_key is not None) for c in children.get(None, [])}
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        preorder.append(node)
        for child in children.get(node.key, []):
            depth[child.key] = depth[node.key] + 1
        stack.extend(reversed(children.get(node.key, [])))
    if len(preorder) < len(order):
        stuck = next(c.key for c in order if c.key not in depth)
        raise ValueError(f"comment replies form a cycle through key {stuck!r}")
    descendants: dict[str, tuple[Comment, ...]] = {}
    for comment in reversed(preorder):
        below: list[Comment] = []
        for child in children.get(comment.key, ()):
            below.append(child)
            below.extend(descendants.get(child.key, ()))
        descendants[comment.key] = tuple(below)
    return _Thread(order, depth, sibling_rank, descendants)


def _participants(comment: Comment, replies: Sequence[Comment]) -> float:
    weight: dict[str, float] = {}
    anonymous = 0.0
    for reply in replies:
        value = QUESTION_REPLIES if _asks(reply) else 1.0
        if reply.author is None:
            anonymous += value
        elif reply.author != comment.author:
            weight[reply.author] = max(weight.get(reply.author, 0.0), value)
    return sum(weight.values()) + anonymous


def _asks(comment: Comment) -> bool:
    """Does the comment end on a question (its replies then answer it, not praise it)?"""
    return comment.text.rstrip().endswith("?")


def _relevance(comment: Comment, stems: set[str], thread: _Thread) -> float:
    participants = _participants(comment, thread.descendants[comment.key])
    if _asks(comment):
        participants *= ASKING_REPLIES
    engagement = math.log2(1 + participants)
    substance = 1 - math.exp(-len(stems) / SUBSTANCE_SCALE)
    earliness = 1 / math.log2(2 + thread.sibling_rank[comment.key])
    total = engagement + SUBSTANCE_WEIGHT * substance + EARLINESS_WEIGHT * earliness
    return total / (1 + thread.depth[comment.key])


def relevance(comments: Sequence[Comment]) -> dict[str, float]:
    """The relevance of every comment by key, eligible or not (for inspection and tests)."""
    thread = _thread(comments)
    return {c.key: _relevance(c, set(content_stems(c.text)), thread) for c in thread.order}


def _jaccard(a: set[str], b: set[str]) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if a or b else 1.0


def _without_duplicates(
    candidates: list[Comment], word_lists: dict[str, list[str]], stems: dict[str, set[str]]
) -> list[Comment]:
    """The first copy of each text in thread order; later exact or near copies dropped.

    Near copies are found with prefix filtering (Chaudhuri et al., 2006): two sets with
    Jaccard >= t share one of the rarest ``|s| - ceil(t * |s|) + 1`` words of each, so only
    those are indexed and long threads with common words do not cost every pair.
    """
    frequency: Counter[str] = Counter()
    for stem_set in stems.values():
        frequency.update(stem_set)
    kept: list[Comment] = []
    seen_texts: set[str] = set()
    postings: dict[str, list[int]] = {}
    for comment in candidates:
        normal = " ".join(word_lists[comment.key])
        own = stems[comment.key]
        rarest = sorted(sorted(own), key=frequency.__getitem__)
        prefix = rarest[: len(own) - math.ceil(NEAR_DUPLICATE * len(own)) + 1]
        candidates_seen = {i for stem in prefix for i in postings.get(stem, ())}
        if normal in seen_texts or any(
            _jaccard(own, stems[kept[i].key]) >= NEAR_DUPLICATE for i in candidates_seen
        ):
            continue
        seen_texts.add(normal)
        for stem in prefix:
            postings.setdefault(stem, []).append(len(kept))
        kept.append(comment)
    return kept


def _unit(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """TF-IDF of the stems (IDF over the thread) scaled to length 1: a dot is the cosine.

    Words every comment uses (the thread's subject) then make no two comments alike;
    shared rarer words do.
    """
    weighted = {stem: count * idf[stem] for stem, count in counts.items()}
    norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    return {stem: value / norm for stem, value in weighted.items()}


def _diversify(
    ranked: list[Comment], score: dict[str, float], vectors: dict[str, dict[str, float]]
) -> list[Comment]:
    """Maximal marginal relevance over the first ``DIVERSE_HEAD`` places.

    As in Carbonell and Goldstein's re-ranking, only the best ``MMR_POOL`` by relevance
    compete for those places; the rest keep their order after them.
    """
    pool, rest = ranked[:MMR_POOL], ranked[MMR_POOL:]
    top = max((score[c.key] for c in pool), default=0.0) or 1.0
    closest = {c.key: 0.0 for c in pool}
    chosen: list[Comment] = []
    while pool and len(chosen) < DIVERSE_HEAD:
        pick = max(
            range(len(pool)),
            key=lambda i: (
                MMR_LAMBDA * score[pool[i].key] / top - (1 - MMR_LAMBDA) * closest[pool[i].key],
                -i,
            ),
        )
        picked = pool.pop(pick)
        chosen.append(picked)
        for other in pool:
            similarity = cosine(vectors[picked.key], vectors[other.key])
            closest[other.key] = max(closest[other.key], similarity)
    return chosen + pool + rest


def _eligible_in_thread(
    comment: Comment, word_list: list[str], thread: _Thread, answers_wanted: bool
) -> bool:
    """Eligible read alone, short but answered by someone else, or a short answer to the
    post's question (see the module)."""
    reason = _rejection(comment.text, word_list)
    if reason is None:
        return True
    if reason is Rejection.ONE_WORD and answers_wanted and thread.depth[comment.key] == 0:
        return True
    return reason in _SHORT and _participants(comment, thread.descendants[comment.key]) > 0


def asks_readers(post: str | None) -> bool:
    """Does the post (its title first) ask its readers a question they answer in comments?"""
    if not post:
        return False
    title = post.strip().splitlines()[0] if post.strip() else ""
    return title.rstrip().endswith("?")


def rank(comments: list[Comment], *, post: str | None = None) -> list[Comment]:
    """The eligible comments, best first; ineligible ones and duplicates are left out.

    ``post`` is what the discussion is under (a title, then its text): when its title asks
    a question ("What's the best X?"), a one-word top-level comment is an answer to it and
    stays eligible.

    Deterministic: equal scores keep thread order.

    Raises:
        ValueError: two comments share a key, replies form a cycle, or the published
            times mix timezone-aware and naive values.
    """
    thread = _thread(comments)
    word_lists = {c.key: words(c.text) for c in thread.order}
    answers_wanted = asks_readers(post)
    eligible = [
        c
        for c in thread.order
        if _eligible_in_thread(c, word_lists[c.key], thread, answers_wanted)
    ]
    stem_lists = {c.key: stems_of(word_lists[c.key]) for c in eligible}
    stems = {key: set(values) for key, values in stem_lists.items()}
    unique = _without_duplicates(eligible, word_lists, stems)
    score = {c.key: _relevance(c, stems[c.key], thread) for c in unique}
    position = {c.key: i for i, c in enumerate(unique)}
    ranked = sorted(unique, key=lambda c: (-score[c.key], position[c.key]))
    document_frequency: Counter[str] = Counter()
    for stem_set in stems.values():
        document_frequency.update(stem_set)
    idf = {
        stem: math.log((1 + len(stems)) / (1 + df)) + 1 for stem, df in document_frequency.items()
    }
    vectors = {c.key: _unit(Counter(stem_lists[c.key]), idf) for c in ranked[:MMR_POOL]}
    return _diversify(ranked, score, vectors)


def _is_aside(sentence: str) -> bool:
    """Is the sentence not the writer's point: a quotation (in marks or a ``>`` line) or
    an edit note ("Edit: thanks for the gold")?"""
    return (
        sentence.startswith((">", "&gt;"))
        or (sentence[:1] in "\"“'\u2018" and sentence.rstrip()[-1:] in "\"”'\u2019")
        or _EDIT_NOTE_RE.match(sentence) is not None
    )


def excerpt(comment: Comment, max_chars: int = 280) -> str:
    """The comment's best one or two consecutive sentences, at most ``max_chars`` long.

    The excerpt is the comment's own text, character for character (line breaks, markup,
    emoji, zero-width and right-to-left marks kept): a comment that fits is shown whole;
    otherwise "best" is the most distinct content words that fit, ties going to the
    earlier sentences; quotations and edit notes (not the writer's point) are the last
    choice. When no sentence fits, the best one is cut at a word boundary and ends with
    "…" (just "…" if not even a first word fits).

    Raises:
        ValueError: ``max_chars`` is below 2 (no room for a word and the ellipsis).
    """
    if max_chars < 2:
        raise ValueError(f"max_chars must be at least 2, got {max_chars}")
    text = comment.text.strip()
    if len(text) <= max_chars:
        return text
    spans = sentence_spans(text, split_sentences(text))
    if not spans:
        return cut_at_word(text, max_chars) or "…"
    sentences = [text[start:end] for start, end in spans]
    own = [not _is_aside(s) for s in sentences]
    windows = [(i, i + size) for size in (1, 2) for i in range(len(sentences) - size + 1)]

    def window_text(window: tuple[int, int]) -> str:
        return text[spans[window[0]][0] : spans[window[1] - 1][1]]

    def merit(window: tuple[int, int]) -> tuple[bool, int, int]:
        start, end = window
        return (all(own[start:end]), len(set(content_stems(window_text(window)))), -start)

    fitting = [w for w in windows if len(window_text(w)) <= max_chars]
    if fitting:
        return window_text(max(fitting, key=merit))
    singles = sorted((w for w in windows if w[1] - w[0] == 1), key=merit, reverse=True)
    for start, _ in singles:
        cut = cut_at_word(sentences[start], max_chars)
        if cut is not None:
            return cut
    return "…"


def highlights(comments: list[Comment], limit: int, *, post: str | None = None) -> list[Highlight]:
    """The ``limit`` best comments with their excerpts (fewer if fewer are eligible).

    Raises:
        ValueError: ``limit`` is negative, or as ``rank`` does.
    """
    if limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")
    chosen = rank(comments, post=post)[:limit]
    thread = _thread(comments)
    return [
        Highlight(
            comment=c,
            excerpt=excerpt(c),
            author=c.author,
            reply_count=len(thread.descendants[c.key]),
        )
        for c in chosen
    ]
