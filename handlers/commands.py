"""The command menu: one list feeds /help and set_my_commands."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS: tuple[tuple[str, str], ...] = (
    ("today", "Today's briefing, every story summarized"),
    ("briefing", "The edition of a past day: /briefing 2026-11-30, yesterday, or the last 7 days"),
    ("search", "Search every story this chat follows"),
    ("sources", "The bot's sources: follow or unfollow each for this chat"),
    ("subscribe", "Alert this chat to new stories on a topic"),
    ("topics", "This chat's topics, with a remove button each"),
    ("unsubscribe", "Stop a topic's alerts, or all of them"),
    ("daily", "Get the edition every day at HH:MM, or /daily off"),
    ("timezone", "Set this chat's time zone: Area/City or UTC+02:00"),
    ("settings", "This chat's daily time and zone, with buttons"),
    ("delete", "Reply to your comment with it to delete the comment"),
    ("notify", "on or off: hear about replies to your comments"),
    ("help", "What this bot can do"),
    ("start", "Welcome and how to begin"),
)

# Shown in /help to admins only, never in the menu everyone sees: (command, arguments, what).
ADMIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("addsource", "URL [INTERVAL]", "Add a feed, WordPress site or digest and poll it now"),
    ("removesource", "ID_OR_URL", "Stop polling a source (its briefings stay)"),
    ("mute", "[USER_ID]", "Stop a reader's comments (or reply /mute to one)"),
    ("unmute", "[USER_ID]", "Let a muted reader comment again"),
    ("stats", "", "Chats, sources, stories, the outbox and recent sends"),
    ("poll", "", "Poll every source now and tell the outcome"),
    ("broadcast", "TEXT", "Send a message to every active chat, after a confirmation"),
)


def bot_commands() -> list[BotCommand]:
    """The menu registered with Telegram at start."""
    return [BotCommand(command, description) for command, description in COMMANDS]


def admin_bot_commands() -> list[BotCommand]:
    """The menu of an admin's private chat (a per-chat scope): everyone's, then the admin's."""
    admin = [BotCommand(command, description) for command, _, description in ADMIN_COMMANDS]
    return [*bot_commands(), *admin]
