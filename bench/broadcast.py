"""Broadcast to many chats through the real sender, against a Bot API that enforces Telegram's
flood limits (429 with retry_after; a sliding second of 30 sends across chats, a burst of 3
then 1/s per private chat, 20 a minute per group), served over HTTP on 127.0.0.1.

Three runs, each on its own fresh server and database, one message per chat:

- ``sender``: the outbox pre-filled, ``briefbot run`` as a real process sends it all;
- ``AIORateLimiter()``: PTB's limiter with its defaults, every message sent at once through
  one ExtBot in this process (what a bot without an outbox would do);
- ``sender, kill -9``: as the first, but the process is killed with SIGKILL once half the
  messages are sent, then started again until everything is sent.

Figures: sustained rate (accepted sends over the time from the first to the last, as the
server saw them), 429s answered, duplicates (copies beyond the first), lost (never sent).

Run: ``python -m bench.broadcast [--chats 10000]`` (several minutes at the default size).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from briefing.outgoing import OutgoingMessage
from storage.store import Store
from tests.fakes.botapi import TOKEN, FakeBotApi, FloodLimits
from tests.fakes.server import serve_bot_api
from tests.processes import process_environment

DEFAULT_CHATS = 10_000
ENQUEUE_CHUNK = 1_000
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0


@dataclass
class TimedBotApi(FakeBotApi):
    """The strict fake, noting when each send was accepted and what reached each chat."""

    accepted_at: list[float] = field(default_factory=list)
    copies: Counter[tuple[int, str]] = field(default_factory=Counter)

    def call(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        status, body = super().call(method, params)
        if method == "sendMessage" and status == 200:
            with self._lock:
                self.accepted_at.append(time.monotonic())
                self.copies[(int(params["chat_id"]), body["result"]["text"])] += 1
        return status, body


@dataclass(frozen=True)
class Figures:
    """One run's outcome."""

    label: str
    chats: int
    rate: float
    refusals: int
    duplicates: int
    lost: int
    note: str = ""

    def line(self) -> str:
        return (
            f"{self.label:<22} {self.chats:>7} {self.rate:>9.1f} {self.refusals:>7}"
            f" {self.duplicates:>10} {self.lost:>6}  {self.note}"
        )


HEADER = f"{'run':<22} {'chats':>7} {'msg/s':>9} {'429s':>7} {'duplicates':>10} {'lost':>6}"


def _text(chat_id: int) -> str:
    """The message to ``chat_id`` as a reader sees it."""
    return f"Breaking: the briefing for reader {chat_id}"


def _html(chat_id: int) -> str:
    return f"<b>Breaking:</b> the briefing for reader {chat_id}"


def _api(chats: int) -> TimedBotApi:
    api = TimedBotApi(flood_limits=FloodLimits())
    readers = range(1, chats + 1)
    api.add_chats(*({"id": c, "type": "private", "first_name": f"R{c}"} for c in readers))
    return api


def _rate(times: Sequence[float]) -> tuple[int, float]:
    """(intervals, seconds) between the first and the last of ``times``."""
    return (len(times) - 1, times[-1] - times[0]) if len(times) > 1 else (0, 0.0)


def _figures(
    label: str, api: TimedBotApi, chats: int, note: str = "", split: int | None = None
) -> Figures:
    """The figures of a run; ``split``: where a restart cut it (its gap is not counted)."""
    times = api.accepted_at
    parts = [times] if split is None else [times[:split], times[split:]]
    rates = [_rate(part) for part in parts]
    intervals, span = sum(n for n, _ in rates), sum(t for _, t in rates)
    rate = intervals / span if span > 0 else 0.0
    wanted = {(c, _text(c)) for c in range(1, chats + 1)}
    lost = len(wanted - set(api.copies))
    duplicates = sum(n - 1 for n in api.copies.values())
    return Figures(label, chats, rate, api.flood_refusals, duplicates, lost, note)


