"""Fixtures for the bot package's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fakes.http_server import HttpServer, serve_http


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No BRIEFBOT_ variable from the machine running the tests leaks into one."""
    for name in list(os.environ):
        if name.startswith("BRIEFBOT_"):
            monkeypatch.delenv(name)


@pytest.fixture
def server() -> Iterator[HttpServer]:
    """A real HTTP server on 127.0.0.1 with no routes yet."""
    with serve_http() as running:
        yield running
