"""Updates run concurrently, in order within each chat, and within a bound."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update

from bot.app import build_application
from bot.settings import Settings
from bot.update_order import ChatOrderedProcessor
from tests.fakes.botapi import TOKEN


def _update(update_id: int, chat_id: int | None) -> Update:
    if chat_id is None:  # a button under an inline-mode message: no chat
        query = {"id": f"q{update_id}", "from": _user(1), "chat_instance": "c", "data": "x"}
        return Update.de_json({"update_id": update_id, "callback_query": query}, None)
    message = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": chat_id, "type": "private", "first_name": "A"},
        "from": _user(chat_id),
        "text": "/today",
    }
    return Update.de_json({"update_id": update_id, "message": message}, None)


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "A"}


class Journal:
    """Handlers that record when they start and end, and wait where the test says."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}
        self._changed = asyncio.Condition()

    async def handle(self, name: str) -> None:
        await self._record(f"{name} start")
        if name in self.gates:
            await self.gates[name].wait()
        await self._record(f"{name} end")

    async def until(self, predicate: Callable[[], bool]) -> None:
        async with self._changed:
            await self._changed.wait_for(predicate)

    async def _record(self, event: str) -> None:
        async with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def running(self) -> int:
        started = sum(e.endswith("start") for e in self.events)
        return started - sum(e.endswith("end") for e in self.events)


async def test_a_waiting_chat_holds_back_only_its_own_later_updates() -> None:
    processor, journal = ChatOrderedProcessor(), Journal()
    journal.gates["A1"] = asyncio.Event()
    a1 = asyncio.create_task(processor.process_update(_update(1, 10), journal.handle("A1")))
    a2 = asyncio.create_task(processor.process_update(_update(2, 10), journal.handle("A2")))
    b1 = asyncio.create_task(processor.process_update(_update(3, 20), journal.handle("B1")))
    await b1
    assert journal.events == ["A1 start", "B1 start", "B1 end"]
    assert not a1.done()
    assert not a2.done()
    journal.gates["A1"].set()
    await asyncio.gather(a1, a2)
    assert journal.events[3:] == ["A1 end", "A2 start", "A2 end"]


async def test_updates_without_a_chat_are_not_ordered() -> None:
    processor, journal = ChatOrderedProcessor(), Journal()
    journal.gates["first"] = asyncio.Event()
    first = asyncio.create_task(
        processor.process_update(_update(1, None), journal.handle("first"))
    )
    second = asyncio.create_task(
        processor.process_update(_update(2, None), journal.handle("second"))
    )
    await second
    assert journal.events == ["first start", "second start", "second end"]
    journal.gates["first"].set()
    await first


async def test_at_most_the_bound_run_at_once_and_waiting_takes_no_slot() -> None:
    processor, journal = ChatOrderedProcessor(running=2), Journal()
    gate = asyncio.Event()
    for name in ("A1", "A2", "A3", "B1", "C1"):
        journal.gates[name] = gate
    chats = {"A1": 10, "A2": 10, "A3": 10, "B1": 20, "C1": 30}
    tasks = [
        asyncio.create_task(processor.process_update(_update(i, chats[n]), journal.handle(n)))
        for i, n in enumerate(chats)
    ]
    await journal.until(lambda: journal.running() == 2)
    # A2 and A3 wait for A1 without a slot, so B1 runs beside it.
    assert journal.events == ["A1 start", "B1 start"]
    gate.set()
    await asyncio.gather(*tasks)
    assert [e for e in journal.events if e.startswith("A")] == [
        "A1 start",
        "A1 end",
        "A2 start",
        "A2 end",
        "A3 start",
        "A3 end",
    ]
    assert journal.events.count("C1 end") == 1


async def test_a_cancelled_update_lets_its_chat_go_on() -> None:
    processor, journal = ChatOrderedProcessor(), Journal()
    journal.gates["A1"] = asyncio.Event()
    a1 = asyncio.create_task(processor.process_update(_update(1, 10), journal.handle("A1")))
    a2 = asyncio.create_task(processor.process_update(_update(2, 10), journal.handle("A2")))
    a3 = asyncio.create_task(processor.process_update(_update(3, 10), journal.handle("A3")))
    await journal.until(lambda: bool(journal.events))
    a2.cancel()
    journal.gates["A1"].set()
    await asyncio.gather(a1, a3)
    assert a2.cancelled()
    assert journal.events == ["A1 start", "A1 end", "A3 start", "A3 end"]


def test_the_application_processes_updates_this_way(tmp_path: Path) -> None:
    settings = Settings(token=SecretStr(TOKEN), database=tmp_path / "bot.sqlite3")
    application = build_application(settings)
    assert isinstance(application.update_processor, ChatOrderedProcessor)
    assert application.update_processor.max_concurrent_updates > 1
