"""Callback data of inline buttons: short, versioned strings within Telegram's 64 bytes."""

from __future__ import annotations

import re

STORY_PREFIX = "story:"
_STORY = re.compile(r"story:(\d{1,18})")


def story_button_data(story_id: int) -> str:
    """The callback data of a button that opens a story card."""
    return f"{STORY_PREFIX}{story_id}"


def parse_story_button(data: str | None) -> int | None:
    """The story id a button names, or ``None`` for anything else."""
    match = _STORY.fullmatch(data or "")
    return int(match.group(1)) if match else None
