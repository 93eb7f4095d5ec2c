"""The queries of the hot paths find their rows through indexes: no whole-table reads.

Every statement /today, a story card, "◀ Back", a chat comment and the ranking job run is
recorded (values bound) and its ``EXPLAIN QUERY PLAN`` read: none may SCAN the tables that
grow with the archive.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from briefing.models import Comment, CommentOrigin
from storage.comments import Written
from storage.store import Store
from tests.handlers.conftest import harness_settings, running_harness
from tests.handlers.test_today import _briefing
from tests.query_plans import plan, recorded, scans

GROWING = {"briefings", "stories", "comments", "highlight_ranks", "highlight_scopes"}
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def test_today_card_and_back_read_no_whole_table(tmp_path: Path) -> None:
    async with running_harness(harness_settings(tmp_path)) as harness:
        await harness.store.briefings.save(_briefing())
        connection = harness.store.database.connection
        async with recorded(connection) as statements:
            [today] = await harness.send("/today")
            [card] = await harness.press(today, today.buttons[0][0]["callback_data"])
            await harness.press(card, card.buttons[0][0]["callback_data"])
            await harness.send("/today")
        found = await scans(connection, statements, GROWING)
    assert any("highlight_ranks" in s for s in statements)
    # Ranked once: the second /today reads the stored top, not every comment.
    assert not any("SELECT * FROM comments WHERE briefing_id" in s for s in statements[-8:])
    assert found == {}


async def test_comment_writes_and_the_ranking_job_read_no_whole_table(store: Store) -> None:
    saved = await store.briefings.save(_briefing())
    await store.highlights.top(saved.briefing_id, None, 3)
    comment = Comment("tg:1:1", "Is the market open on Sunday?", origin=CommentOrigin.CHAT)
    connection = store.database.connection
    async with recorded(connection) as statements:
        added, _ = await store.comments.add(saved.briefing_id, comment, Written(1, 1, 7), now=NOW)
        await store.comments.edit(added.id, "Is the market open on Sundays?", now=NOW)
        await store.highlights.rerank_stale(now=NOW)
        await store.comments.delete(added.id, now=NOW)
    assert await scans(connection, statements, GROWING) == {}


async def test_a_scan_is_reported_by_table_or_alias(store: Store) -> None:
    connection = store.database.connection
    statement = "SELECT c.body FROM comments AS c WHERE c.body = 'x'"
    assert (await plan(connection, statement))[0].startswith("SCAN c")
    assert list(await scans(connection, [statement], {"comments"})) == [statement]
