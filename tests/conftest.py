"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.shared_data import shared_data_dir


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
