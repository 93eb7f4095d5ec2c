"""Item 11: `briefbot run` killed with SIGKILL mid-delivery, restarted: nothing lost, and at
most the one message per chat that was in flight sent twice."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter
from pathlib import Path

from briefing.outgoing import OutgoingMessage
from storage.store import Store
from tests.e2e.conftest import START_TIMEOUT, bot_environment, bot_process, briefbot
from tests.fakes.botapi import FakeBotApi, FloodLimits
from tests.fakes.server import serve_bot_api

CHATS = 20
PER_CHAT = 10
DELIVERY_TIMEOUT = 120.0


def _messages() -> list[OutgoingMessage]:
    return [
        OutgoingMessage(chat, "alert", str(n), f"<b>alert {n}</b> for chat {chat}")
        for n in range(PER_CHAT)
        for chat in range(1, CHATS + 1)
    ]


async def _prefill(database: Path) -> None:
    store = await Store.open(database)
    try:
        assert await store.outbox.enqueue(_messages()) == CHATS * PER_CHAT
    finally:
        await store.close()


def test_a_killed_sender_loses_nothing_and_repeats_at_most_one_per_chat(
    tmp_path: Path, api: FakeBotApi
) -> None:
    api.flood_limits = FloodLimits()
    api.add_chats(
        *({"id": c, "type": "private", "first_name": f"U{c}"} for c in range(1, CHATS + 1))
    )
    total = CHATS * PER_CHAT
    with serve_bot_api(api) as url:
        env = bot_environment(tmp_path, url)
        asyncio.run(_prefill(Path(env["BRIEFBOT_DATABASE"])))

        with (tmp_path / "killed.log").open("w+") as log:
            killed = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env=env,
                cwd=tmp_path,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                api.wait_for(lambda a: len(a.sent) >= total // 2, timeout=DELIVERY_TIMEOUT)
            finally:
                killed.kill()
                killed.wait(timeout=START_TIMEOUT)
            sent_before_kill = len(api.sent)
            log.seek(0)
            assert "Traceback" not in log.read()
        assert sent_before_kill < total

        with bot_process(api, env, tmp_path):
            api.wait_for(
                lambda a: len({(s.chat_id, s.text) for s in a.sent}) == total,
                timeout=DELIVERY_TIMEOUT,
            )

        outbox = briefbot("outbox", env=env, cwd=tmp_path)

    copies = Counter((s.chat_id, s.text) for s in api.sent)
    expected = {(m.chat_id, f"alert {m.item_key} for chat {m.chat_id}") for m in _messages()}
    assert set(copies) == expected  # lost 0
    repeated = Counter(chat for (chat, _), n in copies.items() if n > 1 for _ in range(n - 1))
    assert all(n <= 1 for n in repeated.values()), repeated
    # (429s may come right after the restart, whose pacer starts afresh: they are retried.)
    assert outbox.returncode == 0, outbox.stderr
    assert outbox.stdout.splitlines()[:2] == ["pending  0", f"sent     {total}"]
