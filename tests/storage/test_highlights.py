"""Stored highlight rankings on a real SQLite file: read, marked stale by writes, re-ranked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.highlight_picks import picked_first
from briefing.highlights import highlights, rank
from briefing.models import Block, BlockKind, Briefing, Comment, CommentOrigin, Story
from handlers.threads import comment_count
from storage import highlights as stored
from storage.comments import Written
from storage.store import Store

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
_TEXTS = [
    "The ferry timetable change hurts commuters who start work before seven.",
    "Bus connections at the harbour were never aligned with the ferry anyway.",
    "I rode it yesterday and the new boat is quieter, though slower in wind.",
    "Council minutes show the subsidy was cut by a third this spring.",
    "Tourists will not notice; residents on the island certainly will.",
    "Maybe a second morning crossing could be funded by parking fees.",
]


def _comments(count: int, position: int | None = None) -> tuple[Comment, ...]:
    return tuple(
        Comment(
            key=f"c{i}",
            text=f"{_TEXTS[i % len(_TEXTS)]} Point {i} about fares and boats number {i}.",
            parent_key=f"c{i - 1}" if i % 3 == 2 else None,
            author=f"reader {i}",
            story_position=position if i % 2 else None,
        )
        for i in range(count)
    )


async def _save(store: Store, count: int = 12) -> tuple[int, Briefing]:
    story = Story("Ferry timetable", (Block(BlockKind.PARAGRAPH, "Later boats."),))
    briefing = Briefing("b", "Daily", (story, story), comments=_comments(count, 1))
    result = await store.briefings.save(briefing)
    saved = await store.briefings.get(result.briefing_id)
    assert saved is not None
    return result.briefing_id, saved


async def _stale(store: Store, briefing_id: int) -> dict[int, int]:
    async with store.database.connection.execute(
        "SELECT scope, stale FROM highlight_scopes WHERE briefing_id = ?", (briefing_id,)
    ) as cursor:
        return {int(row["scope"]): int(row["stale"]) for row in await cursor.fetchall()}


async def test_the_stored_top_is_the_ranking_of_each_scope(store: Store) -> None:
    briefing_id, briefing = await _save(store)
    whole = await store.highlights.top(briefing_id, None, 3)
    expected = highlights(list(briefing.comments), 3, post="Daily")
    assert whole == expected
    assert len(whole) == 3
    about = [c for c in briefing.comments if c.story_position == 1]
    story = await store.highlights.top(briefing_id, 1, 3)
    assert story == highlights(about, 3, post="Ferry timetable")
    assert await _stale(store, briefing_id) == {-1: 0, 1: 0}
    assert await store.highlights.top(briefing_id, 0, 3) == []


async def test_a_chat_comment_marks_its_scopes_stale_and_shows_as_the_newest(
    store: Store,
) -> None:
    briefing_id, _ = await _save(store)
    before = await store.highlights.top(briefing_id, 1, 2)
    chat = Comment(
        key="tg:1:5",
        text="Does anyone know whether the evening boat keeps its old schedule?",
        origin=CommentOrigin.CHAT,
        story_position=1,
    )
    added, _ = await store.comments.add(briefing_id, chat, Written(1, 5, 7), now=NOW)
    assert await _stale(store, briefing_id) == {-1: 1, 1: 1}
    after = await store.highlights.top(briefing_id, 1, 2)
    assert [h.comment.id for h in after] == [*(h.comment.id for h in before), added.id]
    assert [
        h.comment.id for h in await store.highlights.top(briefing_id, 1, 2, with_newest=False)
    ] == [h.comment.id for h in before]
    assert await _stale(store, briefing_id) == {-1: 1, 1: 0}


async def test_edits_and_deletions_mark_stale_and_a_deleted_comment_leaves(store: Store) -> None:
    briefing_id, _ = await _save(store)
    top = await store.highlights.top(briefing_id, None, 3)
    first = top[0].comment
    assert first.id is not None
    await store.comments.delete(first.id, now=NOW)
    assert (await _stale(store, briefing_id))[-1] == 1
    again = await store.highlights.top(briefing_id, None, 3)
    assert first.id not in [h.comment.id for h in again]
    assert len(again) == 3
    second = again[0].comment
    assert second.id is not None
    await store.comments.edit(second.id, "Edited: the winter timetable starts in May.", now=NOW)
    assert (await _stale(store, briefing_id))[-1] == 1
    edited = await store.highlights.top(briefing_id, None, 3)
    now_stored = await store.briefings.get(briefing_id)
    assert now_stored is not None
    assert edited == highlights(list(now_stored.comments), 3, post="Daily")
    assert "Edited:" in " ".join(h.excerpt for h in edited)


async def test_llm_picks_come_first_and_the_ranking_fills_the_rest(store: Store) -> None:
    briefing_id, briefing = await _save(store)
    ranked = rank(list(briefing.comments), post="Daily")
    picks = [ranked[4].id, 999_999, ranked[2].id]
    ids = [i for i in picks if i is not None]
    await store.llm_answers.save_picks(briefing_id, -1, ids, len(ranked))
    top = await store.highlights.top(briefing_id, None, 3)
    picked: list[int | None] = list(ids)
    expected = picked_first(ranked, picked, key=lambda c: c.id)[:3]
    assert [h.comment.id for h in top] == [c.id for c in expected]
    assert [h.comment.id for h in top][:2] == [ranked[4].id, ranked[2].id]


async def test_a_big_stale_discussion_keeps_its_order_until_the_job_ranks_it(
    store: Store,
) -> None:
    briefing_id, _ = await _save(store, stored.BIG_DISCUSSION + 10)
    await store.highlights.rerank_stale(now=NOW)
    before = await store.highlights.top(briefing_id, None, 3)
    best = before[0].comment
    assert best.id is not None
    await store.comments.delete(best.id, now=NOW)
    # The stored order is served while stale, a deleted comment left out at once.
    served = await store.highlights.top(briefing_id, None, 3)
    assert served[:2] == before[1:]
    assert best.id not in [h.comment.id for h in served]
    assert (await _stale(store, briefing_id))[-1] == 1
    soon = NOW + stored.BIG_EVERY / 2
    await store.highlights.rerank_stale(now=soon)  # a small scope is ranked at once
    assert (await _stale(store, briefing_id))[-1] == 1
    assert await store.highlights.rerank_stale(now=NOW + stored.BIG_EVERY + timedelta(1)) == 1
    after = await store.highlights.top(briefing_id, None, 3)
    assert best.id not in [h.comment.id for h in after]
    assert await _stale(store, briefing_id) == {-1: 0, 1: 0}


async def test_the_count_is_what_the_discussion_view_shows(store: Store) -> None:
    briefing_id, briefing = await _save(store)
    empty = Comment(key="tg:1:9", text="   ", origin=CommentOrigin.CHAT, story_position=1)
    await store.comments.add(briefing_id, empty, Written(1, 9, 7), now=NOW)
    saved = await store.briefings.get(briefing_id)
    assert saved is not None
    whole = await store.highlights.top_and_count(briefing_id, None, 3)
    about = [c for c in saved.comments if c.story_position == 1]
    story = await store.highlights.top_and_count(briefing_id, 1, 3)
    assert whole.shown == comment_count(saved.comments) == len(briefing.comments)
    assert story.shown == comment_count(about)
