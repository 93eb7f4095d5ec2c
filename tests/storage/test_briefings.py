"""BriefingRepository on real SQLite files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from briefing.models import Block, BlockKind, Briefing, Comment, CommentOrigin, Story
from briefing.sources import SourceKind
from storage.briefings import SaveOutcome, SaveResult
from storage.store import Store


def _briefing(key: str = "edition-1", *, published: datetime | None = None) -> Briefing:
    return Briefing(
        key=key,
        title="Harbour Daily",
        published=published,
        stories=(
            Story("Lead", (Block(BlockKind.PARAGRAPH, "First."),), summary=("First.",)),
            Story("Second", (Block(BlockKind.QUOTE, "Said <so> & so."),)),
        ),
        comments=(
            Comment(key="1", text="Top comment."),
            Comment(key="1.1", text="A reply.", parent_key="1", author="Ann"),
        ),
    )


async def test_save_and_read_back(store: Store) -> None:
    result = await store.briefings.save(_briefing())
    assert result.outcome is SaveOutcome.CREATED
    stored = await store.briefings.get(result.briefing_id)
    assert stored is not None
    assert [s.heading for s in stored.stories] == ["Lead", "Second"]
    assert stored.stories[1].blocks == (Block(BlockKind.QUOTE, "Said <so> & so."),)
    assert stored.stories[0].summary == ("First.",)
    assert [(c.key, c.parent_key, c.author) for c in stored.comments] == [
        ("1", None, None),
        ("1.1", "1", "Ann"),
    ]
    assert all(s.id is not None for s in stored.stories)


async def test_saving_the_same_briefing_twice_stores_it_once(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    second = await store.briefings.save(_briefing())
    assert second == SaveResult(
        first.briefing_id, SaveOutcome.UNCHANGED, story_ids=first.story_ids
    )
    assert await store.briefings.count() == 1


async def test_an_edit_updates_in_place_and_keeps_story_ids(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    before = await store.briefings.get(first.briefing_id)
    assert before is not None
    edited = replace(
        _briefing(), title="Harbour Daily (corrected)", stories=_briefing().stories[:1]
    )
    result = await store.briefings.save(edited)
    after = await store.briefings.get(first.briefing_id)
    assert result.outcome is SaveOutcome.UPDATED
    assert after is not None
    assert after.title == "Harbour Daily (corrected)"
    assert [s.id for s in after.stories] == [before.stories[0].id]
    assert before.stories[1].id is not None
    assert await store.briefings.find_story(before.stories[1].id) is None


async def test_chat_comments_survive_a_source_update(store: Store) -> None:
    saved = await store.briefings.save(_briefing())
    chat = Comment(key="tg:5:9", text="From the chat", origin=CommentOrigin.CHAT, parent_key="1")
    added = await store.briefings.add_comment(saved.briefing_id, chat)
    assert added.id is not None
    await store.briefings.save(replace(_briefing(), title="Changed"))
    stored = await store.briefings.get(saved.briefing_id)
    assert stored is not None
    assert [c.key for c in stored.comments] == ["1", "1.1", "tg:5:9"]


async def test_latest_is_the_most_recently_published(store: Store) -> None:
    await store.briefings.save(_briefing("old", published=datetime(2026, 1, 1, tzinfo=UTC)))
    await store.briefings.save(_briefing("new", published=datetime(2026, 2, 1, tzinfo=UTC)))
    latest = await store.briefings.latest()
    assert latest is not None
    assert latest.key == "new"
    assert latest.published == datetime(2026, 2, 1, tzinfo=UTC)


async def test_latest_for_a_chat_skips_the_sources_it_unfollowed(store: Store) -> None:
    source = await store.sources.add("https://a.example/feed", SourceKind.FEED)
    assert source.id is not None
    await store.briefings.save(_briefing("hand", published=datetime(2026, 1, 1, tzinfo=UTC)))
    await store.briefings.save(
        _briefing("fed", published=datetime(2026, 2, 1, tzinfo=UTC)), source_id=source.id
    )
    await store.follows.set_following(7, source.id, False)
    for_seven = await store.briefings.latest(chat_id=7)
    for_eight = await store.briefings.latest(chat_id=8)
    assert for_seven is not None
    assert for_eight is not None
    assert (for_seven.key, for_eight.key) == ("hand", "fed")


async def test_empty_store_has_no_latest(store: Store) -> None:
    assert await store.briefings.latest() is None


async def test_find_story_returns_its_briefing(store: Store) -> None:
    saved = await store.briefings.save(_briefing())
    stored = await store.briefings.get(saved.briefing_id)
    assert stored is not None
    story_id = stored.stories[1].id
    assert story_id is not None
    found = await store.briefings.find_story(story_id)
    assert found is not None
    assert found.story.heading == "Second"
    assert found.briefing.id == saved.briefing_id


async def test_new_comments_on_an_unchanged_briefing_are_added(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    grown = replace(_briefing(), comments=(*_briefing().comments, Comment("2", "Late one.")))
    result = await store.briefings.save(grown)
    assert (result.outcome, result.new_comments) == (SaveOutcome.UNCHANGED, 1)
    again = await store.briefings.save(grown)
    assert (again.outcome, again.new_comments) == (SaveOutcome.UNCHANGED, 0)
    stored = await store.briefings.get(first.briefing_id)
    assert stored is not None
    assert [c.key for c in stored.comments] == ["1", "1.1", "2"]


async def test_an_edited_comment_keeps_its_place_and_new_ones_follow(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    edited = Comment(key="1", text="Top comment, edited.")
    late = (Comment("0", "Late, listed first."), Comment("2", "Late."), Comment("2", "Late!"))
    grown = replace(_briefing(), comments=(late[0], edited, _briefing().comments[1], *late[1:]))
    result = await store.briefings.save(grown)
    assert (result.outcome, result.new_comments) == (SaveOutcome.UNCHANGED, 2)
    stored = await store.briefings.get(first.briefing_id)
    assert stored is not None
    assert [(c.key, c.text) for c in stored.comments] == [
        ("1", "Top comment, edited."),
        ("1.1", "A reply."),
        ("0", "Late, listed first."),
        ("2", "Late!"),
    ]


async def test_saving_without_comments_keeps_the_stored_ones(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    await store.briefings.save(replace(_briefing(), comments=()))
    stored = await store.briefings.get(first.briefing_id)
    assert stored is not None
    assert len(stored.comments) == 2


async def test_stored_state_tells_hash_and_comment_count(store: Store) -> None:
    assert await store.briefings.stored_state("edition-1") is None
    saved = await store.briefings.save(replace(_briefing(), comment_count=12))
    state = await store.briefings.stored_state("edition-1")
    assert state is not None
    assert (state.briefing_id, state.comment_count) == (saved.briefing_id, 12)
    assert state.content_hash == _briefing().content_hash()


async def test_a_removed_storys_id_is_never_reused(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    before = await store.briefings.get(first.briefing_id)
    assert before is not None
    await store.briefings.save(replace(_briefing(), stories=_briefing().stories[:1]))
    await store.briefings.save(_briefing())
    after = await store.briefings.get(first.briefing_id)
    assert after is not None
    assert after.stories[1].id != before.stories[1].id


async def test_saving_an_unchanged_briefing_writes_no_row(store: Store) -> None:
    await store.briefings.save(_briefing())
    before = store.database.connection.total_changes
    result = await store.briefings.save(_briefing())
    assert result.outcome is SaveOutcome.UNCHANGED
    assert store.database.connection.total_changes == before


async def test_a_new_briefing_reports_every_story_and_comment_as_created(store: Store) -> None:
    result = await store.briefings.save(_briefing())
    stored = await store.briefings.get(result.briefing_id)
    assert stored is not None
    ids = tuple(s.id for s in stored.stories)
    assert result.story_ids == ids
    assert result.created_story_ids == ids
    assert result.changed_story_ids == ()
    assert result.new_comment_ids == tuple(c.id for c in stored.comments)
    assert result.new_comments == 2


async def test_an_update_reports_changed_and_added_stories_only(store: Store) -> None:
    first = await store.briefings.save(_briefing())
    lead, second = _briefing().stories
    edited = replace(
        _briefing(),
        stories=(
            lead,
            replace(second, blocks=(Block(BlockKind.PARAGRAPH, "Corrected."),)),
            Story("Third", (Block(BlockKind.PARAGRAPH, "New."),)),
        ),
    )
    result = await store.briefings.save(edited)
    assert result.outcome is SaveOutcome.UPDATED
    assert result.story_ids[:2] == first.story_ids
    assert result.changed_story_ids == (first.story_ids[1],)
    assert result.created_story_ids == (result.story_ids[2],)
    assert result.new_comment_ids == ()


async def test_a_title_edit_changes_no_story(store: Store) -> None:
    await store.briefings.save(_briefing())
    result = await store.briefings.save(replace(_briefing(), title="Harbour Daily, late"))
    assert result.outcome is SaveOutcome.UPDATED
    assert (result.created_story_ids, result.changed_story_ids) == ((), ())


async def test_only_the_new_comments_ids_are_reported(store: Store) -> None:
    await store.briefings.save(_briefing())
    grown = replace(
        _briefing(), comments=(*_briefing().comments, Comment(key="2", text="Late arrival."))
    )
    result = await store.briefings.save(grown)
    stored = await store.briefings.get(result.briefing_id)
    assert stored is not None
    assert result.outcome is SaveOutcome.UNCHANGED
    assert result.new_comment_ids == (stored.comments[2].id,)
    assert stored.comments[2].key == "2"


async def test_saves_inside_one_transaction_roll_back_together(store: Store) -> None:
    counted_inside: list[int] = []

    async def save_two_then_fail() -> None:
        async with store.transaction():
            await store.briefings.save(_briefing("a"))
            await store.briefings.save(_briefing("b"))
            counted_inside.append(await store.briefings.count())
            raise LookupError

    with pytest.raises(LookupError):
        await save_two_then_fail()
    assert counted_inside == [2]  # its own writes are visible inside
    assert await store.briefings.count() == 0
