"""Optional story summaries from an OpenAI-compatible chat-completions API.

The caller falls back to the extractive summary whenever :meth:`LlmSummarizer.summarize`
returns ``None``: over the daily cap, on a timeout, an HTTP error or an unusable answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date

import httpx
from pydantic import SecretStr

from bot.settings import Settings
from bot.sources.llm_client import (
    LlmCallError,
    LlmCapReachedError,
    LlmClient,
    clip,
    utc_today,
)
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


class _UnusableAnswerError(LlmCallError):
    """The API answered, but not with a summary we can show."""


class LlmSummarizer:
    """Asks a chat-completions endpoint for a story summary, within a timeout and daily cap."""

    def __init__(
        self,
        *,
        url: str | None = None,
        model: str | None = None,
        key: SecretStr | None = None,
        timeout: float = 20.0,
        daily_cap: int = 200,
        usage: LlmUsageRepository | None = None,
        client: httpx.AsyncClient | None = None,
        today: Callable[[], date] = utc_today,
        llm: LlmClient | None = None,
    ) -> None:
        """Set up the summarizer on ``llm``, or on a client of its own built from the rest.

        Args:
            url: API base URL, such as ``https://api.openai.com/v1``.
            model: The model name the API expects.
            key: Sent as ``Authorization: Bearer``; None sends no header.
            timeout: Seconds one request may take in total.
            daily_cap: Requests allowed per UTC day.
            usage: Where the day's requests are counted.
            client: An HTTP client to share (not closed by :meth:`aclose`).
            today: The current UTC date (injectable for tests).
            llm: A shared endpoint client (then the other arguments are not used and
                :meth:`aclose` leaves it open).
        """
        self._owns_llm = llm is None
        if llm is None:
            if url is None or model is None or usage is None:
                raise ValueError("LlmSummarizer needs llm, or url, model and usage")
            llm = LlmClient(
                url=url,
                model=model,
                key=key,
                timeout=timeout,
                daily_cap=daily_cap,
                usage=usage,
                client=client,
                today=today,
            )
        self._llm = llm

    @classmethod
    def from_settings(cls, settings: Settings, usage: LlmUsageRepository) -> LlmSummarizer | None:
        """The configured summarizer, or None when ``BRIEFBOT_LLM_URL`` is unset."""
        llm = LlmClient.from_settings(settings, usage)
        if llm is None:
            return None
        summarizer = cls(llm=llm)
        summarizer._owns_llm = True  # built here: closed with the summarizer
        return summarizer

    async def aclose(self) -> None:
        """Close the endpoint client if this summarizer created it."""
        if self._owns_llm:
            await self._llm.aclose()

    async def summarize(self, heading: str, text: str, max_sentences: int) -> list[str] | None:
        """At most ``max_sentences`` summary sentences of ``text``, or None to fall back."""
        if max_sentences < 1:
            raise ValueError(f"max_sentences must be at least 1, not {max_sentences}")
        if not text.strip():
            return None
        try:
            answer = await self._llm.complete(
                SYSTEM_PROMPT,
                _prompt(heading, text, max_sentences),
                MAX_TOKENS_PER_SENTENCE * max_sentences,
            )
            return _sentences_of(answer, text, max_sentences)
        except LlmCapReachedError:
            logger.warning(
                "LLM summary skipped: daily cap of %d calls reached", self._llm.daily_cap
            )
        except LlmCallError as error:
            logger.warning("LLM summary failed for %r: %s", heading[:80], error)
        return None


def _prompt(heading: str, text: str, max_sentences: int) -> str:
    limit = "1 sentence" if max_sentences == 1 else f"{max_sentences} sentences"
    return (
        f"Summarize this news story in at most {limit}.\n\n"
        f"Heading: {heading}\n\nStory:\n{clip(text, MAX_INPUT_CHARS)}"
    )


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
