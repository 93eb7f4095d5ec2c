"""The ``briefbot`` command: serve Telegram, open the console chat, ingest digests."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from telegram import Update

from bot.app import build_application
from bot.console import ChatLog, ConsoleBotApi, run_console
from bot.ingest import IngestError, load_sample_if_empty, read_digest, store_briefing
from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings
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
        return asyncio.run(_ingest(settings, args.paths))
    if command == "chat" or (command == "start" and settings.token is None):
        if command == "start":
            print("No BRIEFBOT_TOKEN configured: opening the local console chat instead.")
        return asyncio.run(_chat(settings))
    if settings.token is None:
        print("briefbot: BRIEFBOT_TOKEN is not set (see .env.example)", file=sys.stderr)
        return 2
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
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
    ingest = commands.add_parser("ingest", help="store text digests")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    return parser


async def _ingest(settings: Settings, paths: Sequence[Path]) -> int:
    failures = 0
    store = await Store.open(settings.database)
    try:
        for path in paths:
            try:
                ingested = await store_briefing(store, read_digest(path))
            except IngestError as error:
                print(f"error: {error}", file=sys.stderr)
                failures += 1
                continue
            print(f"{path}: {ingested.describe()}")
    finally:
        await store.close()
    return 1 if failures else 0


async def _chat(settings: Settings) -> int:
    store = await Store.open(settings.database)
    try:
        sample = await load_sample_if_empty(store)
    finally:
        await store.close()
    if sample is not None:
        print(f"Loaded the sample briefing {sample.briefing.title!r} into {settings.database}.")
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
