"""Full-text search on a real SQLite file: stemming, phrases, exclusions, ranking, triggers."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from briefing.models import Block, BlockKind, Briefing, Story
from briefing.query import parse
from storage.search import HIT_END, HIT_START, match_expression
from storage.store import Store

CHAT = 77


def _story(heading: str, *paragraphs: str, summary: tuple[str, ...] = ()) -> Story:
    blocks = tuple(Block(BlockKind.PARAGRAPH, text) for text in paragraphs)
    return Story(heading, blocks, summary=summary)


def _briefing(key: str, *stories: Story, day: int = 1) -> Briefing:
    return Briefing(key, f"Daily {key}", stories, published=datetime(2026, 3, day, tzinfo=UTC))


async def _found(store: Store, typed: str, chat: int = CHAT) -> list[str]:
    page = await store.search.search(chat, parse(typed), typed, page_size=50)
    return [hit.heading for hit in page.hits]


async def test_stemmed_words_are_found_in_body_and_summary(store: Store) -> None:
    await store.briefings.save(
        _briefing(
            "a",
            _story("Harbour news", "New sanctions were announced on Monday."),
            _story("Weather", "Rain.", summary=("The minister resigned.",)),
            _story("Sport", "A match."),
        )
    )
    assert await _found(store, "sanction") == ["Harbour news"]
    assert await _found(store, "resigning") == ["Weather"]
    assert await _found(store, "sanctioned OR resign") == ["Harbour news", "Weather"] or (
        await _found(store, "sanctioned OR resign") == ["Weather", "Harbour news"]
    )


async def test_the_body_is_the_plain_text_of_the_json_blocks(store: Store) -> None:
    await store.briefings.save(_briefing("a", _story("Heading", "first words", "second block")))
    async with store.database.connection.execute(
        "SELECT heading, body, summary FROM stories_text"
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    assert tuple(row) == ("Heading", "first words\nsecond block", None)
    # Neither JSON punctuation nor the block kind is indexed as a word.
    assert await _found(store, "paragraph") == []
    assert await _found(store, '"words second"') == ["Heading"]


async def test_phrase_keeps_order_and_common_words(store: Store) -> None:
    await store.briefings.save(
        _briefing(
            "a",
            _story("One", "The Bank of England raised rates."),
            _story("Two", "England has a bank on every corner."),
        )
    )
    assert await _found(store, '"bank of england"') == ["One"]
    assert sorted(await _found(store, "bank england")) == ["One", "Two"]


async def test_exclusions_remove_stories(store: Store) -> None:
    await store.briefings.save(
        _briefing(
            "a",
            _story("Iran talks", "Iran and the sanctions."),
            _story("Iran football", "Iran won at football."),
        )
    )
    assert await _found(store, "iran -football") == ["Iran talks"]
    assert await _found(store, 'iran -"won at football"') == ["Iran talks"]


async def test_a_word_in_the_heading_ranks_above_the_body(store: Store) -> None:
    await store.briefings.save(
        _briefing(
            "a",
            _story("Markets today", "Shares moved while the drought went on and on."),
            _story("Drought deepens", "Farmers wait for rain in the valley all summer long."),
        )
    )
    assert await _found(store, "drought") == ["Drought deepens", "Markets today"]


async def test_triggers_follow_updates_and_deletes(store: Store) -> None:
    await store.briefings.save(_briefing("a", _story("Old heading", "volcano"), _story("B", "x")))
    assert await _found(store, "volcano") == ["Old heading"]
    await store.briefings.save(_briefing("a", _story("New heading", "glacier")))
    assert await _found(store, "volcano") == []
    assert await _found(store, "glacier") == ["New heading"]
    assert await _found(store, "heading") == ["New heading"]
    await store.database.connection.execute("DELETE FROM briefings")
    assert await _found(store, "glacier") == []
    async with store.database.connection.execute(
        "SELECT count(*) FROM stories_fts WHERE stories_fts MATCH 'heading OR glacier'"
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    assert row[0] == 0


async def test_stories_of_unfollowed_sources_are_left_out(store: Store) -> None:
    source = await store.sources.add("https://example.org/feed", "feed")
    await store.briefings.save(_briefing("a", _story("Fed", "comet")), source_id=source.id)
    await store.briefings.save(_briefing("b", _story("By hand", "comet")))
    assert sorted(await _found(store, "comet")) == ["By hand", "Fed"]
    assert source.id is not None
    await store.follows.set_following(CHAT, source.id, False)
    assert await _found(store, "comet") == ["By hand"]
    assert sorted(await _found(store, "comet", chat=CHAT + 1)) == ["By hand", "Fed"]


async def test_pages_and_snippets(store: Store) -> None:
    stories = [_story(f"Story {n}", f"The eclipse number {n} was seen.") for n in range(7)]
    await store.briefings.save(_briefing("a", *stories))
    first = await store.search.search(CHAT, parse("eclipse"), "eclipse", page_size=5)
    second = await store.search.search(CHAT, parse("eclipse"), "eclipse", page=1, page_size=5)
    past = await store.search.search(CHAT, parse("eclipse"), "eclipse", page=9, page_size=5)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (7, 2, 5, 2)
    assert {h.story_id for h in first.hits}.isdisjoint({h.story_id for h in second.hits})
    assert (past.total, past.hits) == (7, ())
    assert f"{HIT_START}eclipse{HIT_END}" in first.hits[0].snippet


async def test_fts_syntax_in_user_text_is_only_ever_words(store: Store) -> None:
    await store.briefings.save(_briefing("a", _story("Near the sea", 'He said "hi" (loudly).')))
    for typed in ["NEAR(sea", "sea*", '"hi', "sea) OR (", "^sea {x}:", "sea AND", '""""sea']:
        expression = match_expression(parse(typed), typed)
        assert "*" not in expression.replace('"*"', "")
        assert await _found(store, typed) == ["Near the sea"], typed


