"""Cross-cutting: which chats the bot may write to (runs before the features).

Only ``my_chat_member`` updates say whether the bot is still in a chat: a user blocked or
unblocked it, it was added to or removed from a group. Every other update from a chat
shows the chat can be written to again. A failed send says so too; the reply limiter
reports those through :class:`ChatStatus`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Chat, ChatMember, ChatMemberRestricted, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import BaseHandler, ChatMemberHandler, TypeHandler

from briefing.outgoing import OutgoingMessage
from handlers.context import BotContext
from handlers.start import group_greeting
from storage.store import Store

logger = logging.getLogger(__name__)

GREETING_KIND = "greeting"
_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER}
_GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
_UNREACHABLE = ("chat not found", "bot was kicked", "bot is not a member")


async def remember_chat(update: Update, context: BotContext) -> None:
    """Record the chat an update comes from, and that the bot can write to it."""
    chat = update.effective_chat
    # Membership updates may say the opposite: on_membership records them.
    if chat is not None and update.my_chat_member is None:
        await context.bot_data.store.chats.seen(chat.id, chat.type, _title(chat))


async def on_membership(update: Update, context: BotContext) -> None:
    """Record the bot's new status in a chat; greet a group that added it."""
    change = update.my_chat_member
    if change is None:
        return
    chat, member = change.chat, change.new_chat_member
    present = member.status in _PRESENT or (
        isinstance(member, ChatMemberRestricted) and member.is_member
    )
    store = context.bot_data.store
    was_active = await store.chats.set_membership(
        chat.id, chat.type, _title(chat), member.status, active=present, now=change.date
    )
    if not present:
        dropped = await store.outbox.drop_pending(chat.id, f"the bot is {member.status} there")
        logger.info("chat %s: the bot is %s; %d queued dropped", chat.id, member.status, dropped)
    elif not was_active and chat.type in _GROUPS:
        greeting = group_greeting(context.bot.username)
        key = _join_key(change.date)
        await store.outbox.enqueue([OutgoingMessage(chat.id, GREETING_KIND, key, greeting)])


def unreachable(error: BaseException | None) -> bool:
    """Whether a send failed because the bot may no longer write to that chat."""
    if isinstance(error, Forbidden | ChatMigrated):
        return True
    return isinstance(error, BadRequest) and any(
        marker in error.message.lower() for marker in _UNREACHABLE
    )


class ChatStatus:
    """Records what a failed send says about the chat written to (the limiter's ChatEvents)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def send_failed(self, chat_id: int, error: TelegramError) -> None:
        """Mark a chat the bot can no longer write to, and drop what is queued for it.

        A group that became a supergroup moves, with what it chose, to its new id.
        """
        if isinstance(error, ChatMigrated):
            # Its topics, follows, settings and queued messages go on under the new id.
            await self._store.chats.migrate(chat_id, error.new_chat_id)
            logger.info("chat %s moved to %s", chat_id, error.new_chat_id)
            return
        if not unreachable(error):
            return
        await self._store.chats.mark_blocked(chat_id)
        dropped = await self._store.outbox.drop_pending(chat_id, error.message)
        logger.info(
            "chat %s takes no messages (%s); %d queued dropped", chat_id, error.message, dropped
        )


def _title(chat: Chat) -> str | None:
    return chat.title or chat.username or chat.first_name


def _join_key(moment: datetime) -> str:
    """One greeting per join: a redelivered update carries the same date."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module; registered in a group of their own, before the others.

    PTB runs the first matching handler of a group: membership updates stop at the first.
    """
    return [
        ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        TypeHandler(Update, remember_chat),
    ]
