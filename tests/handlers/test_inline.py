"""Inline mode through real updates: @bot words offers story cards with a deep link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.inline import PAGE_SIZE
from handlers.search import parse_search
from tests.fakes.botapi import BOT_USER
from tests.handlers.conftest import BotHarness as Harness

BASE = datetime(2026, 11, 20, 8, tzinfo=UTC)


def _briefing(day: int, heading: str, summary: str, url: str | None = None) -> Briefing:
    story = Story(
        heading,
        (Block(BlockKind.PARAGRAPH, summary),),
        url=url,
        summary=(summary,),
    )
    return Briefing(
        key=f"b{day}",
        title=f"Harbour <Daily> {day}",
        stories=(story,),
        published=BASE + timedelta(days=day),
    )


async def test_words_find_matching_stories_as_cards_with_an_open_in_bot_link(
    harness: Harness,
) -> None:
    await harness.store.briefings.save(
        _briefing(
            1, "Ferry <fares> frozen", "Ferry fares stay & hold.", "https://example.org/f?a=1&b=2"
        )
    )
    await harness.store.briefings.save(_briefing(2, "Market day", "Stalls opened early."))
    answer = await harness.inline("ferry")
    [result] = answer["results"]
    assert result["type"] == "article"
    assert result["title"] == "Ferry <fares> frozen"
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert "<b>Ferry &lt;fares&gt; frozen</b>" in content["message_text"]
    assert "Ferry fares stay &amp; hold." in content["message_text"]
    assert 'href="https://example.org/f?a=1&amp;b=2"' in content["message_text"]
    [[button]] = result["reply_markup"]["inline_keyboard"]
    story_id = await _story_id(harness, "ferry")
    assert button == {
        "text": "Open in bot",
        "url": f"https://t.me/{BOT_USER['username']}?start=story_{story_id}",
    }
    assert "next_offset" not in answer or answer["next_offset"] in (None, "")


async def _story_id(harness: Harness, typed: str) -> int:
    found = await harness.store.search.search(None, parse_search(typed), typed)
    return found.hits[0].story_id


async def test_an_empty_query_offers_the_newest_stories_a_page_at_a_time(
    harness: Harness,
) -> None:
    for day in range(PAGE_SIZE + 5):
        await harness.store.briefings.save(_briefing(day, f"Story {day}", f"Summary {day}."))
    first = await harness.inline("")
    assert [r["title"] for r in first["results"][:2]] == [
        f"Story {PAGE_SIZE + 4}",
        f"Story {PAGE_SIZE + 3}",
    ]
    assert len(first["results"]) == PAGE_SIZE
    assert first["next_offset"] == "1"
    second = await harness.inline("", offset="1")
    assert [r["title"] for r in second["results"]] == [f"Story {d}" for d in range(4, -1, -1)]
    assert second.get("next_offset") in (None, "")


async def test_a_bad_query_gets_no_results_and_a_button_that_says_why(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing(1, "Ferry fares", "Fares stay."))
    answer = await harness.inline("-ferry")
    assert answer["results"] == []
    assert answer["button"]["start_parameter"] == "help"
    assert answer["button"]["text"]


async def test_fts_syntax_and_a_garbage_offset_are_harmless(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing(1, "Ferry fares", "Fares stay."))
    for typed in ("ferry*", "NEAR(ferry fares)", '"ferry', "(ferry", "🚢 ferry", "x" * 300):
        answer = await harness.inline(typed, offset="'; DROP TABLE stories; --")
        assert isinstance(answer["results"], list)
    assert (await harness.inline("ferry", offset="999999"))["results"] == []


async def test_start_with_a_story_link_opens_its_card(harness: Harness) -> None:
    await harness.store.briefings.save(_briefing(1, "Ferry fares", "Fares stay the same."))
    story_id = await _story_id(harness, "ferry")
    [card] = await harness.send(f"/start story_{story_id}")
    assert "<b>Ferry fares</b>" in card.html
    assert "Fares stay the same." in card.text
    linked = await harness.store.chats.linked(card.chat_id, card.message_id)
    assert linked


async def test_start_with_a_broken_or_gone_story_link_says_so_then_greets(
    harness: Harness,
) -> None:
    for payload in ("story_99999", "story_abc", "story_"):
        [reply] = await harness.send(f"/start {payload}")
        assert "no longer here" in reply.text
        assert "/today" in reply.text
    [plain] = await harness.send("/start something_else")
    assert "no longer here" not in plain.text
