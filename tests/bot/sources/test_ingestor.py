"""Ingest: LLM or extractive summaries, no rework, the ids it reports, and its hooks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest

from bot.sources.ingestor import AfterSave, Ingestor
from bot.sources.llm_summaries import LlmSummarizer
from briefing.models import Block, BlockKind, Briefing, Story
from briefing.outgoing import OutgoingMessage
from storage.briefings import SaveOutcome, SaveResult
from storage.store import Store
from tests.fakes.llm_server import ChatServer, base_url, completion, serve_chat_completions

STORY_TEXT = (
    "The harbour reopened on Monday after a week of storms kept every boat ashore. "
    "Dozens of ships queued overnight to enter, and the pilots worked in double shifts. "
    "Fishermen said the closure had cost them most of the month's catch. "
    "The port authority promised to publish a review of its storm procedures by June. "
    "A second review will look at the sea wall."
)
BRIEFING = Briefing(
    key="harbour-1",
    title="Harbour Daily",
    stories=(Story("Harbour reopens", (Block(BlockKind.PARAGRAPH, STORY_TEXT),)),),
)


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with serve_chat_completions() as server:
        yield server


@pytest.fixture
async def llm(chat: ChatServer, store: Store) -> AsyncIterator[LlmSummarizer]:
    summarizer = LlmSummarizer(
        url=base_url(chat),
        model="test-model",
        key=None,
        timeout=2.0,
        daily_cap=10,
        usage=store.llm_usage,
    )
    yield summarizer
    await summarizer.aclose()


async def test_the_llm_summary_is_stored_when_it_answers(
    chat: ChatServer, store: Store, llm: LlmSummarizer
) -> None:
    chat.script.body = completion("Storms shut the harbour for a week. It reopened on Monday.")
    ingested = await Ingestor(store, llm).ingest(BRIEFING)
    stored = await store.briefings.latest()
    assert ingested.outcome is SaveOutcome.CREATED
    assert stored is not None
    assert stored.stories[0].summary == (
        "Storms shut the harbour for a week.",
        "It reopened on Monday.",
    )


async def test_the_extractive_summary_is_the_fallback(
    chat: ChatServer, store: Store, llm: LlmSummarizer
) -> None:
    chat.script.status = 500
    chat.script.body = b'{"error": "overloaded"}'
    await Ingestor(store, llm).ingest(BRIEFING)
    stored = await store.briefings.latest()
    assert stored is not None
    assert stored.stories[0].summary[0] == (
        "The harbour reopened on Monday after a week of storms kept every boat ashore."
    )
    assert len(chat.script.requests) == 1


async def test_an_unchanged_briefing_is_not_summarized_again(
    chat: ChatServer, store: Store, llm: LlmSummarizer
) -> None:
    chat.script.body = completion("Storms shut the harbour for a week.")
    ingestor = Ingestor(store, llm)
    await ingestor.ingest(BRIEFING)
    again = await ingestor.ingest(BRIEFING)
    assert again.outcome is SaveOutcome.UNCHANGED
    assert len(chat.script.requests) == 1


async def test_a_story_shorter_than_its_summary_is_not_sent_to_the_llm(
    chat: ChatServer, store: Store, llm: LlmSummarizer
) -> None:
    short = Story("Ferry", (Block(BlockKind.PARAGRAPH, "The ferry is late. It will run."),))
    await Ingestor(store, llm).ingest(Briefing(key="short", title="Daily", stories=(short,)))
    stored = await store.briefings.latest()
    assert stored is not None
    assert stored.stories[0].summary == ("The ferry is late.", "It will run.")
    assert chat.script.requests == []


def _alerts_for(store: Store, seen: list[tuple[Briefing, SaveResult]]) -> AfterSave:
    """A hook that queues one alert per new story, as the topic alerts will."""

    async def queue_alerts(briefing: Briefing, result: SaveResult) -> None:
        seen.append((briefing, result))
        new = [s for s in briefing.stories if s.id in result.created_story_ids]
        await store.outbox.enqueue(
            [
                OutgoingMessage(
                    1, "alert", str(s.id), s.heading, briefing_id=briefing.id, story_id=s.id
                )
                for s in new
            ]
        )

    return queue_alerts


async def _outbox_story_ids(store: Store) -> list[int]:
    async with store.database.connection.execute(
        "SELECT story_id FROM outbox ORDER BY id"
    ) as cursor:
        return [row[0] async for row in cursor]


async def test_ingest_reports_the_ids_it_created_and_changed(store: Store) -> None:
    ingestor = Ingestor(store)
    created = await ingestor.ingest(BRIEFING)
    stored = await store.briefings.latest()
    assert stored is not None
    assert created.briefing_id == stored.id
    assert created.created_story_ids == (stored.stories[0].id,)
    assert created.changed_story_ids == ()
    edited = replace(
        BRIEFING,
        stories=(
            replace(BRIEFING.stories[0], heading="Harbour reopens at last"),
            Story("Ferries", (Block(BlockKind.PARAGRAPH, "The ferries run again."),)),
        ),
    )
    updated = await ingestor.ingest(edited)
    assert updated.outcome is SaveOutcome.UPDATED
    assert updated.changed_story_ids == created.created_story_ids
    assert len(updated.created_story_ids) == 1
    assert updated.created_story_ids != created.created_story_ids


async def test_an_after_save_hook_writes_in_the_saves_transaction(store: Store) -> None:
    seen: list[tuple[Briefing, SaveResult]] = []
    ingested = await Ingestor(store, after_save=[_alerts_for(store, seen)]).ingest(
        BRIEFING, source_id=None
    )
    [(briefing, result)] = seen
    assert briefing.id == ingested.briefing_id == result.briefing_id
    assert [s.id for s in briefing.stories] == list(result.created_story_ids)
    assert briefing.stories[0].summary  # the hook sees the briefing as stored, summarized
    assert await _outbox_story_ids(store) == list(ingested.created_story_ids)


async def test_a_hook_that_raises_rolls_back_the_save(store: Store) -> None:
    seen: list[tuple[Briefing, SaveResult]] = []

    async def fail(briefing: Briefing, result: SaveResult) -> None:
        raise RuntimeError("matching failed")

    ingestor = Ingestor(store, after_save=[_alerts_for(store, seen), fail])
    with pytest.raises(RuntimeError, match="matching failed"):
        await ingestor.ingest(BRIEFING)
    assert len(seen) == 1  # the first hook ran, and its alerts went with the save
    assert await store.briefings.count() == 0
    assert await _outbox_story_ids(store) == []
    # Nothing half-done: the same briefing ingests as new once the hooks succeed.
    again = await Ingestor(store, after_save=[_alerts_for(store, seen)]).ingest(BRIEFING)
    assert again.outcome is SaveOutcome.CREATED
    assert await _outbox_story_ids(store) == list(again.created_story_ids)


async def test_an_llm_answer_is_split_as_summaries_are(
    chat: ChatServer, store: Store, llm: LlmSummarizer
) -> None:
    # The answer's two "--" once made the LLM's own splitter (pysbd) return one sentence.
    chat.script.body = completion(
        "Storms shut the harbour -- for a week. It reopened on Monday -- to long queues."
    )
    await Ingestor(store, llm).ingest(BRIEFING)
    stored = await store.briefings.latest()
    assert stored is not None
    assert stored.stories[0].summary == (
        "Storms shut the harbour -- for a week.",
        "It reopened on Monday -- to long queues.",
    )
