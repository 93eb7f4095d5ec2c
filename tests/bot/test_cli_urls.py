"""`briefbot ingest` and `briefbot sources add` as processes, with URLs that must not crash,
leak credentials, or reach addresses that are not public."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from storage.store import Store
from tests.bot.test_cli import briefbot
from tests.fakes.http_server import HttpServer, redirect, static

DIGEST = b"Harbour Daily\n\nLead\n\nThe tide came in early.\n\nFerries\n\nThey run hourly.\n"
BAD_URLS = [
    pytest.param("http://127.0.0.1:99999/", "invalid port '99999' (1 to 65535)", id="port"),
    pytest.param("http://xn--ls8h.la:1/", "invalid international host name", id="idna"),
    pytest.param(
        "http://news.example/" + "a" * 5000,
        "the URL is longer than 2,048 characters",
        id="5000-chars",
    ),
]


def _stored(database: Path) -> list[tuple[str, str | None]]:
    """(key, url) of every briefing in ``database``, and of none if it was never created."""

    async def read() -> list[tuple[str, str | None]]:
        store = await Store.open(database)
        try:
            latest = await store.briefings.latest()
            count = await store.briefings.count()
        finally:
            await store.close()
        assert count == (1 if latest else 0)
        return [(latest.key, latest.url)] if latest else []

    return asyncio.run(read()) if database.exists() else []


def _error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    return line


def test_credentials_fetch_the_digest_and_are_never_shown(
    tmp_path: Path, server: HttpServer
) -> None:
    url = server.route("/daily.txt", static(DIGEST, content_type="text/plain"))
    result = briefbot("ingest", url.replace("http://", "http://ann:s3cret@"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{url}: created: 'Harbour Daily' (2 stories, 0 comments)\n"
    assert "s3cret" not in result.stdout + result.stderr
    assert {r.header("Authorization") for r in server.requests} == {"Basic YW5uOnMzY3JldA=="}
    assert _stored(tmp_path / "db.sqlite3") == [(url, url)]


@pytest.mark.parametrize(("url", "reason"), BAD_URLS)
def test_a_malformed_url_to_ingest_is_one_line(tmp_path: Path, url: str, reason: str) -> None:
    line = _error_line(briefbot("ingest", url, cwd=tmp_path))
    assert line.startswith("error: http://")
    assert line.endswith(f": not a usable source address: {reason}")
    assert len(line) < 300
    assert _stored(tmp_path / "db.sqlite3") == []


@pytest.mark.parametrize(("url", "reason"), BAD_URLS)
def test_a_malformed_source_url_is_one_line(tmp_path: Path, url: str, reason: str) -> None:
    line = _error_line(briefbot("sources", "add", url, cwd=tmp_path))
    assert line == f"error: not a usable source address: {reason}"
    assert "no sources yet" in briefbot("sources", "list", cwd=tmp_path).stdout


@pytest.mark.parametrize("location", ["data:text/plain,hello", "javascript:alert(1)"])
def test_a_redirect_away_from_http_is_one_line(
    tmp_path: Path, server: HttpServer, location: str
) -> None:
    url = server.route("/moved", redirect(location))
    line = _error_line(briefbot("ingest", url, cwd=tmp_path))
    assert line == f"error: {url}: cannot read {url}: redirect to a URL that is not http(s)"
    assert _stored(tmp_path / "db.sqlite3") == []


def test_a_local_address_is_refused_unless_allowed(tmp_path: Path, server: HttpServer) -> None:
    url = server.route("/internal.txt", static(DIGEST, content_type="text/plain"))
    refused = briefbot("ingest", url, cwd=tmp_path, BRIEFBOT_ALLOW_PRIVATE_SOURCES="false")
    assert _error_line(refused) == (
        f"error: {url}: cannot read {url}: refused: 127.0.0.1 is a loopback address; "
        "set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true to allow it"
    )
    assert server.requests == []
    assert _stored(tmp_path / "db.sqlite3") == []

    added = briefbot("sources", "add", url, cwd=tmp_path, BRIEFBOT_ALLOW_PRIVATE_SOURCES="false")
    assert "refused: 127.0.0.1 is a loopback address" in _error_line(added)
    assert server.requests == []

    allowed = briefbot("ingest", url, cwd=tmp_path, BRIEFBOT_ALLOW_PRIVATE_SOURCES="true")
    assert allowed.returncode == 0, allowed.stderr
    assert _stored(tmp_path / "db.sqlite3") == [(url, url)]
