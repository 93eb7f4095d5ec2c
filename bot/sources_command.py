"""``briefbot sources``: add, list, remove, import and export the polled sources."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from bot.files import FileReadError, read_capped
from bot.sources.manager import SourceManager
from briefing.schedule import format_interval, parse_interval
from briefing.sources import DEFAULT_INTERVAL_SECONDS, Source, SourceError, SourceKind
from briefing.terminal_text import for_terminal


def add_sources_parser(commands: Any) -> None:
    """Add the ``sources`` command and its subcommands to the CLI's subparsers."""
    sources = commands.add_parser("sources", help="manage the sources the bot polls")
    actions = sources.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed, WordPress site or digest URL")
    add.add_argument("url")
    add.add_argument(
        "--every",
        type=_interval,
        default=DEFAULT_INTERVAL_SECONDS,
        metavar="INTERVAL",
        help="how often to poll it, e.g. 15m, 1h (default 15m)",
    )
    add.add_argument(
        "--kind",
        choices=[k.value for k in SourceKind],
        help="skip detection: feed, wordpress, digest or wxr",
    )
    actions.add_parser("list", help="every source with its last success and last error")
    remove = actions.add_parser("remove", help="stop polling a source (its briefings stay)")
    remove.add_argument("source", metavar="ID_OR_URL")
    opml = actions.add_parser("import", help="add every feed of an OPML subscription list")
    opml.add_argument("file", type=Path, metavar="FILE.opml")
    opml.add_argument(
        "--every",
        type=_interval,
        default=DEFAULT_INTERVAL_SECONDS,
        metavar="INTERVAL",
        help="how often to poll them (default 15m)",
    )
    actions.add_parser("export", help="print every source as OPML 2.0")


async def run_sources_command(
    manager: SourceManager, args: argparse.Namespace, out: TextIO
) -> int:
    """Carry out one ``sources`` action; SourceError reaches the caller."""
    if args.action == "add":
        kind = SourceKind(args.kind) if args.kind else None
        added = await manager.add(args.url, interval_seconds=args.every, kind=kind)
        out.write(f"added {describe_source(added.first_poll.source)}\n")
        out.write(for_terminal(f"first poll: {added.first_poll.describe()}") + "\n")
    elif args.action == "list":
        sources = await manager.list()
        out.write("".join(f"{describe_source(s, detailed=True)}\n" for s in sources))
        if not sources:
            out.write("no sources yet: add one with `briefbot sources add URL`\n")
    elif args.action == "remove":
        removed = await manager.remove(args.source)
        if removed is None:
            raise SourceError(f"no source {args.source!r}: see `briefbot sources list`")
        out.write(f"removed {describe_source(removed)}\n")
    elif args.action == "import":
        imported = await manager.import_opml(_read(args.file), interval_seconds=args.every)
        for source in imported.added:
            out.write(f"added {describe_source(source)}\n")
        for url in imported.already_there:
            out.write(for_terminal(f"already there: {url}") + "\n")
        for url, reason in imported.rejected:
            out.write(for_terminal(f"skipped {url}: {reason}") + "\n")
    else:  # OPML is data for a file, not text for a person: written as it is
        out.write(await manager.export_opml())
    return 0


def describe_source(source: Source, *, detailed: bool = False) -> str:
    """One line: id, kind, interval, URL and title; with the last poll's outcome if asked.

    Safe to print: what came from outside (the URL, the title, the error) is escaped.
    """
    line = (
        f"{source.id}  {source.kind.value:<9} every {format_interval(source.interval_seconds):<6}"
        f" {source.display_url}"
    )
    if source.title:
        line += f"  ({source.title})"
    if detailed:
        success = (
            source.last_success_at.isoformat(timespec="minutes")
            if source.last_success_at
            else "never"
        )
        line += f"\n    last success: {success}"
        if source.last_error:
            line += f"; last error: {source.last_error} ({source.failures} in a row)"
    return for_terminal(line)


def _interval(text: str) -> int:
    try:
        return parse_interval(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _read(path: Path) -> bytes:
    try:
        return read_capped(path)
    except FileReadError as error:
        raise SourceError(str(error)) from None
