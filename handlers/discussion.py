"""Discussion: a reply to a bot message that shows an item joins that item's discussion.

What a reply is about comes from the message it answers: a bot message linked to one story
(a card, an alert, an acknowledgement), to one comment (``sent_messages.comment_id``: a
comments page entry picked, a reply prompt) or to a whole briefing (then the reader picks
the story); or a reader's own message that wrote a comment (a threaded reply to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from briefing.models import Briefing, Comment, CommentOrigin
from briefing.outgoing import OutgoingMessage
from handlers import discussion_views as views
from handlers.context import BotContext
from handlers.errors import answer_button
from storage.comments import ChatComment, Written

RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Target:
    """What a reply is about: a briefing, maybe one story, maybe one comment."""

    briefing: Briefing
    position: int | None
    parent: ChatComment | None = None

    @property
    def story_id(self) -> int | None:
        """The story's id, when the reply is about one."""
        return self.briefing.stories[self.position].id if self.position is not None else None

    @property
    def about(self) -> str:
        """The story's heading, or the briefing's title."""
        if self.position is None:
            return self.briefing.title
        return self.briefing.stories[self.position].heading


async def add_reply(update: Update, context: BotContext) -> None:
    """Store a reply to a message that shows a story or a comment, and acknowledge it."""
    message = update.effective_message
    if message is None:
        return
    original = message.reply_to_message
    target = await _target(message, original, context) if original is not None else None
    if target is None:
        if original is not None and _sent_by_bot(original, context):
            await _answer(message, views.NOT_AN_ITEM)
        else:
            await _explain(message, views.NOT_AN_ITEM)
        return
    refusal = await _refusal(message, context)
    if refusal is not None:
        await _answer(message, refusal)
        return
    assert target.briefing.id is not None
    store = context.bot_data.store
    comment = _chat_comment(message, target)
    written = _written(message)
    if target.position is None and len(target.briefing.stories) > 1 and target.parent is None:
        pending = await store.comments.add_pending(
            target.briefing.id, comment, written, now=context.bot_data.clock()
        )
        keyboard = views.story_choice(pending, target.briefing.stories)
        await _answer(message, views.WHICH_STORY, keyboard)
        return
    stored = await _store(context, target, comment, written, _author(message))
    await _acknowledge(message, context, target, stored)


async def _target(message: Message, original: Message, context: BotContext) -> Target | None:
    store = context.bot_data.store
    if not _sent_by_bot(original, context):
        parent = await store.comments.by_message(message.chat_id, original.message_id)
        return await _thread_target(parent, context)
    link = await store.chats.linked(message.chat_id, original.message_id)
    if link is None:
        return None
    if link.comment_id is not None:
        parent = await store.comments.get(link.comment_id)
        if parent is not None and not parent.deleted:
            return await _thread_target(parent, context)
    briefing = await store.briefings.get(link.briefing_id)
    if briefing is None:
        return None
    if link.story_id is None:
        return Target(briefing, 0 if len(briefing.stories) == 1 else None)
    position = next((i for i, s in enumerate(briefing.stories) if s.id == link.story_id), None)
    return Target(briefing, position) if position is not None else None


async def _thread_target(parent: ChatComment | None, context: BotContext) -> Target | None:
    if parent is None or parent.deleted:
        return None
    briefing = await context.bot_data.store.briefings.get(parent.briefing_id)
    if briefing is None:
        return None
    position = parent.comment.story_position
    if position is not None and position >= len(briefing.stories):
        position = None
    return Target(briefing, position, parent)


async def _refusal(message: Message, context: BotContext) -> str | None:
    """Why this reply cannot become a comment, if it cannot."""
    text = message.text
    if text is None:
        return views.TEXT_ONLY
    if not text.strip():
        return views.EMPTY
    if len(text) > views.MAX_COMMENT_CHARS:
        return views.too_long(len(text))
    user_id = _user_id(message)
    if user_id is None:
        return None
    comments = context.bot_data.store.comments
    if await comments.is_muted(user_id):
        return views.MUTED
    now = context.bot_data.clock()
    if await comments.written_since(user_id, now - RATE_WINDOW) >= views.COMMENTS_PER_MINUTE:
        return views.too_fast(int(RATE_WINDOW.total_seconds()))
    return None


async def _store(
    context: BotContext, target: Target, comment: Comment, written: Written, replier: str
) -> ChatComment:
    """Store the comment and, in the same transaction, the notification of a reply."""
    store = context.bot_data.store
    assert target.briefing.id is not None
    async with store.transaction():
        stored, new = await store.comments.add(
            target.briefing.id, comment, written, now=context.bot_data.clock()
        )
        parent = target.parent
        if new and parent is not None:
            notice = await _notification(context, target, parent, stored, replier)
            if notice is not None:
                await store.outbox.enqueue([notice])
    return stored


async def _notification(
    context: BotContext, target: Target, parent: ChatComment, reply: ChatComment, replier: str
) -> OutgoingMessage | None:
    """The message telling a comment's author about a reply, unless they turned it off."""
    author = parent.author_user_id
    comments = context.bot_data.store.comments
    if author is None or author == reply.author_user_id or not await comments.notify_on(author):
        return None
    known = await context.bot_data.store.chats.get(author)
    # Their private chat when they have one with the bot, else where they wrote the comment.
    chat_id = author if known is not None and known.active else parent.chat_id
    if chat_id is None:
        return None
    return OutgoingMessage(
        chat_id=chat_id,
        kind=views.REPLY_KIND,
        item_key=str(reply.id),
        text=views.reply_notification(replier, target.about, reply.comment.text),
        buttons=views.answer_buttons(reply.id),
        briefing_id=target.briefing.id,
        story_id=target.story_id,
    )


