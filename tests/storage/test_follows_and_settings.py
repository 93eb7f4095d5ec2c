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
