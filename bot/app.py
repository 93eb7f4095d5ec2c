"""Building the PTB Application: services in post_init, handlers, the command menu."""

from __future__ import annotations

from typing import Any, cast

from telegram.ext import AIORateLimiter, Application
from telegram.request import BaseRequest

from bot.settings import Settings
from handlers.commands import bot_commands
from handlers.context import CONTEXT_TYPES, BotApplication
from handlers.registry import register
from storage.store import Store

# Console mode runs without a real token; PTB only needs a non-empty string.
CONSOLE_TOKEN = "0:console"
REPLY_RETRIES = 2


def build_application(settings: Settings, request: BaseRequest | None = None) -> BotApplication:
    """The Application for ``settings``; ``request`` replaces HTTP (console, tests)."""
    token = settings.token.get_secret_value() if settings.token else CONSOLE_TOKEN
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.bot_api_base_url)
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init(settings))
        .post_shutdown(_post_shutdown)
        # Retrying after Telegram's retry_after turns a 429 into a late answer, not a lost one.
        .rate_limiter(AIORateLimiter(max_retries=REPLY_RETRIES))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # PTB's builder does not carry the custom context type over to its JobQueue parameter.
    application = cast(BotApplication, builder.build())
    register(application)
    return application


def _post_init(settings: Settings) -> Any:
    async def post_init(application: BotApplication) -> None:
        store = await Store.open(settings.database)
        application.bot_data.attach(store, zone=settings.zone, admin_ids=settings.admin_ids)
        await application.bot.set_my_commands(bot_commands())

    return post_init


async def _post_shutdown(application: BotApplication) -> None:
    await application.bot_data.close()
