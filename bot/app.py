"""Building the PTB Application: services in post_init, handlers, the command menu."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, cast

from telegram import BotCommandScopeChat
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, Defaults
from telegram.request import BaseRequest

from bot.daily import DAILY_TICK_SECONDS, ComposedEditions, DailyTicker
from bot.delivery.reply_limiter import ReplyLimiter
from bot.delivery.sender import Sender
from bot.health import HealthCheck, start_health_server, stop_health_server
from bot.settings import Settings
from bot.sources.llm_overview import LlmOverviewWriter
from bot.sources.pipeline import Pipeline
from bot.sources.poller import PollScheduler
from bot.update_order import ChatOrderedProcessor
from handlers.chats import ChatStatus
from handlers.commands import admin_bot_commands, bot_commands
from handlers.context import CONTEXT_TYPES, BotApplication, BotContext
from handlers.html import NO_PREVIEW
from handlers.registry import register
from storage.retention import RetentionPolicy, RetentionRepository
from storage.store import Store
from storage.timestamps import utc_now

logger = logging.getLogger(__name__)

# Console mode runs without a real token; PTB only needs a non-empty string.
CONSOLE_TOKEN = "0:console"
POLL_TICK_SECONDS = 30.0
RETENTION_INTERVAL_SECONDS = 24 * 60 * 60.0
RANK_TICK_SECONDS = 1.0  # stale small scopes also re-rank on read; big ones wait 5 s anyway
RETENTION_FIRST_SECONDS = 5 * 60.0  # not at start-up: a restart loop would prune in a loop


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    *,
    poll_sources: bool = False,
    limiter: ReplyLimiter | None = None,
    deliver: bool = False,
) -> BotApplication:
    """The Application for ``settings``.

    Args:
        request: replaces HTTP to the Bot API (the console chat, tests).
        poll_sources: read the stored sources on the JobQueue while the bot runs.
        limiter: replaces the reply limiter (tests give it a fake clock).
        deliver: send the outbox's messages while the bot runs (the delivery service).
    """
    token = settings.token.get_secret_value() if settings.token else CONSOLE_TOKEN
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.bot_api_base_url)
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init(settings, poll_sources, deliver))
        .post_stop(_post_stop)
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
    settings: Settings, poll_sources: bool, deliver: bool
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
        if deliver:
            sender = Sender(store, application.bot)
            store.outbox.on_enqueue(sender.wake)
            services.delivery = sender
            services.on_close(sender.stop)
            sender.start()
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
                DailyTicker(
                    store,
                    ComposedEditions(store, _overview_writer(pipeline, store)),
                    default_zone=settings.zone,
                ),
            )
        if poll_sources and settings.health_port is not None:
            check = HealthCheck(
                store=lambda: services.store,
                clock=utc_now,
                max_backlog_seconds=settings.health_max_backlog_seconds,
            )
            server, _ = start_health_server(check, settings.health_listen, settings.health_port)
            services.on_close(lambda: stop_health_server(server))
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                _rank_highlights,
                interval=RANK_TICK_SECONDS,
                first=RANK_TICK_SECONDS,
                name="rank-highlights",
            )
        await application.bot.set_my_commands(bot_commands())
        await _set_admin_menus(application, settings.admin_ids)
        if poll_sources:
            assert application.job_queue is not None
            application.job_queue.run_repeating(
                _prune,
                interval=RETENTION_INTERVAL_SECONDS,
                first=RETENTION_FIRST_SECONDS,
                name="retention",
                data=retention_policy(settings),
            )

    return post_init


def retention_policy(settings: Settings) -> RetentionPolicy:
    """How long the growing tables keep their rows, from the settings."""
    return RetentionPolicy(
        reply_days=settings.reply_days,
        outbox_days=settings.outbox_days,
        inactive_chat_days=settings.inactive_chat_days,
    )


async def _set_admin_menus(application: BotApplication, admin_ids: frozenset[int]) -> None:
    """Each admin's private chat gets the admin commands in its menu; nobody else does."""
    for admin_id in sorted(admin_ids):
        try:
            await application.bot.set_my_commands(
                admin_bot_commands(), scope=BotCommandScopeChat(admin_id)
            )
        except BadRequest as error:  # an admin who never opened a chat with the bot
            logger.warning("no admin menu for user %s: %s", admin_id, error.message)


async def _rank_highlights(context: BotContext) -> None:
    """Rank the discussions whose comments changed, so that no request has to."""
    ranked = await context.bot_data.store.highlights.rerank_stale()
    if ranked:
        logger.debug("highlights: %d discussions ranked", ranked)


async def _prune(context: BotContext) -> None:
    """The daily retention run, then ``PRAGMA optimize``."""
    assert context.job is not None
    retention = RetentionRepository(context.bot_data.store.database)
    pruned = await retention.prune(cast(RetentionPolicy, context.job.data), now=utc_now())
    await retention.optimize()
    logger.info("retention: %s", pruned.describe())


async def _poll_due_sources(context: BotContext) -> None:
    """Start the polls that are due; each runs in its own task."""
    assert context.job is not None
    scheduler = cast(PollScheduler, context.job.data)
    await scheduler.tick()


async def _post_stop(application: BotApplication) -> None:
    # Before the bot's HTTP client closes (post_shutdown comes after): in-flight sends finish.
    if application.bot_data.delivery is not None:
        await application.bot_data.delivery.stop()


def _overview_writer(pipeline: Pipeline, store: Store) -> LlmOverviewWriter | None:
    """The edition overview writer when an LLM endpoint is configured."""
    return LlmOverviewWriter(pipeline.llm, store.llm_answers) if pipeline.llm else None


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
