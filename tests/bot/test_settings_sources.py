"""The source-address setting: refusing by default, allowed by BRIEFBOT_ALLOW_PRIVATE_SOURCES."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

pytestmark = pytest.mark.usefixtures("clean_environment")


def test_private_sources_are_refused_by_default() -> None:
    assert load_settings(env_file=None).allow_private_sources is False


@pytest.mark.parametrize(("value", "allowed"), [("true", True), ("1", True), ("false", False)])
def test_the_variable_allows_private_sources(
    monkeypatch: pytest.MonkeyPatch, value: str, allowed: bool
) -> None:
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_SOURCES", value)
    assert load_settings(env_file=None).allow_private_sources is allowed


def test_a_value_that_is_not_a_boolean_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_SOURCES", "perhaps")
    with pytest.raises(SettingsError, match=r"^BRIEFBOT_ALLOW_PRIVATE_SOURCES: "):
        load_settings(env_file=None)
