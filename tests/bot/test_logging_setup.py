"""The token never reaches a log line, not even inside a traceback."""

from __future__ import annotations

import logging
import sys

from bot.logging_setup import REDACTED, RedactingFormatter

TOKEN = "123456:ABC-secret"


def _format(record: logging.LogRecord) -> str:
    return RedactingFormatter("%(levelname)s %(message)s", [TOKEN]).format(record)


def test_the_token_is_redacted_from_messages() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "POST https://api/bot%s/getMe", (TOKEN,), None
    )
    assert _format(record) == f"INFO POST https://api/bot{REDACTED}/getMe"


def test_the_token_is_redacted_from_tracebacks() -> None:
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
    except ConnectionError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    text = _format(record)
    assert TOKEN not in text
    assert "ConnectionError" in text
