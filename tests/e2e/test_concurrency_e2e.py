"""One chat's flood wait stalls nobody else: `briefbot run` against a Bot API that enforces
a per-group limit (Telegram's 20 a minute, in a window shrunk to seconds)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import bot_environment, bot_process
from tests.fakes.botapi import FakeBotApi, GroupLimit
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, BOB, BOB_CHAT, GROUP_CHAT

GROUP_LIMIT = 20
WINDOW_SECONDS = 3.0
ANSWERS_TIMEOUT = 60.0


def test_a_private_start_is_answered_while_a_flooded_group_waits(tmp_path: Path) -> None:
    api = FakeBotApi(group_limit=GroupLimit(GROUP_LIMIT, WINDOW_SECONDS))
    with serve_bot_api(api) as url, bot_process(api, bot_environment(tmp_path, url), tmp_path):
        for _ in range(GROUP_LIMIT + 1):
            api.user_sends(GROUP_CHAT, ADA, "/today")
        api.user_sends(BOB_CHAT, BOB, "/start")
        api.wait_for(
            lambda a: (
                len([s for s in a.sent if s.chat_id == GROUP_CHAT["id"]]) == GROUP_LIMIT + 1
                and any(s.chat_id == BOB_CHAT["id"] for s in a.sent)
            ),
            timeout=ANSWERS_TIMEOUT,
        )
    # Membership changes are asked for: only they say whether a chat is reachable.
    polls = [p for m, p in api.calls if m == "getUpdates"]
    assert all("my_chat_member" in p["allowed_updates"] for p in polls)
    chats = [s.chat_id for s in api.sent]
    group_sends = [p for m, p in api.calls if m == "sendMessage" and int(p["chat_id"]) < 0]
    # The 21st answer met the limit once and was sent again after its retry_after ...
    assert len(group_sends) == GROUP_LIMIT + 2
    # ... while Bob's /start, sent after all 21 /today, was answered before it.
    last_group_answer = len(chats) - 1 - chats[::-1].index(GROUP_CHAT["id"])
    assert chats.index(BOB_CHAT["id"]) < last_group_answer
    assert "/today" in api.sent[chats.index(BOB_CHAT["id"])].text
