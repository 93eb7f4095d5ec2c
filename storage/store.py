"""The storage facade a process holds: one database and its repositories."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.archive import ArchiveRepository
from storage.briefings import BriefingRepository
from storage.chat_settings import ChatSettingsRepository
from storage.chats import ChatRepository
from storage.comments import CommentRepository
from storage.db import MIGRATIONS_PACKAGE, Database
from storage.editions import EditionRepository
from storage.follows import FollowRepository
from storage.highlights import HighlightRepository
from storage.llm_answers import LlmAnswerRepository
from storage.llm_usage import LlmUsageRepository
from storage.outbox import OutboxRepository
from storage.search import SearchRepository
from storage.shared_stories import SharedStoryRepository
from storage.sources import SourceRepository
from storage.subscriptions import SubscriptionRepository


class Store:
    """One open database and a repository per aggregate."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.briefings = BriefingRepository(database)
        self.chats = ChatRepository(database)
        self.chat_settings = ChatSettingsRepository(database)
        self.comments = CommentRepository(database)
        self.editions = EditionRepository(database)
        self.follows = FollowRepository(database)
        self.highlights = HighlightRepository(database)
        self.llm_usage = LlmUsageRepository(database)
        self.llm_answers = LlmAnswerRepository(database)
        self.outbox = OutboxRepository(database)
        self.sources = SourceRepository(database)
        self.subscriptions = SubscriptionRepository(database)
        self.search = SearchRepository(database)
        self.shared_stories = SharedStoryRepository(database)
        self.archive = ArchiveRepository(database, self.briefings)

    @classmethod
    async def open(
        cls, path: Path | str, *, migrations: str | Sequence[str] = MIGRATIONS_PACKAGE
    ) -> Store:
        """Open the database at ``path``, migrated to the latest schema."""
        return cls(await Database.open(path, migrations=migrations))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: repository calls inside it join it, and commit or fail together.

        See :meth:`storage.db.Database.transaction`.
        """
        async with self.database.transaction() as connection:
            yield connection

    async def close(self) -> None:
        """Close the database."""
        await self.database.close()
