"""Storing parsed briefings: summaries (LLM or extractive) and comment placement, then save."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from bot.sources.llm_summaries import LlmSummarizer
from briefing.enrich import SUMMARY_SENTENCES, assign_comments, enrich
from briefing.models import Briefing, Story
from storage.briefings import SaveOutcome, StoredState
from storage.store import Store


@dataclass(frozen=True, slots=True)
class Ingested:
    """What ingesting one briefing did (its counts, not the briefing: polls keep these)."""

    title: str
    stories: int
    comments: int
    outcome: SaveOutcome
    new_comments: int = 0

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
    """

    def __init__(self, store: Store, llm: LlmSummarizer | None = None) -> None:
        self._store = store
        self._llm = llm

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
        result = await self._store.briefings.save(briefing, source_id=source_id)
        return Ingested(
            briefing.title,
            len(briefing.stories),
            len(briefing.comments),
            result.outcome,
            result.new_comments,
        )

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
