"""Telegram HTML building blocks: escaping, measuring and splitting at paragraphs."""

from __future__ import annotations

import html
import re

from telegram import LinkPreviewOptions

MESSAGE_LIMIT = 4096
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # link previews would bury the briefing
_TAG = re.compile(r"<[^>]*>")
_ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape text from a source, a reader or a chat for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def bold(text: str) -> str:
    """``text`` escaped and in bold."""
    return f"<b>{escape(text)}</b>"


def italic(text: str) -> str:
    """``text`` escaped and in italics."""
    return f"<i>{escape(text)}</i>"


def link(text: str, url: str) -> str:
    """A link; the URL is escaped for an attribute value."""
    return f'<a href="{html.escape(url, quote=True)}">{escape(text)}</a>'


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units of the plain text."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(fragment: str) -> int:
    """The length of an HTML fragment once Telegram has parsed its tags and entities."""
    return telegram_length(html.unescape(_TAG.sub("", fragment)))


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, marked with …."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(_ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-—") + _ELLIPSIS


def chunk_plain(text: str, limit: int) -> list[str]:
    """Split plain text into pieces of at most ``limit`` UTF-16 units.

    Cuts after a sentence end when one is in the second half of a piece, else at a
    space, else (one enormous word) anywhere. Nothing is dropped but the spaces cut at.
    """
    pieces: list[str] = []
    rest = text.strip()
    while telegram_length(rest) > limit:
        window = rest[:limit]
        while telegram_length(window) > limit:
            window = window[:-1]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
        if cut > len(window) // 2:
            cut += 1
        else:
            cut = window.rfind(" ")
            if cut <= 0:
                cut = len(window)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def pack(parts: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join HTML paragraphs into as few messages as fit, splitting only between them.

    Every part must be a complete fragment (its tags closed) no longer than ``limit``.
    """
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for part in parts:
        length = visible_length(part)
        if length > limit:
            raise ValueError(f"a paragraph of {length} characters cannot fit in one message")
        separator = 2 if current else 0
        if current and size + separator + length > limit:
            messages.append("\n\n".join(current))
            current, size, separator = [], 0, 0
        current.append(part)
        size += separator + length
    if current:
        messages.append("\n\n".join(current))
    return messages
