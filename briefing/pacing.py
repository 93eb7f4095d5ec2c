"""Telegram's flood limits as pure pacing rules: when may the next message to a chat go.

Times are seconds on any monotonic clock the caller owns (nothing here reads a clock):

- overall, messages keep to an even grid, ``1 / global_rate`` apart, and never more than
  ``global_per_second`` fall in any sliding second; a send the event loop made late may be
  followed by the next sooner (half a grid step at the least), so that short stalls do not
  lower the rate, but only within that window;
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
SECOND = 1.0
CATCH_UP_SECONDS = 0.25  # how far behind its grid the global pace may catch up
MIN_GAP_SHARE = 0.5  # of a grid step: the closest two sends may follow each other


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits to pace by; the defaults stay just under Telegram's published ones."""

    global_rate: float = 29.5
    global_per_second: int = 29
    private_burst: int = 3
    private_rate: float = 1.0
    group_per_minute: int = 20
    group_spacing: float = 1.0

    def __post_init__(self) -> None:
        if self.global_rate <= 0 or self.private_rate <= 0:
            raise ValueError("rates must be positive")
        if min(self.private_burst, self.group_per_minute, self.global_per_second) < 1:
            raise ValueError("bursts must be at least 1")
        if self.group_spacing < 0:
            raise ValueError("spacing must not be negative")


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
    _grid: float = float("-inf")
    _last: float = float("-inf")
    _window: deque[float] = field(default_factory=deque)
    _chats: dict[int, _ChatState] = field(default_factory=dict)

    def global_ready_at(self) -> float:
        """The earliest time any message may go."""
        interval = 1.0 / self.limits.global_rate
        ready = max(self._grid, self._last + interval * MIN_GAP_SHARE)
        cap = self.limits.global_per_second
        if len(self._window) >= cap:
            ready = max(ready, self._window[-cap] + SECOND)
        return ready

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
        return max(self.chat_ready_at(chat_id, now), self.global_ready_at())

    def record(self, chat_id: int, now: float) -> None:
        """A message to ``chat_id`` goes at ``now``."""
        interval = 1.0 / self.limits.global_rate
        # Up to CATCH_UP_SECONDS behind, the grid holds (the sends after a stall catch up);
        # further behind (idle, or a long stall) it starts afresh: no burst to make up.
        base = self._grid if self._grid >= now - CATCH_UP_SECONDS else now
        self._grid = base + interval
        self._last = max(self._last, now)
        self._window.append(now)
        while len(self._window) > self.limits.global_per_second:
            self._window.popleft()
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
