"""One line for each way start-up fails: the database, the token, the Bot API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from telegram.error import InvalidToken, NetworkError, TelegramError

from storage.db import MigrationError
from storage.store import Store

DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, OSError, MigrationError)
REASON_LIMIT = 200
CONFIG_EXIT = 2
FAILURE_EXIT = 1


class StartupError(Exception):
    """Start-up cannot go on; the message is one line for the operator, without secrets
    once the caller has redacted it."""

    def __init__(self, message: str, exit_code: int = FAILURE_EXIT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


async def open_store(path: Path) -> Store:
    """``Store.open``, with every reason it fails turned into a line naming the setting."""
    try:
        _probe(path)
        return await Store.open(path)
    except DATABASE_ERRORS as error:
        raise database_error(error, path) from None


def _probe(path: Path) -> None:
    """Fail here where connecting would: after a failed connect, aiosqlite's thread still
    calls back into the event loop, which by then is closed (a traceback at exit)."""
    if str(path) == ":memory:":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()


async def check_database(path: Path) -> None:
    """Open and close the database once, so that ``run`` fails before it goes online."""
    store = await open_store(path)
    await store.close()


def database_error(error: Exception, path: Path) -> StartupError:
    """The line for a database that cannot be opened at ``path``."""
    return StartupError(f"BRIEFBOT_DATABASE: {_database_reason(error, path)}", CONFIG_EXIT)


def telegram_error(error: TelegramError, api_url: str) -> StartupError:
    """The line for a Bot API failure while the bot starts."""
    if isinstance(error, InvalidToken):
        return StartupError("Telegram rejected the token: check BRIEFBOT_TOKEN", CONFIG_EXIT)
    reason = short_reason(error)
    if isinstance(error, NetworkError):
        return StartupError(f"cannot reach the Bot API at {api_url}: {reason}")
    return StartupError(f"the Bot API at {api_url} refused to start the bot: {reason}")


def short_reason(error: BaseException) -> str:
    """The first line of an error's message, without a server's echoed body, capped.

    The caller still redacts it: a proxy's error page may quote the URL with the token.
    """
    text = str(error).split(". Parsing the server response", 1)[0]
    lines = text.strip().splitlines() or [type(error).__name__]
    line = lines[0]
    return line if len(line) <= REASON_LIMIT else line[: REASON_LIMIT - 1] + "…"


def _database_reason(error: Exception, path: Path) -> str:
    if path.is_dir():
        return "is a directory, not a database file"
    if path.exists() and not path.is_file():
        return "is not a regular file (a device or a pipe?)"
    if not _first_existing(path.parent).is_dir():
        return "a part of its path is a file, not a folder"
    if isinstance(error, PermissionError):
        return "permission denied: the file or its folder is not writable"
    if isinstance(error, OSError):
        return f"cannot create its folder ({error.strerror or type(error).__name__})"
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_NOTADB":
        return "the file is not a SQLite database"
    if name.startswith("SQLITE_CANTOPEN"):
        return "cannot open or create the file: is its folder writable?"
    if name.startswith("SQLITE_READONLY"):
        return "the file is read-only"
    return f"cannot use the database ({short_reason(error)})"


def _first_existing(path: Path) -> Path:
    """``path`` or its nearest ancestor that exists."""
    return next((p for p in (path, *path.parents) if p.exists()), Path("/"))
