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
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TextIO

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

JSONDict = dict[str, Any]

CONSOLE_HELP = """\
Type a command like /today, or any text.
  :press MESSAGE BUTTON   press a button, e.g. :press 2 1
  :reply MESSAGE TEXT     reply to a message, e.g. :reply 2 I disagree
  :help                   this help
  :quit                   leave (Ctrl-D does the same)"""

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
        extra = {"reply_markup": markup} if isinstance(markup, dict) else {}
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
        self._print(message_id, str(params["text"]), params, params.get("reply_markup"), "edited")
        return message

    def _answer_callback_query(self, params: JSONDict) -> bool:
        if params.get("text"):
            self._out.write(f"  ⓘ {params['text']}\n")
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
        self._out.write("\n".join(lines) + "\n\n")
        self._out.flush()


class ConsoleChat:
    """Feeds typed lines to an Application as real updates from one private chat."""

    def __init__(self, log: ChatLog, out: TextIO) -> None:
        self._log = log
        self._out = out

    def update_for(self, line: str) -> JSONDict | None:
        """The update a typed line stands for, or ``None`` after printing why there is none."""
        line = line.strip()
        if not line:
            return None
        if line.startswith(":"):
            return self._console_command(line)
        return {"update_id": self._log.update_id(), "message": self._user_message(line)}

    def _console_command(self, line: str) -> JSONDict | None:
        verb, _, rest = line[1:].partition(" ")
        if verb == "press":
            return self._press(rest.split())
        if verb == "reply":
            target, _, text = rest.strip().partition(" ")
            original = self._message(target)
            if original is None or not text.strip():
                self._usage("usage: :reply MESSAGE TEXT, e.g. :reply 2 I agree")
                return None
            message = self._user_message(text.strip(), reply_to_message=original)
            return {"update_id": self._log.update_id(), "message": message}
        if verb == "help":
            self._usage(CONSOLE_HELP)
            return None
        self._usage(f"unknown console command :{verb}; type :help")
        return None

    def _press(self, args: list[str]) -> JSONDict | None:
        message = self._message(args[0]) if len(args) == 2 else None
        buttons = [
            button
            for row in (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
        ]
        if message is None or not args[1].isdigit() or not 1 <= int(args[1]) <= len(buttons):
            self._usage("usage: :press MESSAGE BUTTON, e.g. :press 2 1 (see the buttons)")
            return None
        query = {
            "id": str(self._log.next_update_id),
            "from": CONSOLE_USER,
            "chat_instance": "console",
            "message": message,
            "data": buttons[int(args[1]) - 1].get("callback_data", ""),
        }
        return {"update_id": self._log.update_id(), "callback_query": query}

    def _message(self, reference: str) -> JSONDict | None:
        return self._log.messages.get(int(reference)) if reference.isdigit() else None

    def _user_message(self, text: str, **extra: Any) -> JSONDict:
        if text.startswith("/"):
            command = text.split()[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._log.new_message(CONSOLE_USER, text, **extra)

    def _usage(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()


async def read_line(stream: TextIO, prompt: str | None) -> str | None:
    """One line from ``stream`` (``None`` at its end), read off the event loop."""
    if prompt:
        sys.stdout.write(prompt)
        sys.stdout.flush()
    line = await asyncio.to_thread(stream.readline)
    return line or None


async def run_console(application: Any, stdin: TextIO, out: TextIO, log: ChatLog) -> None:
    """Process typed lines one by one until ``:quit`` or the end of input."""
    chat = ConsoleChat(log, out)
    interactive = stdin.isatty()
    if interactive:
        out.write(CONSOLE_HELP + "\n\n")
    while (line := await read_line(stdin, "you> " if interactive else None)) is not None:
        if line.strip() == ":quit":
            break
        data = chat.update_for(line)
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
