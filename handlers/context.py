"""The typed services every handler reaches through ``context.bot_data``."""

from __future__ import annotations

from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from storage.store import Store


class Services:
    """Long-lived services: created empty by PTB, filled in post_init, closed in post_shutdown."""

    def __init__(self) -> None:
        self._store: Store | None = None
        self.zone: ZoneInfo = ZoneInfo("UTC")
        self.admin_ids: frozenset[int] = frozenset()

    @property
    def store(self) -> Store:
        """The open store; only valid between post_init and post_shutdown."""
        if self._store is None:
            raise RuntimeError("the store is not open: post_init has not run")
        return self._store

    def attach(self, store: Store, *, zone: ZoneInfo, admin_ids: frozenset[int]) -> None:
        """Take ownership of the opened services."""
        self._store = store
        self.zone = zone
        self.admin_ids = admin_ids

    async def close(self) -> None:
        """Close what :meth:`attach` was given."""
        if self._store is not None:
            await self._store.close()
            self._store = None


BotContext: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]
BotApplication: TypeAlias = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], Services, JobQueue[BotContext]
]
CONTEXT_TYPES = ContextTypes(bot_data=Services)
