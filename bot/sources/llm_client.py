"""One OpenAI-compatible chat-completions endpoint, shared by every LLM feature.

Summaries, highlight picks and edition overviews all ask through :class:`LlmClient`: it
counts each call against the daily cap, bounds it by the timeout, and turns every way a
call can fail into one :class:`LlmCallError` with a short reason, so each feature falls
back to its extractive path with one log line.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import SecretStr

from bot.settings import Settings
from storage.llm_usage import LlmUsageRepository


class LlmCallError(Exception):
    """A call that gave no usable answer; ``str()`` is the reason, never the key."""


class LlmCapReachedError(LlmCallError):
    """The day's calls are used up; nothing was sent."""


def utc_today() -> date:
    """Today's date in UTC, the day the cap counts against."""
    return datetime.now(UTC).date()


class LlmClient:
    """Asks a chat-completions endpoint, within a timeout and a daily cap."""

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
        """Set up the client; nothing is sent until :meth:`complete`.

        Args:
            url: API base URL, such as ``https://api.openai.com/v1``.
            model: The model name the API expects.
            key: Sent as ``Authorization: Bearer``; None sends no header.
            timeout: Seconds one request may take in total.
            daily_cap: Requests allowed per UTC day, over every feature.
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
    def from_settings(cls, settings: Settings, usage: LlmUsageRepository) -> LlmClient | None:
        """The configured client, or None when ``BRIEFBOT_LLM_URL`` is unset."""
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

    @property
    def daily_cap(self) -> int:
        """Calls allowed per UTC day."""
        return self._daily_cap

    @property
    def timeout(self) -> float:
        """Seconds one call may take."""
        return self._timeout

    async def aclose(self) -> None:
        """Close the HTTP client if this one created it."""
        if self._owns_client:
            await self._client.aclose()

    async def complete(self, system: str, user: str, max_tokens: int) -> str:
        """The answer's text; raises :class:`LlmCallError` (with the reason) otherwise."""
        if not await self._usage.try_take(self._today(), self._daily_cap):
            raise LlmCapReachedError(f"daily cap of {self._daily_cap} calls reached")
        try:
            async with asyncio.timeout(self._timeout):
                return await self._ask(system, user, max_tokens)
        except (TimeoutError, httpx.TimeoutException) as error:
            raise LlmCallError(f"no answer within {self._timeout:g} s") from error
        except httpx.HTTPStatusError as error:
            raise LlmCallError(f"HTTP {error.response.status_code}") from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise LlmCallError(f"{type(error).__name__}: {error}") from error

    async def _ask(self, system: str, user: str, max_tokens: int) -> str:
        headers: dict[str, str] = {}
        if self._key is not None:
            headers["Authorization"] = f"Bearer {self._key.get_secret_value()}"
        payload: dict[str, Any] = {
            "model": self._model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        response = await self._client.post(
            self._endpoint, headers=headers, json=payload, timeout=self._timeout
        )
        response.raise_for_status()
        try:
            decoded = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise LlmCallError("the answer is not JSON") from error
        return message_content(decoded)


def message_content(decoded: object) -> str:
    """``choices[0].message.content`` of a completion whose answer was not cut short."""
    try:
        choice = decoded["choices"][0]  # type: ignore[index]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError) as error:
        raise LlmCallError("the answer has no choices[0].message.content") from error
    if not isinstance(content, str):
        raise LlmCallError("choices[0].message.content is not text")
    if isinstance(choice, dict) and choice.get("finish_reason") == "length":
        raise LlmCallError("the answer was cut off at the token limit")
    return content


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    boundary = cut.rfind(" ")
    return cut[:boundary] if boundary > limit // 2 else cut
