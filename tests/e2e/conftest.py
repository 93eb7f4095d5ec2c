"""`briefbot` as real processes against the strict fake Bot API served on 127.0.0.1."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.fakes.botapi import TOKEN, FakeBotApi, Sent
from tests.handlers.conftest import ADA, PRIVATE_CHAT
from tests.processes import process_environment, run_briefbot

START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0


def bot_environment(tmp_path: Path, api_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot process: a clean BRIEFBOT_ set, a database in ``tmp_path``.

    Sources on 127.0.0.1, where the tests serve them, are allowed unless ``extra`` says
    ``BRIEFBOT_ALLOW_PRIVATE_SOURCES="false"``.
    """
    settings = {
        "BRIEFBOT_TOKEN": TOKEN,
        "BRIEFBOT_API_URL": api_url,
        "BRIEFBOT_DATABASE": str(tmp_path / "e2e.sqlite3"),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
        "BRIEFBOT_ALLOW_PRIVATE_SOURCES": "true",
        **extra,
    }
    return process_environment(**settings)


def briefbot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one ``python -m bot`` command to its end."""
    return run_briefbot(*args, cwd=cwd, env=env)


@contextmanager
def bot_process(api: FakeBotApi, env: dict[str, str], cwd: Path) -> Iterator[None]:
    """`briefbot run` long polling ``api`` for the block; then SIGINT, and a clean exit.

    The exit code must be 0 and the log must never show the token.
    """
    log = (cwd / "bot.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        api.wait_for(lambda a: any(m == "getUpdates" for m, _ in a.calls), timeout=START_TIMEOUT)
        yield
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=STOP_TIMEOUT)
        log.seek(0)
        output = log.read()
        log.close()
    assert code == 0, output
    assert "Traceback" not in output, output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


def ask(api: FakeBotApi, text: str, answered: Callable[[list[Sent]], bool]) -> list[Sent]:
    """Ada sends ``text``; the bot's messages once ``answered`` holds for them."""
    before = len(api.sent)
    api.user_sends(PRIVATE_CHAT, ADA, text)
    api.wait_for(lambda a: answered(a.sent[before:]))
    return api.sent[before:]


@pytest.fixture
def api() -> FakeBotApi:
    return FakeBotApi()
