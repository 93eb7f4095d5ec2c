"""The console chat as a process: hostile feed text, odd ids and undecodable input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.test_cli import briefbot
from tests.fakes.feeds import RSS, feed
from tests.fakes.http_server import HttpServer, static
from tests.processes import COMMAND_TIMEOUT, process_environment

HOSTILE_TITLE = "Market\x1b]0;pwned\x07 \u202eyaD\x1b[2J"
ESCAPED_TITLE = "Market\\x1b]0;pwned\\x07 \\u202eyaD\\x1b[2J"
RAW_CONTROLS = ("\x1b", "\x07", "\u202e")


def serve_hostile_feed(server: HttpServer) -> str:
    """The test feed, its newest entry titled with terminal escapes and a bidi override."""
    body = feed(server.base_url).replace(
        b"<title>Harbour Daily: Market Day</title>", f"<title>{HOSTILE_TITLE}</title>".encode()
    )
    return server.route("/feed.xml", static(body, content_type=RSS))


def briefbot_bytes(*args: str, cwd: Path, stdin: bytes, **env: str) -> tuple[int, str, str]:
    """Run ``python -m bot`` with raw bytes on stdin; its exit code, stdout and stderr."""
    settings = {"BRIEFBOT_DATABASE": str(cwd / "db.sqlite3"), **env}
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=process_environment(**settings),
        input=stdin,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    return (
        result.returncode,
        result.stdout.decode("utf-8", errors="backslashreplace"),
        result.stderr.decode("utf-8", errors="backslashreplace"),
    )


def test_feed_titles_reach_the_terminal_escaped(tmp_path: Path, server: HttpServer) -> None:
    url = serve_hostile_feed(server)
    ingest = briefbot("ingest", url, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    chat = briefbot("chat", cwd=tmp_path, stdin="/today\n")
    assert chat.returncode == 0, chat.stderr
    assert f"📰 {ESCAPED_TITLE}" in chat.stdout
    assert f"  [1] 1. {ESCAPED_TITLE}" in chat.stdout
    for raw in RAW_CONTROLS:
        assert raw not in ingest.stdout
        assert raw not in chat.stdout


def test_typed_controls_are_echoed_escaped(tmp_path: Path) -> None:
    result = briefbot("chat", cwd=tmp_path, stdin=":\x1b[2Jbogus\n")
    assert result.returncode == 0, result.stderr
    assert "unknown console command :\\x1b[2Jbogus; type :help" in result.stdout
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(
    "line",
    [
        ":press ² 1",
        ":press 2 ²",
        ":press ٢ 1",
        ":reply ² hi",
        ":press 99999999999999999999999 1",
        ":reply 99999999999999999999999 hi",
        ":press " + "9" * 5000 + " 1",  # past int()'s 4300-digit limit
    ],
)
def test_ids_that_are_not_ascii_numbers_are_a_usage_line(tmp_path: Path, line: str) -> None:
    result = briefbot("chat", cwd=tmp_path, stdin=f"/today\n{line}\n/start\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    verb = line.split()[0]
    assert f"usage: {verb} MESSAGE " in result.stdout
    assert "Send /today" in result.stdout  # the chat went on after the bad line


@pytest.mark.parametrize(
    "encoding", ["utf-8:strict", "utf-8:surrogateescape"], ids=["strict", "surrogateescape"]
)
def test_undecodable_input_is_read_as_replacement_characters(
    tmp_path: Path, encoding: str
) -> None:
    # The bot answers the first line as message 2, so the briefing is message 4; its fourth
    # story's button turns it into that card, Back (button 1) into the briefing again, and
    # the story's button once more into the card, now with the reply among its highlights.
    stdin = b"\xff\n/today\n:press 4 4\n:reply 4 caf\xe9 closes at noon\n:press 4 1\n:press 4 4\n"
    code, out, err = briefbot_bytes("chat", cwd=tmp_path, stdin=stdin, PYTHONIOENCODING=encoding)
    assert code == 0, err
    assert "Traceback" not in err
    assert out.count("(some of that line was not utf-8 text: it reads as \ufffd)") == 2
    assert "💬 Your comment on" in out
    card = out.rsplit("── edited 4 ", 1)[1]
    assert "│ caf\ufffd closes at noon\n│ — You" in card
