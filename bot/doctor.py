"""``briefbot doctor``: one line per check, and a non-zero exit when any found a problem."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

import httpx
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.db_command import check, schema_version
from bot.settings import Settings
from bot.startup_errors import DATABASE_ERRORS, short_reason
from briefing.terminal_text import for_terminal
from briefing.urls import shown_url
from storage.db import MIGRATIONS_PACKAGE

API_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's outcome."""

    name: str
    detail: str
    ok: bool = True

    def line(self) -> str:
        """``ok      name: detail``, or ``PROBLEM name: detail``."""
        return for_terminal(f"{'ok' if self.ok else 'PROBLEM':<7} {self.name}: {self.detail}")


async def run_doctor(settings: Settings, out: TextIO) -> int:
    """Check everything the bot needs; 1 when something is wrong, else 0."""
    findings = [_settings(settings)]
    out.write(findings[0].line() + "\n")
    for finding in [await _api(settings), await _token(settings)]:
        findings.append(finding)
        out.write(finding.line() + "\n")
    for finding in await _database(settings):
        findings.append(finding)
        out.write(finding.line() + "\n")
    return 0 if all(f.ok for f in findings) else 1


def _settings(settings: Settings) -> Finding:
    mode = f"webhook {shown_url(settings.webhook_url)}" if settings.webhook_url else "polling"
    health = f"port {settings.health_port}" if settings.health_port is not None else "off"
    return Finding(
        "settings",
        f"database {settings.database}, {mode}, health check {health},"
        f" {len(settings.admin_ids)} admins, zone {settings.timezone}",
    )


async def _api(settings: Settings) -> Finding:
    """Whether the Bot API server answers HTTP at all (any status will do)."""
    try:
        async with httpx.AsyncClient(timeout=API_TIMEOUT_SECONDS) as client:
            answer = await client.get(settings.api_url)
    except httpx.HTTPError as error:
        return Finding("Bot API", f"{settings.api_url} unreachable ({short_reason(error)})", False)
    return Finding("Bot API", f"{settings.api_url} answers (HTTP {answer.status_code})")


async def _token(settings: Settings) -> Finding:
    if settings.token is None:
        return Finding("token", "BRIEFBOT_TOKEN is not set", False)
    bot = Bot(settings.token.get_secret_value(), base_url=settings.bot_api_base_url)
    try:
        async with asyncio.timeout(API_TIMEOUT_SECONDS * 2):
            me = await bot.get_me()
    except InvalidToken:
        return Finding("token", "Telegram rejected the token: check BRIEFBOT_TOKEN", False)
    except (NetworkError, TimeoutError) as error:
        return Finding("token", f"not checked: the Bot API is unreachable ({error})", False)
    except TelegramError as error:
        return Finding("token", f"getMe failed: {error.message}", False)
    finally:
        await bot.shutdown()
    return Finding("token", f"ok: @{me.username} (id {me.id})")


async def _database(settings: Settings) -> list[Finding]:
    """The file's integrity and schema, then each source; read only, nothing migrated."""
    path = settings.database
    if not path.is_file():
        return [Finding("database", f"{path} does not exist yet (created at the first start)")]
    try:
        problems = await asyncio.to_thread(check, path)
        version = await asyncio.to_thread(schema_version, path)
        sources = await asyncio.to_thread(_read_sources, path) if version else []
    except DATABASE_ERRORS as error:
        return [Finding("database", f"{path}: {short_reason(error)}", False)]
    latest = sum(
        1 for entry in resources.files(MIGRATIONS_PACKAGE).iterdir() if entry.name.endswith(".sql")
    )
    pending = f", {latest - version} migrations to apply at start" if version < latest else ""
    found = [Finding("database", problem, False) for problem in problems] or [
        Finding("database", f"{path}: schema version {version}{pending}, integrity ok")
    ]
    if version:
        found.extend(_sources(sources))
    return found


def _read_sources(path: Path) -> list[tuple[int, str, str | None, int, str | None]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT id, url, last_success_at, failures, last_error FROM sources ORDER BY id"
        ).fetchall()


def _sources(
    sources: list[tuple[int, str, str | None, int, str | None]],
) -> Iterator[Finding]:
    if not sources:
        yield Finding("sources", "none yet (add one with briefbot sources add URL)")
    for source_id, raw_url, last_success, failures, last_error in sources:
        name, url = f"source #{source_id}", shown_url(raw_url)
        if failures:
            yield Finding(name, f"{url}: {failures} failures in a row: {last_error}", False)
        elif last_success is None:
            yield Finding(name, f"{url}: not polled yet")
        else:
            yield Finding(name, f"{url}: last success {last_success}")
