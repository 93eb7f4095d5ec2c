"""An edition's one-paragraph overview by a model: what it is asked, and what it may say.

An overview restates the edition's own stories; a figure it gives that none of them gives
is taken to be invented, and the overview is not used. It is stored under a key of exactly
the stories it was written from, so a changed edition gets a new one and a request only
ever reads it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

MAX_OVERVIEW_CHARS = 700


def numbers_in(text: str) -> set[str]:
    """The figures in ``text``, thousands separators removed ("2,000" and "2000" are one)."""
    return {_canonical(match.group()) for match in _NUMBER.finditer(text)}


def _canonical(number: str) -> str:
    # "2,000" -> "2000"; "3.5" stays; a trailing ".0" is the same figure.
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", number):
        number = number.replace(",", "")
    return number.removesuffix(".0")


def overview_problem(overview: str, source_text: str) -> str | None:
    """Why ``overview`` must not be shown for stories reading ``source_text``; None if it may."""
    if not re.search(r"\w", overview):
        return "it is empty"
    if len(overview) > MAX_OVERVIEW_CHARS:
        return f"it is {len(overview)} characters long (at most {MAX_OVERVIEW_CHARS})"
    if "\n\n" in overview.strip():
        return "it is more than one paragraph"
    if _URL.search(overview):
        return "it contains a link"
    invented = sorted(numbers_in(overview) - numbers_in(source_text))
    if invented:
        return f"it gives figures the stories do not: {', '.join(invented[:5])}"
    return None


@dataclass(frozen=True, slots=True)
class OverviewStory:
    """What the overview of an edition is written from, per story, in edition order."""

    heading: str
    summary: str
    source: str = ""


def overview_key(stories: Sequence[OverviewStory]) -> str:
    """A digest of exactly these stories in this order: the overview's cache key."""
    payload = json.dumps([[s.heading, s.summary, s.source] for s in stories], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def source_text(stories: Sequence[OverviewStory]) -> str:
    """Everything the overview may draw on, as one text (for the figures check)."""
    return "\n".join(f"{s.heading}. {s.summary} {s.source}" for s in stories)
