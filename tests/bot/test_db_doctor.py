"""`briefbot db backup|migrate|check` and `briefbot doctor` as real processes."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.e2e.conftest import bot_environment, briefbot
from tests.fakes.botapi import TOKEN, FakeBotApi
from tests.fakes.server import serve_bot_api
from tests.processes import process_environment

DIGEST = "Harbour Daily\n\nLead story\n\nThe harbour opened today.\n"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return process_environment(
        BRIEFBOT_DATABASE=str(tmp_path / "bot.sqlite3"), BRIEFBOT_LOG_LEVEL="INFO", **extra
    )


def test_migrate_then_check_a_fresh_database(tmp_path: Path) -> None:
    env = _env(tmp_path, BRIEFBOT_LOG_FORMAT="json", BRIEFBOT_TOKEN=TOKEN)
    migrated = briefbot("db", "migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    [line] = migrated.stdout.splitlines()
    assert line.endswith("migrations applied)")
    assert "schema version 0" not in line
    logged = [json.loads(entry) for entry in migrated.stderr.splitlines()]
    assert any(entry["message"].startswith("applied migration 0001") for entry in logged)
    assert all(entry["level"] == "INFO" for entry in logged)
    assert TOKEN not in migrated.stderr

    again = briefbot("db", "migrate", env=env, cwd=tmp_path)
    assert again.stdout.endswith("(0 migrations applied)\n")
    checked = briefbot("db", "check", env=env, cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (0, "integrity: ok\nforeign keys: ok\n")


def test_check_reports_a_foreign_key_violation(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert briefbot("db", "migrate", env=env, cwd=tmp_path).returncode == 0
    with closing(sqlite3.connect(tmp_path / "bot.sqlite3")) as db:
        db.execute(
            "INSERT INTO sent_messages (chat_id, message_id, briefing_id, sent_at)"
            " VALUES (1, 1, 99, 'x')"
        )
        db.commit()
    checked = briefbot("db", "check", env=env, cwd=tmp_path)
    assert checked.returncode == 1
    assert checked.stdout == (
        "foreign keys: sent_messages row 1 points at a missing briefings row\n"
    )


def test_backup_copies_a_database_and_verifies_the_copy(tmp_path: Path) -> None:
    env = _env(tmp_path)
    (tmp_path / "digest.txt").write_text(DIGEST)
    assert briefbot("ingest", "digest.txt", env=env, cwd=tmp_path).returncode == 0
    target = tmp_path / "backups" / "copy.sqlite3"

    done = briefbot("db", "backup", str(target), env=env, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"backed up {tmp_path / 'bot.sqlite3'} to {target}: ")
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT title FROM briefings").fetchall() == [("Harbour Daily",)]
    twice = briefbot("db", "backup", str(target), env=env, cwd=tmp_path)
    assert twice.returncode == 1
    assert twice.stderr == f"briefbot: {target} exists already: give a new file name\n"


def test_db_commands_on_a_missing_or_broken_file_say_so_in_one_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    missing = briefbot("db", "check", env=env, cwd=tmp_path)
    assert missing.returncode == 1
    assert (
        missing.stderr
        == f"briefbot: BRIEFBOT_DATABASE: {tmp_path / 'bot.sqlite3'} does not exist\n"
    )
    (tmp_path / "bot.sqlite3").write_bytes(b"not a database at all" * 100)
    broken = briefbot("db", "backup", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path)
    assert broken.returncode != 0
    assert len(broken.stderr.splitlines()) == 1
    assert "Traceback" not in broken.stderr


def test_doctor_checks_each_part_in_one_line(tmp_path: Path) -> None:
    api = FakeBotApi()
    with serve_bot_api(api) as url:
        env = bot_environment(tmp_path, url, BRIEFBOT_LOG_LEVEL="WARNING")
        (tmp_path / "digest.txt").write_text(DIGEST)
        assert briefbot("ingest", "digest.txt", env=env, cwd=tmp_path).returncode == 0
        healthy = briefbot("doctor", env=env, cwd=tmp_path)
        rejected = briefbot(
            "doctor", env={**env, "BRIEFBOT_TOKEN": "123456:WRONG-token"}, cwd=tmp_path
        )
    lines = healthy.stdout.splitlines()
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert [line.split(":")[0] for line in lines] == [
        "ok      settings",
        "ok      Bot API",
        "ok      token",
        "ok      database",
        "ok      sources",
    ]
    assert lines[2] == "ok      token: ok: @briefbot_test_bot (id 123456)"
    assert rejected.returncode == 1
    assert "PROBLEM token: Telegram rejected the token: check BRIEFBOT_TOKEN" in rejected.stdout
    assert "WRONG" not in rejected.stdout + rejected.stderr
    assert TOKEN not in healthy.stdout + healthy.stderr


def test_doctor_without_a_reachable_api_fails(tmp_path: Path) -> None:
    env = _env(tmp_path, BRIEFBOT_TOKEN=TOKEN, BRIEFBOT_API_URL="http://127.0.0.1:9")
    result = briefbot("doctor", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "PROBLEM Bot API: http://127.0.0.1:9 unreachable" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
