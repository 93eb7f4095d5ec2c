"""Daily editions: the repeating tick that queues each due chat's edition in the outbox.

One tick looks at the ``next_daily_at`` index, like the source poller's: no job per chat.
Each chat is one transaction: its edition is queued and its next due moment advanced
together, and the outbox takes each (chat, "edition", local date) once, so an edition is
queued once per chat per day even when the process is killed half-way and starts again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from telegram import InlineKeyboardMarkup

from briefing.daily_schedule import (
    ScheduleError,
    due_edition,
    occurrence_on,
    parse_daily_time,
    zone_of,
)
from briefing.outgoing import Button, OutgoingMessage
from briefing.sources import Source
from handlers.edition import render_day
from handlers.html import escape
from handlers.views import Rendered
from storage.chat_settings import ChatSettings
from storage.store import Store
from storage.timestamps import utc_now

logger = logging.getLogger(__name__)

EDITION_KIND = "edition"
DAILY_TICK_SECONDS = 30.0
NAMED_FAILURES = 3


class EditionSource(Protocol):
    """What a chat's edition of a local day is, as messages ready for the outbox."""

    async def messages_for(self, chat_id: int, day: date, zone: tzinfo) -> list[OutgoingMessage]:
        """The edition's messages; empty when the day has no stories for this chat."""
        ...


class ComposedEditions:
    """The day's composed edition for the chat, as /today shows it, ready for the outbox."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def messages_for(self, chat_id: int, day: date, zone: tzinfo) -> list[OutgoingMessage]:
        """The edition of ``day`` from the sources the chat follows; empty when it has none."""
        shown = await render_day(self._store, chat_id, day, zone)
        if shown is None:
            return []
        return edition_messages(chat_id, day, shown.messages, briefing_id=shown.briefing_id)


def edition_messages(
    chat_id: int, day: date, rendered: Sequence[Rendered], *, briefing_id: int | None
) -> list[OutgoingMessage]:
    """Rendered parts as outbox messages keyed by the day: "2026-12-02", "2026-12-02#2"..."""
    return [
        OutgoingMessage(
            chat_id,
            EDITION_KIND,
            day.isoformat() if number == 1 else f"{day.isoformat()}#{number}",
            part.text,
            _buttons(part.keyboard),
            briefing_id=briefing_id,
        )
        for number, part in enumerate(rendered, start=1)
    ]


def sources_failed_text(failed: Sequence[Source]) -> str:
    """The one line a chat gets instead of an edition when its sources could not be read."""
    names = [escape(s.title or s.display_url) for s in failed[:NAMED_FAILURES]]
    more = f" and {len(failed) - NAMED_FAILURES} more" if len(failed) > NAMED_FAILURES else ""
    return (
        f"📭 No daily edition today: no new stories, and {len(failed)} of the sources could "
        f"not be read ({', '.join(names)}{more}). The bot keeps trying them."
    )


class DailyTicker:
    """Queues the editions that are due; run every :data:`DAILY_TICK_SECONDS`."""

    def __init__(
        self,
        store: Store,
        editions: EditionSource,
        *,
        default_zone: tzinfo,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._editions = editions
        self._default_zone = default_zone
        self._clock = clock

    async def tick(self) -> int:
        """Queue every due chat's edition and advance its schedule; how many messages."""
        now = self._clock()
        queued = 0
        due = await self._store.chat_settings.due(now)
        for settings in due:
            try:
                queued += await self._deliver(settings, now)
            except Exception:
                # The chat stays due: the next tick tries it again; the others go on.
                logger.exception("daily edition of chat %s failed", settings.chat_id)
        if due:
            logger.info("daily tick: %d chats due, %d messages queued", len(due), queued)
        return queued

    async def _deliver(self, settings: ChatSettings, now: datetime) -> int:
        if settings.daily_time is None or settings.next_daily_at is None:
            return 0
        zone = self._zone(settings)
        local = _daily_time(settings.daily_time)
        edition = due_edition(settings.next_daily_at, now, local, zone)
        chat = await self._store.chats.get(settings.chat_id)
        messages: list[OutgoingMessage] = []
        if chat is None or chat.active:
            messages = await self._editions.messages_for(settings.chat_id, edition.day, zone)
            if not messages:
                messages = await self._failure_line(settings.chat_id, edition.day, local, zone)
        async with self._store.transaction():
            advanced = await self._store.chat_settings.advance(
                settings.chat_id, settings.next_daily_at, edition.next_at
            )
            if not advanced:  # the chat changed its schedule meanwhile: its new one stands
                return 0
            count = await self._store.outbox.enqueue(messages, now=now)
        logger.info(
            "chat %s: edition of %s, %d messages queued; next at %s",
            settings.chat_id,
            edition.day,
            count,
            edition.next_at.isoformat(),
        )
        return count

    async def _failure_line(
        self, chat_id: int, day: date, local: time, zone: tzinfo
    ) -> list[OutgoingMessage]:
        """One line when a followed source failed since the previous edition, else nothing."""
        since = occurrence_on(day - timedelta(days=1), local, zone)
        unfollowed = await self._store.follows.unfollowed(chat_id)
        failed = [
            source
            for source in await self._store.sources.list()
            if source.id not in unfollowed
            and source.failures > 0
            and source.last_error_at is not None
            and source.last_error_at >= since
        ]
        if not failed:
            return []
        return [
            OutgoingMessage(chat_id, EDITION_KIND, day.isoformat(), sources_failed_text(failed))
        ]

    def _zone(self, settings: ChatSettings) -> tzinfo:
        if settings.timezone is None:
            return self._default_zone
        try:
            return zone_of(settings.timezone)
        except (ValueError, KeyError):  # a zone the system's tz database no longer has
            logger.warning("chat %s: unknown zone %r", settings.chat_id, settings.timezone)
            return self._default_zone


def _daily_time(text: str) -> time:
    try:
        return parse_daily_time(text)
    except ScheduleError as error:
        raise ValueError(f"stored daily time {text!r} is not HH:MM") from error


def _buttons(keyboard: InlineKeyboardMarkup | None) -> tuple[tuple[Button, ...], ...]:
    if keyboard is None:
        return ()
    return tuple(
        tuple(
            Button(
                b.text,
                callback_data=str(b.callback_data) if b.callback_data is not None else None,
                url=b.url,
            )
            for b in row
        )
        for row in keyboard.inline_keyboard
    )
