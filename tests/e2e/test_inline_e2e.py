"""Inline mode end to end: `briefbot run` answers @bot words over HTTP, and the card's
"Open in bot" link opens the story in a private chat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.conftest import bot_environment, bot_process, briefbot
from tests.fakes.botapi import FakeBotApi
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, PRIVATE_CHAT


@pytest.fixture
def running_bot(tmp_path: Path, api: FakeBotApi, seed_file: Path) -> Iterator[FakeBotApi]:
    with serve_bot_api(api) as url:
        env = bot_environment(tmp_path, url)
        ingest = briefbot("ingest", str(seed_file), env=env, cwd=tmp_path)
        assert ingest.returncode == 0, ingest.stderr
        with bot_process(api, env, tmp_path):
            yield api


def test_an_inline_query_offers_the_story_and_its_link_opens_the_card(
    running_bot: FakeBotApi,
) -> None:
    api = running_bot
    api.user_queries_inline(ADA, "sniper")
    api.wait_for(lambda a: len(a.inline_answers) == 1)
    [result] = api.inline_answers[0]["results"]
    assert result["title"] == "Russian Lieutenant Colonel Killed by Sniper"
    assert "Syria Daily" in result["input_message_content"]["message_text"]
    [[button]] = result["reply_markup"]["inline_keyboard"]
    [payload] = parse_qs(urlsplit(button["url"]).query)["start"]
    assert payload.startswith("story_")

    api.user_sends(PRIVATE_CHAT, ADA, f"/start {payload}")
    api.wait_for(lambda a: any(s.text.startswith("Russian Lieutenant") for s in a.sent))
    card = next(s for s in api.sent if s.text.startswith("Russian Lieutenant"))
    assert card.buttons  # the card's own buttons: back, comments, source
