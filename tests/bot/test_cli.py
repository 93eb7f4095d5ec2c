"""The `briefbot` command as a process: ingest, the console chat, start-up errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.processes import process_environment, run_briefbot


def briefbot(
    *args: str, cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot`` in ``cwd`` with a clean BRIEFBOT_ env and a database there.

    Sources on 127.0.0.1 are allowed (BRIEFBOT_ALLOW_PRIVATE_SOURCES) unless ``env`` says
    otherwise: the tests' sources are served there.
    """
    settings = {
        "BRIEFBOT_DATABASE": str(cwd / "db.sqlite3"),
        "BRIEFBOT_ALLOW_PRIVATE_SOURCES": "true",
        **env,
    }
    return run_briefbot(*args, cwd=cwd, env=process_environment(**settings), stdin=stdin)


def test_piped_today_prints_the_sample_and_exits(tmp_path: Path) -> None:
    result = briefbot("chat", cwd=tmp_path, stdin="/today\n")
    assert result.returncode == 0, result.stderr
    assert "Loaded the sample briefing" in result.stdout
    assert "Harbour Town Daily" in result.stdout
    assert "── message 2 " in result.stdout
    assert "(press one with :press 2 NUMBER)" in result.stdout
    assert "Traceback" not in result.stderr


def test_make_run_without_a_token_opens_the_console(tmp_path: Path) -> None:
    result = briefbot(cwd=tmp_path, stdin="/start\n")
    assert result.returncode == 0, result.stderr
    first_line = result.stdout.splitlines()[0]
    assert first_line == "No BRIEFBOT_TOKEN configured: opening the local console chat instead."
    assert "Send /today" in result.stdout


def test_console_buttons_and_bad_console_commands(tmp_path: Path) -> None:
    lines = "/today\n:press 2 2\n:press 2 99\n:press nope\n:bogus\n:reply 77 hi\n"
    result = briefbot("chat", cwd=tmp_path, stdin=lines)
    assert result.returncode == 0, result.stderr
    card = result.stdout.split("── edited 2 ", 1)[1]  # the briefing, turned into the card
    assert "From Harbour Town Daily" in card
    assert result.stdout.count("usage: :press MESSAGE BUTTON") == 2
    assert "unknown console command :bogus" in result.stdout
    assert "usage: :reply MESSAGE TEXT" in result.stdout


def test_ingesting_the_seed_then_today_shows_its_stories(tmp_path: Path, seed_file: Path) -> None:
    ingest = briefbot("ingest", str(seed_file), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "created: 'Syria Daily: Putin Stepping Back from Assad?'" in ingest.stdout
    assert "(4 stories, 9 comments)" in ingest.stdout
    chat = briefbot("chat", cwd=tmp_path, stdin="/today\n")
    assert "Loaded the sample" not in chat.stdout
    for heading in (
        "Putin says Syrian people “divided” and discusses safe zones with Trump",
        "Russian Lieutenant Colonel Killed by Sniper",
        "Aid Into Besieged, Bombarded Douma for 1st Time Since October",
    ):
        assert heading in chat.stdout
    assert "What readers say" in chat.stdout


def test_ingesting_twice_stores_once_and_a_change_updates(tmp_path: Path) -> None:
    digest = tmp_path / "daily.txt"
    digest.write_text(_digest("Quay Daily: Tides", "The tide came in early."))
    assert "created:" in briefbot("ingest", str(digest), cwd=tmp_path).stdout
    assert "unchanged:" in briefbot("ingest", str(digest), cwd=tmp_path).stdout
    digest.write_text(_digest("Quay Daily: Tides", "The tide came in late."))
    assert "updated:" in briefbot("ingest", str(digest), cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a text digest"),
        (b"<!doctype html><html><body><p>Hi</p></body></html>", ""),
    ],
)
def test_a_file_that_is_not_a_digest_is_one_line_and_stores_nothing(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = briefbot("ingest", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert "Traceback" not in result.stderr
    assert line.startswith(f"error: {bad}:")
    assert reason in line
    listing = briefbot("chat", cwd=tmp_path, stdin="/today\n")
    assert "Harbour Town Daily" in listing.stdout  # the database was still empty


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    result = briefbot("ingest", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert result.returncode == 1
    assert "no such file" in result.stderr


def test_an_endless_file_is_refused_at_the_stated_limit(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    result = briefbot("ingest", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert line == "error: /dev/zero: larger than 10 MB, the limit for one file"
    assert "Traceback" not in result.stderr


def test_an_invalid_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = briefbot("chat", cwd=tmp_path, BRIEFBOT_TIMEZONE="Nowhere/Land")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "briefbot: BRIEFBOT_TIMEZONE: unknown time zone: give an IANA name such as Europe/Paris"
    )


def test_a_token_pasted_as_the_log_level_is_not_echoed(tmp_path: Path) -> None:
    token = "7012345678:AAE-pasted-in-the-wrong-place"
    result = briefbot("chat", cwd=tmp_path, BRIEFBOT_LOG_LEVEL=token)
    assert result.returncode == 2
    assert result.stderr.startswith("briefbot: BRIEFBOT_LOG_LEVEL: unknown log level")
    assert "AAE-pasted-in-the-wrong-place" not in result.stderr


def test_an_env_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"BRIEFBOT_TIMEZONE=Europe/Z\xfcrich\n")
    result = briefbot("chat", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "briefbot: .env: line 1 is not UTF-8 text\n"


def _directory(tmp_path: Path) -> Path:
    (tmp_path / "folder").mkdir()
    return tmp_path / "folder"


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain").write_text("a file, so no folder can be made under it")
    return tmp_path / "plain" / "db.sqlite3"


def _not_a_database(tmp_path: Path) -> Path:
    (tmp_path / "notes.sqlite3").write_text("these are notes, " * 100)
    return tmp_path / "notes.sqlite3"


BAD_DATABASES = {
    "directory": (_directory, "is a directory, not a database file"),
    "device": (lambda _: Path("/dev/null"), "is not a regular file (a device or a pipe?)"),
    "under a file": (_under_a_file, "a part of its path is a file, not a folder"),
    "not a database": (_not_a_database, "the file is not a SQLite database"),
}
COMMANDS = {
    "chat": ("chat",),
    "ingest": ("ingest", "nothing.txt"),
    "sources list": ("sources", "list"),
}


@pytest.mark.parametrize(
    ("case", "command"),
    # Every bad database once, and every command at least once.
    [("directory", "chat"), ("device", "ingest"), ("under a file", "sources list")]
    + [("not a database", command) for command in COMMANDS],
)
def test_an_unusable_database_is_one_line_naming_the_setting(
    tmp_path: Path, case: str, command: str
) -> None:
    make, reason = BAD_DATABASES[case]
    database = make(tmp_path)
    before = database.read_bytes() if database.is_file() else None
    result = briefbot(*COMMANDS[command], cwd=tmp_path, BRIEFBOT_DATABASE=str(database))
    assert result.returncode == 2
    assert result.stderr == f"briefbot: BRIEFBOT_DATABASE: {reason}\n"
    if before is not None:
        assert database.read_bytes() == before


def test_run_without_a_token_says_so(tmp_path: Path) -> None:
    result = briefbot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "BRIEFBOT_TOKEN is not set" in result.stderr


def _digest(title: str, lead_text: str) -> str:
    return (
        f"{title}\n\n\nHigh water at the quay\n\n\n{lead_text} Boats waited.\n\n"
        "The harbour master said the pattern will hold all week.\n\n"
        "Ferry times change\n\nThe ferry leaves an hour later from Monday.\n\n"
        "Leave a Comment"
    )
