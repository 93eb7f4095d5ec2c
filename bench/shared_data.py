"""Where the shared development data lives, if it is beside this checkout."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data_dir() -> Path | None:
    """``$BRIEFBOT_SHARED_DATA`` or ``../shared/data`` beside the repository, if present."""
    configured = os.environ.get("BRIEFBOT_SHARED_DATA")
    candidate = (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    return candidate if candidate.is_dir() else None
