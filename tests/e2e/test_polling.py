"""`briefbot run` as a real process, long polling a strict Bot API server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.botapi import TOKEN, FakeBotApi
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, PRIVATE_CHAT

REPOSITORY = Path(__file__).resolve().parents[2]


def _environment(tmp_path: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env.update(
        BRIEFBOT_TOKEN=TOKEN,
        BRIEFBOT_API_URL=api_url,
        BRIEFBOT_DATABASE=str(tmp_path / "e2e.sqlite3"),
        BRIEFBOT_LOG_LEVEL="DEBUG",
        PYTHONPATH=str(REPOSITORY),
    )
    return env


def _briefbot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
def running_bot(tmp_path: Path, api: FakeBotApi, seed_file: Path) -> Iterator[FakeBotApi]:
    """The seed ingested, then `briefbot run` polling the fake API until the test ends."""
    with serve_bot_api(api) as url:
        env = _environment(tmp_path, url)
        ingest = _briefbot("ingest", str(seed_file), env=env, cwd=tmp_path)
        assert ingest.returncode == 0, ingest.stderr
        log = (tmp_path / "bot.log").open("w+")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            api.wait_for(lambda a: any(m == "getUpdates" for m, _ in a.calls), timeout=30)
            yield api
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=30)
            log.seek(0)
            output = log.read()
            log.close()
        assert code == 0, output
        assert TOKEN not in output
        assert TOKEN.split(":")[1] not in output


def test_start_today_and_a_button_over_http(running_bot: FakeBotApi) -> None:
    api = running_bot
    assert {c["command"] for c in api.commands} >= {"start", "help", "today"}

    api.user_sends(PRIVATE_CHAT, ADA, "/start")
    api.wait_for(lambda a: len(a.sent) == 1)
    assert "/today" in api.sent[0].text

    api.user_sends(PRIVATE_CHAT, ADA, "/today")
    api.wait_for(lambda a: len(a.sent) >= 2 and a.sent[-1].buttons)
    today = api.sent[-1]
    assert "Syria Daily" in today.text
    assert "Putin says Syrian people “divided” and discusses safe zones with Trump" in today.text
    assert len(today.buttons) == 4

    before = len(api.sent)
    api.user_presses(ADA, today, today.buttons[2][0]["callback_data"])
    api.wait_for(lambda a: len(a.sent) > before and len(a.callback_answers) == 1)
    card = api.sent[-1]
    assert card.text.startswith("Russian Lieutenant Colonel Killed by Sniper")
