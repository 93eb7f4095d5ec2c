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