async def test_the_plan_uses_the_fts_index(store: Store) -> None:
    plan = await store.search.query_plan(CHAT, parse("iran"), "iran")
    assert any("VIRTUAL TABLE INDEX" in line and "stories_fts" in line for line in plan), plan
    # Unfollowed sources are left out through indexes: no table is scanned row by row.
    assert not [line for line in plan if line.startswith("SCAN") and "VIRTUAL" not in line]


async def test_recent_searches_are_kept_per_chat(store: Store) -> None:
    first = await store.search.remember(CHAT, "iran")
    assert await store.search.recall(CHAT, first.id) == first
    assert await store.search.recall(CHAT + 1, first.id) is None
    for n in range(25):
        await store.search.remember(CHAT, f"word{n}")
    assert await store.search.recall(CHAT, first.id) is None


async def test_briefings_of_a_day(store: Store) -> None:
    await store.briefings.save(_briefing("a", _story("A", "x"), day=1))
    await store.briefings.save(_briefing("b", _story("B", "x"), day=2))
    found = await store.archive.between(
        CHAT, datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
    )
    assert [b.key for b in found] == ["b"]


async def test_the_migration_indexes_stories_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    folder = resources.files("storage.migrations")
    scripts = sorted(e.name for e in folder.iterdir() if e.name.endswith(".sql"))
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        for name in scripts:
            if name < "0009":
                db.executescript(folder.joinpath(name).read_text(encoding="utf-8"))
                db.execute("INSERT INTO migrations (name) VALUES (?)", (name,))
        db.execute(
            "INSERT INTO briefings (key, title, content_hash, ingested_at, updated_at)"
            " VALUES ('k', 'Old Daily', 'h', '2020-01-01', '2020-01-01')"
        )
        db.execute(
            "INSERT INTO stories (briefing_id, position, heading, blocks, summary)"
            """ VALUES (1, 0, 'Before', '[["paragraph", "an avalanche"]]', '["snowed"]')"""
        )
        db.commit()
    store = await Store.open(path)
    try:
        assert await _found(store, "avalanche") == ["Before"]
        assert await _found(store, "snow") == ["Before"]
    finally:
        await store.close()
