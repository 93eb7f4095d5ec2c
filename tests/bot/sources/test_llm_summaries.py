"""LlmSummarizer against a real chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.settings import Settings
from bot.sources.llm_summaries import MAX_INPUT_CHARS, LlmSummarizer
from storage.store import Store
from tests.fakes.llm_server import ChatServer, Script, completion, serve_chat_completions
from tests.fakes.llm_server import base_url as llm_base_url

KEY = "sk-test-0123456789-secret"
HEADING = "Harbour reopens"
STORY = (
    "The harbour reopened on Monday after a week of storms kept every boat ashore. "
    "Dozens of ships queued overnight to enter, and the pilots worked in double shifts. "
    "Fishermen said the closure had cost them most of the month's catch. "
    "The port authority promised to publish a review of its storm procedures by June."
)


class Clock:
    """The summarizer's notion of today, moved by the test."""

    def __init__(self) -> None:
        self.day = date(2026, 3, 1)

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with serve_chat_completions() as chat:
        yield chat


@pytest.fixture
def script(server: ChatServer) -> Script:
    return server.script


@pytest.fixture
def base_url(server: ChatServer) -> str:
    return llm_base_url(server)


@pytest.fixture
def clock() -> Clock:
    return Clock()


MakeSummarizer = Callable[..., LlmSummarizer]


@pytest.fixture
async def make_summarizer(
    base_url: str, store: Store, clock: Clock
) -> AsyncIterator[MakeSummarizer]:
    made: list[LlmSummarizer] = []

    def make(**overrides: Any) -> LlmSummarizer:
        arguments: dict[str, Any] = {
            "url": base_url,
            "model": "test-model",
            "key": SecretStr(KEY),
            "timeout": 5.0,
            "daily_cap": 100,
            "usage": store.llm_usage,
            "today": clock,
        }
        arguments.update(overrides)
        summarizer = LlmSummarizer(**arguments)
        made.append(summarizer)
        return summarizer

    yield make
    for summarizer in made:
        await summarizer.aclose()


