"""The local console chat: the real Application and handlers, with the terminal as Telegram.

:class:`ConsoleBotApi` is a :class:`~telegram.request.BaseRequest` that answers the Bot API
calls the bot makes by printing the messages; :class:`ConsoleChat` turns the lines a person
types into real :class:`telegram.Update` objects and hands them to the Application.

Lines typed at the prompt:
    /today, any text          a message from you
    :press MESSAGE BUTTON     press button number BUTTON under message MESSAGE
    :reply MESSAGE TEXT       reply to message MESSAGE with TEXT
    :help                     this list
    :quit                     leave (end of input does the same)
"""

from __future__ import annotations

import asyncio
import html
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TextIO

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.console_commands import (
    CONSOLE_HELP,
    PRESS_USAGE,
    REPLY_USAGE,
    Blank,
    ConsoleCommand,
    Press,
    Problem,
    Quit,
    Reply,
    Say,
    ShowHelp,
    parse_console_line,
)
from briefing.terminal_text import for_terminal

JSONDict = dict[str, Any]

INVALID_INPUT_NOTE = "(some of that line was not {encoding} text: it reads as \ufffd)"

BOT_USER: JSONDict = {
    "id": 100000,
    "is_bot": True,
    "first_name": "briefbot",
    "username": "briefbot_console_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
CONSOLE_USER: JSONDict = {"id": 1, "is_bot": False, "first_name": "You", "language_code": "en"}
CONSOLE_CHAT: JSONDict = {"id": 1, "type": "private", "first_name": "You"}


@dataclass
class ChatLog:
    """The conversation so far: every message by id, and the next id to hand out."""

    messages: dict[int, JSONDict] = field(default_factory=dict)
    next_message_id: int = 1
    next_update_id: int = 1

    def new_message(self, sender: JSONDict, text: str, **extra: Any) -> JSONDict:
        """Record a message in the console chat and return it as the Bot API shows it."""
        message: JSONDict = {
            "message_id": self.next_message_id,
            "date": int(time.time()),
            "chat": CONSOLE_CHAT,
            "from": sender,
            "text": text,
            **extra,
        }
        self.messages[self.next_message_id] = message
        self.next_message_id += 1
        return message

    def update_id(self) -> int:
        """A fresh update id."""
        self.next_update_id += 1
        return self.next_update_id - 1


class ConsoleBotApi(BaseRequest):
    """Answers the bot's Bot API calls locally and prints what it sends."""

    def __init__(self, log: ChatLog, out: TextIO) -> None:
        self._log = log
        self._out = out

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API method, like Telegram would for a private chat."""
        name = url.rsplit("/", 1)[-1]
        params: JSONDict = dict(request_data.parameters) if request_data else {}
        handler = self._methods().get(name)
        if handler is None:
            return _answer(400, {"ok": False, "description": f"{name} is not in the console"})
        return _answer(200, {"ok": True, "result": handler(params)})

    def _methods(self) -> dict[str, Callable[[JSONDict], Any]]:
        return {
            "getMe": lambda _: BOT_USER,
            "setMyCommands": lambda _: True,
            "deleteWebhook": lambda _: True,
            "getUpdates": lambda _: [],
            "close": lambda _: True,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "answerCallbackQuery": self._answer_callback_query,
        }

    def _send_message(self, params: JSONDict) -> JSONDict:
        markup = params.get("reply_markup")
        # Telegram returns inline keyboards only (a ForceReply is not part of the message).
        keyboard = isinstance(markup, dict) and "inline_keyboard" in markup
        extra = {"reply_markup": markup} if keyboard else {}
        text = str(params["text"])
        message = self._log.new_message(BOT_USER, _plain(text, params), **extra)
        self._print(message["message_id"], text, params, markup)
        return message

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        message_id = int(params["message_id"])
        message = self._log.messages.get(message_id)
        if message is None:
            return True
        message["text"] = _plain(str(params["text"]), params)
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        self._print(message_id, str(params["text"]), params, params.get("reply_markup"), "edited")
        return message

    def _answer_callback_query(self, params: JSONDict) -> bool:
        if params.get("text"):
            self._out.write(for_terminal(f"  ⓘ {params['text']}\n"))
        return True

    def _print(
        self, message_id: int, text: str, params: JSONDict, markup: object, what: str = "message"
    ) -> None:
        lines = [f"── {what} {message_id} " + "─" * 30, _plain(text, params)]
        if isinstance(markup, dict):
            buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
            lines += [f"  [{n}] {b['text']}" for n, b in enumerate(buttons, start=1)]
            if buttons:
                lines.append(f"  (press one with :press {message_id} NUMBER)")
        self._out.write(for_terminal("\n".join(lines)) + "\n\n")
        self._out.flush()


class ConsoleChat:
    """Feeds typed lines to an Application as real updates from one private chat."""

    def __init__(self, log: ChatLog, out: TextIO) -> None:
        self._log = log
        self._out = out

    def update_for(self, command: ConsoleCommand) -> JSONDict | None:
        """The update a typed command stands for, or ``None`` after printing why there is none."""
        if isinstance(command, Say):
            message = self._user_message(command.text)
            return {"update_id": self._log.update_id(), "message": message}
        if isinstance(command, Press):
            return self._press(command)
        if isinstance(command, Reply):
            return self._reply(command)
        if isinstance(command, ShowHelp):
            self._usage(CONSOLE_HELP)
        elif isinstance(command, Problem):
            self._usage(command.message)
        return None

    def _press(self, press: Press) -> JSONDict | None:
        message = self._log.messages.get(press.message_id)
        buttons = [
            button
            for row in (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
        ]
        if message is None or press.button > len(buttons):
            self._usage(PRESS_USAGE)
            return None
        query = {
            "id": str(self._log.next_update_id),
            "from": CONSOLE_USER,
            "chat_instance": "console",
            "message": message,
            "data": buttons[press.button - 1].get("callback_data", ""),
        }
        return {"update_id": self._log.update_id(), "callback_query": query}

    def _reply(self, reply: Reply) -> JSONDict | None:
        original = self._log.messages.get(reply.message_id)
        if original is None:
            self._usage(REPLY_USAGE)
            return None
        message = self._user_message(reply.text, reply_to_message=original)
        return {"update_id": self._log.update_id(), "message": message}

    def _user_message(self, text: str, **extra: Any) -> JSONDict:
        if text.startswith("/"):
            command = text.split()[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._log.new_message(CONSOLE_USER, text, **extra)

    def _usage(self, text: str) -> None:
        self._out.write(for_terminal(text) + "\n")
        self._out.flush()


async def read_line(stream: TextIO, out: TextIO, prompt: str | None) -> str | None:
    """One line from ``stream`` (``None`` at its end), read off the event loop.

    A real stdin is read as bytes: bytes that are not text in its encoding become U+FFFD,
    and a note says so, instead of a UnicodeDecodeError ending the chat.
    """
    if prompt:
        out.write(prompt)
        out.flush()
    raw = getattr(stream, "buffer", None)
    if raw is None:
        line: str = await asyncio.to_thread(stream.readline)
        return line or None
    data: bytes = await asyncio.to_thread(raw.readline)
    if not data:
        return None
    encoding = stream.encoding or "utf-8"
    text, replaced = decode_line(data, encoding)
    if replaced:
        out.write(INVALID_INPUT_NOTE.format(encoding=encoding) + "\n")
    return text


def decode_line(data: bytes, encoding: str) -> tuple[str, bool]:
    """``data`` as text, and whether some bytes had to be replaced by U+FFFD."""
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True


async def run_console(application: Any, stdin: TextIO, out: TextIO, log: ChatLog) -> None:
    """Process typed lines one by one until ``:quit`` or the end of input."""
    chat = ConsoleChat(log, out)
    interactive = stdin.isatty()
    if interactive:
        out.write(CONSOLE_HELP + "\n\n")
    while (line := await read_line(stdin, out, "you> " if interactive else None)) is not None:
        command = parse_console_line(line)
        if isinstance(command, Quit):
            break
        if isinstance(command, Blank):
            continue
        data = chat.update_for(command)
        if data is not None:
            await application.process_update(Update.de_json(data, application.bot))


def _answer(status: int, payload: JSONDict) -> tuple[int, bytes]:
    return status, json.dumps(payload).encode()


def _plain(text: str, params: JSONDict) -> str:
    """How the chat shows a message: HTML rendered as readable plain text."""
    if params.get("parse_mode") != "HTML":
        return text
    renderer = _PlainText()
    renderer.feed(text)
    renderer.close()
    return renderer.text()


class _PlainText(HTMLParser):
    """Telegram HTML to terminal text: links show their URL, quotes get a bar."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._href: list[str | None] = []
        self._quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href.append(dict(attrs).get("href"))
        elif tag == "blockquote":
            self._quote_depth += 1
            self._parts.append("│ ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            href = self._href.pop()
            if href:
                self._parts.append(f" <{html.unescape(href)}>")
        elif tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._quote_depth:
            data = data.replace("\n", "\n│ ")
        self._parts.append(data)

    def text(self) -> str:
        return "".join(self._parts)
