"""Optional story summaries from an OpenAI-compatible chat-completions API.

The caller falls back to the extractive summary whenever :meth:`LlmSummarizer.summarize`
returns ``None``: over the daily cap, on a timeout, an HTTP error or an unusable answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import SecretStr

from bot.settings import Settings
from briefing.text_sentences import split_sentences
from storage.llm_usage import LlmUsageRepository

logger = logging.getLogger(__name__)

# Longer stories are cut (at a word boundary) to bound the prompt's size and cost.
MAX_INPUT_CHARS = 12_000
# A generous ceiling per summary sentence (other scripts take more tokens), so that a
# runaway answer stops early.
MAX_TOKENS_PER_SENTENCE = 120

SYSTEM_PROMPT = (
    "You summarize news stories faithfully, using only facts stated in the story. "
    "Answer with the summary alone, in plain text: no preamble, no title, no bullet points, "
    "no markdown."
)

_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])(?:\s+|$)")
_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?:here(?:'s| is)\b[^:\n]{0,40}\bsummary\b[^:\n]{0,40}|summary)"
    r"\s*:\s*(?:\*\*|__)?\s*",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"\*\*|__")
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w")


class _UnusableAnswerError(Exception):
    """The API answered, but not with a summary we can show."""


def utc_today() -> date:
    """Today's date in UTC, the day the cap counts against."""
    return datetime.now(UTC).date()


class LlmSummarizer:
    """Asks a chat-completions endpoint for a story summary, within a timeout and daily cap."""

    def __init__(
        self,
        *,
        url: str,
        model: str,
        key: SecretStr | None,
        timeout: float,
        daily_cap: int,
        usage: LlmUsageRepository,
        client: httpx.AsyncClient | None = None,
        today: Callable[[], date] = utc_today,
    ) -> None:
        """Set up the summarizer; nothing is sent until :meth:`summarize`.

        Args:
            url: API base URL, such as ``https://api.openai.com/v1``.
            model: The model name the API expects.
            key: Sent as ``Authorization: Bearer``; None sends no header.
            timeout: Seconds one request may take in total.
            daily_cap: Requests allowed per UTC day.
            usage: Where the day's requests are counted.
            client: A client to share (not closed by :meth:`aclose`); by default, an own one.
            today: The current UTC date (injectable for tests).
        """
        self._endpoint = f"{url.rstrip('/')}/chat/completions"
        self._model = model
        self._key = key
        self._timeout = timeout
        self._daily_cap = daily_cap
        self._usage = usage
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient()
        self._today = today

    @classmethod
    def from_settings(cls, settings: Settings, usage: LlmUsageRepository) -> LlmSummarizer | None:
        """The configured summarizer, or None when ``BRIEFBOT_LLM_URL`` is unset."""
        if settings.llm_url is None or settings.llm_model is None:
            return None
        return cls(
            url=settings.llm_url,
            model=settings.llm_model,
            key=settings.llm_key,
            timeout=settings.llm_timeout,
            daily_cap=settings.llm_daily_cap,
            usage=usage,
        )

    async def aclose(self) -> None:
        """Close the HTTP client if this summarizer created it."""
        if self._owns_client:
            await self._client.aclose()

    async def summarize(self, heading: str, text: str, max_sentences: int) -> list[str] | None:
        """At most ``max_sentences`` summary sentences of ``text``, or None to fall back."""
        if max_sentences < 1:
            raise ValueError(f"max_sentences must be at least 1, not {max_sentences}")
        if not text.strip():
            return None
        if not await self._usage.try_take(self._today(), self._daily_cap):
            logger.warning("LLM summary skipped: daily cap of %d calls reached", self._daily_cap)
            return None
        try:
            async with asyncio.timeout(self._timeout):
                answer = await self._ask(heading, text, max_sentences)
            return _sentences_of(answer, text, max_sentences)
        except (TimeoutError, httpx.TimeoutException):
            reason = f"no answer within {self._timeout:g} s"
        except httpx.HTTPStatusError as error:
            reason = f"HTTP {error.response.status_code}"
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            reason = f"{type(error).__name__}: {error}"
        except _UnusableAnswerError as error:
            reason = str(error)
        logger.warning("LLM summary failed for %r: %s", heading[:80], reason)
        return None

    async def _ask(self, heading: str, text: str, max_sentences: int) -> str:
        headers: dict[str, str] = {}
        if self._key is not None:
            headers["Authorization"] = f"Bearer {self._key.get_secret_value()}"
        response = await self._client.post(
            self._endpoint,
            headers=headers,
            json=self._payload(heading, text, max_sentences),
            timeout=self._timeout,
        )
        response.raise_for_status()
        try:
            decoded = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise _UnusableAnswerError("the answer is not JSON") from error
        return _message_content(decoded)

    def _payload(self, heading: str, text: str, max_sentences: int) -> dict[str, Any]:
        limit = "1 sentence" if max_sentences == 1 else f"{max_sentences} sentences"
        prompt = (
            f"Summarize this news story in at most {limit}.\n\n"
            f"Heading: {heading}\n\nStory:\n{_clip(text, MAX_INPUT_CHARS)}"
        )
        return {
            "model": self._model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": prompt},
            ],
            "temperature": 0,
            "max_tokens": MAX_TOKENS_PER_SENTENCE * max_sentences,
        }


def _message_content(decoded: object) -> str:
    """``choices[0].message.content`` of a completion whose answer was not cut short."""
    try:
        choice = decoded["choices"][0]  # type: ignore[index]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError) as error:
        raise _UnusableAnswerError("the answer has no choices[0].message.content") from error
    if not isinstance(content, str):
        raise _UnusableAnswerError("choices[0].message.content is not text")
    if isinstance(choice, dict) and choice.get("finish_reason") == "length":
        raise _UnusableAnswerError("the answer was cut off at the token limit")
    return content


def _sentences_of(answer: str, text: str, max_sentences: int) -> list[str]:
    """The cleaned answer split into sentences; an empty or absurd answer is refused."""
    cleaned = _clean(answer)
    sentences = [s for s in split_sentences(cleaned) if _WORD.search(s)]
    if not sentences:
        raise _UnusableAnswerError("the answer is empty")
    if len(cleaned) > len(text):
        raise _UnusableAnswerError(f"the answer ({len(cleaned)} chars) is longer than the story")
    if len(sentences) > 2 * max_sentences:
        raise _UnusableAnswerError(
            f"the answer has {len(sentences)} sentences for {max_sentences} asked"
        )
    # The splitter may cut where the model did not mean to (say, after an abbreviation).
    return sentences[:max_sentences]


def _clean(answer: str) -> str:
    """Plain text: no bullets, no "Summary:" label or preamble, no emphasis, one spacing."""
    lines = [_LABEL.sub("", _BULLET.sub("", line)) for line in answer.strip().splitlines()]
    text = _EMPHASIS.sub("", " ".join(line for line in lines if line.strip()))
    return _WHITESPACE.sub(" ", text).strip()


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    boundary = cut.rfind(" ")
    return cut[:boundary] if boundary > limit // 2 else cut
