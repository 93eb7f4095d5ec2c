"""`briefbot sources` and `briefbot ingest` as processes, reading feeds served on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.bot.test_cli import briefbot
from tests.fakes.feeds import RSS, feed, serve_feed
from tests.fakes.http_server import HttpServer, static
from tests.processes import COMMAND_TIMEOUT, process_environment


def _closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_add_list_and_remove_a_local_feed(tmp_path: Path, server: HttpServer) -> None:
    url = serve_feed(server)
    added = briefbot("sources", "add", url, "--every", "30m", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        f"added 1  feed      every 30m    {url}  (Harbour Daily)",
        "first poll: 2 entries: 2 new, 0 updated, 2 new comments",
    ]

    listed = briefbot("sources", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    first, second = listed.stdout.splitlines()
    assert first == f"1  feed      every 30m    {url}  (Harbour Daily)"
    assert second.startswith("    last success: 20")
    assert "last error" not in listed.stdout

    removed = briefbot("sources", "remove", "1", cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == f"removed 1  feed      every 30m    {url}  (Harbour Daily)\n"
    empty = briefbot("sources", "list", cwd=tmp_path)
    assert empty.stdout == "no sources yet: add one with `briefbot sources add URL`\n"


def test_removing_an_unknown_source_is_an_error_line(tmp_path: Path) -> None:
    result = briefbot("sources", "remove", "99", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "error: no source '99': see `briefbot sources list`" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_an_unreachable_url_is_an_error_line_and_stores_nothing(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = briefbot("sources", "add", url, cwd=tmp_path)
    assert result.returncode == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert line.startswith(f"error: cannot read {url}: ")
    assert "Traceback" not in result.stderr
    assert "no sources yet" in briefbot("sources", "list", cwd=tmp_path).stdout


def test_a_bad_interval_is_an_argparse_usage_error(tmp_path: Path, server: HttpServer) -> None:
    url = serve_feed(server)
    result = briefbot("sources", "add", "--every", "5x", url, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: briefbot sources add")
    assert "argument --every: '5x' is not an interval like 15m" in result.stderr
    assert server.requests == []


def test_import_then_export_round_trips_the_urls(tmp_path: Path) -> None:
    urls = ["https://news.example.org/feed.xml", "https://blog.example.net/rss?cat=1&lang=en"]
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?>\n<opml version="1.0"><head><title>Mine</title></head><body>'
        '<outline text="News" xmlUrl="https://news.example.org/feed.xml"/>'
        '<outline text="Folder"><outline text="Blog &amp; more"'
        ' xmlUrl="https://blog.example.net/rss?cat=1&amp;lang=en"/></outline>'
        '<outline text="Bad" xmlUrl="ftp://example.org/feed"/>'
        "</body></opml>"
    )
    imported = briefbot("sources", "import", str(opml), "--every", "1h", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        f"added 1  feed      every 1h     {urls[0]}  (News)",
        f"added 2  feed      every 1h     {urls[1]}  (Blog & more)",
    ]

    again = briefbot("sources", "import", str(opml), cwd=tmp_path)
    assert again.stdout.count("already there: ") == 2

    exported = briefbot("sources", "export", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    root = ElementTree.fromstring(exported.stdout.encode())
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.find("head/title") is not None
    assert [o.get("xmlUrl") for o in root.iter("outline")] == urls
    assert [o.get("title") for o in root.iter("outline")] == ["News", "Blog & more"]


def test_ingesting_a_served_feed_stores_its_entries(tmp_path: Path, server: HttpServer) -> None:
    url = serve_feed(server)
    result = briefbot("ingest", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{url}: created: 'Harbour Daily: Tides and Ferries' (3 stories, 2 comments)",
        f"{url}: created: 'Harbour Daily: Market Day' (3 stories, 0 comments)",
    ]
    chat = briefbot("chat", cwd=tmp_path, stdin="/today\n")
    # Both entries are of 24 November and carry the same stories: the day's edition
    # shows them once.
    assert "The latest edition, Tuesday 24 November 2026:" in chat.stdout
    assert chat.stdout.count("[2] 2. Ferry times change") == 1
    assert "Loaded the sample" not in chat.stdout
    assert "no sources yet" in briefbot("sources", "list", cwd=tmp_path).stdout


def test_ingesting_an_unreachable_url_is_an_error_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = briefbot("ingest", url, cwd=tmp_path)
    assert result.returncode == 1
    assert f"error: {url}: cannot read {url}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_ingesting_the_wordpress_export_then_today(tmp_path: Path, shared_data: Path) -> None:
    export = shared_data / "wp-theme-unit-test.wxr.xml"
    result = briefbot("ingest", str(export), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 50
    assert all(line.startswith(f"{export}: created: ") for line in lines)
    assert f"{export}: created: 'Template: Comments' (1 stories, 19 comments)" in lines
    chat = briefbot("chat", cwd=tmp_path, stdin="/today\n")
    assert chat.returncode == 0, chat.stderr
    assert "Loaded the sample" not in chat.stdout
    # The export's newest day, composed: its posts are its stories.
    assert "📰 The news of Monday 16 January 2023" in chat.stdout
    assert "1. WP 6.1 Font size scale" in chat.stdout
    assert "(press one with :press 2 NUMBER)" in chat.stdout


def test_ingesting_the_dcrainmaker_feed_file(tmp_path: Path, shared_data: Path) -> None:
    feed = shared_data / "feeds" / "dcrainmaker.xml"
    result = briefbot("ingest", str(feed), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 8
    assert all(line.startswith(f"{feed}: created: ") for line in lines)
    assert any("'Week in Review" in line for line in lines)
    again = briefbot("ingest", str(feed), cwd=tmp_path)
    assert all(": unchanged: " in line for line in again.stdout.splitlines())


def test_hostile_titles_are_listed_escaped(tmp_path: Path, server: HttpServer) -> None:
    body = feed(server.base_url).replace(
        b"<channel><title>Harbour Daily</title>",
        "<channel><title>Harbour\x1b]0;pwned\x07 \u202eyliaD\x1b[2J</title>".encode(),
    )
    url = server.route("/feed.xml", static(body, content_type=RSS))
    shown = f"{url}  (Harbour\\x1b]0;pwned\\x07 \\u202eyliaD\\x1b[2J)"
    added = briefbot("sources", "add", url, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines()[0] == f"added 1  feed      every 15m    {shown}"
    listed = briefbot("sources", "list", cwd=tmp_path)
    assert listed.stdout.splitlines()[0] == f"1  feed      every 15m    {shown}"
    removed = briefbot("sources", "remove", "1", cwd=tmp_path)
    assert removed.stdout == f"removed 1  feed      every 15m    {shown}\n"
    for output in (added.stdout, listed.stdout, removed.stdout):
        assert not {"\x1b", "\x07", "\u202e"} & set(output)


@pytest.mark.parametrize(
    ("reference", "shown"),
    [
        ("²", "'²'"),  # str.isdigit() accepts it, int() does not
        ("99999999999999999999999", "'99999999999999999999999'"),  # past SQLite's int64
        ("9" * 5000, repr("9" * 5000)),  # past int()'s 4300-digit limit
    ],
)
def test_removing_by_an_odd_id_is_an_error_line(
    tmp_path: Path, reference: str, shown: str
) -> None:
    result = briefbot("sources", "remove", reference, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: no source {shown}: see `briefbot sources list`" in result.stderr


def test_removing_by_undecodable_bytes_is_an_error_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sources", "remove", b"\xff"],
        cwd=tmp_path,
        env=process_environment(BRIEFBOT_DATABASE=str(tmp_path / "db.sqlite3")),
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: no source '\\udcff': see `briefbot sources list`" in result.stderr


def test_one_bad_outline_is_skipped_and_named(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><body>'
        '<outline text="Before" xmlUrl="https://before.example.org/feed"/>'
        '<outline text="Broken" xmlUrl="http://[::1/"/>'
        '<outline text="After" xmlUrl="https://after.example.org/feed"/>'
        "</body></opml>"
    )
    result = briefbot("sources", "import", str(opml), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "added 1  feed      every 15m    https://before.example.org/feed  (Before)",
        "added 2  feed      every 15m    https://after.example.org/feed  (After)",
        "skipped http://[::1/: 'http://[::1/' is not a valid URL",
    ]