async def test_a_good_answer_becomes_clean_sentences(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.body = completion(
        "Summary: The harbour reopened on Monday after a week of storms.\n\n"
        "- Ships   queued overnight.\n* **Fishermen** lost most of a month's catch."
    )
    sentences = await make_summarizer().summarize(HEADING, STORY, 3)
    assert sentences == [
        "The harbour reopened on Monday after a week of storms.",
        "Ships queued overnight.",
        "Fishermen lost most of a month's catch.",
    ]


async def test_a_preamble_line_is_dropped(make_summarizer: MakeSummarizer, script: Script) -> None:
    script.body = completion("Here is a summary of the story:\nThe harbour reopened after storms.")
    assert await make_summarizer().summarize(HEADING, STORY, 2) == [
        "The harbour reopened after storms."
    ]


async def test_the_request_carries_key_model_temperature_and_prompt(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.body = completion("The harbour reopened.")
    await make_summarizer().summarize(HEADING, STORY, 2)
    [request] = script.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "test-model"
    assert request.body["temperature"] == 0
    system, user = request.body["messages"]
    assert system["role"] == "system"
    assert "faithful" in system["content"]
    assert user["role"] == "user"
    assert "at most 2 sentences" in user["content"]
    assert HEADING in user["content"]
    assert STORY in user["content"]


async def test_without_a_key_no_authorization_is_sent(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.body = completion("The harbour reopened.")
    assert await make_summarizer(key=None).summarize(HEADING, STORY, 1) == [
        "The harbour reopened."
    ]
    assert "Authorization" not in script.requests[0].headers


async def test_a_long_story_is_clipped_in_the_prompt(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.body = completion("The harbour reopened.")
    await make_summarizer().summarize(HEADING, STORY * 100, 1)
    prompt = script.requests[0].body["messages"][1]["content"]
    assert MAX_INPUT_CHARS // 2 < len(prompt) < MAX_INPUT_CHARS + 200


async def test_more_sentences_than_asked_are_cut_to_the_limit(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.body = completion("The harbour reopened. Ships queued. Fishermen lost money.")
    assert await make_summarizer().summarize(HEADING, STORY, 2) == [
        "The harbour reopened.",
        "Ships queued.",
    ]


async def test_a_slow_answer_gives_none_without_waiting_for_it(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.hold = True  # the server answers "Too late." only once released (or after 30 s)
    script.body = completion("Too late.")
    assert await make_summarizer(timeout=0.3).summarize(HEADING, STORY, 2) is None
    assert len(script.requests) == 1


@pytest.mark.parametrize("status", [500, 429, 401])
async def test_an_http_error_gives_none_and_logs_without_the_key(
    make_summarizer: MakeSummarizer,
    script: Script,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    script.status = status
    script.body = json.dumps({"error": {"message": "nope"}}).encode()
    with caplog.at_level(logging.DEBUG):
        assert await make_summarizer().summarize(HEADING, STORY, 2) is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [f"HTTP {status}" in r.getMessage() for r in warnings] == [True]
    assert KEY not in caplog.text


async def test_an_unreachable_server_gives_none(
    make_summarizer: MakeSummarizer, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    summarizer = make_summarizer(url=f"http://127.0.0.1:{port}/v1")
    with caplog.at_level(logging.WARNING, logger="bot.sources.llm_summaries"):
        assert await summarizer.summarize(HEADING, STORY, 2) is None
    assert "ConnectError" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b'{"choices": [',
        b"[]",
        b"{}",
        b'{"choices": []}',
        b'{"choices": [{"message": {}}]}',
        b'{"choices": [{"message": "text"}]}',
        completion(None),
        completion(["The harbour reopened."]),
        completion("The harbour reopened and the", finish_reason="length"),
    ],
)
async def test_a_malformed_answer_gives_none(
    make_summarizer: MakeSummarizer, script: Script, body: bytes
) -> None:
    script.body = body
    assert await make_summarizer().summarize(HEADING, STORY, 2) is None
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("answer", "max_sentences"),
    [
        ("", 2),
        ("  \n\n ", 2),
        ("- \n* ", 2),
        ("Summary:", 2),
        ("...", 2),
        (STORY + " And more that the story never said.", 4),
        ("One. Two. Three. Four. Five.", 2),
    ],
)
async def test_an_empty_or_absurd_answer_gives_none(
    make_summarizer: MakeSummarizer, script: Script, answer: str, max_sentences: int
) -> None:
    script.body = completion(answer)
    assert await make_summarizer().summarize(HEADING, STORY, max_sentences) is None


async def test_an_empty_story_is_not_sent(
    make_summarizer: MakeSummarizer, script: Script, store: Store, clock: Clock
) -> None:
    assert await make_summarizer().summarize(HEADING, " \n ", 2) is None
    assert script.requests == []
    assert await store.llm_usage.used(clock.day) == 0


async def test_the_daily_cap_stops_requests_until_the_next_day(
    make_summarizer: MakeSummarizer, script: Script, store: Store, clock: Clock
) -> None:
    script.body = completion("The harbour reopened.")
    summarizer = make_summarizer(daily_cap=2)
    assert await summarizer.summarize(HEADING, STORY, 1) == ["The harbour reopened."]
    assert await summarizer.summarize(HEADING, STORY, 1) == ["The harbour reopened."]
    assert await summarizer.summarize(HEADING, STORY, 1) is None
    assert len(script.requests) == 2
    assert await store.llm_usage.used(clock.day) == 2

    clock.day += timedelta(days=1)
    assert await summarizer.summarize(HEADING, STORY, 1) == ["The harbour reopened."]
    assert len(script.requests) == 3


async def test_failed_calls_count_against_the_cap(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.status = 500
    summarizer = make_summarizer(daily_cap=1)
    assert await summarizer.summarize(HEADING, STORY, 1) is None
    script.status = 200
    script.body = completion("The harbour reopened.")
    assert await summarizer.summarize(HEADING, STORY, 1) is None
    assert len(script.requests) == 1


async def test_a_zero_cap_sends_nothing(make_summarizer: MakeSummarizer, script: Script) -> None:
    assert await make_summarizer(daily_cap=0).summarize(HEADING, STORY, 1) is None
    assert script.requests == []


async def test_a_shared_client_is_left_open(
    make_summarizer: MakeSummarizer, script: Script
) -> None:
    script.body = completion("The harbour reopened.")
    async with httpx.AsyncClient() as client:
        summarizer = make_summarizer(client=client)
        assert await summarizer.summarize(HEADING, STORY, 1) == ["The harbour reopened."]
        await summarizer.aclose()
        assert not client.is_closed


async def test_max_sentences_below_one_is_refused(make_summarizer: MakeSummarizer) -> None:
    with pytest.raises(ValueError, match="max_sentences"):
        await make_summarizer().summarize(HEADING, STORY, 0)


async def test_from_settings_builds_only_when_configured(store: Store, base_url: str) -> None:
    off = Settings(_env_file=None)  # type: ignore[call-arg]
    assert LlmSummarizer.from_settings(off, store.llm_usage) is None
    on = Settings(_env_file=None, llm_url=base_url, llm_model="m")  # type: ignore[call-arg]
    summarizer = LlmSummarizer.from_settings(on, store.llm_usage)
    assert summarizer is not None
    await summarizer.aclose()
