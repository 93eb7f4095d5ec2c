"""A clock and a sleep for code that waits: time moves only when the code sleeps."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class FakeClock:
    """Monotonic seconds starting at 0; :meth:`sleep` records each wait and advances.

    With ``hold`` cleared, a sleeper waits until the test sets it, so a test can do other
    things while some code is in a flood wait (``sleeping`` tells it one has begun).
    """

    time: float = 0.0
    sleeps: list[float] = field(default_factory=list)
    hold: asyncio.Event = field(default_factory=asyncio.Event)
    sleeping: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.hold.set()

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        wake = self.time + seconds
        self.sleeps.append(seconds)
        self.sleeping.set()
        await self.hold.wait()
        self.time = max(self.time, wake)  # sleepers side by side wake at their own times
