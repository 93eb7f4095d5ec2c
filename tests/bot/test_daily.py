"""The daily tick on a real store with a set clock: what it queues in the outbox, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.daily import ComposedEditions, DailyTicker, sources_failed_text
from briefing.models import Block, BlockKind, Briefing, Story
from briefing.outgoing import OutgoingMessage
from briefing.sources import SourceKind
from storage.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)  # 07:30 in Berlin
CHAT = 4242


@dataclass
class SetClock:
    """A clock the test moves by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class CountingEditions:
    """An EditionSource that counts its calls and returns a fixed edition (or none)."""

    stories: bool = True
    calls: list[tuple[int, date, tzinfo]] = field(default_factory=list)

    async def messages_for(self, chat_id: int, day: date, zone: tzinfo) -> list[OutgoingMessage]:
        self.calls.append((chat_id, day, zone))
        if not self.stories:
            return []
        return [OutgoingMessage(chat_id, "edition", day.isoformat(), f"Edition of {day}")]


async def _daily_at(store: Store, chat_id: int = CHAT, due: datetime = DUE) -> None:
    await store.chat_settings.set_schedule(
        chat_id, timezone="Europe/Berlin", daily_time="07:30", next_daily_at=due
    )


async def _outbox(store: Store) -> list[tuple[int, str, str, str]]:
    async with store.database.connection.execute(
        "SELECT chat_id, kind, item_key, text FROM outbox ORDER BY id"
    ) as cursor:
        return [(r[0], r[1], r[2], r[3]) async for r in cursor]


async def test_nothing_is_queued_before_the_time(store: Store) -> None:
    await _daily_at(store)
    editions = CountingEditions()
    ticker = DailyTicker(
        store, editions, default_zone=UTC, clock=SetClock(DUE - timedelta(seconds=1))
    )
    assert await ticker.tick() == 0
    assert editions.calls == []
    assert await _outbox(store) == []


async def test_a_due_edition_is_queued_once_and_the_next_is_tomorrow(store: Store) -> None:
    await _daily_at(store)
    clock = SetClock(DUE + timedelta(seconds=10))
    editions = CountingEditions()
    ticker = DailyTicker(store, editions, default_zone=UTC, clock=clock)
    assert await ticker.tick() == 1
    assert editions.calls == [(CHAT, date(2026, 12, 2), BERLIN)]
    assert await ticker.tick() == 0  # the next tick: not due any more
    assert len(editions.calls) == 1
    settings = await store.chat_settings.get(CHAT)
    assert settings.next_daily_at == DUE + timedelta(days=1)
    assert await _outbox(store) == [(CHAT, "edition", "2026-12-02", "Edition of 2026-12-02")]
    clock.now = DUE + timedelta(days=1)
    assert await ticker.tick() == 1
    assert [row[2] for row in await _outbox(store)] == ["2026-12-02", "2026-12-03"]


async def test_a_restart_after_a_kill_before_the_advance_does_not_queue_twice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await Store.open(path)
    await _daily_at(first)
    # As if the process died after queueing but before advancing (a crash between two
    # separate writes): the outbox row is there, the chat is due still.
    await first.outbox.enqueue([OutgoingMessage(CHAT, "edition", "2026-12-02", "Edition")])
    await first.close()
    again = await Store.open(path)
    try:
        ticker = DailyTicker(
            again, CountingEditions(), default_zone=UTC, clock=SetClock(DUE + timedelta(minutes=1))
        )
        assert await ticker.tick() == 0
        assert len(await _outbox(again)) == 1
        assert (await again.chat_settings.get(CHAT)).next_daily_at == DUE + timedelta(days=1)
    finally:
        await again.close()


async def test_a_chat_that_changed_its_time_meanwhile_keeps_the_new_one(store: Store) -> None:
    await _daily_at(store)

    @dataclass
    class ChangesTheTime(CountingEditions):
        async def messages_for(
            self, chat_id: int, day: date, zone: tzinfo
        ) -> list[OutgoingMessage]:
            await store.chat_settings.set_schedule(
                chat_id, timezone=None, daily_time="09:00", next_daily_at=DUE + timedelta(hours=2)
            )
            return await super().messages_for(chat_id, day, zone)

    ticker = DailyTicker(store, ChangesTheTime(), default_zone=UTC, clock=SetClock(DUE))
    assert await ticker.tick() == 0
    assert (await store.chat_settings.get(CHAT)).next_daily_at == DUE + timedelta(hours=2)


async def test_an_edition_without_stories_is_not_sent(store: Store) -> None:
    await _daily_at(store)
    await store.sources.add("https://a.example/feed", SourceKind.FEED)
    ticker = DailyTicker(
        store, CountingEditions(stories=False), default_zone=UTC, clock=SetClock(DUE)
    )
    assert await ticker.tick() == 0
    assert await _outbox(store) == []
    assert (await store.chat_settings.get(CHAT)).next_daily_at == DUE + timedelta(days=1)


