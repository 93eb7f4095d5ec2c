"""The ``briefbot`` command: serve Telegram, open the console chat, ingest digests."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from bot.app import build_application
from bot.console import ChatLog, ConsoleBotApi, run_console
from bot.db_command import add_db_parser, run_db_command
from bot.delivery.report import print_outbox
from bot.doctor import run_doctor
from bot.ingest_command import IngestError, ingest_file, ingest_url, is_url, load_sample_if_empty
from bot.logging_setup import Redactor, configure_logging, redacting_asyncio_handler
from bot.progress import ProgressReporter
from bot.settings import Settings, SettingsError, load_settings
from bot.sources.pipeline import Pipeline
from bot.sources_command import add_sources_parser, run_sources_command
from bot.startup_errors import (
    CONFIG_EXIT,
    DATABASE_ERRORS,
    StartupError,
    check_database,
    database_error,
    open_store,
    telegram_error,
)
from bot.webhook import run_webhook
from briefing.sources import SourceError
from briefing.terminal_text import for_terminal
from briefing.urls import shown_url
from handlers.context import BotApplication
from storage.store import Store

logger = logging.getLogger(__name__)
INTERRUPTED_EXIT = 130  # Ctrl-C before the bot was up, as a shell reports it


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return CONFIG_EXIT
    command: str = args.command or "start"
    secrets = [
        s.get_secret_value()
        for s in (settings.token, settings.llm_key, settings.webhook_secret)
        if s is not None
    ]
    redact = configure_logging(
        _log_level(settings, command), secrets=secrets, json_lines=settings.log_format == "json"
    )
    try:
        return _dispatch(command, settings, args, redact)
    except StartupError as error:
        print(f"briefbot: {redact(str(error))}", file=sys.stderr)
        return error.exit_code


def _dispatch(command: str, settings: Settings, args: argparse.Namespace, redact: Redactor) -> int:
    if command == "ingest":
        return _run(_ingest(settings, args.targets, redact), redact)
    if command == "sources":
        return _run(_sources(settings, args, redact), redact)
    if command == "outbox":
        return _run(print_outbox(settings.database, sys.stdout), redact)
    if command == "db":
        return _run(run_db_command(settings, args, sys.stdout), redact)
    if command == "doctor":
        return _run(run_doctor(settings, sys.stdout), redact)
    if command == "chat" or (command == "start" and settings.token is None):
        if command == "start":
            print("No BRIEFBOT_TOKEN configured: opening the local console chat instead.")
        return _run(_chat(settings), redact)
    if settings.token is None:
        raise StartupError("BRIEFBOT_TOKEN is not set (see .env.example)", CONFIG_EXIT)
    webhook = bool(getattr(args, "webhook", False)) or settings.webhook_url is not None
    return _serve(settings, redact, webhook=webhook)


def _serve(settings: Settings, redact: Redactor, *, webhook: bool = False) -> int:
    """Long-poll Telegram, or serve the webhook; a failure to start is one line, not PTB's
    traceback. SIGINT and SIGTERM stop it cleanly (PTB's stop signals): exit 0."""
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        raise StartupError(
            "--webhook needs BRIEFBOT_WEBHOOK_URL and BRIEFBOT_WEBHOOK_SECRET (see .env.example)",
            CONFIG_EXIT,
        )
    # run_polling runs on the current event loop: ours, with the redacting handler.
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(redacting_asyncio_handler(redact))
    asyncio.set_event_loop(loop)
    application = build_application(settings, poll_sources=True, deliver=True)
    try:
        loop.run_until_complete(_initialize(application, settings))
    except KeyboardInterrupt:
        loop.close()
        return INTERRUPTED_EXIT
    except BaseException:
        loop.close()
        raise
    try:
        if webhook:
            run_webhook(application, settings)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except TelegramError as error:
        raise telegram_error(error, settings.api_url) from None
    except DATABASE_ERRORS as error:
        raise database_error(error, settings.database) from None
    return 0


async def _initialize(application: BotApplication, settings: Settings) -> None:
    """Ask Telegram, then open the database, before run_polling: its own start-up would log
    a traceback first. A rejected token leaves the disk untouched."""
    try:
        await application.initialize()
    except TelegramError as error:
        raise telegram_error(error, settings.api_url) from None
    try:
        await check_database(settings.database)
    except StartupError:
        await application.shutdown()
        raise


def _run(main: Coroutine[Any, Any, int], redact: Redactor) -> int:
    """``asyncio.run`` with the redacting exception handler on its loop."""
    with asyncio.Runner() as runner:
        runner.get_loop().set_exception_handler(redacting_asyncio_handler(redact))
        return runner.run(main)


def _log_level(settings: Settings, command: str) -> str:
    """The console chat shares the terminal with the log: keep it to warnings there."""
    console = command == "chat" or (command == "start" and settings.token is None)
    if console and settings.log_level == "INFO":
        return "WARNING"
    return settings.log_level


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="A Telegram bot that delivers daily news briefings."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("start", help="serve Telegram, or the console chat without a token")
    run = commands.add_parser(
        "run", help="serve Telegram by long polling, or by webhook (needs BRIEFBOT_TOKEN)"
    )
    run.add_argument(
        "--webhook", action="store_true", help="serve by webhook (BRIEFBOT_WEBHOOK_* settings)"
    )
    commands.add_parser("chat", help="talk to the bot in this terminal, no Telegram needed")
    ingest = commands.add_parser(
        "ingest", help="store briefings from digest, feed or WordPress export files, or URLs"
    )
    ingest.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    add_sources_parser(commands)
    commands.add_parser("outbox", help="messages queued for chats: counts by state, errors")
    add_db_parser(commands)
    commands.add_parser(
        "doctor", help="check settings, the token, the Bot API, the database and the sources"
    )
    return parser


async def _ingest(settings: Settings, targets: Sequence[str], redact: Redactor) -> int:
    failures = 0
    async with _pipeline(settings) as (_, pipeline):
        for target in targets:
            progress = ProgressReporter(sys.stdout, target)
            try:
                if is_url(target):
                    stored = await ingest_url(target, pipeline, progress)
                else:
                    stored = await ingest_file(Path(target), pipeline.ingestor, progress)
            except IngestError as error:
                print(for_terminal(redact(f"error: {error}")), file=sys.stderr)
                failures += 1
                continue
            shown = shown_url(target) if is_url(target) else target
            for ingested in stored:
                print(for_terminal(f"{shown}: {ingested.describe()}"))
    return 1 if failures else 0


async def _sources(settings: Settings, args: argparse.Namespace, redact: Redactor) -> int:
    async with _pipeline(settings) as (_, pipeline):
        try:
            return await run_sources_command(pipeline.sources, args, sys.stdout)
        except SourceError as error:
            print(for_terminal(redact(f"error: {error}")), file=sys.stderr)
            return 1


@asynccontextmanager
async def _pipeline(settings: Settings) -> AsyncIterator[tuple[Store, Pipeline]]:
    store = await open_store(settings.database)
    pipeline = Pipeline.open(store, settings)
    try:
        yield store, pipeline
        if pipeline.highlight_picks is not None:
            # A one-off command ends here: let the highlights it caused be picked first.
            await pipeline.highlight_picks.idle()
    finally:
        await pipeline.aclose()
        await store.close()


async def _chat(settings: Settings) -> int:
    async with _pipeline(settings) as (store, pipeline):
        sample = await load_sample_if_empty(store, pipeline.ingestor)
    if sample is not None:
        print(f"Loaded the sample briefing {sample.title!r} into {settings.database}.")
    log = ChatLog()
    application = build_application(settings, request=ConsoleBotApi(log, sys.stdout))
    async with application:
        await application.post_init(application)  # type: ignore[misc]
        await application.start()
        try:
            await run_console(application, sys.stdin, sys.stdout, log)
        finally:
            await application.stop()
            await application.post_shutdown(application)  # type: ignore[misc]
    return 0
