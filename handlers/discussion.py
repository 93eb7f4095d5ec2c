"""Discussion: a reply to a bot message that shows an item joins that item's discussion."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from briefing.models import Comment, CommentOrigin
from handlers.context import BotContext
from handlers.english import full_stop
from handlers.html import escape, shorten

NOT_AN_ITEM = (
    "To join a discussion, reply to a briefing or to a story card I sent. "
    "Send /today for the latest briefing."
)
EMPTY = "Your reply has no text to add. Write your comment and send it as a reply."
THANKS = "Thanks, your comment was added to the discussion of <b>{}</b>{}"
TEXT_ONLY = "I can only add text replies to a discussion."


async def add_reply(update: Update, context: BotContext) -> None:
    """Store a reply to a briefing or story card as a comment, and confirm it."""
    message = update.effective_message
    original = message.reply_to_message if message else None
    if message is None or original is None or not _sent_by_bot(original, context):
        await _explain(message, NOT_AN_ITEM)
        return
    store = context.bot_data.store
    link = await store.chats.linked(message.chat_id, original.message_id)
    briefing = await store.briefings.get(link.briefing_id) if link else None
    if link is None or briefing is None or briefing.id is None:
        await message.reply_text(NOT_AN_ITEM)
        return
    text = (message.text or "").strip()
    if not text:
        await message.reply_text(EMPTY if message.text is not None else TEXT_ONLY)
        return
    position = next((i for i, s in enumerate(briefing.stories) if s.id == link.story_id), None)
    await store.briefings.add_comment(briefing.id, _chat_comment(message, text, position))
    about = briefing.stories[position].heading if position is not None else briefing.title
    # Quoted: in a group it shows whose comment was added.
    about = shorten(about, 120)
    await message.reply_text(THANKS.format(escape(about), full_stop(about)), do_quote=True)


def _chat_comment(message: Message, text: str, story_position: int | None) -> Comment:
    """The reply as a comment; its key makes a redelivered update a no-op."""
    return Comment(
        key=f"tg:{message.chat_id}:{message.message_id}",
        text=text,
        author=message.from_user.first_name if message.from_user else None,
        published=message.date,
        origin=CommentOrigin.CHAT,
        story_position=story_position,
    )


async def explain_plain_text(update: Update, context: BotContext) -> None:
    """In a private chat, say what the bot does with text that is neither command nor reply."""
    await _explain(update.effective_message, NOT_AN_ITEM)


async def _explain(message: Message | None, text: str) -> None:
    # In groups people talk to each other: only replies to the bot get an answer there.
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await message.reply_text(text)


def _sent_by_bot(message: Message, context: BotContext) -> bool:
    return message.from_user is not None and message.from_user.id == context.bot.id


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    replies = filters.REPLY & ~filters.COMMAND & filters.UpdateType.MESSAGE
    return [
        MessageHandler(replies, add_reply),
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE,
            explain_plain_text,
        ),
    ]
