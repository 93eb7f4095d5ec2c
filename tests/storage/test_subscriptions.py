"""Subscriptions and matching on a real SQLite file."""

from __future__ import annotations

from briefing.models import Block, BlockKind, Briefing, Story
from briefing.query import Document, Query, parse
from briefing.sources import SourceKind
from storage.store import Store
from storage.subscriptions import (
    MAX_TOPICS_PER_CHAT,
    Alert,
    SubscribeOutcome,
    Subscription,
)

ADA, BOB, CARL = 11, 22, 33


def _story(heading: str, text: str) -> Story:
    return Story(heading, (Block(BlockKind.PARAGRAPH, text),))


def _briefing(key: str = "daily-1") -> Briefing:
    return Briefing(
        key,
        "World Daily",
        (
            _story("Sanctions on Iran", "The United Nations imposed new sanctions on Iran."),
            _story("Harbour reopens", "Ships returned to the harbour after the storm."),
            _story("Chemical weapons report", "Inspectors found traces of a nerve agent."),
        ),
    )


async def _stored(store: Store, briefing: Briefing | None = None) -> Briefing:
    result = await store.briefings.save(briefing or _briefing())
    stored = await store.briefings.get(result.briefing_id)
    assert stored is not None
    return stored


async def _count(store: Store, table: str) -> int:
    async with store.database.connection.execute(f"SELECT count(*) FROM {table}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def _subscribe(store: Store, chat_id: int, text: str) -> Subscription:
    done = await store.subscriptions.subscribe(chat_id, parse(text), text)
    assert done.outcome is SubscribeOutcome.ADDED
    assert done.subscription is not None
    return done.subscription


async def test_a_topic_shared_by_chats_is_stored_once(store: Store) -> None:
    first = await _subscribe(store, ADA, "Sanctions  iran")
    second = await _subscribe(store, BOB, "iran sanction")
    assert first.topic_id == second.topic_id
    assert await _count(store, "topics") == 1
    assert await store.subscriptions.topics(BOB) == [Subscription(first.topic_id, "iran sanction")]


async def test_the_same_topic_twice_in_a_chat_is_already_followed(store: Store) -> None:
    await _subscribe(store, ADA, "Sanctions iran")
    again = await store.subscriptions.subscribe(ADA, parse("iran sanction"), "iran sanction")
    assert again.outcome is SubscribeOutcome.ALREADY
    assert again.subscription is not None
    assert again.subscription.label == "Sanctions iran"


async def test_a_chat_follows_at_most_the_limit(store: Store) -> None:
    for number in range(MAX_TOPICS_PER_CHAT):
        await _subscribe(store, ADA, f"topic{number}")
    over = await store.subscriptions.subscribe(ADA, parse("harbour"), "harbour")
    assert over.outcome is SubscribeOutcome.FULL
    assert len(await store.subscriptions.topics(ADA)) == MAX_TOPICS_PER_CHAT
    # An existing topic is still "already followed", not "full".
    again = await store.subscriptions.subscribe(ADA, parse("topic0"), "topic0")
    assert again.outcome is SubscribeOutcome.ALREADY


async def test_unsubscribing_forgets_topics_nobody_follows(store: Store) -> None:
    iran = await _subscribe(store, ADA, "iran")
    await _subscribe(store, BOB, "iran")
    harbour = await _subscribe(store, ADA, "harbour")
    assert await store.subscriptions.unsubscribe(ADA, iran.topic_id) == iran
    assert await store.subscriptions.unsubscribe(ADA, iran.topic_id) is None
    assert await store.subscriptions.find(ADA, parse("IRAN")) is None
    assert await store.subscriptions.find(BOB, parse("IRAN")) is not None
    assert await store.subscriptions.unsubscribe_all(ADA) == 1
    assert await store.subscriptions.topics(ADA) == []
    assert await store.subscriptions.unsubscribe(ADA, harbour.topic_id) is None
    assert (await _count(store, "topics"), await _count(store, "topic_terms")) == (1, 1)


async def test_one_alert_per_chat_and_story_naming_every_topic(store: Store) -> None:
    briefing = await _stored(store)
    sanctions, harbour, weapons = (s.id or 0 for s in briefing.stories)
    iran = await _subscribe(store, ADA, "iran")
    un = await _subscribe(store, ADA, '"united nations"')
    await _subscribe(store, ADA, "russia")
    nerve = await _subscribe(store, BOB, "nerve agent OR harbour")
    await _subscribe(store, BOB, "iran -sanctions")
    matching = await store.subscriptions.match(briefing.id or 0, briefing.stories)
    assert matching.alerts == (
        Alert(ADA, sanctions, (iran, un)),
        Alert(BOB, harbour, (nerve,)),
        Alert(BOB, weapons, (nerve,)),
    )


async def test_blocked_chats_and_chats_sent_the_briefing_in_full_get_no_alert(
    store: Store,
) -> None:
    briefing = await _stored(store)
    assert briefing.id is not None
    for chat in (ADA, BOB, CARL):
        await store.chats.seen(chat, "private", None)
        await _subscribe(store, chat, "iran")
    await store.chats.mark_blocked(BOB)
    await store.chats.link_message(CARL, 7, briefing.id, None)  # CARL saw it in /today
    await store.chats.link_message(ADA, 8, briefing.id, briefing.stories[1].id)  # a card only
    matching = await store.subscriptions.match(briefing.id, briefing.stories)
    assert [alert.chat_id for alert in matching.alerts] == [ADA]


async def test_a_chat_that_unfollowed_the_source_gets_no_alert(store: Store) -> None:
    source = await store.sources.add("https://world.example/feed", SourceKind.FEED)
    other = await store.sources.add("https://other.example/feed", SourceKind.FEED)
    assert source.id is not None
    assert other.id is not None
    result = await store.briefings.save(_briefing(), source_id=source.id)
    briefing = await store.briefings.get(result.briefing_id)
    assert briefing is not None
    assert briefing.id is not None
    for chat in (ADA, BOB, CARL):
        await _subscribe(store, chat, "iran")
    await store.follows.set_following(BOB, source.id, False)
    await store.follows.set_following(CARL, other.id, False)  # another source: alerted
    matching = await store.subscriptions.match(briefing.id, briefing.stories)
    assert [alert.chat_id for alert in matching.alerts] == [ADA, CARL]
    await store.follows.set_following(BOB, source.id, True)
    again = await store.subscriptions.match(briefing.id, briefing.stories)
    assert [alert.chat_id for alert in again.alerts] == [ADA, BOB, CARL]


async def test_a_shared_topic_is_evaluated_once_however_many_chats_follow_it(
    store: Store,
) -> None:
    briefing = await _stored(store)
    assert briefing.id is not None
    await _subscribe(store, 1, "Iran sanctions")
    await _subscribe(store, 2, "harbor")  # no story holds its anchor: never evaluated
    evaluated: list[str] = []

    def counting(query: Query, doc: Document) -> bool:
        evaluated.append(query.canonical)
        return query.matches(doc)

    one_chat = await store.subscriptions.match(briefing.id, briefing.stories, matcher=counting)
    for chat in range(100, 400):
        await _subscribe(store, chat, "sanctions Iran")
    many = await store.subscriptions.match(briefing.id, briefing.stories, matcher=counting)
    assert evaluated == ["iran sanction", "iran sanction"]  # once per match, one story each
    assert (one_chat.candidates, one_chat.evaluations) == (1, 1)
    assert (many.candidates, many.evaluations) == (1, 1)
    assert (len(one_chat.alerts), len(many.alerts)) == (1, 301)


async def test_stories_without_words_match_nothing(store: Store) -> None:
    await _subscribe(store, ADA, "iran")
    briefing = await _stored(store, Briefing("emoji", "🔥", (_story("🔥", "🔥 🔥"),)))
    matching = await store.subscriptions.match(briefing.id or 0, briefing.stories)
    assert (matching.alerts, matching.candidates) == ((), 0)
