"""A composed daily edition opens with the LLM overview, written once for its stories."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.daily import ComposedEditions
from bot.sources.llm_client import LlmClient
from bot.sources.llm_overview import LlmOverviewWriter
from briefing.models import Block, BlockKind, Briefing, Story
from storage.store import Store
from tests.fakes.llm_server import ChatServer, base_url, completion, serve_chat_completions

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
CHAT = 4242
OVERVIEW = "The quay is being mended and the lighthouse is lit again."


def _post(key: str, heading: str, summary: str, hours: int) -> Briefing:
    story = Story(heading, (Block(BlockKind.PARAGRAPH, summary),), summary=(summary,))
    return Briefing(key, f"{heading} post", (story,), published=DUE - timedelta(hours=hours))


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


async def test_the_overview_opens_the_edition_and_is_asked_for_once(
    chat: ChatServer, store: Store, writer: LlmOverviewWriter
) -> None:
    chat.script.body = completion(OVERVIEW)
    await store.briefings.save(_post("a", "Quay repairs", "The quay is being mended.", 3))
    await store.briefings.save(_post("b", "Lighthouse reopens", "The lamp is lit again.", 2))
    editions = ComposedEditions(store, writer)
    [first] = await editions.messages_for(CHAT, date(2026, 12, 2), BERLIN)
    [again] = await editions.messages_for(CHAT + 1, date(2026, 12, 2), BERLIN)
    assert OVERVIEW in first.text
    assert first.text.index(OVERVIEW) < first.text.index("Quay repairs")
    assert OVERVIEW in again.text
    assert len(chat.script.requests) == 1


async def test_without_an_answer_the_edition_goes_without_one(
    chat: ChatServer, store: Store, writer: LlmOverviewWriter
) -> None:
    chat.script.status = 500
    await store.briefings.save(_post("a", "Quay repairs", "The quay is being mended.", 3))
    await store.briefings.save(_post("b", "Lighthouse reopens", "The lamp is lit again.", 2))
    [message] = await ComposedEditions(store, writer).messages_for(CHAT, date(2026, 12, 2), BERLIN)
    assert "Quay repairs" in message.text
    assert OVERVIEW not in message.text
