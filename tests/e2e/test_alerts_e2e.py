"""Topic alerts through `briefbot run`: a feed on 127.0.0.1 gains a matching entry and the
subscribers hear of it once; a reader who blocked the bot is marked inactive while the others
still get theirs; a group that became a supergroup keeps its topics."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from storage.store import Store
from tests.e2e.conftest import ask, bot_environment, bot_process
from tests.fakes.botapi import FakeBotApi, Sent
from tests.fakes.feeds import RSS
from tests.fakes.http_server import HttpServer, serve_http, static
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, BOB, BOB_CHAT, PRIVATE_CHAT

ALERT_TIMEOUT = 60.0
GROUP: dict[str, Any] = {"id": -4001, "type": "group", "title": "Harbour readers"}
SUPERGROUP_ID = -1004001
CAROL: dict[str, Any] = {"id": 6161, "is_bot": False, "first_name": "Carol", "language_code": "en"}
CAROL_CHAT: dict[str, Any] = {"id": 6161, "type": "private", "first_name": "Carol"}

ITEM = """<item><title>{title}</title><link>{base}/post/{n}</link>
<guid isPermaLink="false">harbour-{n}</guid>
<pubDate>Tue, 24 Nov 2026 0{n}:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>"""


def _feed(base: str, *entries: tuple[str, str]) -> bytes:
    items = "".join(
        ITEM.format(title=title, body=body, base=base, n=n)
        for n, (title, body) in enumerate(entries, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Harbour Daily</title><link>{base}</link>{items}</channel></rss>"
    ).encode()


MARKET = ("Market day on the quay", "Stalls sold apples and fish until the rain came.")
LIGHTHOUSE = (
    "The lighthouse gets a new lamp",
    "Engineers fitted a brighter lamp to the old lighthouse on Tuesday night.",
)


def _serve(feeds: HttpServer, *entries: tuple[str, str]) -> str:
    return feeds.route("/feed.xml", static(_feed(feeds.base_url, *entries), content_type=RSS))


def _alerts(api: FakeBotApi, chat_id: int) -> list[Sent]:
    return [m for m in api.sent if m.chat_id == chat_id and "Matches your topic" in m.text]


def _subscribe(api: FakeBotApi, chat: dict[str, Any], user: dict[str, Any]) -> None:
    before = len(api.sent)
    api.user_sends(chat, user, "/subscribe lighthouses")
    api.wait_for(lambda a: any("Subscribed to" in m.text for m in a.sent[before:]))


def _poll(api: FakeBotApi) -> None:
    ask(api, "/poll", lambda sent: any("Polled" in m.text for m in sent))


async def _chat_state(database: Path, chat_id: int) -> tuple[bool | None, list[str]]:
    store = await Store.open(database)
    try:
        chat = await store.chats.get(chat_id)
        topics = [t.label for t in await store.subscriptions.topics(chat_id)]
        return (chat.active if chat else None), topics
    finally:
        await store.close()


def test_a_new_matching_entry_alerts_each_subscriber_once(tmp_path: Path, api: FakeBotApi) -> None:
    with serve_http() as feeds, serve_bot_api(api) as api_url:
        feed_url = _serve(feeds, MARKET)
        env = bot_environment(tmp_path, api_url, BRIEFBOT_ADMIN_IDS=str(ADA["id"]))
        with bot_process(api, env, tmp_path):
            for chat, user in ((PRIVATE_CHAT, ADA), (BOB_CHAT, BOB), (CAROL_CHAT, CAROL)):
                _subscribe(api, chat, user)
            _subscribe(api, GROUP, ADA)
            ask(api, f"/addsource {feed_url}", lambda sent: any("Added" in m.text for m in sent))
            assert not [m for m in api.sent if "Matches your topic" in m.text]  # none matched yet

            # Bob blocks the bot without the bot being told; the group becomes a supergroup.
            api.blocked_chats.add(BOB_CHAT["id"])
            api.upgrade_group(GROUP["id"], SUPERGROUP_ID)
            _serve(feeds, MARKET, LIGHTHOUSE)
            _poll(api)
            api.wait_for(
                lambda a: all(_alerts(a, c) for c in (ADA["id"], CAROL["id"], SUPERGROUP_ID)),
                timeout=ALERT_TIMEOUT,
            )
            # Polled again with nothing new: nobody hears of it twice.
            _poll(api)
            [topics] = ask(
                api,
                "/topics",
                lambda sent: any("topics" in m.text for m in sent),
            )
            before = len(api.sent)
            api.user_sends({**GROUP, "id": SUPERGROUP_ID, "type": "supergroup"}, ADA, "/topics")
            api.wait_for(lambda a: any(m.chat_id == SUPERGROUP_ID for m in a.sent[before:]))
            group_topics = next(m for m in api.sent[before:] if m.chat_id == SUPERGROUP_ID)

        for chat_id in (ADA["id"], CAROL["id"], SUPERGROUP_ID):
            [alert] = _alerts(api, chat_id)
            assert alert.text.startswith("🔔 The lighthouse gets a new lamp\n\n")
            assert "\n\nHarbour Daily · 24 November 2026 · source\n\n" in alert.text
            assert alert.text.endswith("Matches your topic “lighthouses”")
            assert alert.buttons[0][0]["text"] == "📖 Open the story"
        assert _alerts(api, BOB_CHAT["id"]) == []
        assert _alerts(api, GROUP["id"]) == []
        assert "1. lighthouses" in topics.text
        assert "1. lighthouses" in group_topics.text

    database = Path(env["BRIEFBOT_DATABASE"])
    assert asyncio.run(_chat_state(database, BOB_CHAT["id"])) == (False, ["lighthouses"])
    assert asyncio.run(_chat_state(database, GROUP["id"])) == (None, [])
    assert asyncio.run(_chat_state(database, SUPERGROUP_ID)) == (True, ["lighthouses"])
