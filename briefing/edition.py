"""The edition of one local day: the day's stories across sources, deduplicated and ordered.

Pure: the caller loads the day's stories (storage) and renders the result (handlers).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from briefing.text_terms import cosine, sentence_terms

# Cosine over TF-IDF of heading + summary terms at or above which two stories of different
# sources are the same news (bench/edition_dedup.py: true pairs 0.448 and 0.384, highest
# hard negative 0.304 on the shared feeds).
DUPLICATE_THRESHOLD = 0.35
# One source's stories are merged only when they repeat each other nearly word for word (a
# story a feed carries in two posts): its different stories on one subject stay apart.
SAME_SOURCE_THRESHOLD = 0.9
# Score weights (README, "How an edition is composed").
COVERAGE_WEIGHT = 1.0
MAX_COVERAGE = 3
DISCUSSION_WEIGHT = 0.6
DIGEST_WEIGHT = 0.4
RECENCY_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class DayStory:
    """One story of the day as the composer sees it.

    Attributes:
        story_id: the stored story (opens its card), if stored.
        briefing_id: the stored post the story belongs to; stories of one post share it.
        source: the source's display name.
        heading: the story's heading.
        summary: its summary sentences joined (or the start of its text).
        seen: when it was published, or first seen when the source gives no date.
        position: its place within its post (0 = the post's lead).
        post_stories: how many stories the post has (more than one: a digest).
        discussion: how many comments the post's discussion has.
    """

    story_id: int | None
    briefing_id: int | None
    source: str
    heading: str
    summary: str
    seen: datetime
    position: int = 0
    post_stories: int = 1
    discussion: int = 0

    @property
    def in_digest(self) -> bool:
        """Whether the story is one of several in a digest post."""
        return self.post_stories > 1


@dataclass(frozen=True, slots=True)
class EditionItem:
    """One story of an edition, with the other sources that carry the same news."""

    story: DayStory
    score: float
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edition:
    """The composed edition of one day: ``items[0]`` is the lead."""

    day: date
    items: tuple[EditionItem, ...]

    @property
    def lead(self) -> EditionItem | None:
        """The lead story, if the day has any."""
        return self.items[0] if self.items else None

    @property
    def rest(self) -> tuple[EditionItem, ...]:
        """The stories after the lead, in order."""
        return self.items[1:]


def story_terms(story: DayStory) -> tuple[str, ...]:
    """The content terms of a story's heading and summary, as deduplication compares them."""
    return sentence_terms(f"{story.heading}. {story.summary}").terms


def tfidf_vectors(documents: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors of term lists, with smoothed IDF (a term in every one still counts)."""
    frequency: Counter[str] = Counter()
    for terms in documents:
        frequency.update(set(terms))
    count = len(documents)
    vectors: list[dict[str, float]] = []
    for terms in documents:
        weights = {
            term: tf * (math.log((1 + count) / (1 + frequency[term])) + 1.0)
            for term, tf in Counter(terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({term: w / norm for term, w in weights.items()})
    return vectors


def duplicate_groups(
    stories: Sequence[DayStory], threshold: float = DUPLICATE_THRESHOLD
) -> list[list[int]]:
    """Indices of the stories grouped by same news, first-seen order: across sources at
    ``threshold``, within one source only when nearly identical."""
    vectors = tfidf_vectors([story_terms(s) for s in stories])
    parent = list(range(len(stories)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            post = stories[i].briefing_id
            if post is not None and post == stories[j].briefing_id:
                continue  # a post's own stories are its structure, never repeats
            same_source = stories[i].source == stories[j].source
            needed = max(threshold, SAME_SOURCE_THRESHOLD) if same_source else threshold
            if cosine(vectors[i], vectors[j]) >= needed:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(stories)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def compose_edition(
    day: date, stories: Sequence[DayStory], threshold: float = DUPLICATE_THRESHOLD
) -> Edition:
    """The edition of ``day`` from its stories: lead first, duplicates collapsed.

    Score per story: 1.0 per other source carrying it (up to 3), 0.6 x its post's
    discussion (log-scaled to the day's largest), 0.4 x its place in a digest post (the
    post's lead gets all of it), 0.3 x how late in the day's span it came. A digest post's
    stories keep their order among themselves: the slots its stories earn are refilled in
    the post's order, so its lead comes first.
    """
    if not stories:
        return Edition(day, ())
    own = _own_scores(stories)
    items: list[EditionItem] = []
    for group in duplicate_groups(stories, threshold):
        best = max(group, key=lambda i: (own[i], -stories[i].seen.timestamp(), -i))
        others = sorted({stories[i].source for i in group} - {stories[best].source})
        coverage = COVERAGE_WEIGHT * min(len(others), MAX_COVERAGE)
        items.append(EditionItem(stories[best], own[best] + coverage, tuple(others)))
    items.sort(key=lambda item: (-item.score, -item.story.seen.timestamp(), item.story.heading))
    return Edition(day, tuple(_keep_post_order(items)))


def _own_scores(stories: Sequence[DayStory]) -> list[float]:
    most_discussed = max(s.discussion for s in stories)
    first = min(s.seen for s in stories)
    span = (max(s.seen for s in stories) - first).total_seconds()
    scores: list[float] = []
    for story in stories:
        discussion = (
            math.log1p(story.discussion) / math.log1p(most_discussed) if most_discussed else 0.0
        )
        digest = (
            (story.post_stories - story.position) / story.post_stories if story.in_digest else 0.0
        )
        recency = (story.seen - first).total_seconds() / span if span else 0.0
        scores.append(
            DISCUSSION_WEIGHT * discussion + DIGEST_WEIGHT * digest + RECENCY_WEIGHT * recency
        )
    return scores


def _keep_post_order(items: list[EditionItem]) -> list[EditionItem]:
    """Refill each digest post's slots with its stories in the post's own order."""
    by_post: dict[int, list[EditionItem]] = {}
    for item in items:
        if item.story.briefing_id is not None and item.story.in_digest:
            by_post.setdefault(item.story.briefing_id, []).append(item)
    for post_items in by_post.values():
        post_items.sort(key=lambda item: item.story.position)
    taken: dict[int, int] = dict.fromkeys(by_post, 0)
    ordered: list[EditionItem] = []
    for item in items:
        post = item.story.briefing_id
        if post is None or post not in by_post:
            ordered.append(item)
            continue
        ordered.append(by_post[post][taken[post]])
        taken[post] += 1
    return ordered
