"""The source-reading pipeline, assembled once per process: fetcher, summaries, poller."""

from __future__ import annotations

from dataclasses import dataclass

from bot.alerts import AlertQueue
from bot.settings import Settings
from bot.sources.fetch import Fetcher
from bot.sources.ingestor import AfterCommit, Ingestor
from bot.sources.llm_client import LlmClient
from bot.sources.llm_highlights import LlmHighlightPicker, LlmHighlightWorker
from bot.sources.llm_summaries import LlmSummarizer
from bot.sources.manager import SourceManager
from bot.sources.poller import PollScheduler, SourcePoller
from storage.store import Store


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Everything that reads sources into the store, sharing one HTTP client per service."""

    fetcher: Fetcher
    llm: LlmClient | None
    highlight_picks: LlmHighlightWorker | None
    ingestor: Ingestor
    poller: SourcePoller
    scheduler: PollScheduler
    sources: SourceManager

    @classmethod
    def open(cls, store: Store, settings: Settings) -> Pipeline:
        """Assemble the pipeline on an open store."""
        fetcher = Fetcher(allow_private=settings.allow_private_sources)
        llm = LlmClient.from_settings(settings, store.llm_usage)
        summarizer = LlmSummarizer(llm=llm) if llm is not None else None
        picks = LlmHighlightWorker(LlmHighlightPicker(llm, store)) if llm is not None else None
        after_commit: list[AfterCommit] = [picks.submit] if picks is not None else []
        alerts = AlertQueue(store, settings.zone)
        ingestor = Ingestor(
            store, summarizer, after_save=[alerts.queue_alerts], after_commit=after_commit
        )
        poller = SourcePoller(store, fetcher, ingestor)
        return cls(
            fetcher=fetcher,
            llm=llm,
            highlight_picks=picks,
            ingestor=ingestor,
            poller=poller,
            scheduler=PollScheduler(store, poller),
            sources=SourceManager(store, fetcher, poller),
        )

    async def aclose(self) -> None:
        """Stop the polls under way and the background picks, then close the HTTP clients."""
        await self.scheduler.aclose()
        if self.highlight_picks is not None:
            await self.highlight_picks.aclose()
        if self.llm is not None:
            await self.llm.aclose()
        await self.fetcher.aclose()
