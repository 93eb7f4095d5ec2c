"""An in-memory Bot API as strict as Telegram's, shared by the recording request and the
HTTP test server: both hand it the method name and the form parameters PTB sends."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_html import HtmlError, parse

JSONDict = dict[str, Any]
TOKEN = "123456:TEST-token-not-real"
BOT_USER: JSONDict = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Briefbot Test",
    "username": "briefbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
MESSAGE_LIMIT = 4096
CALLBACK_ANSWER_LIMIT = 200
INLINE_RESULTS_LIMIT = 50
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


class ApiError(Exception):
    """An error answer: HTTP status, description, optional extra parameters."""

    def __init__(self, status: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class Sent:
    """A message the bot sent (or edited), as the test wants to check it."""

    chat_id: int
    message_id: int
    html: str
    text: str
    parse_mode: str | None
    buttons: list[list[JSONDict]]
    reply_to: int | None = None


@dataclass
class Injected:
    """A failure to answer instead of the next call to ``method`` (for ``chat_id``, if set)."""

    method: str
    error: ApiError
    chat_id: int | None = None


@dataclass
class GroupLimit:
    """At most ``count`` messages per group in any ``window`` seconds, else 429 (Telegram
    allows 20 a minute; tests shrink the window)."""

    count: int
    window: float
    sent_at: dict[int, list[float]] = field(default_factory=dict)

    def check(self, chat_id: int) -> None:
        if chat_id >= 0:
            return
        now = time.monotonic()
        recent = [t for t in self.sent_at.get(chat_id, []) if t > now - self.window]
        if len(recent) >= self.count:
            retry_after = max(1, math.ceil(recent[0] + self.window - now))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        self.sent_at[chat_id] = [*recent, now]


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's flood limits, enforced on sendMessage with 429 and retry_after."""

    per_second: int = 30  # across all chats, in any sliding second
    private_burst: int = 3
    private_rate: float = 1.0  # per private chat, once the burst is spent
    group_per_minute: int = 20  # per group, supergroup or channel (id < 0)


@dataclass
class _FloodState:
    """What sendMessage accepted recently, on the monotonic clock."""

    recent: deque[float] = field(default_factory=deque)
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)  # tokens, at
    groups: dict[int, deque[float]] = field(default_factory=dict)
    refusals: int = 0

    def refuse_or_take(self, limits: FloodLimits, chat_id: int, now: float) -> None:
        """Count a send at ``now``, or raise the 429 Telegram would answer."""
        while self.recent and self.recent[0] <= now - 1.0:
            self.recent.popleft()
        wait = 0.0
        if len(self.recent) >= limits.per_second:
            wait = self.recent[-limits.per_second] + 1.0 - now
        tokens = float(limits.private_burst)
        if chat_id < 0:
            sent = self.groups.setdefault(chat_id, deque())
            while sent and sent[0] <= now - 60.0:
                sent.popleft()
            if len(sent) >= limits.group_per_minute:
                wait = max(wait, sent[-limits.group_per_minute] + 60.0 - now)
        else:
            left, at = self.buckets.get(chat_id, (tokens, now))
            tokens = min(tokens, left + (now - at) * limits.private_rate)
            if tokens < 1.0:
                wait = max(wait, (1.0 - tokens) / limits.private_rate)
        if wait > 0:
            self.refusals += 1
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
        self.recent.append(now)
        if chat_id < 0:
            self.groups[chat_id].append(now)
        else:
            self.buckets[chat_id] = (tokens - 1.0, now)


