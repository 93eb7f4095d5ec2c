"""Logging: one format, and no library that would print the token."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    """Log to stderr at ``level``; keep httpx quiet because its URLs contain the token."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
