"""Pure views of the admins' operations commands: figures in, Telegram HTML out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.html import bold, escape, pack, shorten
from storage.stats import BotStats, BroadcastReport

OPS_ADMINS_ONLY = "Sorry, only the bot's admins can use /{command}."
BROADCAST_USAGE = "Usage: /broadcast TEXT, e.g. /broadcast We are back after maintenance."
BROADCAST_EXPIRED = "This broadcast is no longer waiting for confirmation: send /broadcast again."
BROADCAST_CANCELLED = "Broadcast cancelled: nothing was sent."
NO_SOURCES = "No sources to poll. Add one with /addsource URL [INTERVAL]."
POLL_LINE_LIMIT = 300
BROADCAST_PREFIX = "bc:"
SEND, CANCEL, REFRESH = "go", "no", "re"
_BROADCAST = re.compile(r"bc:(go|no|re):(-?\d{1,20}\.\d{1,12})")

Keyboard: TypeAlias = InlineKeyboardMarkup | None


def stats_view(stats: BotStats) -> str:
    """The /stats answer."""
    hour, day = stats.last_hour, stats.last_day
    return "\n".join(
        [
            bold("📊 Stats"),
            f"Chats: {stats.chats} ({stats.active_chats} active)",
            f"Sources: {stats.sources}",
            f"Topics: {stats.topics}",
            f"Stories: {stats.stories}",
            f"Comments: {stats.comments}",
            f"Outbox backlog: {stats.backlog}",
            f"Last hour: {hour.sent} sent, {hour.errors} errors",
            f"Last day: {day.sent} sent, {day.errors} errors",
        ]
    )


def poll_view(outcomes: Sequence[tuple[int | None, str, str]]) -> list[str]:
    """The /poll answer, one line per source ``(id, url, outcome)``, in as few messages as fit."""
    if not outcomes:
        return [NO_SOURCES]
    failed = sum(1 for _, _, outcome in outcomes if outcome.startswith("failed"))
    lines = [bold(f"🔄 Polled {len(outcomes)} sources, {failed} failed")]
    lines.extend(
        escape(shorten(f"#{source_id} {url}: {outcome}", POLL_LINE_LIMIT))
        for source_id, url, outcome in outcomes
    )
    return pack(lines)


def broadcast_preview(text_html: str, audience: int, broadcast_id: str) -> tuple[str, Keyboard]:
    """The confirmation asked before a broadcast, with its two buttons."""
    buttons = (
        InlineKeyboardButton("✅ Send", callback_data=broadcast_button(SEND, broadcast_id)),
        InlineKeyboardButton("✖ Cancel", callback_data=broadcast_button(CANCEL, broadcast_id)),
    )
    head = bold(f"📣 Send this to {audience} active chats?")
    return f"{head}\n\n{text_html}", InlineKeyboardMarkup([buttons])


def broadcast_status_view(report: BroadcastReport, broadcast_id: str) -> tuple[str, Keyboard]:
    """Where a confirmed broadcast stands, with a Refresh button while any is pending."""
    counts = f"sent {report.sent}, blocked {report.blocked}, failed {report.failed}"
    if not report.pending:
        return f"{bold(f'📣 Broadcast done: {report.total} chats')}\n{counts}", None
    refresh = InlineKeyboardButton(
        "🔄 Refresh", callback_data=broadcast_button(REFRESH, broadcast_id)
    )
    head = bold(f"📣 Broadcast queued for {report.total} chats, {report.pending} pending")
    return f"{head}\n{counts}", InlineKeyboardMarkup([[refresh]])


def broadcast_button(action: str, broadcast_id: str) -> str:
    """The callback data of a broadcast button."""
    return f"{BROADCAST_PREFIX}{action}:{broadcast_id}"


def parse_broadcast_button(data: str | None) -> tuple[str, str] | None:
    """(action, broadcast id) of a broadcast button, or ``None``."""
    match = _BROADCAST.fullmatch(data or "")
    return (match.group(1), match.group(2)) if match else None
