"""The command menu: one list feeds /help and set_my_commands."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS: tuple[tuple[str, str], ...] = (
    ("today", "Today's briefing, every story summarized"),
    ("briefing", "The edition of a past day: /briefing 2026-11-30, yesterday, or the last 7 days"),
    ("search", "Search every story this chat follows"),
    ("subscribe", "Alert this chat to new stories on a topic"),
    ("topics", "This chat's topics, with a remove button each"),
    ("unsubscribe", "Stop a topic's alerts, or all of them"),
    ("help", "What this bot can do"),
    ("start", "Welcome and how to begin"),
)

# Shown in /help to admins only, never in the menu everyone sees: (command, arguments, what).
ADMIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("sources", "", "Every source with its last success and last error"),
    ("addsource", "URL [INTERVAL]", "Add a feed, WordPress site or digest and poll it now"),
    ("removesource", "ID_OR_URL", "Stop polling a source (its briefings stay)"),
)


def bot_commands() -> list[BotCommand]:
    """The menu registered with Telegram at start."""
    return [BotCommand(command, description) for command, description in COMMANDS]
