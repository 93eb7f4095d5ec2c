"""``briefbot db backup|migrate|check``: the database's upkeep, safe while the bot runs."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO

from bot.settings import Settings
from bot.startup_errors import DATABASE_ERRORS, StartupError, database_error, open_store
from storage.db import BUSY_TIMEOUT_MS

PROBLEMS_SHOWN = 5
BACKUP_PAGES_PER_STEP = 1024  # the bot's writes get the lock between steps


def add_db_parser(commands: Any) -> None:
    """Add the ``db`` command and its subcommands to the CLI's subparsers."""
    db = commands.add_parser("db", help="back up, migrate or check the database")
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    backup = actions.add_parser("backup", help="copy the database to PATH, safe while it runs")
    backup.add_argument("path", metavar="PATH", type=Path)
    actions.add_parser("migrate", help="apply the migrations the database lacks")
    actions.add_parser("check", help="integrity_check and foreign_key_check")


async def run_db_command(settings: Settings, args: Any, out: TextIO) -> int:
    """Run ``briefbot db ACTION``; the exit status."""
    database = settings.database
    if args.action == "migrate":
        before = await asyncio.to_thread(schema_version, database)
        store = await open_store(database)
        after = len(await store.database.applied_migrations())
        await store.close()
        out.write(f"{database}: schema version {after} ({after - before} migrations applied)\n")
        return 0
    if not database.is_file():
        raise StartupError(f"BRIEFBOT_DATABASE: {database} does not exist")
    try:
        if args.action == "backup":
            out.write(await asyncio.to_thread(backup, database, args.path) + "\n")
            return 0
        problems = await asyncio.to_thread(check, database)
    except DATABASE_ERRORS as error:
        raise database_error(error, database) from None
    for line in problems or ["integrity: ok", "foreign keys: ok"]:
        out.write(line + "\n")
    return 1 if problems else 0


def backup(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` with SQLite's online backup, then open the copy to
    verify it; one line saying what was copied.

    Raises:
        StartupError: ``target`` exists, or the copy does not verify (it is removed).
    """
    if target.exists():
        raise StartupError(f"{target} exists already: give a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _connect(source) as original, _connect(target) as copy:
        original.backup(copy, pages=BACKUP_PAGES_PER_STEP)
    problems = check(target)
    if problems:
        target.unlink(missing_ok=True)
        raise StartupError(f"the copy did not verify ({problems[0]}): nothing kept")
    size = target.stat().st_size
    return f"backed up {source} to {target}: {size} bytes, schema version {schema_version(target)}"


def check(path: Path) -> list[str]:
    """What ``integrity_check`` and ``foreign_key_check`` find in ``path``; empty if none."""
    with _connect(path) as connection:
        integrity = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
    problems = [] if integrity == ["ok"] else [f"integrity: {line}" for line in integrity]
    problems += [
        f"foreign keys: {row[0]} row {row[1]} points at a missing {row[2]} row"
        for row in foreign[:PROBLEMS_SHOWN]
    ]
    if len(foreign) > PROBLEMS_SHOWN:
        problems.append(f"foreign keys: {len(foreign) - PROBLEMS_SHOWN} more violations")
    return problems


def schema_version(path: Path) -> int:
    """How many migrations ``path`` records (0 for a new file)."""
    if not path.is_file():
        return 0
    with _connect(path) as connection:
        table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ).fetchone()
        if table is None:
            return 0
        return int(connection.execute("SELECT count(*) FROM migrations").fetchone()[0])


def _connect(path: Path) -> closing[sqlite3.Connection]:
    """A connection closed on exit (sqlite3's own context manager only commits)."""
    return closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000))