async def test_failed_followed_sources_give_one_line_instead_of_silence(store: Store) -> None:
    await _daily_at(store)
    failing = await store.sources.add("https://a.example/feed", SourceKind.FEED, title="Harbour")
    old = await store.sources.add("https://b.example/feed", SourceKind.FEED, title="Old <news>")
    unfollowed = await store.sources.add("https://c.example/feed", SourceKind.FEED)
    assert failing.id
    assert old.id
    assert unfollowed.id
    await store.sources.record_failure(
        failing.id, "connection refused", now=DUE - timedelta(hours=3)
    )
    await store.sources.record_failure(old.id, "HTTP 500", now=DUE - timedelta(days=2))
    await store.sources.record_failure(unfollowed.id, "HTTP 404", now=DUE - timedelta(hours=1))
    await store.follows.set_following(CHAT, unfollowed.id, False)
    ticker = DailyTicker(
        store, CountingEditions(stories=False), default_zone=UTC, clock=SetClock(DUE)
    )
    assert await ticker.tick() == 1
    [(chat, kind, key, text)] = await _outbox(store)
    assert (chat, kind, key) == (CHAT, "edition", "2026-12-02")
    assert text == (
        "📭 No daily edition today: no new stories, and 1 of the sources could not be read "
        "(Harbour). The bot keeps trying them."
    )


def test_the_failure_line_escapes_names_and_counts_the_rest() -> None:
    from briefing.sources import Source

    sources = [Source(f"https://{n}.example/", SourceKind.FEED, title=f"<{n}>") for n in "abcde"]
    text = sources_failed_text(sources)
    assert "5 of the sources" in text
    assert "(&lt;a&gt;, &lt;b&gt;, &lt;c&gt; and 2 more)" in text


async def test_a_blocked_chat_gets_nothing_and_moves_on(store: Store) -> None:
    await _daily_at(store)
    await store.chats.seen(CHAT, "private", None)
    await store.chats.mark_blocked(CHAT)
    editions = CountingEditions()
    ticker = DailyTicker(store, editions, default_zone=UTC, clock=SetClock(DUE))
    assert await ticker.tick() == 0
    assert editions.calls == []
    assert (await store.chat_settings.get(CHAT)).next_daily_at == DUE + timedelta(days=1)


async def test_one_failing_chat_does_not_stop_the_others(store: Store) -> None:
    await _daily_at(store, 1)
    await _daily_at(store, 2)

    @dataclass
    class FailsForOne(CountingEditions):
        async def messages_for(
            self, chat_id: int, day: date, zone: tzinfo
        ) -> list[OutgoingMessage]:
            if chat_id == 1:
                raise RuntimeError("composer bug")
            return await super().messages_for(chat_id, day, zone)

    ticker = DailyTicker(store, FailsForOne(), default_zone=UTC, clock=SetClock(DUE))
    assert await ticker.tick() == 1
    assert [row[0] for row in await _outbox(store)] == [2]
    assert [s.chat_id for s in await store.chat_settings.due(DUE)] == [1]  # tried again next


async def test_a_one_post_day_is_delivered_as_that_post(store: Store) -> None:
    story = Story(
        "Ferry <times> change",
        (Block(BlockKind.PARAGRAPH, "Later ferries."),),
        summary=("The ferry leaves later.",),
    )
    saved = await store.briefings.save(
        Briefing("k1", "Harbour Daily", (story,), published=DUE - timedelta(hours=2))
    )
    editions = ComposedEditions(store)
    [message] = await editions.messages_for(CHAT, date(2026, 12, 2), BERLIN)
    assert (message.chat_id, message.kind, message.item_key) == (CHAT, "edition", "2026-12-02")
    assert message.briefing_id == saved.briefing_id
    assert "Harbour Daily" in message.text
    assert "Ferry &lt;times&gt; change" in message.text
    assert message.buttons
    assert message.buttons[0][0].callback_data is not None
    assert await editions.messages_for(CHAT, date(2026, 12, 3), BERLIN) == []


async def test_a_day_of_several_posts_is_delivered_composed(store: Store) -> None:
    def post(key: str, heading: str, summary: str, hours: int) -> Briefing:
        story = Story(heading, (Block(BlockKind.PARAGRAPH, summary),), summary=(summary,))
        return Briefing(key, f"{heading} post", (story,), published=DUE - timedelta(hours=hours))

    await store.briefings.save(post("a", "Quay repairs", "The quay is mended.", 3))
    await store.briefings.save(post("b", "Lighthouse reopens", "The lamp is lit again.", 2))
    [message] = await ComposedEditions(store).messages_for(CHAT, date(2026, 12, 2), BERLIN)
    assert message.briefing_id is None
    assert "The news of Wednesday 2 December 2026" in message.text
    assert "Quay repairs" in message.text
    assert "Lighthouse reopens" in message.text
    assert [b.callback_data for row in message.buttons for b in row][:2] != [None, None]


async def test_the_edition_leaves_out_a_source_the_chat_unfollowed(store: Store) -> None:
    source = await store.sources.add("https://a.example/feed", SourceKind.FEED)
    assert source.id is not None
    story = Story("Ferry times change", (Block(BlockKind.PARAGRAPH, "Later ferries."),))
    await store.briefings.save(
        Briefing("k1", "Harbour Daily", (story,), published=DUE - timedelta(hours=2)),
        source_id=source.id,
    )
    await store.follows.set_following(CHAT, source.id, False)
    editions = ComposedEditions(store)
    assert await editions.messages_for(CHAT, date(2026, 12, 2), BERLIN) == []
    [other] = await editions.messages_for(CHAT + 1, date(2026, 12, 2), BERLIN)
    assert "Harbour Daily" in other.text
