"""Topic alerts: /subscribe, /topics, /unsubscribe and their buttons.

Any member of a group may subscribe the group or remove its topics: alerts go to the
chat, like /today's answer, and a topic is removed with one tap under its alert.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from briefing.key_phrases import key_phrases, phrase_query
from briefing.outgoing import Button
from briefing.query import QueryError, parse
from handlers.alert_view import NO_TOPICS, SYNTAX, phrase_choices, topics_view
from handlers.callbacks import (
    ALERT_PREFIX,
    MUTE_PREFIX,
    SUBSCRIBE_PREFIX,
    UNSUBSCRIBE_PREFIX,
    parse_alert_button,
    parse_mute_button,
    parse_subscribe_button,
    parse_unsubscribe_button,
)
from handlers.context import BotContext
from handlers.html import escape, shorten
from storage.subscriptions import MAX_TOPICS_PER_CHAT, Subscribed, SubscribeOutcome

UNSUBSCRIBE_USAGE = "Send /unsubscribe TOPIC (as /topics lists it), or /unsubscribe all."
STALE_STORY = "That story is no longer available. Send /today for the latest briefing."
NO_PHRASES = "I found no key phrase in this story: send /subscribe WORDS instead."
TOPIC_GONE = "This chat no longer follows that topic."
LABEL_LIMIT = 60  # a callback answer holds 200 characters


async def subscribe(update: Update, context: BotContext) -> None:
    """Subscribe the chat to a topic; alone, explain the syntax."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    text = _argument(message)
    if not text:
        await message.reply_text(SYNTAX)
        return
    try:
        query = parse(text)
    except QueryError as error:
        await message.reply_text(str(error))
        return
    label = " ".join(text.split())
    done = await context.bot_data.store.subscriptions.subscribe(chat.id, query, label)
    await message.reply_text(_subscribed_line(done, label))


async def list_topics(update: Update, context: BotContext) -> None:
    """List the chat's topics with a remove button each."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    text, buttons = topics_view(await context.bot_data.store.subscriptions.topics(chat.id))
    await message.reply_text(text, reply_markup=_markup(buttons))


async def unsubscribe(update: Update, context: BotContext) -> None:
    """Remove one topic (as typed or as listed), or all of them."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    text = _argument(message)
    subscriptions = context.bot_data.store.subscriptions
    if not text:
        await message.reply_text(UNSUBSCRIBE_USAGE)
        return
    if text.lower() == "all":
        removed = await subscriptions.unsubscribe_all(chat.id)
        noun = "topic" if removed == 1 else "topics"
        await message.reply_text(f"Removed {removed} {noun}." if removed else NO_TOPICS)
        return
    try:
        query = parse(text)
    except QueryError as error:
        await message.reply_text(str(error))
        return
    found = await subscriptions.find(chat.id, query)
    if found is None or await subscriptions.unsubscribe(chat.id, found.topic_id) is None:
        label = escape(shorten(" ".join(text.split()), LABEL_LIMIT))
        await message.reply_text(f"This chat does not follow “{label}”. /topics lists its topics.")
        return
    await message.reply_text(f"Removed “{escape(found.label)}”.")


async def offer_phrases(update: Update, context: BotContext) -> None:
    """ "🔔 Alert me" under a card: offer the story's key phrases as one-tap topics."""
    query = update.callback_query
    if query is None:
        return
    story_id = parse_alert_button(query.data)
    found = await context.bot_data.store.briefings.find_story(story_id) if story_id else None
    if found is None or story_id is None or not isinstance(query.message, Message):
        await query.answer(STALE_STORY, show_alert=True)
        return
    phrases = key_phrases(found.story)
    if not phrases:
        await query.answer(NO_PHRASES, show_alert=True)
        return
    await query.answer()
    text, buttons = phrase_choices(story_id, phrases)
    await query.message.reply_text(text, reply_markup=_markup(buttons), do_quote=False)


