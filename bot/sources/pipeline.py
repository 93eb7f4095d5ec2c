"""The source-reading pipeline, assembled once per process: fetcher, summaries, poller."""

from __future__ import annotations

from dataclasses import dataclass

from bot.alerts import AlertQueue
from bot.settings import Settings
from bot.sources.fetch import Fetcher
from bot.sources.ingestor import Ingestor
from bot.sources.llm_summaries import LlmSummarizer
from bot.sources.manager import SourceManager
from bot.sources.poller import PollScheduler, SourcePoller
from storage.store import Store


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Everything that reads sources into the store, sharing one HTTP client."""

    fetcher: Fetcher
    llm: LlmSummarizer | None
    ingestor: Ingestor
    poller: SourcePoller
    scheduler: PollScheduler
    sources: SourceManager

    @classmethod
    def open(cls, store: Store, settings: Settings) -> Pipeline:
        """Assemble the pipeline on an open store."""
        fetcher = Fetcher(allow_private=settings.allow_private_sources)
        llm = LlmSummarizer.from_settings(settings, store.llm_usage)
        alerts = AlertQueue(store, settings.zone)
        ingestor = Ingestor(store, llm, after_save=[alerts.queue_alerts])
        poller = SourcePoller(store, fetcher, ingestor)
        return cls(
            fetcher=fetcher,
            llm=llm,
            ingestor=ingestor,
            poller=poller,
            scheduler=PollScheduler(store, poller),
            sources=SourceManager(store, fetcher, poller),
        )

    async def aclose(self) -> None:
        """Stop the polls under way, then close the HTTP clients."""
        await self.scheduler.aclose()
        if self.llm is not None:
            await self.llm.aclose()
        await self.fetcher.aclose()
