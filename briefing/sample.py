"""The packaged sample briefing: an original edition in the digest format, for demos."""

from __future__ import annotations

from importlib.resources import files

_SAMPLE = "sample_briefing.txt"


def sample_digest_text() -> str:
    """The text of the sample edition, "Harbour Town Daily"."""
    return files("briefing").joinpath("data", _SAMPLE).read_text(encoding="utf-8")
