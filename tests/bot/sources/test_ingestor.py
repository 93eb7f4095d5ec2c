"""Ingest: summaries from the optional LLM, the extractive fallback, and no rework."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.sources.ingestor import Ingestor
from bot.sources.llm_summaries import LlmSummarizer
from briefing.models import Block, BlockKind, Briefing, Story
from storage.briefings import SaveOutcome
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
