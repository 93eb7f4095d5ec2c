"""Every handler of every feature, in the order PTB must try them."""

from __future__ import annotations

from handlers import (
    admin,
    archive,
    chats,
    comments,
    deep_links,
    discussion,
    discussion_edits,
    errors,
    follows,
    inline,
    navigation,
    search,
    settings,
    start,
    subscriptions,
    today,
)
from handlers.context import BotApplication


def register(application: BotApplication) -> None:
    """Add all handlers and the error handler to ``application``."""
    # A private chat's first plain message is greeted before the chat is remembered.
    application.add_handlers(start.first_message_handlers(), group=-2)
    # Cross-cutting work first, in its own group, so every update also reaches a feature.
    application.add_handlers(chats.handlers(), group=-1)
    # One group: PTB stops at the first matching handler, so the fallbacks must come last.
    application.add_handlers(
        [
            # First: an edited message is never run again as a command.
            *discussion_edits.edit_handlers(),
            *deep_links.handlers(),
            *start.handlers(),
            *today.handlers(),
            *navigation.handlers(),
            *comments.handlers(),
            *subscriptions.handlers(),
            *settings.handlers(),
            *search.handlers(),
            *inline.handlers(),
            *archive.handlers(),
            *follows.handlers(),
            *admin.handlers(),
            *discussion_edits.handlers(),
            *discussion.handlers(),
            *errors.fallback_handlers(),
        ]
    )
    application.add_error_handler(errors.on_error)
