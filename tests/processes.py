"""Running the `briefbot` command as a real process, as a person or CI would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
COMMAND_TIMEOUT = 60.0


def process_environment(**settings: str) -> dict[str, str]:
    """This machine's environment without its BRIEFBOT_ variables, plus ``settings``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    environment["PYTHONPATH"] = str(REPOSITORY)
    environment.update(settings)
    return environment


def run_briefbot(
    *args: str, cwd: Path, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` (the console script) to its end."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
