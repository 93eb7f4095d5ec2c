"""`briefbot outbox`: what the delivery service has sent, is sending, and why some ended."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from storage.outbox import OutboxCounts
from storage.store import Store


async def print_outbox(database: Path, out: TextIO) -> int:
    """Print the outbox's counts by state and its commonest errors; the exit code."""
    store = await Store.open(database)
    try:
        counts = await store.outbox.counts()
    finally:
        await store.close()
    out.write(format_counts(counts))
    return 0


def format_counts(counts: OutboxCounts) -> str:
    """The counts as the terminal shows them."""
    lines = [f"{state:<8} {number}" for state, number in counts.by_state.items()]
    if counts.retrying:
        lines.append(f"({counts.retrying} pending after a failed try)")
    if counts.errors:
        lines.append("why messages ended:")
        lines.extend(f"{number:>8}  {error}" for error, number in counts.errors)
    return "\n".join(lines) + "\n"
