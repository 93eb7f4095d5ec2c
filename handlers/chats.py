"""Cross-cutting: remember every chat that talks to the bot (runs before the features)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import TypeHandler

from handlers.context import BotContext


async def remember_chat(update: Update, context: BotContext) -> None:
    """Record the chat an update comes from, and that it has not blocked the bot."""
    chat = update.effective_chat
    if chat is not None:
        title = chat.title or chat.username or chat.first_name
        await context.bot_data.store.chats.seen(chat.id, chat.type, title)


def handlers() -> list[TypeHandler[Update, BotContext, None]]:
    """The handlers of this module; registered in a group of their own, before the others."""
    return [TypeHandler(Update, remember_chat)]
