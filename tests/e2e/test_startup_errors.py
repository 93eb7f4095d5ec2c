"""`briefbot run` against a Bot API that refuses it: one line, no traceback, no token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import bot_environment, bot_process
from tests.fakes.botapi import TOKEN, ApiError, FakeBotApi
from tests.fakes.server import serve_bot_api
from tests.processes import process_environment, run_briefbot

SECRET_HALF = TOKEN.split(":")[1]
REJECTED = "briefbot: Telegram rejected the token: check BRIEFBOT_TOKEN"


def run_against(api: FakeBotApi, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`briefbot run` to its end against ``api``, at the default log level."""
    with serve_bot_api(api) as url:
        settings = {
            "BRIEFBOT_TOKEN": TOKEN,
            "BRIEFBOT_API_URL": url,
            "BRIEFBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
            **env,
        }
        return run_briefbot("run", cwd=tmp_path, env=process_environment(**settings))


def assert_one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    """A non-zero exit with one line on stderr, no traceback and no part of the token."""
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for leak in (TOKEN, SECRET_HALF, TOKEN.replace(":", "%3A")):
        assert leak not in output
    assert "Traceback" not in output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unknown_token_answered_401_is_one_line(tmp_path: Path) -> None:
    # The fake server answers 401 Unauthorized to every token but its own, as Telegram does.
    result = run_against(FakeBotApi(), tmp_path, BRIEFBOT_TOKEN="654321:AAE-another-real-looking")
    assert assert_one_clean_line(result) == REJECTED
    assert "AAE-another-real-looking" not in result.stderr


def test_a_malformed_token_answered_404_is_one_line(tmp_path: Path) -> None:
    api = FakeBotApi()
    api.fail_next("getMe", ApiError(404, "Not Found"))
    result = run_against(api, tmp_path)
    assert assert_one_clean_line(result) == REJECTED
    assert [method for method, _ in api.calls] == ["getMe"]
    assert not (tmp_path / "bot.sqlite3").exists()  # nothing touched before Telegram said yes


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_error_page_quoting_the_token_is_one_line(tmp_path: Path, status: int) -> None:
    api = FakeBotApi(html_error=status)
    result = run_against(api, tmp_path)
    line = assert_one_clean_line(result)
    assert line.startswith("briefbot: cannot reach the Bot API at http://127.0.0.1:")
    assert f"({status})" in line


def test_the_api_url_in_ptb_form_ending_in_bot_serves(tmp_path: Path) -> None:
    """PTB's docs give base_url as ``…/bot``: the bot must not ask for ``/bot/bot<token>``."""
    api = FakeBotApi()
    with (
        serve_bot_api(api) as url,
        bot_process(api, bot_environment(tmp_path, f"{url}/bot"), tmp_path),
    ):
        pass
    assert [method for method, _ in api.calls][:1] == ["getMe"]
    assert {c["command"] for c in api.commands} >= {"start", "today"}


def test_a_directory_as_database_stops_run_before_polling(tmp_path: Path) -> None:
    api = FakeBotApi()
    (tmp_path / "db").mkdir()
    result = run_against(api, tmp_path, BRIEFBOT_DATABASE=str(tmp_path / "db"))
    line = assert_one_clean_line(result)
    assert line == "briefbot: BRIEFBOT_DATABASE: is a directory, not a database file"
    assert [method for method, _ in api.calls] == ["getMe"]
