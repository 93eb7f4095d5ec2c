"""The time zone a chat sees dates in: its own setting, or the bot's."""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.context import BotContext

_OFFSET = re.compile(r"UTC([+-])(\d{2}):(\d{2})")


async def chat_zone(context: BotContext, chat_id: int) -> tzinfo:
    """The chat's zone (an IANA name or "UTC+02:00"), else the bot's default."""
    settings = await context.bot_data.store.chat_settings.get(chat_id)
    return zone_named(settings.timezone) or context.bot_data.zone


def zone_named(name: str | None) -> tzinfo | None:
    """The zone a stored setting names; ``None`` for none or one no longer known."""
    if not name:
        return None
    offset = _OFFSET.fullmatch(name)
    if offset:
        sign = 1 if offset.group(1) == "+" else -1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3))
        if minutes >= 24 * 60:
            return None
        return timezone(sign * timedelta(minutes=minutes), name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
