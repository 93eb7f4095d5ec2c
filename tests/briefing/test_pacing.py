"""Pacing rules with explicit times: no clock, no event loop."""

from __future__ import annotations

from itertools import pairwise

import pytest

from briefing.pacing import Limits, Pacer, is_group

PRIVATE = 4242
OTHER = 5151
GROUP = -100777


def _send_when_ready(pacer: Pacer, chat_id: int, now: float) -> float:
    at = pacer.ready_at(chat_id, now)
    pacer.record(chat_id, at)
    return at


def test_group_ids_are_negative() -> None:
    assert is_group(GROUP)
    assert not is_group(PRIVATE)


def test_messages_overall_are_spaced_evenly_without_bursts() -> None:
    pacer = Pacer()
    times = [_send_when_ready(pacer, chat_id, 0.0) for chat_id in range(1, 91)]
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) == pytest.approx(1 / Limits().global_rate)
    # Any one-second window holds at most 30 of them.
    for start in times:
        assert sum(1 for t in times if start <= t < start + 1.0) <= 30


def test_a_private_chat_gets_a_burst_of_three_then_one_a_second() -> None:
    pacer = Pacer(Limits(global_rate=1000.0))
    times = [_send_when_ready(pacer, PRIVATE, 0.0) for _ in range(6)]
    assert times[2] < 0.01
    assert times[3] == pytest.approx(1.0, abs=0.01)
    assert times[4] - times[3] == pytest.approx(1.0)
    assert times[5] - times[4] == pytest.approx(1.0)


def test_a_quiet_private_chat_earns_its_burst_back() -> None:
    pacer = Pacer(Limits(global_rate=1000.0))
    for _ in range(3):
        _send_when_ready(pacer, PRIVATE, 0.0)
    assert pacer.chat_ready_at(PRIVATE, 0.01) > 0.01
    assert pacer.chat_ready_at(PRIVATE, 10.0) == 10.0
    for _ in range(3):
        assert _send_when_ready(pacer, PRIVATE, 10.0) < 10.01


def test_one_chat_waiting_does_not_hold_back_another() -> None:
    pacer = Pacer(Limits(global_rate=1000.0))
    for _ in range(3):
        _send_when_ready(pacer, PRIVATE, 0.0)
    assert pacer.chat_ready_at(PRIVATE, 0.01) > 0.5
    assert pacer.chat_ready_at(OTHER, 0.01) == 0.01


def test_a_group_gets_twenty_messages_in_any_minute() -> None:
    pacer = Pacer(Limits(global_rate=1000.0, group_spacing=1.0))
    times = [_send_when_ready(pacer, GROUP, 0.0) for _ in range(45)]
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= 1.0 - 1e-9
    for start in times:
        assert sum(1 for t in times if start - 60.0 < t <= start) <= 20
    # The 21st waits for the first to leave the minute.
    assert times[20] == pytest.approx(times[0] + 60.0)


def test_hold_keeps_only_that_chat_silent_until_the_time() -> None:
    pacer = Pacer(Limits(global_rate=1000.0))
    pacer.hold(PRIVATE, 7.0)
    assert pacer.chat_ready_at(PRIVATE, 1.0) == 7.0
    assert pacer.chat_ready_at(OTHER, 1.0) == 1.0
    assert pacer.chat_ready_at(PRIVATE, 8.0) == 8.0


def test_hold_never_shortens_an_earlier_hold() -> None:
    pacer = Pacer()
    pacer.hold(GROUP, 30.0)
    pacer.hold(GROUP, 5.0)
    assert pacer.chat_ready_at(GROUP, 0.0) == 30.0


def test_prune_forgets_idle_chats_only() -> None:
    pacer = Pacer(Limits(global_rate=1000.0))
    for chat_id in range(1, 101):
        _send_when_ready(pacer, chat_id, 0.0)
    _send_when_ready(pacer, GROUP, 0.0)
    pacer.hold(OTHER, 100.0)
    assert pacer.tracked() == 102
    pacer.prune(5.0)
    assert pacer.tracked() == 2  # the group's minute and the hold are not over
    pacer.prune(101.0)
    assert pacer.tracked() == 0


def test_limits_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        Limits(global_rate=0)
    with pytest.raises(ValueError, match="at least 1"):
        Limits(private_burst=0)
    with pytest.raises(ValueError, match="negative"):
        Limits(group_spacing=-1.0)


def test_after_a_stall_the_pace_catches_up_but_never_over_the_second() -> None:
    pacer = Pacer(Limits(global_rate=10.0, global_per_second=10))
    for n in range(5):
        _send_when_ready(pacer, n + 1, 0.0)
    # The loop stalled 0.2 s: the next sends may come half a step apart to catch up ...
    pacer.record(6, 0.6)
    assert pacer.global_ready_at() == pytest.approx(0.65)
    times = [_send_when_ready(pacer, n, 0.6) for n in range(7, 30)]
    # ... but never more than 10 in any second, and never closer than half a step.
    every = [0.0, 0.1, 0.2, 0.3, 0.4, 0.6, *times]
    assert min(b - a for a, b in pairwise(every)) >= 0.05 - 1e-9
    for start in every:
        assert sum(1 for t in every if start <= t < start + 1.0 - 1e-9) <= 10


def test_a_long_stall_earns_no_burst() -> None:
    pacer = Pacer(Limits(global_rate=10.0, global_per_second=10))
    pacer.record(1, 0.0)
    pacer.record(2, 50.0)
    times = [_send_when_ready(pacer, n, 50.0) for n in range(3, 10)]
    assert times[-1] - 50.0 >= 0.1 * 7 - 0.25 - 1e-9  # at most 0.25 s of catching up