async def _acknowledge(
    message: Message, context: BotContext, target: Target, stored: ChatComment
) -> None:
    store = context.bot_data.store
    assert target.briefing.id is not None
    count = await store.comments.count(target.briefing.id, target.position)
    replied_to = views.display_name(target.parent.comment.author) if target.parent else None
    text = views.acknowledgement(target.about, count, replied_to=replied_to)
    keyboard = views.acknowledgement_buttons(target.story_id, stored.id)
    sent = await _answer(message, text, keyboard)
    await store.chats.link_message(
        sent.chat_id, sent.message_id, target.briefing.id, target.story_id
    )


async def pick_story(update: Update, context: BotContext) -> None:
    """Store a waiting reply under the story its writer tapped."""
    query = update.callback_query
    if query is None:
        return
    picked = views.parse_pick(query.data)
    comments = context.bot_data.store.comments
    pending = await comments.pending(picked[0]) if picked is not None else None
    if picked is None or pending is None:
        await answer_button(query, views.STALE_CHOICE, show_alert=True)
        return
    if pending.user_id is not None and query.from_user.id != pending.user_id:
        await answer_button(query, views.NOT_YOURS_TO_PICK, show_alert=True)
        return
    briefing = await context.bot_data.store.briefings.get(pending.briefing_id)
    position = picked[1]
    message = query.message
    if (
        briefing is None
        or position >= len(briefing.stories)
        or not isinstance(message, Message)
        or not await comments.drop_pending(pending.id)
    ):
        await answer_button(query, views.STALE_CHOICE, show_alert=True)
        return
    await answer_button(query)
    target = Target(briefing, position)
    comment = Comment(
        key=f"tg:{pending.chat_id}:{pending.message_id}",
        text=pending.text,
        author=pending.author,
        published=pending.published,
        origin=CommentOrigin.CHAT,
        story_position=position,
    )
    written = Written(pending.chat_id, pending.message_id, pending.user_id)
    stored = await _store(context, target, comment, written, views.display_name(pending.author))
    assert briefing.id is not None
    count = await comments.count(briefing.id, position)
    await message.edit_text(
        views.acknowledgement(target.about, count),
        reply_markup=views.acknowledgement_buttons(target.story_id, stored.id),
    )
    await context.bot_data.store.chats.link_message(
        message.chat_id, message.message_id, briefing.id, target.story_id
    )


async def prompt_reply(update: Update, context: BotContext) -> None:
    """ "✍️ Discuss" and "↩️ Answer": a ForceReply prompt linked to the story or comment."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    item_id = views.parse_id_button(query.data)
    store = context.bot_data.store
    mention = (
        None if query.message.chat.type == ChatType.PRIVATE else query.from_user.mention_html()
    )
    if item_id is not None and (query.data or "").startswith(views.ANSWER_PREFIX):
        reply = await store.comments.get(item_id)
        target = await _thread_target(reply, context)
        text = (
            views.answer_prompt(views.display_name(reply.comment.author), mention) if reply else ""
        )
        comment_id = item_id
    else:
        found = await store.briefings.find_story(item_id) if item_id is not None else None
        target = Target(found.briefing, found.position) if found else None
        text = views.discuss_prompt(target.about, mention) if target else ""
        comment_id = None
    if target is None or target.briefing.id is None:
        await answer_button(query, views.COMMENT_GONE, show_alert=True)
        return
    await answer_button(query)
    # Selective: in a group only the one who pressed (mentioned in the text) gets the prompt.
    markup = ForceReply(selective=mention is not None, input_field_placeholder="Your comment")
    sent = await query.message.reply_text(text, reply_markup=markup, do_quote=False)
    await store.chats.link_message(
        sent.chat_id, sent.message_id, target.briefing.id, target.story_id, comment_id=comment_id
    )


def _chat_comment(message: Message, target: Target) -> Comment:
    """The reply as a comment; its key makes a redelivered update a no-op."""
    return Comment(
        key=f"tg:{message.chat_id}:{message.message_id}",
        text=message.text or "",
        parent_key=target.parent.comment.key if target.parent else None,
        author=_author(message),
        published=message.date,
        origin=CommentOrigin.CHAT,
        story_position=target.position,
    )


def _written(message: Message) -> Written:
    return Written(message.chat_id, message.message_id, _user_id(message))


def _author(message: Message) -> str:
    """The name a comment shows: the first name, or the chat an anonymous admin writes as.

    Never the username or a phone number: a reader chooses their first name to be shown.
    """
    if message.sender_chat is not None:
        return views.display_name(message.sender_chat.title or message.sender_chat.first_name)
    user = message.from_user
    return views.display_name(user.first_name if user else None)


def _user_id(message: Message) -> int | None:
    """The writer's user id; ``None`` when they write as a chat (an anonymous admin)."""
    if message.sender_chat is not None or message.from_user is None:
        return None
    return message.from_user.id


async def _answer(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Answer the reader's message, quoting it: in a group that shows whose it is."""
    return await message.reply_text(text, reply_markup=markup, do_quote=True)


async def explain_plain_text(update: Update, context: BotContext) -> None:
    """In a private chat, say what the bot does with text that is neither command nor reply."""
    await _explain(update.effective_message, views.NOT_AN_ITEM)


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
        CallbackQueryHandler(pick_story, pattern=f"^{views.PICK_PREFIX}"),
        CallbackQueryHandler(
            prompt_reply, pattern=f"^({views.DISCUSS_PREFIX}|{views.ANSWER_PREFIX})"
        ),
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE,
            explain_plain_text,
        ),
    ]
