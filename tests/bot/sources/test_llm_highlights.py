"""LLM highlight picks against a real chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.sources.ingestor import Ingestor
from bot.sources.llm_client import LlmClient
from bot.sources.llm_highlights import LlmHighlightPicker, LlmHighlightWorker
from briefing.highlights import rank
from briefing.models import Block, BlockKind, Briefing, Comment, Story
from storage.llm_answers import BRIEFING_SCOPE
from storage.store import Store
from tests.fakes.llm_server import ChatServer, base_url, completion, serve_chat_completions

TEXTS = [
    "The new ferry timetable finally adds an early boat for commuters from the island.",
    "Does anyone know whether the winter timetable keeps the late Friday crossing?",
    "The port authority said the fares will stay the same until the spring review.",
    "I asked at the ticket office and they said the Friday crossing stays all winter.",
    "Good news for the fishing families, who lost most of the month to the storms.",
    "The sea wall repairs should be finished before the next big tide in March.",
]


def _briefing(texts: list[str] = TEXTS) -> Briefing:
    comments = tuple(
        Comment(str(n), text, author=f"Reader {n}", story_position=0)
        for n, text in enumerate(texts, start=1)
    )
    story = Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "The ferry changes."),))
    return Briefing(key="ferry-1", title="Harbour Daily", stories=(story,), comments=comments)


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with serve_chat_completions() as server:
        yield server


@pytest.fixture
async def llm(chat: ChatServer, store: Store) -> AsyncIterator[LlmClient]:
    client = LlmClient(
        url=base_url(chat),
        model="test-model",
        key=None,
        timeout=2.0,
        daily_cap=10,
        usage=store.llm_usage,
    )
    yield client
    await client.aclose()


async def _stored_ranking(store: Store) -> list[int]:
    briefing = await store.briefings.latest()
    assert briefing is not None
    return [c.id for c in rank(list(briefing.comments)) if c.id is not None]


async def test_the_picks_are_the_numbered_candidates_in_the_models_order(
    chat: ChatServer, store: Store, llm: LlmClient
) -> None:
    chat.script.body = completion("[4, 2, 9, 4]")
    ingested = await Ingestor(store).ingest(_briefing())
    ranked = await _stored_ranking(store)
    saved = await LlmHighlightPicker(llm, store).refresh(ingested.briefing_id)
    assert saved == 2  # the briefing's discussion and its one story's
    for scope in (BRIEFING_SCOPE, 0):
        picks = await store.llm_answers.picks(ingested.briefing_id, scope)
        assert picks is not None
        assert picks.comment_ids == (ranked[3], ranked[1])  # 9 was never shown
        assert picks.comments_seen == len(TEXTS)
    prompt = chat.script.requests[0].body["messages"][1]["content"]
    assert "Harbour Daily" in prompt
    assert f"{len(TEXTS)}. " in prompt
    assert "JSON array" in chat.script.requests[0].body["messages"][0]["content"]


async def test_a_failed_or_unusable_answer_keeps_the_ranking(
    chat: ChatServer, store: Store, llm: LlmClient, caplog: pytest.LogCaptureFixture
) -> None:
    ingested = await Ingestor(store).ingest(_briefing())
    picker = LlmHighlightPicker(llm, store)
    chat.script.status = 500
    with caplog.at_level(logging.WARNING, logger="bot.sources.llm_highlights"):
        assert await picker.refresh(ingested.briefing_id) == 0
    assert "HTTP 500" in caplog.text
    chat.script.status = 200
    chat.script.body = completion("I would rather not choose.")
    assert await picker.refresh(ingested.briefing_id) == 0
    assert await store.llm_answers.all_picks(ingested.briefing_id) == {}


async def test_a_small_discussion_is_not_sent(
    chat: ChatServer, store: Store, llm: LlmClient
) -> None:
    ingested = await Ingestor(store).ingest(_briefing(TEXTS[:3]))
    assert await LlmHighlightPicker(llm, store).refresh(ingested.briefing_id) == 0
    assert chat.script.requests == []


async def test_a_scope_is_asked_again_only_once_its_discussion_grew(
    chat: ChatServer, store: Store, llm: LlmClient
) -> None:
    chat.script.body = completion("[1, 2, 3]")
    ingested = await Ingestor(store).ingest(_briefing(TEXTS[:4]))
    picker = LlmHighlightPicker(llm, store)
    assert await picker.refresh(ingested.briefing_id) == 2
    assert await picker.refresh(ingested.briefing_id) == 0
    assert len(chat.script.requests) == 2
    await Ingestor(store).ingest(_briefing(TEXTS))  # 4 -> 6 comments: grown by half
    assert await picker.refresh(ingested.briefing_id) == 2
    assert len(chat.script.requests) == 4


async def test_the_daily_cap_stops_the_remaining_scopes(
    chat: ChatServer, store: Store, chat_llm_cap_one: LlmClient
) -> None:
    chat.script.body = completion("[1, 2, 3]")
    ingested = await Ingestor(store).ingest(_briefing())
    assert await LlmHighlightPicker(chat_llm_cap_one, store).refresh(ingested.briefing_id) == 1
    assert len(chat.script.requests) == 1


@pytest.fixture
async def chat_llm_cap_one(chat: ChatServer, store: Store) -> AsyncIterator[LlmClient]:
    client = LlmClient(
        url=base_url(chat), model="m", key=None, timeout=2.0, daily_cap=1, usage=store.llm_usage
    )
    yield client
    await client.aclose()


async def test_the_worker_picks_after_an_ingest_without_holding_it(
    chat: ChatServer, store: Store, llm: LlmClient
) -> None:
    chat.script.body = completion(json.dumps([2, 1, 3]))
    worker = LlmHighlightWorker(LlmHighlightPicker(llm, store))
    ingestor = Ingestor(store, after_commit=[worker.submit])
    try:
        ingested = await ingestor.ingest(_briefing())
        unchanged = await ingestor.ingest(_briefing())  # nothing new: nothing queued
        await worker.idle()
    finally:
        await worker.aclose()
    assert not unchanged.stored_something_new
    ranked = await _stored_ranking(store)
    picks = await store.llm_answers.picks(ingested.briefing_id)
    assert picks is not None
    assert picks.comment_ids == (ranked[1], ranked[0], ranked[2])
    assert len(chat.script.requests) == 2
