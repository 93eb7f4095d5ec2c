"""Telegram's flood limits as pure pacing rules: when may the next message to a chat go.

Times are seconds on any monotonic clock the caller owns (nothing here reads a clock):

- overall, messages are spaced evenly, ``1 / global_rate`` apart, so no burst ever
  exceeds the global limit however the sends line up;
- a private chat (id > 0) has a token bucket: a burst of ``private_burst``, then one
  message per ``1 / private_rate`` seconds;
- a group, supergroup or channel (id < 0) gets at most ``group_per_minute`` messages in
  any sliding minute, and at least ``group_spacing`` seconds between two of them;
- :meth:`Pacer.hold` keeps one chat silent until a time (Telegram's ``retry_after``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MINUTE = 60.0
LATE_ON_GRID = 0.25  # of an interval


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits to pace by; the defaults stay just under Telegram's published ones."""

    global_rate: float = 29.5
    private_burst: int = 3
    private_rate: float = 1.0
    group_per_minute: int = 20
    group_spacing: float = 1.0

    def __post_init__(self) -> None:
        if self.global_rate <= 0 or self.private_rate <= 0:
            raise ValueError("rates must be positive")
        if self.private_burst < 1 or self.group_per_minute < 1 or self.group_spacing < 0:
            raise ValueError("bursts must be at least 1 and spacing not negative")


def is_group(chat_id: int) -> bool:
    """Telegram's ids of groups, supergroups and channels are negative."""
    return chat_id < 0


@dataclass(slots=True)
class _ChatState:
    tokens: float = 0.0
    refilled_at: float = 0.0
    recent: deque[float] = field(default_factory=deque)
    held_until: float = 0.0


@dataclass
class Pacer:
    """Remembers what was sent when, and answers when the next message may go."""

    limits: Limits = field(default_factory=Limits)
    _global_next: float = float("-inf")
    _chats: dict[int, _ChatState] = field(default_factory=dict)

    def global_ready_at(self) -> float:
        """The earliest time any message may go."""
        return self._global_next

    def chat_ready_at(self, chat_id: int, now: float) -> float:
        """The earliest time (``now`` or later) a message to ``chat_id`` may go, the global
        spacing aside."""
        state = self._chats.get(chat_id)
        if state is None:
            return now
        ready = max(now, state.held_until)
        if is_group(chat_id):
            self._forget_before(state, now - MINUTE)
            if state.recent:
                ready = max(ready, state.recent[-1] + self.limits.group_spacing)
            if len(state.recent) >= self.limits.group_per_minute:
                ready = max(ready, state.recent[-self.limits.group_per_minute] + MINUTE)
        else:
            since = max(now, state.refilled_at)
            tokens = self._tokens(state, since)
            if tokens < 1.0:
                ready = max(ready, since + (1.0 - tokens) / self.limits.private_rate)
        return ready

    def ready_at(self, chat_id: int, now: float) -> float:
        """The earliest time a message to ``chat_id`` may go, all limits considered."""
        return max(self.chat_ready_at(chat_id, now), self._global_next)

    def record(self, chat_id: int, now: float) -> None:
        """A message to ``chat_id`` goes at ``now``."""
        interval = 1.0 / self.limits.global_rate
        slot = self._global_next
        # A send a little late keeps to the even grid, so that timer lateness does not add up
        # and slow the rate; one much later starts a new grid (no catching up in a burst).
        on_grid = slot <= now <= slot + interval * LATE_ON_GRID
        self._global_next = (slot if on_grid else now) + interval
        state = self._chats.get(chat_id)
        if state is None:
            state = _ChatState(tokens=float(self.limits.private_burst), refilled_at=now)
            self._chats[chat_id] = state
        if is_group(chat_id):
            state.recent.append(now)
            self._forget_before(state, now - MINUTE)
        else:
            state.tokens = self._tokens(state, now) - 1.0
            state.refilled_at = now

    def hold(self, chat_id: int, until: float) -> None:
        """Send nothing to ``chat_id`` before ``until`` (a 429's retry_after)."""
        state = self._chats.setdefault(
            chat_id, _ChatState(tokens=float(self.limits.private_burst), refilled_at=until)
        )
        state.held_until = max(state.held_until, until)

    def prune(self, now: float) -> None:
        """Forget the chats that are idle again (full bucket, quiet minute), so memory stays
        bounded by the chats recently written to."""
        idle = [chat_id for chat_id, state in self._chats.items() if self._idle(state, now)]
        for chat_id in idle:
            del self._chats[chat_id]

    def tracked(self) -> int:
        """How many chats the pacer remembers."""
        return len(self._chats)

    def _idle(self, state: _ChatState, now: float) -> bool:
        if state.held_until > now:
            return False
        if state.recent:
            return state.recent[-1] + MINUTE <= now
        return self._tokens(state, now) >= self.limits.private_burst

    def _tokens(self, state: _ChatState, now: float) -> float:
        elapsed = max(0.0, now - state.refilled_at)
        return min(
            float(self.limits.private_burst), state.tokens + elapsed * self.limits.private_rate
        )

    @staticmethod
    def _forget_before(state: _ChatState, horizon: float) -> None:
        while state.recent and state.recent[0] <= horizon:
            state.recent.popleft()
