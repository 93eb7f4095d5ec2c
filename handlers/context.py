"""The typed services every handler reaches through ``context.bot_data``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol, TypeAlias
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from briefing.sources import Source, SourceKind
from storage.store import Store
from storage.timestamps import utc_now


class PollSummary(Protocol):
    """The outcome of one poll, as the admin sees it."""

    def describe(self) -> str:
        """One line saying what the poll did."""
        ...


class SourceAdded(Protocol):
    """A source just added, and its first poll."""

    @property
    def source(self) -> Source: ...

    @property
    def first_poll(self) -> PollSummary: ...


class SourceAdmin(Protocol):
    """What the admin commands may do with sources (the bot package implements it).

    Every method raises :class:`briefing.sources.SourceError` with a one-line reason.
    """

    async def add(
        self, url: str, *, interval_seconds: int = ..., kind: SourceKind | None = None
    ) -> SourceAdded: ...

    async def remove(self, reference: str) -> Source | None: ...

    async def list(self) -> list[Source]: ...


class Services:
    """Long-lived services: created empty by PTB, filled in post_init, closed in post_shutdown."""

    def __init__(self) -> None:
        self._store: Store | None = None
        self._sources: SourceAdmin | None = None
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self.zone: ZoneInfo = ZoneInfo("UTC")
        self.admin_ids: frozenset[int] = frozenset()
        self.clock: Callable[[], datetime] = utc_now  # tests set a fixed one

    @property
    def store(self) -> Store:
        """The open store; only valid between post_init and post_shutdown."""
        if self._store is None:
            raise RuntimeError("the store is not open: post_init has not run")
        return self._store

    @property
    def sources(self) -> SourceAdmin | None:
        """Source management, when this process polls sources."""
        return self._sources

    def attach(
        self,
        store: Store,
        *,
        zone: ZoneInfo,
        admin_ids: frozenset[int],
        sources: SourceAdmin | None = None,
    ) -> None:
        """Take the opened services; the store is closed last, by :meth:`close`."""
        self._store = store
        self._sources = sources
        self.zone = zone
        self.admin_ids = admin_ids

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Run ``closer`` at shutdown, before the store closes (last registered, first run)."""
        self._closers.append(closer)

    async def close(self) -> None:
        """Close everything registered, then the store."""
        while self._closers:
            await self._closers.pop()()
        if self._store is not None:
            await self._store.close()
            self._store = None


# ExtBot's parameter: the rate_limit_args of a call (bot/delivery/reply_limiter.py).
BotContext: TypeAlias = CallbackContext[
    ExtBot[dict[str, Any]], dict[Any, Any], dict[Any, Any], Services
]
BotApplication: TypeAlias = Application[
    ExtBot[dict[str, Any]],
    BotContext,
    dict[Any, Any],
    dict[Any, Any],
    Services,
    JobQueue[BotContext],
]
CONTEXT_TYPES = ContextTypes(bot_data=Services)
