"""Topic alerts: the hook that queues an alert per (chat, new story) when a briefing is saved."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol
from zoneinfo import ZoneInfo

from briefing.models import Briefing
from handlers.alert_view import AlertRenderer
from storage.store import Store
from storage.subscriptions import Alert

logger = logging.getLogger(__name__)


class SavedStories(Protocol):
    """What a save reports that alerts need (``storage.briefings.SaveResult`` has it)."""

    @property
    def briefing_id(self) -> int: ...

    @property
    def created_story_ids(self) -> tuple[int, ...]: ...


class AlertQueue:
    """Matches the stories a save created against every topic and queues their alerts.

    Only created stories alert: an edited story was alerted when it was new, and the
    outbox queues each (chat, story) once besides.
    """

    def __init__(self, store: Store, zone: ZoneInfo) -> None:
        self._store = store
        self._zone = zone

    async def queue_alerts(self, briefing: Briefing, result: SavedStories) -> None:
        """The ingestor's after-save hook; runs inside the save's transaction.

        The hook's briefing carries its stored ids already: no need to read it back.
        """
        await self._queue(briefing, result.created_story_ids)

    async def queue(self, briefing_id: int, story_ids: Sequence[int]) -> int:
        """Queue the alerts for these new stories of a stored briefing; how many were new."""
        if not story_ids:
            return 0
        briefing = await self._store.briefings.get(briefing_id)
        return await self._queue(briefing, story_ids) if briefing is not None else 0

    async def _queue(self, briefing: Briefing, story_ids: Sequence[int]) -> int:
        if not story_ids or briefing.id is None:
            return 0
        with _collector_paused():
            return await self._match_render_enqueue(briefing, story_ids)

    async def _match_render_enqueue(self, briefing: Briefing, story_ids: Sequence[int]) -> int:
        assert briefing.id is not None
        briefing_id = briefing.id
        wanted = set(story_ids)
        stories = {s.id: s for s in briefing.stories if s.id in wanted}
        matching = await self._store.subscriptions.match(briefing_id, list(stories.values()))
        per_story: dict[int, list[Alert]] = {}
        for alert in matching.alerts:
            per_story.setdefault(alert.story_id, []).append(alert)
        source = await self._store.sources.get(briefing.source_id) if briefing.source_id else None
        renderer = AlertRenderer(briefing, self._zone, source.title if source else None)
        messages = [
            message
            for story_id, alerts in per_story.items()
            for message in renderer.alerts(stories[story_id], alerts)
        ]
        queued = await self._store.outbox.enqueue_shared(messages)
        logger.info(
            "briefing %s: %d new stories, %d candidate topics, %d alerts queued",
            briefing_id,
            len(stories),
            matching.candidates,
            queued,
        )
        return queued


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while alerts are queued.

    Queueing makes about a hundred thousand short-lived objects (rows, alerts, messages),
    none in a cycle; the collector's passes over them took a third of the time (bench.alerts).
    Reference counting still frees them. Another task running meanwhile only runs without
    the cycle collector for that while (under a second); the collector is left as found.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
