"""The error handler, flood waits at a reply, and the Defaults every send shares."""

from __future__ import annotations

import logging

import pytest

from briefing.models import Block, BlockKind, Briefing, Story
from handlers.errors import SOMETHING_WENT_WRONG
from tests.fakes.botapi import ApiError
from tests.fakes.clock import FakeClock
from tests.handlers.conftest import ADA, GROUP_CHAT, PRIVATE_CHAT, BotHarness


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]


def _flood(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


def _sends(harness: BotHarness) -> list[dict[str, object]]:
    return [params for method, params in harness.api.calls if method == "sendMessage"]


async def _save_briefing(harness: BotHarness) -> None:
    story = Story("Harbour reopens", (Block(BlockKind.PARAGRAPH, "Ships came in."),))
    await harness.store.briefings.save(Briefing("b-1", "Harbour Daily", (story,)))


async def test_an_expired_button_press_still_opens_the_card_and_is_no_error(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.errors")
    await _save_briefing(harness)
    [today] = await harness.send("/today")
    harness.api.user_presses(ADA, today, "story:1")
    harness.api.expire_queries()  # the bot restarted meanwhile
    [card] = await harness.process_pending()
    assert card.text.startswith("Harbour reopens")
    assert harness.api.callback_answers == []
    assert _errors(caplog) == []
    assert "expired" in caplog.text


async def test_an_old_unknown_button_that_expired_is_no_error(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await _save_briefing(harness)
    [today] = await harness.send("/today")
    harness.api.user_presses(ADA, today, "v0:something")
    harness.api.expire_queries()
    assert await harness.process_pending() == []
    assert _errors(caplog) == []
    assert SOMETHING_WENT_WRONG not in str(harness.api.calls)


async def test_a_flood_wait_at_a_reply_is_waited_out_and_the_reply_sent(
    clocked_harness: BotHarness, clock: FakeClock
) -> None:
    clocked_harness.api.fail_next("sendMessage", _flood(7), chat_id=PRIVATE_CHAT["id"])
    [greeting] = await clocked_harness.send("/start")
    assert "/today" in greeting.text
    assert clock.sleeps == [7.0]
    assert len(_sends(clocked_harness)) == 2


async def test_repeated_flood_waits_drop_the_reply_without_another_message(
    clocked_harness: BotHarness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):
        clocked_harness.api.fail_next("sendMessage", _flood(3))
    assert await clocked_harness.send("/start") == []
    # One try and two retries, each after exactly retry_after; no "something went wrong".
    assert len(_sends(clocked_harness)) == 3
    assert clock.sleeps == [3.0, 3.0]
    assert _errors(caplog) == []


async def test_a_bad_request_at_a_reply_is_logged_and_the_user_told(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.api.fail_next("sendMessage", ApiError(400, "Bad Request: can't parse entities"))
    [sorry] = await harness.send("/start")
    assert sorry.text == SOMETHING_WENT_WRONG
    assert len(_errors(caplog)) == 1
    known = await harness.store.chats.get(PRIVATE_CHAT["id"])
    assert known is not None
    assert known.active


async def test_every_send_is_html_without_link_previews_and_unquoted(harness: BotHarness) -> None:
    await _save_briefing(harness)
    await harness.send("/start@briefbot_test_bot", chat=GROUP_CHAT)
    await harness.send("/help@briefbot_test_bot", chat=GROUP_CHAT)
    await harness.send("/today@briefbot_test_bot", chat=GROUP_CHAT)
    sends = _sends(harness)
    assert len(sends) == 3
    for params in sends:
        assert params["parse_mode"] == "HTML"
        assert params["link_preview_options"] == {"is_disabled": True}
        assert "reply_parameters" not in params


async def test_a_comment_confirmation_quotes_the_comment(harness: BotHarness) -> None:
    await _save_briefing(harness)
    [today] = await harness.send("/today")
    [thanks] = await harness.reply(today, "Good <news> & more")
    assert thanks.reply_to is not None
    assert thanks.text.startswith("💬 Your comment on Harbour reopens was added")
    assert _sends(harness)[-1]["parse_mode"] == "HTML"
