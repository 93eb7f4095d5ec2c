"""The one error handler, and the answer to buttons nobody handles.

What a failed send says about its chat (blocked, kicked, migrated) is recorded where it was
sent, for the chat written to, by the reply limiter (``bot/delivery/reply_limiter.py``);
here such errors are only logged, and a flood wait is never answered with another message.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, RetryAfter, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.chats import unreachable
from handlers.context import BotContext
from handlers.html import escape, shorten

logger = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
UNKNOWN_COMMAND = "I don't know {}. Send /help to see what I can do."
UNKNOWN_BUTTON = "This button is from an older message and no longer works. Send /today."
# answerCallbackQuery after Telegram's few seconds (e.g. presses queued during a restart).
_EXPIRED_QUERY = ("query is too old", "query id is invalid")


async def on_error(update: object, context: BotContext) -> None:
    """Log an unexpected error with its traceback and tell the user, without details."""
    error = context.error
    if _expected(error):
        return
    logger.error("unhandled error while processing an update", exc_info=error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SOMETHING_WENT_WRONG, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(SOMETHING_WENT_WRONG)
    except TelegramError:
        logger.warning("could not tell the user about the error", exc_info=True)


async def answer_button(
    query: CallbackQuery, text: str | None = None, *, show_alert: bool = False
) -> None:
    """Answer a button press; one that expired (a restart, a slow answer) is let go.

    The press still gets its effect (a card, say): only the spinner's answer is lost.
    """
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as error:
        if not _expired_query(error):
            raise
        logger.info("a button press expired before it was answered: %s", error.message)


def _expired_query(error: BadRequest) -> bool:
    return any(s in error.message.lower() for s in _EXPIRED_QUERY)


def _expected(error: Exception | None) -> bool:
    """Log an error the bot expects in its life with Telegram; whether it was one."""
    if unreachable(error):
        logger.info("a chat no longer takes messages: %s", error)
        return True
    if isinstance(error, RetryAfter):
        logger.warning("an answer was dropped after repeated flood waits: %s", error)
        return True
    if isinstance(error, BadRequest) and _expired_query(error):
        logger.info("a button press expired before it was answered: %s", error.message)
        return True
    return False


async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a button whose data no handler knows (an old message, an older version)."""
    if update.callback_query is not None:
        await answer_button(update.callback_query, UNKNOWN_BUTTON, show_alert=True)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point an unknown command to /help: in private chats, and in groups when it names us."""
    message = update.effective_message
    if message is None or not message.text:
        return
    word = message.text.split(maxsplit=1)[0]
    command, _, addressee = word.partition("@")
    username = (context.bot.username or "").lower()
    if addressee and addressee.lower() != username:
        return  # for another bot in the chat
    if not addressee and message.chat.type != ChatType.PRIVATE:
        return  # in a group a bare /command may be meant for another bot
    await message.reply_text(UNKNOWN_COMMAND.format(escape(shorten(command, 40))))


def fallback_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Handlers that must come after every feature's handlers."""
    return [
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
        CallbackQueryHandler(unknown_button),
    ]
