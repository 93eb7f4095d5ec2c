"""Optional one-paragraph overview of an edition, written by an LLM and kept.

:meth:`LlmOverviewWriter.write` is called off the request path (when an edition is about
to be delivered, or after an ingest changed the day's news); requests read the stored
overview by the edition's key and show nothing when there is none. Any failure, an answer
that is not one short plain paragraph, or one that gives figures the stories do not,
leaves the edition without an overview.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from bot.sources.llm_client import LlmCallError, LlmCapReachedError, LlmClient, clip
from briefing.edition_overview import OverviewStory, overview_key, overview_problem, source_text
from storage.llm_answers import LlmAnswerRepository

logger = logging.getLogger(__name__)

MAX_STORIES = 12
"""The overview is written from the edition's first stories: the lead and what follows."""
MAX_SUMMARY_CHARS = 400
MAX_TOKENS = 260

SYSTEM_PROMPT = (
    "You write the opening paragraph of a daily news briefing. Use only facts stated in "
    "the stories given; do not add figures, names or claims they do not contain. Answer "
    "with one paragraph of plain text, two to four sentences, with no title, no list, no "
    "markdown and no links."
)

_EMPHASIS = re.compile(r"\*\*|__|^#+\s*", re.MULTILINE)
_LABEL = re.compile(r"^\s*(?:overview|summary)\s*:\s*", re.IGNORECASE)


class LlmOverviewWriter:
    """Writes, checks and keeps the overview of an edition."""

    def __init__(self, llm: LlmClient, answers: LlmAnswerRepository) -> None:
        self._llm = llm
        self._answers = answers

    async def write(self, title: str, stories: Sequence[OverviewStory]) -> str | None:
        """The edition's overview: the stored one, or a new one asked for; None to go without."""
        shown = list(stories[:MAX_STORIES])
        if len(shown) < 2:
            return None  # one story needs no overview: its summary says it
        key = overview_key(shown)
        stored = await self._answers.overview(key)
        if stored is not None:
            return stored
        try:
            answer = await self._llm.complete(SYSTEM_PROMPT, _prompt(title, shown), MAX_TOKENS)
        except LlmCapReachedError:
            logger.warning(
                "LLM overview skipped: daily cap of %d calls reached", self._llm.daily_cap
            )
            return None
        except LlmCallError as error:
            logger.warning("LLM overview failed for %r: %s", title[:80], error)
            return None
        overview = _plain(answer)
        problem = overview_problem(overview, source_text(shown) + "\n" + title)
        if problem is not None:
            logger.warning("LLM overview for %r not used: %s", title[:80], problem)
            return None
        await self._answers.save_overview(key, overview)
        return overview


def _plain(answer: str) -> str:
    unmarked = _EMPHASIS.sub("", answer.strip())
    text = "\n".join(_LABEL.sub("", line).strip() for line in unmarked.splitlines()).strip()
    # One paragraph: single line breaks are spaces; a blank line stays (and is refused).
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _prompt(title: str, stories: Sequence[OverviewStory]) -> str:
    lines = [f"Briefing: {title}", "", "Stories, most important first:"]
    for number, story in enumerate(stories, start=1):
        source = f" ({story.source})" if story.source else ""
        lines.append(
            f"{number}. {story.heading}{source}: {clip(story.summary, MAX_SUMMARY_CHARS)}"
        )
    lines += ["", "Write the opening paragraph."]
    return "\n".join(lines)
