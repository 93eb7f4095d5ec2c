"""`briefbot run` as a real process, long polling a strict Bot API server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import bot_environment, bot_process, briefbot
from tests.fakes.botapi import FakeBotApi
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, PRIVATE_CHAT


@pytest.fixture
def running_bot(tmp_path: Path, api: FakeBotApi, seed_file: Path) -> Iterator[FakeBotApi]:
    """The seed ingested, then `briefbot run` polling the fake API until the test ends."""
    with serve_bot_api(api) as url:
        env = bot_environment(tmp_path, url)
        ingest = briefbot("ingest", str(seed_file), env=env, cwd=tmp_path)
        assert ingest.returncode == 0, ingest.stderr
        with bot_process(api, env, tmp_path):
            yield api


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
    assert len(today.buttons) == 5  # a button per story, then the comments

    before = len(api.sent)
    api.user_presses(ADA, today, today.buttons[2][0]["callback_data"])
    api.wait_for(lambda a: len(a.sent) > before and len(a.callback_answers) == 1)
    card = api.sent[-1]
    assert card.text.startswith("Russian Lieutenant Colonel Killed by Sniper")
