"""Settings of the optional LLM summary provider."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

KEY = "sk-very-secret-llm-key"


pytestmark = pytest.mark.usefixtures("clean_environment")


def test_the_llm_is_off_by_default() -> None:
    settings = load_settings(env_file=None)
    assert settings.llm_url is None
    assert settings.llm_model is None
    assert settings.llm_key is None
    assert settings.llm_timeout == 20
    assert settings.llm_daily_cap == 200


def test_the_example_env_file_leaves_the_llm_off() -> None:
    example = Path(__file__).parents[2] / ".env.example"
    settings = load_settings(env_file=example)
    assert settings.llm_url is None
    assert settings.llm_daily_cap == 200


def test_llm_values_come_from_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "BRIEFBOT_LLM_URL=http://127.0.0.1:11434/v1/\nBRIEFBOT_LLM_MODEL= llama3.2 \n"
        f"BRIEFBOT_LLM_KEY={KEY}\nBRIEFBOT_LLM_TIMEOUT=7.5\nBRIEFBOT_LLM_DAILY_CAP=0\n"
    )
    settings = load_settings(env_file=env_file)
    assert settings.llm_url == "http://127.0.0.1:11434/v1"
    assert settings.llm_model == "llama3.2"
    assert settings.llm_key is not None
    assert settings.llm_key.get_secret_value() == KEY
    assert KEY not in repr(settings)
    assert settings.llm_timeout == 7.5
    assert settings.llm_daily_cap == 0


def test_blank_llm_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BRIEFBOT_LLM_URL", "BRIEFBOT_LLM_MODEL", "BRIEFBOT_LLM_KEY"):
        monkeypatch.setenv(name, " ")
    settings = load_settings(env_file=None)
    assert (settings.llm_url, settings.llm_model, settings.llm_key) == (None, None, None)


@pytest.mark.parametrize("model", [None, "  "])
def test_an_llm_url_without_a_model_names_the_model_variable(
    monkeypatch: pytest.MonkeyPatch, model: str | None
) -> None:
    monkeypatch.setenv("BRIEFBOT_LLM_URL", "https://api.openai.com/v1")
    monkeypatch.setenv("BRIEFBOT_LLM_KEY", KEY)
    if model is not None:
        monkeypatch.setenv("BRIEFBOT_LLM_MODEL", model)
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert message.startswith("BRIEFBOT_LLM_MODEL: required when BRIEFBOT_LLM_URL is set")
    assert "\n" not in message
    assert KEY not in message
