"""Every handler of every feature, in the order PTB must try them."""

from __future__ import annotations

from handlers import admin, archive, chats, discussion, errors, search, start, subscriptions, today
from handlers.context import BotApplication


def register(application: BotApplication) -> None:
    """Add all handlers and the error handler to ``application``."""
    # Cross-cutting work first, in its own group, so every update also reaches a feature.
    application.add_handlers(chats.handlers(), group=-1)
    # One group: PTB stops at the first matching handler, so the fallbacks must come last.
    application.add_handlers(
        [
            *start.handlers(),
            *today.handlers(),
            *subscriptions.handlers(),
            *search.handlers(),
            *archive.handlers(),
            *admin.handlers(),
            *discussion.handlers(),
            *errors.fallback_handlers(),
        ]
    )
    application.add_error_handler(errors.on_error)
