"""Changing the discussion afterwards: edits, deletions, mutes and reply notifications."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers import discussion_views as views
from handlers.context import BotContext
from handlers.errors import answer_button
from storage.comments import ChatComment


async def edited(update: Update, context: BotContext) -> None:
    """An edited message edits the comment it wrote; any other edit (a command) does nothing."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    store = context.bot_data.store
    stored = await store.comments.by_message(message.chat_id, message.message_id)
    if stored is not None and (stored.deleted or stored.comment.text == message.text):
        return
    if len(message.text) > views.MAX_COMMENT_CHARS:
        if stored is not None:
            await _answer(message, views.edit_too_long(len(message.text)))
        return
    if stored is None:  # maybe a reply still waiting for its story
        await store.comments.edit_pending(message.chat_id, message.message_id, message.text)
        return
    await store.comments.edit(stored.id, message.text, now=context.bot_data.clock())


async def delete_button(update: Update, context: BotContext) -> None:
    """The 🗑 button: its writer or an admin deletes the comment."""
    query = update.callback_query
    if query is None:
        return
    comment_id = views.parse_id_button(query.data)
    comments = context.bot_data.store.comments
    stored = await comments.get(comment_id) if comment_id is not None else None
    if stored is None or stored.deleted:
        await answer_button(query, views.COMMENT_GONE, show_alert=True)
        return
    if not _may_delete(stored, query.from_user.id, context):
        await answer_button(query, views.NOT_YOURS_TO_DELETE, show_alert=True)
        return
    await comments.delete(stored.id, now=context.bot_data.clock())
    await answer_button(query, views.DELETED)
    if isinstance(query.message, Message):
        await query.message.edit_text(views.DELETED)


async def delete_command(update: Update, context: BotContext) -> None:
    """/delete as a reply to a comment: its writer or an admin deletes it."""
    message = update.effective_message
    if message is None:
        return
    stored = await _replied_comment(message, context)
    if stored is None:
        await _answer(message, views.DELETE_USAGE)
        return
    user = message.from_user
    if (
        user is None
        or message.sender_chat is not None
        or not _may_delete(stored, user.id, context)
    ):
        await _answer(message, views.NOT_YOURS_TO_DELETE)
        return
    await context.bot_data.store.comments.delete(stored.id, now=context.bot_data.clock())
    await _answer(message, views.DELETED)


async def mute(update: Update, context: BotContext) -> None:
    """/mute (admins): the reader replied to, or the user id given, adds no more comments."""
    await _set_mute(update, context, on=True)


async def unmute(update: Update, context: BotContext) -> None:
    """/unmute (admins): the reader may comment again."""
    await _set_mute(update, context, on=False)


async def _set_mute(update: Update, context: BotContext, *, on: bool) -> None:
    message = update.effective_message
    if message is None:
        return
    user = message.from_user
    if (
        user is None
        or message.sender_chat is not None
        or user.id not in context.bot_data.admin_ids
    ):
        await _answer(message, views.ADMINS_ONLY)
        return
    target = await _mute_target(message, context)
    name = "mute" if on else "unmute"
    if target is None:
        await _answer(message, views.MUTE_USAGE.format(name))
        return
    comments = context.bot_data.store.comments
    if on:
        await comments.mute(target, by=user.id, now=context.bot_data.clock())
    else:
        await comments.unmute(target)
    await _answer(message, views.muted(target, now_muted=on))


async def notify(update: Update, context: BotContext) -> None:
    """/notify on|off: whether the user hears about replies to their comments."""
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    comments = context.bot_data.store.comments
    choice = (context.args or [""])[0].lower() if context.args else ""
    if choice in {"on", "off"}:
        await comments.set_notify(message.from_user.id, on=choice == "on")
        await _answer(message, views.NOTIFY_ON if choice == "on" else views.NOTIFY_OFF)
        return
    state = "on" if await comments.notify_on(message.from_user.id) else "off"
    await _answer(message, views.NOTIFY_USAGE.format(state))


async def _mute_target(message: Message, context: BotContext) -> int | None:
    if context.args:
        word = context.args[0].lstrip("#")
        return int(word) if word.isdigit() and len(word) <= 18 else None
    stored = await _replied_comment(message, context)
    if stored is not None:
        return stored.author_user_id
    original = message.reply_to_message
    if original is not None and original.from_user is not None and original.sender_chat is None:
        return original.from_user.id if original.from_user.id != context.bot.id else None
    return None


async def _replied_comment(message: Message, context: BotContext) -> ChatComment | None:
    """The comment the message replies to: the reader's message that wrote it, or a bot
    message that shows it."""
    original = message.reply_to_message
    if original is None:
        return None
    store = context.bot_data.store
    stored = await store.comments.by_message(message.chat_id, original.message_id)
    if stored is None:
        link = await store.chats.linked(message.chat_id, original.message_id)
        if link is not None and link.comment_id is not None:
            stored = await store.comments.get(link.comment_id)
    return stored if stored is not None and not stored.deleted else None


def _may_delete(stored: ChatComment, user_id: int, context: BotContext) -> bool:
    return stored.author_user_id == user_id or user_id in context.bot_data.admin_ids


async def _answer(message: Message, text: str) -> None:
    await message.reply_text(text, do_quote=True)


def edit_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Edited messages: these must come before every command handler (which would run an
    edited command again)."""
    return [MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited)]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The commands and buttons of this module."""
    return [
        CommandHandler("delete", delete_command),
        CommandHandler("mute", mute),
        CommandHandler("unmute", unmute),
        CommandHandler("notify", notify),
        CallbackQueryHandler(delete_button, pattern=f"^{views.DELETE_PREFIX}"),
    ]
