"""The admins' operations commands: /stats, /poll and /broadcast (with its buttons)."""

from __future__ import annotations

import re
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from briefing.outgoing import OutgoingMessage
from handlers.context import BotContext
from handlers.html import telegram_length
from handlers.ops_views import (
    BROADCAST_CANCELLED,
    BROADCAST_EXPIRED,
    BROADCAST_PREFIX,
    BROADCAST_USAGE,
    CANCEL,
    OPS_ADMINS_ONLY,
    REFRESH,
    broadcast_preview,
    broadcast_status_view,
    parse_broadcast_button,
    poll_view,
    stats_view,
)
from handlers.source_views import NOT_POLLING
from storage.stats import StatsRepository

BROADCAST_KIND = "broadcast"
# A broadcast waits for its confirmation in the admin's chat_data, under this key.
PENDING_BROADCASTS = "pending_broadcasts"
BROADCAST_TEXT_LIMIT = 3900  # room for the confirmation's heading in one message
_COMMAND_WORD = re.compile(r"\S+\s*")


async def show_stats(update: Update, context: BotContext) -> None:
    """Answer with the bot's figures, as of the command's own date."""
    message = await _admin_message(update, context, "stats")
    if message is None:
        return
    stats = await StatsRepository(context.bot_data.store.database).collect(message.date)
    await message.reply_text(stats_view(stats))


async def poll_now(update: Update, context: BotContext) -> None:
    """Poll every source now and answer with each one's outcome."""
    message = await _admin_message(update, context, "poll")
    if message is None:
        return
    sources = context.bot_data.sources
    if sources is None:
        await message.reply_text(NOT_POLLING)
        return
    reports = await sources.poll_all()
    outcomes = [(r.source.id, r.source.url, r.describe()) for r in reports]
    for text in poll_view(outcomes):
        await message.reply_text(text)


async def broadcast(update: Update, context: BotContext) -> None:
    """Show the text to broadcast and how many chats it would reach; wait for a tap."""
    message = await _admin_message(update, context, "broadcast")
    if message is None:
        return
    text_html = _COMMAND_WORD.sub("", message.text_html or "", count=1).strip()
    if not text_html or not context.args:
        await message.reply_text(BROADCAST_USAGE)
        return
    if telegram_length(message.text or "") > BROADCAST_TEXT_LIMIT:
        await message.reply_text(f"That is too long: at most {BROADCAST_TEXT_LIMIT} characters.")
        return
    broadcast_id = f"{message.chat_id}.{message.message_id}"
    audience = await StatsRepository(context.bot_data.store.database).active_chat_ids()
    _pending(context)[broadcast_id] = text_html
    text, keyboard = broadcast_preview(text_html, len(audience), broadcast_id)
    await message.reply_text(text, reply_markup=keyboard)


async def broadcast_button(update: Update, context: BotContext) -> None:
    """Send, cancel or refresh a broadcast, as its button says."""
    query = update.callback_query
    parsed = parse_broadcast_button(query.data if query else None)
    if query is None or parsed is None or not isinstance(query.message, Message):
        return
    action, broadcast_id = parsed
    if query.from_user.id not in context.bot_data.admin_ids:
        await query.answer(OPS_ADMINS_ONLY.format(command="broadcast"), show_alert=True)
        return
    stats = StatsRepository(context.bot_data.store.database)
    if action == REFRESH:
        await query.answer()
        await _edit(
            query.message,
            *broadcast_status_view(await stats.broadcast(broadcast_id), broadcast_id),
        )
        return
    text_html = _pending(context).pop(broadcast_id, None)
    if text_html is None:
        await query.answer(BROADCAST_EXPIRED, show_alert=True)
        return
    await query.answer()
    if action == CANCEL:
        await _edit(query.message, BROADCAST_CANCELLED, None)
        return
    chat_ids = await stats.active_chat_ids()
    await context.bot_data.store.outbox.enqueue(
        [OutgoingMessage(chat_id, BROADCAST_KIND, broadcast_id, text_html) for chat_id in chat_ids]
    )
    await _edit(
        query.message, *broadcast_status_view(await stats.broadcast(broadcast_id), broadcast_id)
    )


async def _admin_message(update: Update, context: BotContext, command: str) -> Message | None:
    """The command's message once its sender is an admin; anyone else is told politely."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if user.id not in context.bot_data.admin_ids:
        await message.reply_text(OPS_ADMINS_ONLY.format(command=command))
        return None
    return message


def _pending(context: BotContext) -> dict[str, str]:
    chat_data: dict[Any, Any] = context.chat_data if context.chat_data is not None else {}
    pending: dict[str, str] = chat_data.setdefault(PENDING_BROADCASTS, {})
    return pending


async def _edit(message: Message, text: str, keyboard: Any) -> None:
    try:
        await message.edit_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("stats", show_stats),
        # Polling every source takes a while: let other updates go on meanwhile.
        CommandHandler("poll", poll_now, block=False),
        CommandHandler("broadcast", broadcast),
        CallbackQueryHandler(broadcast_button, pattern=f"^{BROADCAST_PREFIX}"),
    ]
