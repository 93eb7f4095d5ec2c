"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.shared_data import shared_data_dir
from storage.store import Store


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip with the reason when it is absent."""
    found = shared_data_dir()
    if found is None:
        pytest.skip("../shared/data is not beside this checkout (set BRIEFBOT_SHARED_DATA)")
    return found


@pytest.fixture(scope="session")
def seed_file(shared_data: Path) -> Path:
    """The model edition, ``../shared/seed/000_65dddd8bc0bfce4a.txt``."""
    path = shared_data.parent / "seed" / "000_65dddd8bc0bfce4a.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A store on a real SQLite file in ``tmp_path``, migrated, closed after the test."""
    opened = await Store.open(tmp_path / "briefbot.sqlite3")
    yield opened
    await opened.close()
