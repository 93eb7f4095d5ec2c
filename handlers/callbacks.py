"""Callback data of inline buttons: short, versioned strings within Telegram's 64 bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

STORY_PREFIX = "story:"
ALERT_PREFIX = "alert:"
SUBSCRIBE_PREFIX = "sub:"
UNSUBSCRIBE_PREFIX = "unsub:"
MUTE_PREFIX = "mute:"
BACK_PREFIX = "back:"
COMMENTS_PREFIX = "cm:"
SEARCH_PREFIX = "srch:"
DAY_PREFIX = "day:"
EDITION_PREFIX = "ed:"
FOLLOW_PREFIX = "fol:"
SOURCES_PAGE_PREFIX = "srcs:"
_ID = r"(\d{1,18})"
_STORY = re.compile(f"story:{_ID}")
_ALERT = re.compile(f"alert:{_ID}")
_SUBSCRIBE = re.compile(rf"sub:{_ID}:(\d{{1,2}})")
_UNSUBSCRIBE = re.compile(f"unsub:{_ID}")
_MUTE = re.compile(f"mute:{_ID}")
_BACK = re.compile(f"back:{_ID}")
_COMMENTS = re.compile(rf"cm:(b?){_ID}:(\d{{1,4}}):([bn])")


@dataclass(frozen=True, slots=True)
class CommentsRequest:
    """A page of a discussion: a story's (``story_id``) or a whole briefing's."""

    story_id: int | None
    briefing_id: int | None
    page: int
    newest_first: bool


_SEARCH = re.compile(rf"srch:(\d{{1,6}}):{_ID}")
_DAY = re.compile(r"day:(\d{4}-\d{2}-\d{2})")
_EDITION = re.compile(r"ed:(\d{4}-\d{2}-\d{2}):(\d{1,3})")
_FOLLOW = re.compile(rf"fol:([01]):(\d{{1,6}}):{_ID}")
_SOURCES_PAGE = re.compile(r"srcs:(\d{1,6})")


def story_button_data(story_id: int) -> str:
    """The callback data of a button that opens a story card."""
    return f"{STORY_PREFIX}{story_id}"


def parse_story_button(data: str | None) -> int | None:
    """The story id a button names, or ``None`` for anything else."""
    return _one_id(_STORY, data)


def alert_button_data(story_id: int) -> str:
    """The "🔔 Alert me" button of a story card: it offers the story's key phrases."""
    return f"{ALERT_PREFIX}{story_id}"


def parse_alert_button(data: str | None) -> int | None:
    """The story id of an "Alert me" button."""
    return _one_id(_ALERT, data)


def subscribe_button_data(story_id: int, phrase: int) -> str:
    """Subscribe to key phrase number ``phrase`` of a story (recomputed from the story)."""
    return f"{SUBSCRIBE_PREFIX}{story_id}:{phrase}"


def parse_subscribe_button(data: str | None) -> tuple[int, int] | None:
    """(story id, phrase number) of a subscribe button."""
    match = _SUBSCRIBE.fullmatch(data or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def unsubscribe_button_data(topic_id: int) -> str:
    """Remove a topic from the chat's list (the buttons of /topics)."""
    return f"{UNSUBSCRIBE_PREFIX}{topic_id}"


def parse_unsubscribe_button(data: str | None) -> int | None:
    """The topic id of a remove button."""
    return _one_id(_UNSUBSCRIBE, data)


def mute_button_data(topic_id: int) -> str:
    """Stop the alerts of a topic (the button under an alert)."""
    return f"{MUTE_PREFIX}{topic_id}"


def parse_mute_button(data: str | None) -> int | None:
    """The topic id of a mute button."""
    return _one_id(_MUTE, data)


def back_button_data(briefing_id: int) -> str:
    """ "◀ Back" on a card: the message shows its briefing again."""
    return f"{BACK_PREFIX}{briefing_id}"


def parse_back_button(data: str | None) -> int | None:
    """The briefing id of a Back button."""
    return _one_id(_BACK, data)


def comments_button_data(
    *,
    story_id: int | None = None,
    briefing_id: int | None = None,
    page: int = 0,
    newest_first: bool = False,
) -> str:
    """A page of a story's discussion (``story_id``) or of a briefing's (``briefing_id``)."""
    target = f"{story_id}" if story_id is not None else f"b{briefing_id}"
    return f"{COMMENTS_PREFIX}{target}:{page}:{'n' if newest_first else 'b'}"


def parse_comments_button(data: str | None) -> CommentsRequest | None:
    """What a comments button asks for, or ``None`` for anything else."""
    match = _COMMENTS.fullmatch(data or "")
    if match is None:
        return None
    whole, number, page, order = match.groups()
    story_id, briefing_id = (None, int(number)) if whole else (int(number), None)
    return CommentsRequest(story_id, briefing_id, int(page), order == "n")


def search_page_data(search_id: int, page: int) -> str:
    """A ◀ ▶ button of search results: page ``page`` (from 0) of the chat's saved search."""
    return f"{SEARCH_PREFIX}{page}:{search_id}"


def parse_search_page(data: str | None) -> tuple[int, int] | None:
    """(search id, page) of a page button."""
    match = _SEARCH.fullmatch(data or "")
    return (int(match.group(2)), int(match.group(1))) if match else None


def day_button_data(day: date) -> str:
    """A button of /briefing that shows the edition of ``day``."""
    return f"{DAY_PREFIX}{day.isoformat()}"


def parse_day_button(data: str | None) -> date | None:
    """The day a /briefing button names, or ``None`` (also for an impossible date)."""
    match = _DAY.fullmatch(data or "")
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class FollowRequest:
    """A follow button: set ``source_id`` to ``following``, then show page ``page`` again."""

    following: bool
    page: int
    source_id: int


def follow_button_data(source_id: int, *, following: bool, page: int) -> str:
    """A /sources button that sets the state it names, so a button pressed late stays right."""
    return f"{FOLLOW_PREFIX}{int(following)}:{page}:{source_id}"


def parse_follow_button(data: str | None) -> FollowRequest | None:
    """What a follow button asks for, or ``None`` for anything else."""
    match = _FOLLOW.fullmatch(data or "")
    if match is None:
        return None
    return FollowRequest(match.group(1) == "1", int(match.group(2)), int(match.group(3)))


def sources_page_data(page: int) -> str:
    """A ◀ ▶ button of /sources: page ``page`` (from 0)."""
    return f"{SOURCES_PAGE_PREFIX}{page}"


def parse_sources_page(data: str | None) -> int | None:
    """The page a /sources ◀ ▶ button names."""
    return _one_id(_SOURCES_PAGE, data)


def _one_id(pattern: re.Pattern[str], data: str | None) -> int | None:
    match = pattern.fullmatch(data or "")
    return int(match.group(1)) if match else None


def edition_page_data(day: date, page: int) -> str:
    """A "More stories" / "◀ Previous" button: page ``page`` (from 0) of ``day``'s edition."""
    return f"{EDITION_PREFIX}{day.isoformat()}:{page}"


def parse_edition_page(data: str | None) -> tuple[date, int] | None:
    """The (day, page) an edition page button names, or ``None``."""
    match = _EDITION.fullmatch(data or "")
    try:
        return (date.fromisoformat(match.group(1)), int(match.group(2))) if match else None
    except ValueError:
        return None
