"""Building the PTB Application: services in post_init, handlers, the command menu."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast

from telegram.constants import ParseMode
from telegram.ext import Application, Defaults
from telegram.request import BaseRequest

from bot.daily import DAILY_TICK_SECONDS, DailyTicker, LatestBriefingEditions
from bot.delivery.reply_limiter import ReplyLimiter
from bot.settings import Settings
from bot.sources.pipeline import Pipeline
from bot.sources.poller import PollScheduler
from bot.update_order import ChatOrderedProcessor
from handlers.chats import ChatStatus
from handlers.commands import bot_commands
from handlers.context import CONTEXT_TYPES, BotApplication, BotContext
from handlers.html import NO_PREVIEW
from handlers.registry import register
from storage.store import Store

# Console mode runs without a real token; PTB only needs a non-empty string.
CONSOLE_TOKEN = "0:console"
POLL_TICK_SECONDS = 30.0


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    *,
    poll_sources: bool = False,
    limiter: ReplyLimiter | None = None,
) -> BotApplication:
    """The Application for ``settings``.

    Args:
        request: replaces HTTP to the Bot API (the console chat, tests).
        poll_sources: read the stored sources on the JobQueue while the bot runs.
        limiter: replaces the reply limiter (tests give it a fake clock).
    """
    token = settings.token.get_secret_value() if settings.token else CONSOLE_TOKEN
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.bot_api_base_url)
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init(settings, poll_sources))
        .post_shutdown(_post_shutdown)
        .defaults(defaults(settings))
        # A flood wait delays only its own chat: per-chat waits, and updates run concurrently.
        .rate_limiter(limiter or ReplyLimiter())
        .concurrent_updates(ChatOrderedProcessor())
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # PTB's builder does not carry the custom context type over to its JobQueue parameter.
    application = cast(BotApplication, builder.build())
    register(application)
    return application


def defaults(settings: Settings) -> Defaults:
    """What every send and every date shares: HTML, no link previews, no quoting, the zone.

    No quoting: a briefing answers the chat, not the one who asked; a handler that answers
    one message in particular (a comment's confirmation) quotes it explicitly.
    """
    return Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        do_quote=False,
        tzinfo=settings.zone,
    )


def _post_init(
    settings: Settings, poll_sources: bool
) -> Callable[[BotApplication], Coroutine[Any, Any, None]]:
    async def post_init(application: BotApplication) -> None:
        store = await Store.open(settings.database)
        services = application.bot_data
        if isinstance(application.bot.rate_limiter, ReplyLimiter):
            application.bot.rate_limiter.report_to(ChatStatus(store))
        pipeline = Pipeline.open(store, settings) if poll_sources else None
        services.attach(
            store,
            zone=settings.zone,
            admin_ids=settings.admin_ids,
            sources=pipeline.sources if pipeline else None,
        )
        if pipeline is not None:
            services.on_close(pipeline.aclose)
            # The JobQueue starts after post_init: a job due "now" would first run one interval
            # late (APScheduler skips the start time it missed). Start the due polls here.
            await pipeline.scheduler.tick()
            assert application.job_queue is not None
            application.job_queue.run_repeating(
                _poll_due_sources,
                interval=POLL_TICK_SECONDS,
                first=POLL_TICK_SECONDS,
                name="poll-sources",
                data=pipeline.scheduler,
            )
            await _start_daily_editions(
                application,
                DailyTicker(store, LatestBriefingEditions(store), default_zone=settings.zone),
            )
        await application.bot.set_my_commands(bot_commands())

    return post_init


async def _poll_due_sources(context: BotContext) -> None:
    """Start the polls that are due; each runs in its own task."""
    assert context.job is not None
    scheduler = cast(PollScheduler, context.job.data)
    await scheduler.tick()


async def _start_daily_editions(application: BotApplication, ticker: DailyTicker) -> None:
    """Queue the editions due now, then look for due ones on every tick."""
    await ticker.tick()
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _queue_due_editions,
        interval=DAILY_TICK_SECONDS,
        first=DAILY_TICK_SECONDS,
        name="daily-editions",
        data=ticker,
    )


async def _queue_due_editions(context: BotContext) -> None:
    """Queue the daily editions that are due."""
    assert context.job is not None
    await cast(DailyTicker, context.job.data).tick()


async def _post_shutdown(application: BotApplication) -> None:
    await application.bot_data.close()
