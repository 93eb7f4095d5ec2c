"""The storage facade a process holds: one database and its repositories."""

from __future__ import annotations

from pathlib import Path

from storage.briefings import BriefingRepository
from storage.chats import ChatRepository
from storage.db import Database
from storage.llm_usage import LlmUsageRepository
from storage.outbox import OutboxRepository
from storage.sources import SourceRepository
from storage.subscriptions import SubscriptionRepository


class Store:
    """One open database and a repository per aggregate."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.briefings = BriefingRepository(database)
        self.chats = ChatRepository(database)
        self.llm_usage = LlmUsageRepository(database)
        self.outbox = OutboxRepository(database)
        self.sources = SourceRepository(database)
        self.subscriptions = SubscriptionRepository(database)

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open the database at ``path``, migrated to the latest schema."""
        return cls(await Database.open(path))

    async def close(self) -> None:
        """Close the database."""
        await self.database.close()
