"""Settings, read only here: the environment and `.env`, prefix ``BRIEFBOT_``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pydantic_settings
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API_URL = "https://api.telegram.org"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
# Telegram's rule for setWebhook's secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# PTB's own base_url form ends in /bot (or /bot{token}); operators copy it from its docs.
PTB_BASE_URL_TAILS = ("/bot{token}", "/bot")
# Inputs this long are kept out of error messages; shorter ones ("0") are no secret.
MIN_ECHO_LENGTH = 6
_QUOTED_FIELD = re.compile(r'field "([a-z_]+)"')


class Settings(BaseSettings):
    """Everything an operator can configure. `.env.example` documents each field."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    token: SecretStr | None = Field(default=None, description="Bot token from @BotFather.")
    database: Path = Field(default=Path("./briefbot.sqlite3"), description="SQLite file.")
    api_url: str = Field(default=TELEGRAM_API_URL, description="Bot API server base URL.")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), description="Telegram user ids allowed to manage sources."
    )
    timezone: str = Field(default="UTC", description="IANA zone for dates and schedules.")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    llm_url: str | None = Field(
        default=None, description="OpenAI-compatible API base URL; unset keeps summaries local."
    )
    llm_model: str | None = Field(default=None, description="Model name sent to the LLM API.")
    llm_key: SecretStr | None = Field(default=None, description="Bearer key for the LLM API.")
    llm_timeout: float = Field(
        default=20.0, gt=0, allow_inf_nan=False, description="Seconds per LLM request."
    )
    llm_daily_cap: int = Field(default=200, ge=0, description="LLM requests per UTC day.")
    allow_private_sources: bool = Field(
        default=False,
        description="Fetch sources on loopback, private and link-local addresses too.",
    )
    log_format: str = Field(default="text", description="text, or json: one object a line.")
    webhook_url: str | None = Field(
        default=None, description="Public https URL Telegram posts updates to; unset: polling."
    )
    webhook_listen: str = Field(default="127.0.0.1", description="Address the webhook binds.")
    webhook_port: int = Field(default=8443, ge=1, le=65535, description="Webhook's local port.")
    webhook_secret: SecretStr | None = Field(
        default=None, description="X-Telegram-Bot-Api-Secret-Token the webhook requires."
    )
    health_listen: str = Field(default="127.0.0.1", description="Address /healthz binds.")
    health_port: int | None = Field(
        default=None, ge=0, le=65535, description="Port of /healthz; unset: no health server."
    )
    health_max_backlog_seconds: int = Field(
        default=900, ge=1, description="/healthz answers 503 past an outbox row this old."
    )
    reply_days: int = Field(
        default=365, ge=1, description="Days replies to a sent message are accepted (its link)."
    )
    outbox_days: int = Field(
        default=90, ge=1, description="Days delivered, failed and dropped outbox rows are kept."
    )
    inactive_chat_days: int = Field(
        default=365, ge=1, description="Days a chat that blocked or left the bot is kept."
    )

    @field_validator(
        "token",
        "llm_url",
        "llm_model",
        "llm_key",
        "webhook_url",
        "webhook_secret",
        "health_port",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be numeric Telegram user ids separated by commas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        url = value.strip().rstrip("/")
        tail = next((t for t in PTB_BASE_URL_TAILS if url.endswith(t)), "")
        url = url.removesuffix(tail)
        if not _is_http_url(url):
            raise ValueError(
                "must start with http:// or https:// and name a host,"
                " e.g. https://api.telegram.org"
            )
        return url

    @field_validator("llm_url")
    @classmethod
    def _check_llm_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value.strip().rstrip("/")

    @field_validator("llm_model")
    @classmethod
    def _strip_llm_model(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone: give an IANA name such as Europe/Paris") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _check_log_level(cls, value: object) -> object:
        if isinstance(value, str):
            level = value.strip().upper()
            if level not in LOG_LEVELS:
                raise ValueError("unknown log level: must be DEBUG, INFO, WARNING or ERROR")
            return level
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _check_log_format(cls, value: object) -> object:
        if isinstance(value, str):
            form = value.strip().lower()
            if form not in LOG_FORMATS:
                raise ValueError("unknown log format: must be text or json")
            return form
        return value

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("must be the public https:// URL Telegram posts updates to")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise PydanticCustomError(
                "missing_setting",
                "required when BRIEFBOT_WEBHOOK_URL is set (Telegram sends it with each update)",
                {"field": "webhook_secret"},
            )
        return self

    @model_validator(mode="after")
    def _llm_model_goes_with_llm_url(self) -> Settings:
        if self.llm_url is not None and self.llm_model is None:
            raise PydanticCustomError(
                "missing_setting",
                "required when BRIEFBOT_LLM_URL is set (the model name the API expects)",
                {"field": "llm_model"},
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    @property
    def bot_api_base_url(self) -> str:
        """The base URL PTB appends the token to."""
        return f"{self.api_url}/bot"


def _is_http_url(url: str) -> bool:
    """An http(s) URL with a host, a valid port if any, and no query, fragment or spaces."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not parts.query
        and not parts.fragment
        and not any(char.isspace() for char in url)
    )


class SettingsError(Exception):
    """A setting has an invalid value; the message is one line naming the variable."""


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read the settings, turning any failure to do so into one clear line.

    The offending value is never echoed: it may be the token.
    """
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        first = error.errors()[0]
        reason = _without_input(str(first["msg"]).removeprefix("Value error, "), first)
        raise SettingsError(f"{_variable_name(first)}: {reason}") from None
    except UnicodeDecodeError as error:
        line = _line_of(env_file, error.start) if env_file is not None else 0
        raise SettingsError(f"{env_file}: line {line} is not UTF-8 text") from None
    except pydantic_settings.SettingsError as error:
        field = _QUOTED_FIELD.search(str(error))
        name = f"BRIEFBOT_{field.group(1).upper()}" if field else "BRIEFBOT settings"
        raise SettingsError(f"{name}: the value cannot be parsed") from None
    except OSError as error:
        raise SettingsError(f"{env_file}: cannot read it ({error.strerror})") from None


def _without_input(reason: str, error: ErrorDetails) -> str:
    """``reason`` with the input taken out, should one of pydantic's messages quote it.

    Ours (``value_error``) never do; they may mention an example URL that an input equals.
    """
    value = error.get("input")
    if (
        error["type"] != "value_error"
        and isinstance(value, str)
        and len(value.strip()) >= MIN_ECHO_LENGTH
        and value in reason
    ):
        return reason.replace(value, "(value not shown)")
    return reason


def _line_of(env_file: Path, offset: int) -> int:
    """The 1-based line holding byte ``offset`` of ``env_file``."""
    try:
        return env_file.read_bytes()[:offset].count(b"\n") + 1
    except OSError:
        return 0


def _variable_name(error: ErrorDetails) -> str:
    """The variable an error is about: its field, or the one a model-level check names."""
    named = (error.get("ctx") or {}).get("field")
    field = named or (error["loc"][0] if error["loc"] else None)
    return f"BRIEFBOT_{str(field).upper()}" if field else "BRIEFBOT settings"
