"""/start and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from briefing.schedule import format_interval
from briefing.sources import DEFAULT_INTERVAL_SECONDS
from handlers.commands import ADMIN_COMMANDS, COMMANDS
from handlers.context import BotContext
from handlers.html import escape

GREETING = (
    "👋 Hello! I deliver a daily news briefing with the best of its reader discussion.\n"
    "Send /today for the latest briefing.\n"
    "Send /help to see everything I can do."
)


def group_greeting(bot_username: str | None) -> str:
    """What the bot says in a group that just added it (Telegram HTML)."""
    mention = f"@{escape(bot_username)}" if bot_username else ""
    return (
        "👋 Hello, everyone! I bring a daily news briefing, every story summarized, with the "
        "best of its reader discussion.\n"
        f"Send /today{mention} here for the latest briefing; reply to a briefing or a story "
        "card to add your comment to its discussion.\n"
        f"/help{mention} lists everything I can do."
    )


async def start(update: Update, context: BotContext) -> None:
    """Greet in three lines and point to /today and /help."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(GREETING)


async def help_command(update: Update, context: BotContext) -> None:
    """List every command, and to admins the source commands too."""
    if update.effective_message is None:
        return
    lines = [f"/{command} — {escape(description)}" for command, description in COMMANDS]
    tips = (
        "Tap a story's button under the briefing to open it as a card.\n"
        "Reply to a briefing or a story card to add your comment to its discussion.\n"
        "Commands also work in groups, e.g. /today@" + escape(context.bot.username or "bot")
    )
    text = "<b>What I can do</b>\n" + "\n".join(lines) + "\n\n" + tips
    user = update.effective_user
    if user is not None and user.id in context.bot_data.admin_ids:
        text += "\n\n" + _admin_section()
    await update.effective_message.reply_text(text)


def _admin_section() -> str:
    lines = [
        f"/{command}{' ' + escape(arguments) if arguments else ''} — {escape(description)}"
        for command, arguments, description in ADMIN_COMMANDS
    ]
    default = format_interval(DEFAULT_INTERVAL_SECONDS)
    lines.append(f"INTERVAL is like 30m, 2h or 1d (default {default}).")
    return "<b>Admin</b>\n" + "\n".join(lines)


async def greet_first_message(update: Update, context: BotContext) -> None:
    """Answer a private chat's very first plain message with the /start greeting.

    Runs before the chat is remembered (so "first" is read from the database, and holds
    across restarts); it then remembers the chat itself and stops the update there.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    store = context.bot_data.store
    if await store.chats.get(chat.id) is not None:
        return
    await store.chats.seen(chat.id, chat.type, chat.first_name or chat.username)
    await message.reply_text(GREETING)
    raise ApplicationHandlerStop


def first_message_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Handlers that must run before the chat is remembered (a group of their own)."""
    # Text only: a shared location (it sets the zone) means something already.
    plain = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT
    return [MessageHandler(plain & ~filters.COMMAND & ~filters.REPLY, greet_first_message)]


def handlers() -> list[CommandHandler[BotContext, None]]:
    """The handlers of this module."""
    return [CommandHandler("start", start), CommandHandler("help", help_command)]
