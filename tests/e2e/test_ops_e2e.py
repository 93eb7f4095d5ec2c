"""`briefbot run --webhook` and /healthz as a real process; SIGTERM ends either mode with 0."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import START_TIMEOUT, bot_environment
from tests.fakes.botapi import TOKEN, FakeBotApi
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, PRIVATE_CHAT

SECRET = "s3cret_Webhook-token"
PUBLIC_URL = "https://bot.example.org/tg/hook"
SIGTERM_EXIT_BOUND = 10.0  # what the README promises


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _running(env: dict[str, str], cwd: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    log = (cwd / "bot.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _stop_with_sigterm(process: subprocess.Popen[str], cwd: Path) -> str:
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=SIGTERM_EXIT_BOUND)
    output = (cwd / "bot.log").read_text()
    assert code == 0, output
    assert "Traceback" not in output, output
    assert TOKEN.split(":")[1] not in output
    assert SECRET not in output
    return output


def _update(api: FakeBotApi, text: str) -> dict[str, Any]:
    api.user_sends(PRIVATE_CHAT, ADA, text)
    return api.take_updates(0, 0)[-1]


def _post(port: int, update: dict[str, Any], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    answer = httpx.post(
        f"http://127.0.0.1:{port}/tg/hook", content=json.dumps(update), headers=headers
    )
    return answer.status_code


def test_webhook_checks_the_secret_and_serves_health(tmp_path: Path, api: FakeBotApi) -> None:
    hook_port, health_port = _free_port(), _free_port()
    with serve_bot_api(api) as url:
        env = bot_environment(
            tmp_path,
            url,
            BRIEFBOT_WEBHOOK_URL=PUBLIC_URL,
            BRIEFBOT_WEBHOOK_PORT=str(hook_port),
            BRIEFBOT_WEBHOOK_SECRET=SECRET,
            BRIEFBOT_HEALTH_PORT=str(health_port),
        )
        with _running(env, tmp_path, "--webhook") as process:
            api.wait_for(lambda a: bool(a.webhook), timeout=START_TIMEOUT)
            assert api.webhook["url"] == PUBLIC_URL
            assert api.webhook["secret_token"] == SECRET
            assert not any(method == "getUpdates" for method, _ in api.calls)
            # PTB sets the webhook once its server listens; /healthz listens from post_init.
            health = httpx.get(f"http://127.0.0.1:{health_port}/healthz", timeout=5)
            assert health.status_code == 200
            assert health.json()["database"]["reachable"] is True

            assert _post(hook_port, _update(api, "/help"), None) == 403
            assert _post(hook_port, _update(api, "/help"), "wrong-secret") == 403
            assert _post(hook_port, _update(api, "/start"), SECRET) == 200
            api.wait_for(lambda a: len(a.sent) >= 1)

            _stop_with_sigterm(process, tmp_path)
    assert len(api.sent) == 1
    assert "/today" in api.sent[0].text
    assert "What I can do" not in api.sent[0].text


def test_polling_serves_health_and_stops_on_sigterm(tmp_path: Path, api: FakeBotApi) -> None:
    health_port = _free_port()
    with serve_bot_api(api) as url:
        env = bot_environment(
            tmp_path, url, BRIEFBOT_LOG_FORMAT="json", BRIEFBOT_HEALTH_PORT=str(health_port)
        )
        with _running(env, tmp_path) as process:
            api.wait_for(lambda a: any(m == "getUpdates" for m, _ in a.calls), START_TIMEOUT)
            # /healthz listens from post_init, before the first getUpdates.
            health = httpx.get(f"http://127.0.0.1:{health_port}/healthz", timeout=5)
            assert (health.status_code, health.json()["status"]) == (200, "ok")
            api.user_sends(PRIVATE_CHAT, ADA, "/start")
            api.wait_for(lambda a: len(a.sent) == 1)
            output = _stop_with_sigterm(process, tmp_path)
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert any(line["message"] == "Application.stop() complete" for line in lines)
