"""Follow choices and chat settings on a real SQLite file."""

from __future__ import annotations

from briefing.sources import SourceKind
from storage.chat_settings import ChatSettings
from storage.store import Store


async def test_a_chat_follows_every_source_until_it_turns_one_off(store: Store) -> None:
    first = await store.sources.add("https://a.example/feed", SourceKind.FEED)
    await store.sources.add("https://b.example/feed", SourceKind.FEED)
    assert first.id is not None
    assert await store.follows.unfollowed(7) == frozenset()
    await store.follows.set_following(7, first.id, False)
    await store.follows.set_following(7, first.id, False)  # twice is once
    await store.follows.set_following(7, 999, False)  # no such source: nothing stored
    assert await store.follows.unfollowed(7) == {first.id}
    assert await store.follows.unfollowed(8) == frozenset()
    await store.follows.set_following(7, first.id, True)
    assert await store.follows.unfollowed(7) == frozenset()


async def test_followed_ids_and_is_followed_read_the_same_choices(store: Store) -> None:
    first = await store.sources.add("https://a.example/feed", SourceKind.FEED)
    second = await store.sources.add("https://b.example/feed", SourceKind.FEED)
    assert first.id is not None
    assert second.id is not None
    assert await store.follows.followed_source_ids(7) == {first.id, second.id}
    assert await store.follows.set_following(7, second.id, False)
    assert not await store.follows.set_following(7, 999, True)  # no such source
    assert await store.follows.followed_source_ids(7) == {first.id}
    assert await store.follows.followed_source_ids(8) == {first.id, second.id}
    assert await store.follows.is_followed(7, first.id)
    assert not await store.follows.is_followed(7, second.id)
    assert await store.follows.is_followed(8, second.id)
    assert not await store.follows.is_followed(7, 999)


async def test_the_alert_probe_of_unfollowed_sources_uses_its_primary_key(store: Store) -> None:
    async with store.database.connection.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM unfollowed_sources u"
        " WHERE u.chat_id = ? AND u.source_id = ?",
        (7, 1),
    ) as cursor:
        plan = " ".join(str(row[-1]) for row in await cursor.fetchall())
    assert "USING PRIMARY KEY (chat_id=? AND source_id=?)" in plan


async def test_removing_a_source_forgets_who_unfollowed_it(store: Store) -> None:
    source = await store.sources.add("https://a.example/feed", SourceKind.FEED)
    assert source.id is not None
    await store.follows.set_following(7, source.id, False)
    await store.sources.remove(source.id)
    assert await store.follows.unfollowed(7) == frozenset()


async def test_a_chat_without_settings_gets_the_defaults(store: Store) -> None:
    assert await store.chat_settings.get(5) == ChatSettings(5)
    await store.chat_settings.set_timezone(5, "Europe/Berlin")
    assert await store.chat_settings.get(5) == ChatSettings(5, timezone="Europe/Berlin")
    await store.chat_settings.set_timezone(5, None)
    assert await store.chat_settings.get(5) == ChatSettings(5)
