"""Telegram's HTML parse mode, as strictly as Telegram applies it."""

from __future__ import annotations

import re
from dataclasses import dataclass

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:=(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>]+)))?")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlError(ValueError):
    """The text would be rejected with "Bad Request: can't parse entities"."""


@dataclass(frozen=True)
class ParsedHtml:
    """The plain text Telegram would show, and the tags it saw."""

    text: str
    tags: tuple[str, ...]


def parse(html_text: str) -> ParsedHtml:
    """Parse like Telegram: only its tags, balanced, and only its entities."""
    out: list[str] = []
    stack: list[str] = []
    seen: list[str] = []
    position = 0
    while position < len(html_text):
        char = html_text[position]
        if char == "<":
            match = _TAG.match(html_text, position)
            if match is None:
                raise HtmlError(f"can't parse entities: unexpected '<' at offset {position}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                raise HtmlError(f'can\'t parse entities: unsupported start tag "{name}"')
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlError(f'can\'t parse entities: unmatched end tag "{name}"')
                stack.pop()
            else:
                _check_attributes(name, attrs)
                stack.append(name)
                seen.append(name)
            position = match.end()
        elif char == "&":
            match = _ENTITY.match(html_text, position)
            if match is None:
                raise HtmlError(f"can't parse entities: bad entity at offset {position}")
            named, decimal, hexadecimal = match.groups()
            if named:
                out.append(_NAMED[named])
            else:
                out.append(chr(int(decimal) if decimal else int(hexadecimal, 16)))
            position = match.end()
        elif char == ">":
            raise HtmlError(f"can't parse entities: unescaped '>' at offset {position}")
        else:
            out.append(char)
            position += 1
    if stack:
        raise HtmlError(
            f"can't parse entities: can't find end tag corresponding to \"{stack[-1]}\""
        )
    return ParsedHtml("".join(out), tuple(seen))


def _check_attributes(name: str, attrs: str) -> None:
    found = {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
        for m in _ATTR.finditer(attrs)
    }
    if name == "a" and not found.get("href"):
        raise HtmlError("can't parse entities: <a> without href")
    if name == "span" and found.get("class") != "tg-spoiler":
        raise HtmlError("can't parse entities: span without class tg-spoiler")
