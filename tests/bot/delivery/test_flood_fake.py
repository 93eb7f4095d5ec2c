"""The fake Bot API's flood limits, which the sender's pacing tests and the bench rely on."""

from __future__ import annotations

from tests.fakes.botapi import FakeBotApi, FloodLimits


def _frozen() -> float:
    """A clock that stands still: every send falls in the same instant."""
    return 100.0


def _send(api: FakeBotApi, chat_id: int) -> tuple[int, dict[str, object]]:
    return api.call("sendMessage", {"chat_id": str(chat_id), "text": "hi"})


def test_a_private_chat_gets_a_burst_of_three_then_429_with_retry_after() -> None:
    api = FakeBotApi(flood_limits=FloodLimits(), flood_clock=_frozen)
    api.add_chats({"id": 1, "type": "private"})
    statuses = [_send(api, 1)[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    _, body = _send(api, 1)
    assert body["parameters"] == {"retry_after": 1}
    assert api.flood_refusals == 2


def test_thirty_a_second_across_chats_and_twenty_a_minute_per_group() -> None:
    api = FakeBotApi(flood_limits=FloodLimits(), flood_clock=_frozen)
    api.add_chats(*({"id": c, "type": "private"} for c in range(1, 32)))
    assert [_send(api, c)[0] for c in range(1, 32)].count(429) == 1
    grouped = FakeBotApi(flood_limits=FloodLimits(per_second=1000), flood_clock=_frozen)
    grouped.add_chats({"id": -5, "type": "group"})
    statuses = [_send(grouped, -5)[0] for _ in range(21)]
    assert statuses.count(200) == 20
    assert statuses[-1] == 429


def test_an_upgraded_group_answers_with_its_new_id() -> None:
    api = FakeBotApi()
    api.add_chats({"id": -5, "type": "group", "title": "G"})
    api.upgrade_group(-5, -1005)
    status, body = _send(api, -5)
    assert status == 400
    assert body["parameters"] == {"migrate_to_chat_id": -1005}
    assert _send(api, -1005)[0] == 200
