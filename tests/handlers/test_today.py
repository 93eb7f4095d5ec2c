"""/today, its story buttons and their cards, through real updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from briefing.models import Block, BlockKind, Briefing, Comment, Story
from briefing.sources import SourceKind
from tests.fakes.botapi import ApiError
from tests.handlers.conftest import BotHarness as Harness


def _briefing(paragraphs: int = 1, body: str = "Ships & <boats> came in.") -> Briefing:
    stories = (
        Story(
            "Harbour <reopens> & ships return",
            tuple(Block(BlockKind.PARAGRAPH, body) for _ in range(paragraphs)),
            url="https://example.org/harbour?a=1&b=2",
            summary=("The harbour reopened.", "Ships & <boats> came in.", "Third.", "Fourth."),
        ),
        Story("Market day", (Block(BlockKind.PARAGRAPH, "Stalls opened early."),)),
    )
    comments = (
        Comment(
            "1",
            "The <harbour> reopening is great news for the fishing families here.",
            author="Tom & Jerry",
            story_position=0,
        ),
        Comment(
            "1.1",
            "Agreed, the fishing families waited a long time.",
            parent_key="1",
            story_position=0,
        ),
        Comment(
            "2", "Market day was lovely, the stalls had fresh bread and cheese.", story_position=1
        ),
    )
    return Briefing(
        key="harbour-1",
        title="Harbour Daily: <All> the news",
        stories=stories,
        comments=comments,
        published=datetime(2026, 11, 24, 23, 30, tzinfo=UTC),
        url="https://example.org/daily",
    )


async def test_today_without_briefings_says_how_to_add_one(harness: Harness) -> None:
    [reply] = await harness.send("/today")
    assert "no briefing yet" in reply.text
    assert "briefbot ingest" in reply.text


async def test_today_shows_title_date_stories_and_highlights(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    [reply] = await harness.send("/today")
    assert reply.parse_mode == "HTML"
    assert "Harbour Daily: <All> the news" in reply.text
    # 23:30 UTC is the next day in the configured zone (Europe/Berlin).
    assert "Wednesday 25 November 2026" in reply.text
    assert "1. Harbour <reopens> & ships return" in reply.text
    assert "The harbour reopened. Ships & <boats> came in." in reply.text
    assert "Third." not in reply.text
    assert "What readers say" in reply.text
    assert "Tom & Jerry · 1 reply" in reply.text
    assert "<b>1. Harbour &lt;reopens&gt; &amp; ships return</b>" in reply.html
    assert reply.buttons == [
        [{"text": "1. Harbour <reopens> & ships return", "callback_data": "story:1"}],
        [{"text": "2. Market day", "callback_data": "story:2"}],
        [{"text": "💬 Comments (3)", "callback_data": "cm:b1:0:b"}],
    ]


async def test_story_button_opens_a_card(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    [card] = await harness.press(today, today.buttons[0][0]["callback_data"])
    assert card.text.startswith("Harbour <reopens> & ships return")
    assert "Fourth." in card.text
    assert card.buttons == [
        [
            {"text": "◀ Back", "callback_data": "back:1"},
            {"text": "Next ▶", "callback_data": "story:2"},
        ],
        [{"text": "💬 Comments (2)", "callback_data": "cm:1:0:b"}],
        [{"text": "Read at the source", "url": "https://example.org/harbour?a=1&b=2"}],
        [
            {"text": "🔔 Alert me", "callback_data": "alert:1"},
            {"text": "✍️ Discuss", "callback_data": "discuss:1"},
        ],
    ]
    assert "Readers on this story" in card.text
    assert "fishing families" in card.text
    assert "Market day was lovely" not in card.text
    assert harness.api.callback_answers[-1].get("text") is None
    assert [m for m, _ in harness.api.calls].count("answerCallbackQuery") == 1


async def test_the_message_pressed_is_linked_to_the_story_it_shows(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    stored = await harness.store.briefings.latest()
    assert stored is not None
    briefing_link = await harness.store.chats.linked(today.chat_id, today.message_id)
    assert briefing_link is not None
    assert (briefing_link.briefing_id, briefing_link.story_id) == (stored.id, None)
    [card] = await harness.press(today, today.buttons[1][0]["callback_data"])
    assert card.message_id == today.message_id
    link = await harness.store.chats.linked(card.chat_id, card.message_id)
    assert link is not None
    assert link.story_id == stored.stories[1].id


async def test_a_button_for_a_removed_story_gets_a_short_answer(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    assert await harness.press(today, "story:999999") == []
    assert "no longer available" in harness.api.callback_answers[-1]["text"]


async def test_a_button_nobody_knows_gets_a_short_answer(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    [today] = await harness.send("/today")
    assert await harness.press(today, "v0-legacy:abc") == []
    assert "older message" in harness.api.callback_answers[-1]["text"]


async def test_a_long_briefing_is_split_at_paragraphs(harness: Harness) -> None:
    long_body = "A sentence about the harbour works. " * 150
    many = tuple(
        Story(f"Story {n}", (Block(BlockKind.PARAGRAPH, long_body),), summary=(long_body,))
        for n in range(4)
    )
    await harness.store.briefings.save(Briefing(key="long", title="Long Daily", stories=many))
    replies = await harness.send("/today")
    assert len(replies) > 1
    assert all(len(r.text) <= 4096 for r in replies)
    assert [r for r in replies if r.buttons] == [replies[-1]]
    joined = "\n\n".join(r.text for r in replies)
    assert joined.count("A sentence about the harbour works.") == 4 * 150


async def test_an_unexpected_failure_is_reported_without_details(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing())
    harness.api.fail_next("sendMessage", ApiError(500, "Internal Server Error: boom"))
    replies = await harness.send("/today")
    assert [r.text for r in replies] == [
        "Sorry, something went wrong on my side. Please try again in a moment."
    ]


async def test_a_flood_limit_delays_the_answer_instead_of_losing_it(harness: Harness) -> None:
    harness.api.fail_next(
        "sendMessage", ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
    )
    [reply] = await harness.send("/start")
    assert "/today" in reply.text
    assert [m for m, _ in harness.api.calls].count("sendMessage") == 2


async def test_today_shows_the_latest_briefing_of_a_source_the_chat_follows(
    harness: Harness,
) -> None:
    source = await harness.store.sources.add("https://a.example/feed", SourceKind.FEED)
    assert source.id is not None
    earlier = datetime(2026, 11, 20, 8, tzinfo=UTC)  # an older day: /today shows the latest
    await harness.store.briefings.save(
        replace(_briefing(), key="hand", title="Hand Daily", published=earlier)
    )
    await harness.store.briefings.save(_briefing(), source_id=source.id)
    [listing] = await harness.send("/sources")
    await harness.press(listing, f"fol:0:0:{source.id}")
    [reply] = await harness.send("/today")
    assert "Hand Daily" in reply.text
    await harness.press(listing, f"fol:1:0:{source.id}")
    [again] = await harness.send("/today")
    assert "Harbour Daily: <All> the news" in again.text
