"""Logging and every other way out to stderr, with the secrets (the token) redacted."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
# A derived form (the token's half after the colon) shorter than this could be a common word.
MIN_DERIVED_LENGTH = 8

PTB_REQUEST_LOGGER = "telegram.request.BaseRequest"
PTB_INVALID_JSON = "Can not load invalid JSON data"
PTB_UPDATER_LOGGER = "telegram.ext.Updater"
PTB_WEBHOOK_EXCEPTION = "%s - %s"  # PTB's "<ip> - Exception in TelegramHandler" record

AsyncioHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]


class Redactor:
    """Replaces each secret, its URL-encoded forms and a token's secret half."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms.add(secret)
            derived = {quote(secret, safe=""), quote_plus(secret, safe="")}
            derived |= {form.replace("%3A", "%3a") for form in derived}
            _, colon, half = secret.partition(":")
            if colon:
                derived.add(half)
            forms |= {form for form in derived if len(form) >= MIN_DERIVED_LENGTH}
        # Longest first: the whole token goes before its half can leave the bot id behind.
        self._forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """``text`` with every secret replaced by ``[redacted]``."""
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text


class RedactingFormatter(logging.Formatter):
    """Replaces secrets in the whole formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str] | Redactor) -> None:
        super().__init__(fmt)
        self._redact = secrets if isinstance(secrets, Redactor) else Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and the traceback if any;
    the secrets redacted in every field (a traceback's newlines stay inside its string)."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = self._redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class InvalidJsonToDebug(logging.Filter):
    """PTB logs a body that is not JSON (a proxy's error page) with a traceback, then raises
    the error its caller reports anyway: keep that record to one DEBUG line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(PTB_INVALID_JSON):
            return True
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return False
        body = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        record.exc_info, record.exc_text = None, None
        record.msg, record.args = "the Bot API answered a body that is not JSON: %.200r", (body,)
        return True


class WebhookRefusalToOneLine(logging.Filter):
    """PTB logs each refused webhook request (a wrong secret token: 403) with a traceback:
    keep it to one line saying who was refused and why."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg != PTB_WEBHOOK_EXCEPTION or len(args) != 2 or not record.exc_info:
            return True
        error = record.exc_info[1]
        record.msg, record.args = "webhook request from %s refused: %s", (args[0], str(error))
        record.exc_info, record.exc_text = None, None
        return True


def configure_logging(
    level: str, secrets: Iterable[str] | Redactor = (), *, json_lines: bool = False
) -> Redactor:
    """Log to stderr at ``level`` (one JSON object a line with ``json_lines``) and send every
    other exit path through redaction.

    Uncaught exceptions (main thread, other threads, unraisable ones) and warnings are
    redacted too. httpx is kept at WARNING: its request lines carry the token in the URL.
    """
    redact = secrets if isinstance(secrets, Redactor) else Redactor(secrets)
    handler = logging.StreamHandler()
    formatter: logging.Formatter = (
        JsonFormatter(redact)
        if json_lines
        else RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", redact)
    )
    handler.setFormatter(formatter)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    ptb_request = logging.getLogger(PTB_REQUEST_LOGGER)
    if not any(isinstance(f, InvalidJsonToDebug) for f in ptb_request.filters):
        ptb_request.addFilter(InvalidJsonToDebug())
    updater = logging.getLogger(PTB_UPDATER_LOGGER)
    if not any(isinstance(f, WebhookRefusalToOneLine) for f in updater.filters):
        updater.addFilter(WebhookRefusalToOneLine())
    sys.excepthook = redacting_excepthook(redact)
    threading.excepthook = _redacting_thread_hook(redact)
    sys.unraisablehook = _redacting_unraisable_hook(redact)
    return redact


def redacting_excepthook(
    redact: Redactor,
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """A ``sys.excepthook`` that prints the usual traceback, redacted."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, error, trace))))

    return hook


def redacting_asyncio_handler(redact: Redactor) -> AsyncioHandler:
    """An event loop exception handler that logs asyncio's report through redaction."""
    log = logging.getLogger("asyncio")

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message") or "Unhandled exception in event loop")
        details = [
            f"{key}: {value!r}"
            for key, value in sorted(context.items())
            if key not in {"message", "exception"}
        ]
        text = redact("\n".join([message, *details]))
        error = context.get("exception")
        if isinstance(error, BaseException):
            log.error("%s", text, exc_info=(type(error), error, error.__traceback__))
        else:
            log.error("%s", text)

    return handler


def _redacting_thread_hook(redact: Redactor) -> Callable[[threading.ExceptHookArgs], None]:
    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        trace = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        sys.stderr.write(redact(f"Exception in thread {name}:\n{''.join(trace)}"))

    return hook


def _redacting_unraisable_hook(redact: Redactor) -> Callable[[Any], None]:
    def hook(unraisable: Any) -> None:
        error = unraisable.exc_value
        where = unraisable.err_msg or "Exception ignored in"
        trace = traceback.format_exception(unraisable.exc_type, error, unraisable.exc_traceback)
        text = f"{where}: {unraisable.object!r}\n{''.join(trace)}"
        sys.stderr.write(redact(text))

    return hook
