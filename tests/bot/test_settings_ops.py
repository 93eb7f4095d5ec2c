"""The operations settings: webhook, health check, log format and retention."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from bot.logging_setup import JsonFormatter, Redactor, WebhookRefusalToOneLine
from bot.settings import SettingsError, load_settings

pytestmark = pytest.mark.usefixtures("clean_environment")
TOKEN = "123456:ABCdefGHIjklMNOpqr"


def test_the_defaults_poll_without_a_health_server() -> None:
    settings = load_settings(env_file=None)
    assert settings.webhook_url is None
    assert settings.health_port is None
    assert settings.log_format == "text"
    assert (settings.reply_days, settings.outbox_days, settings.inactive_chat_days) == (
        365,
        90,
        365,
    )


def test_a_webhook_needs_its_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_WEBHOOK_URL", "https://bot.example.org/hook")
    with pytest.raises(SettingsError, match=r"^BRIEFBOT_WEBHOOK_SECRET: required when"):
        load_settings(env_file=None)
    monkeypatch.setenv("BRIEFBOT_WEBHOOK_SECRET", "a_good-secret")
    settings = load_settings(env_file=None)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "a_good-secret"


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("BRIEFBOT_WEBHOOK_URL", "http://bot.example.org/hook", "must be the public https://"),
        ("BRIEFBOT_WEBHOOK_SECRET", "has spaces in it", "must be 1 to 256 characters"),
        ("BRIEFBOT_LOG_FORMAT", "xml", "unknown log format"),
        ("BRIEFBOT_HEALTH_PORT", "70000", "less than or equal to 65535"),
        ("BRIEFBOT_OUTBOX_DAYS", "0", "greater than or equal to 1"),
    ],
)
def test_a_bad_value_is_one_line_without_the_value(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=rf"^{variable}: .*{reason}") as error:
        load_settings(env_file=None)
    assert value not in str(error.value) or len(value) < 6


def test_json_lines_carry_the_traceback_inside_and_redact_the_token() -> None:
    try:
        raise RuntimeError(f"failed at https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        record = logging.LogRecord(
            "briefbot", logging.ERROR, __file__, 1, "call %s", (TOKEN,), sys.exc_info()
        )
    line = JsonFormatter(Redactor([TOKEN])).format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "briefbot"
    assert entry["message"] == "call [redacted]"
    assert (
        "RuntimeError: failed at https://api.telegram.org/bot[redacted]/getMe"
        in entry["exception"]
    )
    assert TOKEN.split(":")[1] not in line


def test_a_refused_webhook_request_is_one_line() -> None:
    error = RuntimeError("HTTP 403: Forbidden (Request had the wrong secret token)")
    record = logging.LogRecord(
        "telegram.ext.Updater",
        logging.DEBUG,
        __file__,
        1,
        "%s - %s",
        ("127.0.0.1", "Exception in TelegramHandler"),
        (RuntimeError, error, None),
    )
    assert WebhookRefusalToOneLine().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == (
        "webhook request from 127.0.0.1 refused:"
        " HTTP 403: Forbidden (Request had the wrong secret token)"
    )
