"""The ``briefbot`` command: serve Telegram, open the console chat, ingest digests."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from telegram import Update

from bot.app import build_application
from bot.console import ChatLog, ConsoleBotApi, run_console
from bot.delivery.report import print_outbox
from bot.ingest_command import IngestError, ingest_file, ingest_url, is_url, load_sample_if_empty
from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.sources.pipeline import Pipeline
from bot.sources_command import add_sources_parser, run_sources_command
from briefing.sources import SourceError
from storage.store import Store

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 2
    command: str = args.command or "start"
    secrets = [s.get_secret_value() for s in (settings.token, settings.llm_key) if s]
    configure_logging(_log_level(settings, command), secrets=secrets)
    if command == "ingest":
        return asyncio.run(_ingest(settings, args.targets))
    if command == "sources":
        return asyncio.run(_sources(settings, args))
    if command == "outbox":
        return asyncio.run(print_outbox(settings.database, sys.stdout))
    if command == "chat" or (command == "start" and settings.token is None):
        if command == "start":
            print("No BRIEFBOT_TOKEN configured: opening the local console chat instead.")
        return asyncio.run(_chat(settings))
    if settings.token is None:
        print("briefbot: BRIEFBOT_TOKEN is not set (see .env.example)", file=sys.stderr)
        return 2
    application = build_application(settings, poll_sources=True, deliver=True)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def _log_level(settings: Settings, command: str) -> str:
    """The console chat shares the terminal with the log: keep it to warnings there."""
    console = command == "chat" or (command == "start" and settings.token is None)
    if console and settings.log_level in {"INFO", "NOTSET"}:
        return "WARNING"
    return settings.log_level


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="A Telegram bot that delivers daily news briefings."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("start", help="serve Telegram, or the console chat without a token")
    commands.add_parser("run", help="serve Telegram by long polling (needs BRIEFBOT_TOKEN)")
    commands.add_parser("chat", help="talk to the bot in this terminal, no Telegram needed")
    ingest = commands.add_parser(
        "ingest", help="store briefings from digest, feed or WordPress export files, or URLs"
    )
    ingest.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    add_sources_parser(commands)
    commands.add_parser("outbox", help="messages queued for chats: counts by state, errors")
    return parser


async def _ingest(settings: Settings, targets: Sequence[str]) -> int:
    failures = 0
    async with _pipeline(settings) as (_, pipeline):
        for target in targets:
            try:
                if is_url(target):
                    stored = await ingest_url(target, pipeline)
                else:
                    stored = await ingest_file(Path(target), pipeline.ingestor)
            except IngestError as error:
                print(f"error: {error}", file=sys.stderr)
                failures += 1
                continue
            for ingested in stored:
                print(f"{target}: {ingested.describe()}")
    return 1 if failures else 0


async def _sources(settings: Settings, args: argparse.Namespace) -> int:
    async with _pipeline(settings) as (_, pipeline):
        try:
            return await run_sources_command(pipeline.sources, args, sys.stdout)
        except SourceError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1


@asynccontextmanager
async def _pipeline(settings: Settings) -> AsyncIterator[tuple[Store, Pipeline]]:
    store = await Store.open(settings.database)
    pipeline = Pipeline.open(store, settings)
    try:
        yield store, pipeline
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
