"""What ingest computes once and stores: story summaries, and which story each comment is about."""

from __future__ import annotations

from dataclasses import replace

from briefing.highlights import StoryIndex
from briefing.models import Briefing, Comment, Story
from briefing.summarize import summarize
from briefing.summary_cleanup import without_dangling_end

SUMMARY_SENTENCES = 4  # the story card's budget; /today shows the first one or two


def enrich(briefing: Briefing) -> Briefing:
    """The briefing with extractive summaries and every comment assigned to a story."""
    stories = tuple(summarized(story) for story in briefing.stories)
    return replace(briefing, stories=stories, comments=assign_comments(briefing.comments, stories))


def summarized(story: Story) -> Story:
    """The story with its extractive summary (the whole text when it is shorter)."""
    return replace(story, summary=without_dangling_end(summarize(story.text, SUMMARY_SENTENCES)))


def assign_comments(
    comments: tuple[Comment, ...], stories: tuple[Story, ...]
) -> tuple[Comment, ...]:
    """Each top-level comment goes to the story it is most like; replies follow their parent.

    A reply answers its parent, so its words ("killing", "gas") say less about which story
    it concerns than the thread it is in; one the source already placed keeps its place.
    """
    positions: dict[str, int | None] = {}
    assigned: list[Comment] = []
    index: StoryIndex | None = None  # built at the first comment that needs it
    for comment in comments:
        if comment.story_position is not None:
            position: int | None = comment.story_position
        elif comment.parent_key is not None and comment.parent_key in positions:
            position = positions[comment.parent_key]
        else:
            if index is None:
                index = StoryIndex(stories)
            position = index.assign(comment.text)
        positions[comment.key] = position
        assigned.append(replace(comment, story_position=position))
    return tuple(assigned)
