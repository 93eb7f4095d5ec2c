"""Settings: defaults, parsing, and one clear line per invalid value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

SECRET = "987654:very-secret-token"


pytestmark = pytest.mark.usefixtures("clean_environment")


def test_defaults_without_any_configuration() -> None:
    settings = load_settings(env_file=None)
    assert settings.token is None
    assert settings.database == Path("briefbot.sqlite3")
    assert settings.bot_api_base_url == "https://api.telegram.org/bot"
    assert settings.admin_ids == frozenset()
    assert settings.timezone == "UTC"
    assert settings.log_level == "INFO"


def test_values_come_from_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"BRIEFBOT_TOKEN={SECRET}\nBRIEFBOT_ADMIN_IDS=1, 22,333\n"
        "BRIEFBOT_API_URL=http://127.0.0.1:8081/\nBRIEFBOT_LOG_LEVEL=debug\n"
    )
    settings = load_settings(env_file=env_file)
    assert settings.token is not None
    assert settings.token.get_secret_value() == SECRET
    assert SECRET not in repr(settings)
    assert settings.admin_ids == frozenset({1, 22, 333})
    assert settings.bot_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.log_level == "DEBUG"


def test_a_blank_token_means_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_TOKEN", "  ")
    assert load_settings(env_file=None).token is None


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BRIEFBOT_TIMEZONE", "Mars/Olympus", "BRIEFBOT_TIMEZONE: unknown time zone"),
        ("BRIEFBOT_ADMIN_IDS", "alice,bob", "BRIEFBOT_ADMIN_IDS: must be numeric"),
        ("BRIEFBOT_API_URL", "api.telegram.org", "BRIEFBOT_API_URL: must start with http"),
        ("BRIEFBOT_LOG_LEVEL", "LOUD", "BRIEFBOT_LOG_LEVEL: unknown log level"),
        ("BRIEFBOT_LLM_URL", "api.openai.com/v1", "BRIEFBOT_LLM_URL: must be an http"),
        ("BRIEFBOT_LLM_URL", "https:///v1", "BRIEFBOT_LLM_URL: must be an http"),
        ("BRIEFBOT_LLM_TIMEOUT", "0", "BRIEFBOT_LLM_TIMEOUT: Input should be greater than 0"),
        ("BRIEFBOT_LLM_TIMEOUT", "inf", "BRIEFBOT_LLM_TIMEOUT: Input should be a finite"),
        ("BRIEFBOT_LLM_TIMEOUT", "soon", "BRIEFBOT_LLM_TIMEOUT: Input should be a valid"),
        ("BRIEFBOT_LLM_DAILY_CAP", "-1", "BRIEFBOT_LLM_DAILY_CAP: Input should be greater"),
        ("BRIEFBOT_LLM_DAILY_CAP", "lots", "BRIEFBOT_LLM_DAILY_CAP: Input should be a valid"),
    ],
)
def test_an_invalid_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_TOKEN", SECRET)
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert SECRET not in message


TOKEN_LIKE = "7012345678:AAE-looks-like-a-real-bot-token"


@pytest.mark.parametrize(
    "variable",
    [
        "BRIEFBOT_TIMEZONE",
        "BRIEFBOT_LOG_LEVEL",
        "BRIEFBOT_API_URL",
        "BRIEFBOT_ADMIN_IDS",
        "BRIEFBOT_LLM_URL",
        "BRIEFBOT_LLM_TIMEOUT",
        "BRIEFBOT_LLM_DAILY_CAP",
    ],
)
def test_a_value_pasted_in_the_wrong_variable_is_never_echoed(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, TOKEN_LIKE)
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert message.startswith(f"{variable}: ")
    for leak in (TOKEN_LIKE, TOKEN_LIKE.split(":")[1], TOKEN_LIKE.split(":")[0]):
        assert leak not in message


@pytest.mark.parametrize("level", ["NOTSET", "WARN", "CRITICAL", "FATAL", "10"])
def test_only_the_four_documented_log_levels_are_accepted(
    monkeypatch: pytest.MonkeyPatch, level: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_LOG_LEVEL", level)
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    assert str(raised.value) == (
        "BRIEFBOT_LOG_LEVEL: unknown log level: must be DEBUG, INFO, WARNING or ERROR"
    )


@pytest.mark.parametrize(
    ("value", "level"),
    [("DEBUG", "DEBUG"), ("info", "INFO"), (" Warning ", "WARNING"), ("error", "ERROR")],
)
def test_the_documented_log_levels_in_any_case(
    monkeypatch: pytest.MonkeyPatch, value: str, level: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_LOG_LEVEL", value)
    assert load_settings(env_file=None).log_level == level


@pytest.mark.parametrize(
    "value",
    [
        "http://",
        "https://",
        "http:///bot",
        "http://:8081",
        "http://127.0.0.1:port",
        "http://127.0.0.1:99999",
        "https://api.telegram.org?x=1",
        "https://api.telegram.org#top",
        "https://api telegram.org",
        "ftp://api.telegram.org",
    ],
)
def test_an_api_url_without_a_usable_host_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_API_URL", value)
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    assert str(raised.value).startswith("BRIEFBOT_API_URL: must start with http:// or https://")


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8081/",
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot/",
        "http://127.0.0.1:8081/bot{token}",
        " http://127.0.0.1:8081/bot ",
    ],
)
def test_the_api_url_may_be_given_in_ptb_base_url_form(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BRIEFBOT_API_URL", value)
    settings = load_settings(env_file=None)
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.bot_api_base_url == "http://127.0.0.1:8081/bot"


def test_a_path_prefix_before_bot_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_API_URL", "https://proxy.example/telegram/bot")
    assert load_settings(env_file=None).bot_api_base_url == "https://proxy.example/telegram/bot"


def test_an_env_file_that_is_not_utf8_is_one_line_naming_its_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(
        f"BRIEFBOT_TOKEN={SECRET}\nBRIEFBOT_TIMEZONE=Europe/Z\xfcrich\n".encode("latin-1")
    )
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=env_file)
    assert str(raised.value) == f"{env_file}: line 2 is not UTF-8 text"
    assert raised.value.__cause__ is None
