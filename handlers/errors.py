"""The one error handler, and the answer to buttons nobody handles."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler

from handlers.context import BotContext

logger = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
UNKNOWN_BUTTON = "This button is from an older message and no longer works. Send /today."


async def on_error(update: object, context: BotContext) -> None:
    """Log an unexpected error with its traceback and tell the user, without details."""
    if isinstance(context.error, Forbidden) and isinstance(update, Update):
        await _blocked(update, context)
        return
    logger.error("unhandled error while processing an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SOMETHING_WENT_WRONG, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(SOMETHING_WENT_WRONG)
    except TelegramError:
        logger.warning("could not tell the user about the error", exc_info=True)


async def _blocked(update: Update, context: BotContext) -> None:
    """The user blocked the bot (or it left the group): nobody to tell; stop writing there."""
    chat = update.effective_chat
    logger.info("chat %s no longer accepts messages: %s", chat.id if chat else "?", context.error)
    if chat is not None:
        await context.bot_data.store.chats.mark_blocked(chat.id)


async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a button whose data no handler knows (an old message, an older version)."""
    if update.callback_query is not None:
        await update.callback_query.answer(UNKNOWN_BUTTON, show_alert=True)


def fallback_handlers() -> list[CallbackQueryHandler[BotContext, None]]:
    """Handlers that must come after every feature's handlers."""
    return [CallbackQueryHandler(unknown_button)]
