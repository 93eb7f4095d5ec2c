"""The command menu: one list feeds /help and set_my_commands."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS: tuple[tuple[str, str], ...] = (
    ("today", "Today's briefing, every story summarized"),
    ("help", "What this bot can do"),
    ("start", "Welcome and how to begin"),
)


def bot_commands() -> list[BotCommand]:
    """The menu registered with Telegram at start."""
    return [BotCommand(command, description) for command, description in COMMANDS]
