"""Serving updates by webhook behind a reverse proxy, with PTB's own tornado server.

PTB registers the webhook with Telegram (setWebhook with the secret token) and answers
403 to any POST whose ``X-Telegram-Bot-Api-Secret-Token`` header is missing or wrong, so
such a request never becomes an update.
"""

from __future__ import annotations

import errno
from urllib.parse import urlsplit

from telegram import Update

from bot.settings import Settings
from bot.startup_errors import CONFIG_EXIT, StartupError
from handlers.context import BotApplication

LISTEN_ERRORS = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)


def webhook_path(url: str) -> str:
    """The local path PTB serves: the public URL's path, which the proxy forwards as is."""
    return urlsplit(url).path.strip("/")


def run_webhook(application: BotApplication, settings: Settings) -> None:
    """Serve ``application`` by webhook until SIGINT or SIGTERM, as run_polling would."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise StartupError(
            "BRIEFBOT_WEBHOOK_URL and BRIEFBOT_WEBHOOK_SECRET must be set for --webhook",
            CONFIG_EXIT,
        )
    try:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=webhook_path(settings.webhook_url),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
        )
    except OSError as error:
        if error.errno not in LISTEN_ERRORS:
            raise
        raise StartupError(
            f"BRIEFBOT_WEBHOOK_PORT: cannot listen on {settings.webhook_listen}:"
            f"{settings.webhook_port} ({error.strerror})"
        ) from None
