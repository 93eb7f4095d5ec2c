"""The token never reaches a log line or stderr, not even inside a traceback."""

from __future__ import annotations

import logging
import subprocess
import sys
from urllib.parse import quote, quote_plus

import pytest

from bot.logging_setup import (
    PTB_REQUEST_LOGGER,
    REDACTED,
    InvalidJsonToDebug,
    RedactingFormatter,
    Redactor,
)
from tests.processes import COMMAND_TIMEOUT, process_environment

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


BOT_TOKEN = "7012345678:AAE-secret-half-of-the-token"
SECRET_HALF = BOT_TOKEN.split(":")[1]


def test_the_secret_half_and_url_encoded_forms_are_redacted_too() -> None:
    redact = Redactor([BOT_TOKEN])
    text = (
        f"a /bot{BOT_TOKEN}/getMe b {SECRET_HALF} c {BOT_TOKEN.replace(':', '%3A')}"
        f" d {BOT_TOKEN.replace(':', '%3a')}"
    )
    assert redact(text) == f"a /bot{REDACTED}/getMe b {REDACTED} c {REDACTED} d {REDACTED}"


def test_the_whole_token_is_redacted_before_its_half() -> None:
    assert Redactor([BOT_TOKEN])(BOT_TOKEN) == REDACTED


def test_a_short_secret_half_does_not_redact_ordinary_words() -> None:
    redact = Redactor(["0:ab"])
    assert redact("about 0:ab") == f"about {REDACTED}"


def test_an_api_key_with_reserved_characters_is_redacted_url_encoded() -> None:
    key = "sk-a/b+c=d"
    redact = Redactor([key])
    assert redact(f"key={quote(key, safe='')} plus={quote_plus(key)}") == (
        f"key={REDACTED} plus={REDACTED}"
    )


# Each snippet leaves the process a different way, after configure_logging.
EXIT_PATHS = {
    "uncaught exception": f"raise RuntimeError('boom {BOT_TOKEN}')",
    "exception in a thread": (
        "import threading\n"
        f"def fail(): raise RuntimeError('boom {BOT_TOKEN}')\n"
        "t = threading.Thread(target=fail); t.start(); t.join()"
    ),
    "warning": f"import warnings\nwarnings.warn('boom {BOT_TOKEN}')",
    "asyncio handler": (
        "import asyncio\n"
        "from bot.logging_setup import redacting_asyncio_handler\n"
        "loop = asyncio.new_event_loop()\n"
        "loop.set_exception_handler(redacting_asyncio_handler(redact))\n"
        f"error = RuntimeError('boom {BOT_TOKEN}')\n"
        f"loop.call_exception_handler({{'message': 'boom {SECRET_HALF}', 'exception': error}})"
    ),
    "unraisable": (
        "import gc\n"
        "class Leaky:\n"
        f"    def __del__(self): raise RuntimeError('boom {BOT_TOKEN}')\n"
        "Leaky(); gc.collect()"
    ),
    "logged exception": (
        "import logging\n"
        f"try: raise RuntimeError('boom {BOT_TOKEN}')\n"
        "except RuntimeError: logging.getLogger('x').exception('failed %s', "
        f"'{SECRET_HALF}')"
    ),
}


@pytest.mark.parametrize("path", sorted(EXIT_PATHS))
def test_every_way_out_to_stderr_is_redacted(path: str) -> None:
    script = (
        "from bot.logging_setup import configure_logging\n"
        f"redact = configure_logging('INFO', [{BOT_TOKEN!r}])\n" + EXIT_PATHS[path]
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=process_environment(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    assert "boom [redacted]" in result.stderr, result.stderr
    assert SECRET_HALF not in result.stderr + result.stdout


def test_ptbs_invalid_json_record_becomes_one_debug_line() -> None:
    record = logging.LogRecord(
        PTB_REQUEST_LOGGER,
        logging.ERROR,
        __file__,
        1,
        'Can not load invalid JSON data: "%s"',
        ("<html>\n<p>Bad Gateway</p>\n</html>",),
        None,
    )
    logger = logging.getLogger(PTB_REQUEST_LOGGER)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        kept = InvalidJsonToDebug().filter(record)
    finally:
        logger.setLevel(previous)
    assert kept
    assert record.levelname == "DEBUG"
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    assert "Bad Gateway" in record.getMessage()