async def _prefill(database: Path, chats: int) -> None:
    store = await Store.open(database)
    try:
        ids = list(range(1, chats + 1))
        for start in range(0, chats, ENQUEUE_CHUNK):
            await store.outbox.enqueue(
                [
                    OutgoingMessage(c, "broadcast", "bench", _html(c))
                    for c in ids[start : start + ENQUEUE_CHUNK]
                ]
            )
    finally:
        await store.close()


def _environment(url: str, database: Path) -> dict[str, str]:
    return process_environment(
        BRIEFBOT_TOKEN=TOKEN,
        BRIEFBOT_API_URL=url,
        BRIEFBOT_DATABASE=str(database),
        BRIEFBOT_LOG_LEVEL="WARNING",
    )


@contextmanager
def _bot(env: dict[str, str], cwd: Path, log: IO[str]) -> Iterator[subprocess.Popen[str]]:
    """`briefbot run` for the block; SIGINT after it unless it was killed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        process.wait(timeout=STOP_TIMEOUT)


def _delivery_timeout(chats: int) -> float:
    return START_TIMEOUT + chats / 10.0


def sender_run(chats: int, workdir: Path) -> Figures:
    """The outbox pre-filled, then `briefbot run` sends it."""
    api = _api(chats)
    database = workdir / "sender.sqlite3"
    asyncio.run(_prefill(database, chats))
    with serve_bot_api(api) as url, (workdir / "sender.log").open("w") as log:
        env = _environment(url, database)
        with _bot(env, workdir, log):
            api.wait_for(lambda a: len(a.copies) >= chats, timeout=_delivery_timeout(chats))
    return _figures("sender", api, chats)


def killed_run(chats: int, workdir: Path) -> Figures:
    """As :func:`sender_run`, with a SIGKILL once half the messages are sent."""
    api = _api(chats)
    database = workdir / "killed.sqlite3"
    asyncio.run(_prefill(database, chats))
    with serve_bot_api(api) as url, (workdir / "killed.log").open("w") as log:
        env = _environment(url, database)
        with _bot(env, workdir, log) as first:
            api.wait_for(lambda a: len(a.copies) >= chats // 2, timeout=_delivery_timeout(chats))
            os.kill(first.pid, signal.SIGKILL)
        at_kill = len(api.accepted_at)
        with _bot(env, workdir, log):
            api.wait_for(lambda a: len(a.copies) >= chats, timeout=_delivery_timeout(chats))
    twice = sum(1 for n in api.copies.values() if n > 1)
    note = f"killed after {at_kill} sent; {twice} chats got a second copy (rate without the gap)"
    return _figures("sender, kill -9", api, chats, note, split=at_kill)


async def limiter_run(chats: int) -> Figures:
    """PTB's AIORateLimiter with its defaults: every message handed to it at once."""
    api = _api(chats)
    failures: Counter[str] = Counter()
    with serve_bot_api(api) as url:
        request = HTTPXRequest(connection_pool_size=256, pool_timeout=None)
        bot: ExtBot[Any] = ExtBot(
            TOKEN, base_url=f"{url}/bot", request=request, rate_limiter=AIORateLimiter()
        )
        async with bot:

            async def send(chat_id: int) -> None:
                try:
                    await bot.send_message(chat_id, _text(chat_id))
                except TelegramError as error:
                    failures[type(error).__name__] += 1

            await asyncio.gather(*(send(c) for c in range(1, chats + 1)))
    note = ", ".join(f"{n} {kind}" for kind, n in failures.most_common()) or "no errors"
    return _figures("AIORateLimiter()", api, chats, f"raised: {note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__)
    parser.add_argument("--chats", type=int, default=DEFAULT_CHATS, help="chats, one message each")
    args = parser.parse_args(argv)
    chats: int = args.chats
    print(f"broadcast: {chats} chats x 1 message; limits: {FloodLimits()}")
    print(HEADER)
    with tempfile.TemporaryDirectory(prefix="briefbot-broadcast-") as folder:
        workdir = Path(folder)
        print(sender_run(chats, workdir).line(), flush=True)
        print(asyncio.run(limiter_run(chats)).line(), flush=True)
        print(killed_run(chats, workdir).line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
