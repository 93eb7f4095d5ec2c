"""The edition overview against a real chat-completions server on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.sources.llm_client import LlmClient
from bot.sources.llm_overview import LlmOverviewWriter
from briefing.edition_overview import OverviewStory
from storage.store import Store
from tests.fakes.llm_server import ChatServer, base_url, completion, serve_chat_completions

STORIES = [
    OverviewStory("Harbour reopens", "The harbour reopened after 7 days of storms.", "Daily"),
    OverviewStory("Fares frozen", "Ferry fares stay the same until the spring review.", "Port"),
]
GOOD = "**Overview:** The harbour is open again after 7 days of storms,\nand fares are frozen."


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with serve_chat_completions() as server:
        yield server


@pytest.fixture
async def writer(chat: ChatServer, store: Store) -> AsyncIterator[LlmOverviewWriter]:
    client = LlmClient(
        url=base_url(chat), model="m", key=None, timeout=2.0, daily_cap=5, usage=store.llm_usage
    )
    yield LlmOverviewWriter(client, store.llm_answers)
    await client.aclose()


async def test_a_good_overview_is_cleaned_kept_and_not_asked_for_again(
    chat: ChatServer, writer: LlmOverviewWriter
) -> None:
    chat.script.body = completion(GOOD)
    first = await writer.write("Harbour Daily", STORIES)
    again = await writer.write("Harbour Daily", STORIES)
    assert first == "The harbour is open again after 7 days of storms, and fares are frozen."
    assert again == first
    assert len(chat.script.requests) == 1
    prompt = chat.script.requests[0].body["messages"][1]["content"]
    assert "1. Harbour reopens (Daily): The harbour reopened" in prompt


async def test_a_changed_edition_is_asked_again(
    chat: ChatServer, writer: LlmOverviewWriter
) -> None:
    chat.script.body = completion(GOOD)
    await writer.write("Harbour Daily", STORIES)
    await writer.write("Harbour Daily", list(reversed(STORIES)))
    assert len(chat.script.requests) == 2


@pytest.mark.parametrize(
    ("status", "answer", "logged"),
    [
        (200, "The harbour shut for 9 days.", "figures the stories do not: 9"),
        (200, "One.\n\nTwo.", "more than one paragraph"),
        (503, "", "HTTP 503"),
    ],
)
async def test_an_invented_or_failed_overview_is_not_shown(
    chat: ChatServer,
    writer: LlmOverviewWriter,
    caplog: pytest.LogCaptureFixture,
    status: int,
    answer: str,
    logged: str,
) -> None:
    chat.script.status = status
    chat.script.body = completion(answer)
    with caplog.at_level(logging.WARNING, logger="bot.sources.llm_overview"):
        assert await writer.write("Harbour Daily", STORIES) is None
    assert logged in caplog.text


async def test_one_story_needs_no_overview(chat: ChatServer, writer: LlmOverviewWriter) -> None:
    assert await writer.write("Harbour Daily", STORIES[:1]) is None
    assert chat.script.requests == []
