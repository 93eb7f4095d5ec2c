"""Storing parsed briefings: summaries (LLM or extractive) and comment placement, then save."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from bot.sources.llm_summaries import LlmSummarizer
from briefing.enrich import SUMMARY_SENTENCES, assign_comments, enrich
from briefing.models import Briefing, Story
from storage.briefings import SaveOutcome, SaveResult, StoredState
from storage.store import Store

AfterSave = Callable[[Briefing, SaveResult], Awaitable[None]]
"""Work done in the save's transaction, after the save: it commits with it or undoes it."""

AfterCommit = Callable[["Ingested"], None]
"""Told of each ingest that stored something new, once it is committed; must not block."""


@dataclass(frozen=True, slots=True)
class Ingested:
    """What ingesting one briefing did: counts and ids, not the briefing (polls keep these).

    Attributes:
        created_story_ids: stories stored for the first time.
        changed_story_ids: stored stories whose content this ingest changed.
        new_comment_ids: source comments stored for the first time.
    """

    title: str
    stories: int
    comments: int
    outcome: SaveOutcome
    briefing_id: int
    new_comments: int = 0
    created_story_ids: tuple[int, ...] = ()
    changed_story_ids: tuple[int, ...] = ()
    new_comment_ids: tuple[int, ...] = ()

    @property
    def stored_something_new(self) -> bool:
        """Whether a story or a comment was created or changed."""
        return bool(self.created_story_ids or self.changed_story_ids or self.new_comment_ids)

    def describe(self) -> str:
        """One line for the operator."""
        line = f"{self.outcome.value}: {self.title!r} ({self.stories} stories, "
        line += f"{self.comments} comments"
        if self.outcome is SaveOutcome.UNCHANGED and self.new_comments:
            line += f", {self.new_comments} new"
        return line + ")"


class Ingestor:
    """Turns parsed briefings into stored ones, each in one transaction.

    Summaries are computed only when the content changed, so an unchanged entry polled again
    costs no summarizing (and no LLM call); comments are placed on stories every time,
    since new ones may have arrived.

    Each ``after_save`` hook runs inside the save's transaction, after the save, with the
    briefing as saved (its ids and its stories' filled in; summarized unless it was
    unchanged) and what the save did. A hook that raises undoes the save, so a change and
    the work it causes (queued alerts) are stored together or not at all.
    """

    def __init__(
        self,
        store: Store,
        llm: LlmSummarizer | None = None,
        after_save: Sequence[AfterSave] = (),
        after_commit: Sequence[AfterCommit] = (),
    ) -> None:
        self._store = store
        self._llm = llm
        self._after_save = tuple(after_save)
        self._after_commit = tuple(after_commit)

    async def ingest(self, briefing: Briefing, *, source_id: int | None = None) -> Ingested:
        """Summarize if new or changed, place comments, and save."""
        state = await self._store.briefings.stored_state(briefing.key)
        return await self.ingest_known(briefing, state, source_id=source_id)

    async def ingest_known(
        self, briefing: Briefing, state: StoredState | None, *, source_id: int | None = None
    ) -> Ingested:
        """As :meth:`ingest`, for a caller that has already looked up the stored state."""
        if state is None or state.content_hash != briefing.content_hash():
            # Extractive summaries are CPU work: keep the event loop free for chats meanwhile.
            briefing = await asyncio.to_thread(enrich, briefing)
            if self._llm is not None:
                briefing = replace(briefing, stories=await self._llm_stories(briefing.stories))
        else:
            briefing = replace(
                briefing, comments=assign_comments(briefing.comments, briefing.stories)
            )
        async with self._store.transaction():
            result = await self._store.briefings.save(briefing, source_id=source_id)
            if self._after_save:
                saved = _with_ids(briefing, result, source_id)
                for hook in self._after_save:
                    await hook(saved, result)
        ingested = Ingested(
            briefing.title,
            len(briefing.stories),
            len(briefing.comments),
            result.outcome,
            result.briefing_id,
            result.new_comments,
            created_story_ids=result.created_story_ids,
            changed_story_ids=result.changed_story_ids,
            new_comment_ids=result.new_comment_ids,
        )
        if ingested.stored_something_new:
            for tell in self._after_commit:
                tell(ingested)
        return ingested

    async def _llm_stories(self, stories: tuple[Story, ...]) -> tuple[Story, ...]:
        assert self._llm is not None
        written: list[Story] = []
        for story in stories:
            if len(story.summary) < SUMMARY_SENTENCES:
                # Shorter than its summary budget: the story is shown whole, nothing to write.
                written.append(story)
                continue
            summary = await self._llm.summarize(story.heading, story.text, SUMMARY_SENTENCES)
            written.append(replace(story, summary=tuple(summary)) if summary else story)
        return tuple(written)


def _with_ids(briefing: Briefing, result: SaveResult, source_id: int | None) -> Briefing:
    """The briefing as the save stored it: its id, its source's, and each story's id.

    Comment ids are not filled in (an unchanged save does not read them back); hooks that
    need them have ``result.new_comment_ids``.
    """
    stories = tuple(
        replace(story, id=story_id)
        for story, story_id in zip(briefing.stories, result.story_ids, strict=True)
    )
    source = briefing.source_id if source_id is None else source_id
    return replace(briefing, id=result.briefing_id, source_id=source, stories=stories)
