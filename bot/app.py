"""Building the PTB Application: services in post_init, handlers, the command menu."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast

from telegram.constants import ParseMode
from telegram.ext import Application, Defaults
from telegram.request import BaseRequest

from bot.delivery.reply_limiter import ReplyLimiter
from bot.delivery.sender import Sender
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
        await application.bot.set_my_commands(bot_commands())

    return post_init


async def _poll_due_sources(context: BotContext) -> None:
    """Start the polls that are due; each runs in its own task."""
    assert context.job is not None
    scheduler = cast(PollScheduler, context.job.data)
    await scheduler.tick()


async def _post_stop(application: BotApplication) -> None:
    # Before the bot's HTTP client closes (post_shutdown comes after): in-flight sends finish.
    if application.bot_data.delivery is not None:
        await application.bot_data.delivery.stop()


async def _post_shutdown(application: BotApplication) -> None:
    await application.bot_data.close()