async def subscribe_phrase(update: Update, context: BotContext) -> None:
    """Subscribe the chat to the key phrase a button names."""
    query, chat = update.callback_query, update.effective_chat
    if query is None:
        return
    named = parse_subscribe_button(query.data)
    store = context.bot_data.store
    found = await store.briefings.find_story(named[0]) if named else None
    phrases = key_phrases(found.story) if found else []
    if chat is None or named is None or named[1] >= len(phrases):
        await query.answer(STALE_STORY, show_alert=True)
        return
    phrase = phrases[named[1]]
    done = await store.subscriptions.subscribe(chat.id, parse(phrase_query(phrase)), phrase)
    await query.answer(_subscribed_line(done, phrase), show_alert=True)


async def remove_listed(update: Update, context: BotContext) -> None:
    """A remove button of /topics: remove the topic and show the list as it is now."""
    query, chat = update.callback_query, update.effective_chat
    if query is None:
        return
    topic_id = parse_unsubscribe_button(query.data)
    if chat is None or topic_id is None:
        await query.answer(TOPIC_GONE, show_alert=True)
        return
    subscriptions = context.bot_data.store.subscriptions
    removed = await subscriptions.unsubscribe(chat.id, topic_id)
    if removed is None:
        await query.answer(TOPIC_GONE)
        return
    await query.answer(f"Removed “{shorten(removed.label, LABEL_LIMIT)}”.")
    text, buttons = topics_view(await subscriptions.topics(chat.id))
    try:
        await query.edit_message_text(text, reply_markup=_markup(buttons))
    except BadRequest as error:
        # Pressed twice: the list already shows this; anything else is a real failure.
        if "not modified" not in error.message.lower():
            raise


async def mute(update: Update, context: BotContext) -> None:
    """The mute button under an alert: stop that topic's alerts in this chat."""
    query, chat = update.callback_query, update.effective_chat
    if query is None:
        return
    topic_id = parse_mute_button(query.data)
    if chat is None or topic_id is None:
        await query.answer(TOPIC_GONE, show_alert=True)
        return
    removed = await context.bot_data.store.subscriptions.unsubscribe(chat.id, topic_id)
    if removed is None:
        await query.answer(TOPIC_GONE, show_alert=True)
        return
    label = shorten(removed.label, LABEL_LIMIT)
    await query.answer(
        f"🔕 Muted “{label}”: no more alerts for it. /subscribe {label} brings it back.",
        show_alert=True,
    )


def _subscribed_line(done: Subscribed, label: str) -> str:
    shown = escape(shorten(label, LABEL_LIMIT))
    if done.outcome is SubscribeOutcome.FULL:
        return (
            f"This chat follows {MAX_TOPICS_PER_CHAT} topics, the most it may."
            " Remove one with /topics first."
        )
    if done.outcome is SubscribeOutcome.ALREADY and done.subscription is not None:
        already = escape(shorten(done.subscription.label, LABEL_LIMIT))
        return f"This chat already follows “{already}”."
    return (
        f"🔔 Subscribed to “{shown}”: I'll send each new story that matches. /topics lists them."
    )


def _argument(message: Message) -> str:
    """What follows the command, as typed (quotes and spacing kept)."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def _markup(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
            for row in rows
        ]
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module."""
    return [
        CommandHandler("subscribe", subscribe),
        CommandHandler("topics", list_topics),
        CommandHandler("unsubscribe", unsubscribe),
        CallbackQueryHandler(offer_phrases, pattern=f"^{ALERT_PREFIX}"),
        CallbackQueryHandler(subscribe_phrase, pattern=f"^{SUBSCRIBE_PREFIX}"),
        CallbackQueryHandler(remove_listed, pattern=f"^{UNSUBSCRIBE_PREFIX}"),
        CallbackQueryHandler(mute, pattern=f"^{MUTE_PREFIX}"),
    ]
