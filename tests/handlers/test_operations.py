"""/stats, /poll and /broadcast through real updates; the admin menu on the recording API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Block, BlockKind, Briefing, Story
from storage.timestamps import to_db
from tests.fakes.feeds import serve_feed
from tests.fakes.http_server import HttpServer
from tests.handlers.conftest import ADA, BOB, BOB_CHAT, BotHarness


async def test_admins_get_their_commands_in_their_own_menu_only(admin_harness: BotHarness) -> None:
    everyone = [c["command"] for c in admin_harness.api.commands]
    assert "stats" not in everyone
    assert "broadcast" not in everyone
    [admin_menu] = admin_harness.api.chat_commands.values()
    assert list(admin_harness.api.chat_commands) == [ADA["id"]]
    assert [c["command"] for c in admin_menu] == [
        *everyone,
        *["addsource", "removesource", "mute", "unmute", "stats", "poll"],
        "broadcast",
    ]


async def test_stats_counts_chats_stories_and_recent_sends(admin_harness: BotHarness) -> None:
    store = admin_harness.store
    await store.briefings.save(
        Briefing(
            key="b1",
            title="Harbour Daily",
            stories=(Story("Lead", (Block(BlockKind.PARAGRAPH, "First."),)),),
        )
    )
    await admin_harness.send("/start", BOB_CHAT, BOB)
    now = datetime.now(UTC)
    async with store.transaction() as db:
        for key, state, age in (("a", "sent", 10), ("b", "failed", 120), ("c", "pending", 0)):
            moment = to_db(now - timedelta(minutes=age))
            await db.execute(
                "INSERT INTO outbox (chat_id, kind, item_key, text, state, next_attempt_at,"
                " created_at, sent_at) VALUES (5151, 'alert', ?, 'x', ?, ?, ?, ?)",
                (key, state, moment, moment, moment if state == "sent" else None),
            )

    [answer] = await admin_harness.send("/stats")

    assert answer.text.splitlines() == [
        "📊 Stats",
        "Chats: 2 (2 active)",
        "Sources: 0",
        "Topics: 0",
        "Stories: 1",
        "Comments: 0",
        "Outbox backlog: 1",
        "Last hour: 1 sent, 0 errors",
        "Last day: 1 sent, 1 errors",
    ]


async def test_everyone_else_is_refused_politely(admin_harness: BotHarness) -> None:
    for command in ("stats", "poll", "broadcast hello"):
        [answer] = await admin_harness.send(f"/{command}", BOB_CHAT, BOB)
        name = command.split()[0]
        assert answer.text == f"Sorry, only the bot's admins can use /{name}."


async def test_poll_polls_every_source_and_tells_each_outcome(
    admin_harness: BotHarness, feed_server: HttpServer
) -> None:
    url = serve_feed(feed_server)
    await admin_harness.send(f"/addsource {url}")
    [answer] = await admin_harness.send("/poll")
    assert answer.text.splitlines() == [
        "🔄 Polled 1 sources, 0 failed",
        "",
        f"#1 {url}: not modified since the last poll",
    ]


async def test_poll_without_sources_says_how_to_add_one(admin_harness: BotHarness) -> None:
    [answer] = await admin_harness.send("/poll")
    assert answer.text == "No sources to poll. Add one with /addsource URL [INTERVAL]."


async def test_a_broadcast_is_confirmed_queued_and_reported(admin_harness: BotHarness) -> None:
    await admin_harness.send("/start", BOB_CHAT, BOB)
    [preview] = await admin_harness.send("/broadcast Back <soon> & well")
    assert preview.text == "📣 Send this to 2 active chats?\n\nBack <soon> & well"
    send, cancel = preview.buttons[0]
    assert (send["text"], cancel["text"]) == ("✅ Send", "✖ Cancel")

    [queued] = await admin_harness.press(preview, send["callback_data"])

    assert queued.text == "📣 Broadcast queued for 2 chats, 2 pending\nsent 0, blocked 0, failed 0"
    async with admin_harness.store.database.connection.execute(
        "SELECT chat_id, kind, text FROM outbox ORDER BY chat_id"
    ) as cursor:
        rows = [tuple(row) async for row in cursor]
    assert rows == [
        (ADA["id"], "broadcast", "Back &lt;soon&gt; &amp; well"),
        (BOB["id"], "broadcast", "Back &lt;soon&gt; &amp; well"),
    ]
    # What the delivery service records once Telegram has answered each send.
    async with admin_harness.store.transaction() as db:
        await db.execute("UPDATE outbox SET state = 'sent' WHERE chat_id = ?", (ADA["id"],))
        await db.execute("UPDATE outbox SET state = 'dropped' WHERE chat_id = ?", (BOB["id"],))
    [done] = await admin_harness.press(queued, queued.buttons[0][0]["callback_data"])
    assert done.text == "📣 Broadcast done: 2 chats\nsent 1, blocked 1, failed 0"
    assert done.buttons == []

    await admin_harness.press(preview, send["callback_data"])
    assert admin_harness.api.callback_answers[-1]["text"].startswith("This broadcast is no")


async def test_a_cancelled_broadcast_queues_nothing(admin_harness: BotHarness) -> None:
    [preview] = await admin_harness.send("/broadcast Hello")
    [cancelled] = await admin_harness.press(preview, preview.buttons[0][1]["callback_data"])
    assert cancelled.text == "Broadcast cancelled: nothing was sent."
    async with admin_harness.store.database.connection.execute(
        "SELECT count(*) FROM outbox"
    ) as cursor:
        assert tuple(await cursor.fetchone() or ()) == (0,)


async def test_a_broadcast_without_text_gets_the_usage(admin_harness: BotHarness) -> None:
    [answer] = await admin_harness.send("/broadcast")
    assert answer.text.startswith("Usage: /broadcast TEXT")
