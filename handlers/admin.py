"""The admins' commands: /addsource, /removesource, and the operations ones (/sources is
everyone's: handlers/follows.py, where admins also see how each source polls)."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler

from briefing.schedule import parse_interval
from briefing.sources import DEFAULT_INTERVAL_SECONDS, SourceError
from handlers import operations
from handlers.context import BotContext, SourceAdmin
from handlers.source_views import (
    ADD_USAGE,
    ADMINS_ONLY,
    NOT_POLLING,
    REMOVE_USAGE,
    added_view,
    no_such_source_view,
    problem_view,
    removed_view,
)


async def add_source(update: Update, context: BotContext) -> None:
    """Add a source from ``URL [INTERVAL]``, poll it once, and say what the poll stored."""
    admin = await _admin_sources(update, context)
    if admin is None:
        return
    message, sources = admin
    args = context.args or []
    if not 1 <= len(args) <= 2:
        await _answer(message, problem_view("Which address should I add?", ADD_USAGE))
        return
    try:
        interval = parse_interval(args[1]) if len(args) == 2 else DEFAULT_INTERVAL_SECONDS
    except ValueError as error:
        await _answer(message, problem_view(str(error), ADD_USAGE))
        return
    try:
        added = await sources.add(args[0], interval_seconds=interval)
    except SourceError as error:
        await _answer(message, problem_view(str(error)))
        return
    await _answer(message, added_view(added.source, added.first_poll.describe()))


async def remove_source(update: Update, context: BotContext) -> None:
    """Stop polling the source with this id (as /sources shows it) or URL."""
    admin = await _admin_sources(update, context)
    if admin is None:
        return
    message, sources = admin
    args = context.args or []
    if len(args) != 1:
        await _answer(message, problem_view("Which source should I remove?", REMOVE_USAGE))
        return
    reference = args[0].removeprefix("#") if args[0][1:].isdigit() else args[0]
    try:
        removed = await sources.remove(reference)
    except SourceError as error:
        await _answer(message, problem_view(str(error)))
        return
    await _answer(message, removed_view(removed) if removed else no_such_source_view(args[0]))


async def _admin_sources(
    update: Update, context: BotContext
) -> tuple[Message, SourceAdmin] | None:
    """The message to answer and the source manager, once the sender may use them."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    sources = context.bot_data.sources
    if sources is None:  # a process that does not poll (the console chat) has no sources
        await _answer(message, NOT_POLLING)
        return None
    if user.id not in context.bot_data.admin_ids:
        await message.reply_text(ADMINS_ONLY)
        return None
    return message, sources


async def _answer(message: Message, text: str) -> None:
    await message.reply_text(text)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The handlers of this module, the operations commands included."""
    return [
        *operations.handlers(),
        # Adding fetches and polls the source: let other updates go on meanwhile.
        CommandHandler("addsource", add_source, block=False),
        CommandHandler("removesource", remove_source),
    ]