@dataclass
class FakeBotApi:
    """Telegram's Bot API for one bot, in memory. Thread-safe for the HTTP server."""

    calls: list[tuple[str, JSONDict]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    commands: list[JSONDict] = field(default_factory=list)
    # Menus set for one chat (BotCommandScopeChat), by chat id.
    chat_commands: dict[int, list[JSONDict]] = field(default_factory=dict)
    webhook: JSONDict = field(default_factory=dict)
    callback_answers: list[JSONDict] = field(default_factory=list)
    inline_answers: list[JSONDict] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)
    flood_limits: FloodLimits | None = None  # None: no 429s unless injected
    flood_clock: Callable[[], float] = time.monotonic
    migrated_chats: dict[int, int] = field(default_factory=dict)  # group -> supergroup
    _flood: _FloodState = field(default_factory=_FloodState)
    _messages: dict[tuple[int, int], JSONDict] = field(default_factory=dict)
    _chats: dict[int, JSONDict] = field(default_factory=dict)
    _next_message_id: dict[int, int] = field(default_factory=dict)
    _updates: list[JSONDict] = field(default_factory=list)
    _next_update_id: int = 1
    _open_queries: set[str] = field(default_factory=set)
    _injected: list[Injected] = field(default_factory=list)
    group_limit: GroupLimit | None = None
    # An HTTP status every call gets, with an HTML page quoting the request path (token and
    # all), as a failing proxy in front of Telegram answers; served by tests/fakes/server.py.
    html_error: int | None = None
    _lock: threading.Condition = field(default_factory=threading.Condition)

    # What a test does: users talk to the bot.

    def user_sends(self, chat: JSONDict, user: JSONDict, text: str, **extra: Any) -> JSONDict:
        """Queue a message from ``user`` in ``chat``; commands get their entity."""
        with self._lock:
            self._chats[chat["id"]] = chat
            message = self._new_message(chat, user, text, **extra)
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            self._push({"message": message})
            return message

    def user_edits(self, message: JSONDict, text: str) -> JSONDict:
        """Queue an edit of a message a user sent: the same message with new text."""
        with self._lock:
            edited = {**message, "text": text, "edit_date": int(time.time())}
            self._messages[(message["chat"]["id"], message["message_id"])] = edited
            self._push({"edited_message": edited})
            return edited

    def user_replies(self, chat: JSONDict, user: JSONDict, text: str, to: Sent) -> JSONDict:
        """Queue a reply from ``user`` to a message the bot sent."""
        original = self._messages[(to.chat_id, to.message_id)]
        return self.user_sends(chat, user, text, reply_to_message=original)

    def user_presses(self, user: JSONDict, message: Sent, data: str) -> str:
        """Queue a button press on a message the bot sent; returns the query id."""
        with self._lock:
            query_id = f"q{self._next_update_id}"
            self._open_queries.add(query_id)
            original = self._messages[(message.chat_id, message.message_id)]
            query = {
                "id": query_id,
                "from": user,
                "chat_instance": f"ci{message.chat_id}",
                "message": original,
                "data": data,
            }
            self._push({"callback_query": query})
            return query_id

    def user_queries_inline(self, user: JSONDict, query: str, offset: str = "") -> str:
        """Queue an inline query (``@bot query``) from ``user``; returns the query id."""
        with self._lock:
            query_id = f"iq{self._next_update_id}"
            self._open_queries.add(query_id)
            inline = {"id": query_id, "from": user, "query": query, "offset": offset}
            self._push({"inline_query": {**inline, "chat_type": "private"}})
            return query_id

    def redeliver(self, message: JSONDict) -> None:
        """Queue an already delivered message again, as Telegram may after a timeout."""
        with self._lock:
            self._push({"message": message})

    def redeliver_update(self, update: JSONDict) -> None:
        """Queue any update again under a new id (``update`` without its ``update_id``)."""
        with self._lock:
            self._push({k: v for k, v in update.items() if k != "update_id"})

    def fail_next(self, method: str, error: ApiError, *, chat_id: int | None = None) -> None:
        """Answer the next call to ``method`` (for ``chat_id``) with ``error`` (429, 403...)."""
        with self._lock:
            self._injected.append(Injected(method, error, chat_id))

    def bot_status_changes(
        self, chat: JSONDict, user: JSONDict, old: str, new: str, date: int | None = None
    ) -> JSONDict:
        """Queue a my_chat_member update: ``user`` blocked, unblocked, added or removed the bot.

        Statuses are member, left or kicked; afterwards sends to a chat the bot is no longer
        in fail with 403, as Telegram's do.
        """
        with self._lock:
            self._chats[chat["id"]] = chat
            if new in {"left", "kicked"}:
                self.blocked_chats.add(chat["id"])
            else:
                self.blocked_chats.discard(chat["id"])
            change = {
                "chat": chat,
                "from": user,
                "date": date or int(time.time()),
                "old_chat_member": _member(old),
                "new_chat_member": _member(new),
            }
            self._push({"my_chat_member": change})
            return change

    def expire_queries(self) -> None:
        """Every open button press is now too old to answer (as after a restart)."""
        with self._lock:
            self._open_queries.clear()

    def add_chats(self, *chats: JSONDict) -> None:
        """Chats the bot may write to (users who started it), without any update."""
        with self._lock:
            for chat in chats:
                self._chats[chat["id"]] = chat

    def upgrade_group(self, old_id: int, new_id: int) -> None:
        """The group ``old_id`` becomes the supergroup ``new_id``: sends to it answer 400."""
        with self._lock:
            chat = self._chats.get(old_id, {"id": old_id, "title": "Group"})
            self._chats[new_id] = {**chat, "id": new_id, "type": "supergroup"}
            self.migrated_chats[old_id] = new_id

    @property
    def flood_refusals(self) -> int:
        """How many sends the flood limits answered with 429."""
        with self._lock:
            return self._flood.refusals

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Block until ``predicate(self)`` holds; AssertionError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the bot did not do what the test waited for")
                self._lock.wait(remaining)

    def pending_updates(self) -> int:
        """Updates queued but not yet fetched by the bot."""
        with self._lock:
            return len(self._updates)

    # What the bot does: Bot API methods.

    def call(self, method: str, params: dict[str, str]) -> tuple[int, JSONDict]:
        """Answer one Bot API call with (HTTP status, JSON body)."""
        decoded = {key: _decode(value) for key, value in params.items()}
        with self._lock:
            self.calls.append((method, decoded))
            try:
                result = self._dispatch(method, decoded)
            except ApiError as error:
                body: JSONDict = {
                    "ok": False,
                    "error_code": error.status,
                    "description": error.description,
                }
                if error.parameters:
                    body["parameters"] = error.parameters
                self._lock.notify_all()
                return error.status, body
            self._lock.notify_all()
            return 200, {"ok": True, "result": result}

    def take_updates(self, offset: int, timeout: float) -> list[JSONDict]:
        """getUpdates with long polling: wait up to ``timeout`` for updates >= ``offset``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and (remaining := deadline - time.monotonic()) > 0:
                self._lock.wait(remaining)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._lock.notify_all()
            return list(self._updates)

    def _dispatch(self, method: str, params: JSONDict) -> Any:
        for injected in self._injected:
            chat = injected.chat_id
            if injected.method == method and chat in (None, _int_or_none(params.get("chat_id"))):
                self._injected.remove(injected)
                raise injected.error
        handlers = {
            "getMe": lambda p: BOT_USER,
            "setMyCommands": self._set_my_commands,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "getUpdates": self._get_updates_now,
        }
        handler = handlers.get(method)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(params)

    def _get_updates_now(self, params: JSONDict) -> list[JSONDict]:
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return list(self._updates)

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100")
        for command in commands:
            if not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope")
        if isinstance(scope, dict) and scope.get("type") == "chat":
            self.chat_commands[int(scope["chat_id"])] = commands
        elif scope is None or (isinstance(scope, dict) and scope.get("type") == "default"):
            self.commands = commands
        else:
            raise ApiError(400, "Bad Request: unsupported scope in this fake")
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url", ""))
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = dict(params)
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        self.webhook = {}
        return True

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated_chats:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated_chats[chat_id],
            )
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if self.group_limit is not None:
            self.group_limit.check(chat_id)
        if self.flood_limits is not None:
            self._flood.refuse_or_take(self.flood_limits, chat_id, self.flood_clock())
        text, parse_mode = self._checked_text(params)
        buttons = _checked_keyboard(params.get("reply_markup"))
        reply_to = _reply_target(params)
        if reply_to is not None and (chat_id, reply_to) not in self._messages:
            raise ApiError(400, "Bad Request: message to be replied not found")
        extra: JSONDict = {}
        if buttons:
            extra["reply_markup"] = {"inline_keyboard": buttons}
        if "message_thread_id" in params:  # a message in a forum topic, as Telegram marks it
            extra["message_thread_id"] = int(params["message_thread_id"])
            extra["is_topic_message"] = True
        message = self._new_message(chat, BOT_USER, text, **extra)
        self.sent.append(
            Sent(
                chat_id,
                message["message_id"],
                str(params["text"]),
                text,
                parse_mode,
                buttons,
                reply_to,
            )
        )
        return message

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        message = self._messages.get(key)
        if message is None or message["from"]["id"] != BOT_USER["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        text, parse_mode = self._checked_text(params)
        buttons = _checked_keyboard(params.get("reply_markup"))
        if text == message["text"] and buttons == message.get("reply_markup", {}).get(
            "inline_keyboard", []
        ):
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        self.sent.append(Sent(key[0], key[1], str(params["text"]), text, parse_mode, buttons))
        return message

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired"
                " or query ID is invalid",
            )
        if len(str(params.get("text", ""))) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        self.callback_answers.append(params)
        return True

    def _answer_inline_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("inline_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > INLINE_RESULTS_LIMIT:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if len(set(ids)) < len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            if result.get("type") != "article" or not str(result.get("title", "")).strip():
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if not isinstance(content, dict):
                raise ApiError(400, "Bad Request: MESSAGE_EMPTY")
            self._checked_text({"text": content.get("message_text"), **_parse_mode(content)})
            for row in _checked_keyboard(result.get("reply_markup")):
                for button in row:
                    url = str(button.get("url", "https://"))
                    if not url.startswith(("https://", "http://", "tg://")):
                        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        offset = params.get("next_offset")
        if offset is not None and len(str(offset).encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        above = params.get("button")  # the button above the results
        if above is not None:
            start = str(above.get("start_parameter", ""))
            if not str(above.get("text", "")).strip() or not _START_PARAMETER.fullmatch(start):
                raise ApiError(400, "Bad Request: BUTTON_INVALID")
        self._open_queries.discard(query_id)
        self.inline_answers.append(params)
        return True

    def _checked_text(self, params: JSONDict) -> tuple[str, str | None]:
        raw = params.get("text")
        if not isinstance(raw, str):
            raise ApiError(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode")
        text = raw
        if parse_mode == "HTML":
            try:
                text = parse(raw).text
            except HtmlError as error:
                raise ApiError(400, f"Bad Request: {error}") from None
        elif parse_mode is not None:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > MESSAGE_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return text, parse_mode

    def _new_message(self, chat: JSONDict, sender: JSONDict, text: str, **extra: Any) -> JSONDict:
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            "text": text,
            **extra,
        }
        self._messages[(chat_id, message_id)] = message
        return message

    def _push(self, update: JSONDict) -> None:
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        self._updates.append(update)
        self._lock.notify_all()


def _decode(value: str) -> Any:
    """PTB sends nested values (reply_markup, reply_parameters, commands) as JSON strings."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _parse_mode(content: JSONDict) -> JSONDict:
    """An input message content's parse mode, as a send's parameters name it."""
    mode = content.get("parse_mode")
    return {"parse_mode": mode} if mode is not None else {}


def _member(status: str) -> JSONDict:
    member: JSONDict = {"user": BOT_USER, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _reply_target(params: JSONDict) -> int | None:
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and "message_id" in reply:
        return int(reply["message_id"])
    if "reply_to_message_id" in params:
        return int(params["reply_to_message_id"])
    return None


def _checked_keyboard(markup: Any) -> list[list[JSONDict]]:
    if markup is None:
        return []
    if isinstance(markup, dict) and markup.get("force_reply") is True:
        return []
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if data is None and "url" not in button:
                raise ApiError(400, "Bad Request: inline keyboard button has no action")
    return rows
