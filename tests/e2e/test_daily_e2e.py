"""Daily editions end to end: `briefbot run` processes, two feeds on 127.0.0.1, the outbox.

The clock: the test does not wait two minutes, and the bot has no test hook for its time.
The process decides due-ness by comparing the chat's stored ``next_daily_at`` with its own
clock, so the test lets "two minutes pass" by moving the stored due moment back by as much
while the bot is stopped (the same comparison, seen from the other side). The next start's
first tick (in post_init, before the first getUpdates) then finds the edition due.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from importlib.util import find_spec
from pathlib import Path

import pytest

from storage.chat_settings import schedule_text
from tests.e2e.conftest import START_TIMEOUT, STOP_TIMEOUT, ask, bot_environment, briefbot
from tests.fakes.botapi import TOKEN, FakeBotApi, Sent
from tests.fakes.feeds import RSS
from tests.fakes.http_server import HttpServer, serve_http, static
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import PRIVATE_CHAT

CHAT = PRIVATE_CHAT["id"]
DELIVERY_TIMEOUT = 30.0


def _feed(
    base: str, slug: str, title: str, stories: list[tuple[str, str]], published: datetime
) -> bytes:
    body = "<p>Good morning from the coast.</p>" + "".join(
        f"<h2>{heading}</h2><p>{text}</p>" for heading, text in stories
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel><title>{title}</title><link>{base}</link>
<item><title>{title}: today</title><link>{base}/{slug}/today</link>
<guid isPermaLink="false">{base}/{slug}?p=1</guid><slash:comments>0</slash:comments>
<pubDate>{format_datetime(published)}</pubDate>
<content:encoded><![CDATA[{body}]]></content:encoded></item>
</channel></rss>""".encode()


FERRY = ("Ferry times change", "The winter ferry leaves an hour later from Monday on.")


def _serve_feeds(server: HttpServer, published: datetime) -> list[str]:
    """Two feeds whose editions share the ferry story."""
    base = server.base_url
    harbour = _feed(
        base,
        "harbour",
        "Harbour Daily",
        [FERRY, ("Quay repairs", "Work on the steps.")],
        published,
    )
    coast = _feed(
        base,
        "coast",
        "Coast Daily",
        [FERRY, ("Lighthouse reopens", "Visitors are back.")],
        published + timedelta(minutes=5),
    )
    return [
        server.route("/harbour.xml", static(harbour, content_type=RSS)),
        server.route("/coast.xml", static(coast, content_type=RSS)),
    ]


def _noon_zone(now: datetime) -> timezone:
    """A fixed zone in which it is about noon now: the edition's day cannot roll over."""
    return timezone(timedelta(hours=12 - now.hour))


def _zone_name(zone: timezone) -> str:
    offset = zone.utcoffset(None)
    hours = int(offset.total_seconds() // 3600)
    return f"UTC{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"


@contextmanager
def _bot(api: FakeBotApi, env: dict[str, str], cwd: Path, *, kill: bool = False) -> Iterator[None]:
    """`briefbot run` for the block, started once it polls; then SIGINT, or SIGKILL (kill -9)."""
    log = (cwd / "bot.log").open("w+")
    before = len(api.calls)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        api.wait_for(
            lambda a: any(m == "getUpdates" for m, _ in a.calls[before:]), timeout=START_TIMEOUT
        )
        yield
    finally:
        process.send_signal(signal.SIGKILL if kill else signal.SIGINT)
        code = process.wait(timeout=STOP_TIMEOUT)
        log.seek(0)
        output = log.read()
        log.close()
    assert code == (-signal.SIGKILL if kill else 0), output
    assert "Traceback" not in output, output
    assert TOKEN not in output


def _outbox(database: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT kind, item_key, text FROM outbox WHERE chat_id = ? ORDER BY id", (CHAT,)
        )
        return [(str(kind), str(key), str(text)) for kind, key, text in rows]


def _let_time_pass(database: Path, now: datetime) -> None:
    """What two minutes do to the bot's view of the schedule: the due moment is passed."""
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE chat_settings SET next_daily_at = ? WHERE chat_id = ?",
            (schedule_text(now - timedelta(seconds=1)), CHAT),
        )


def _set_daily(api: FakeBotApi, zone: timezone, now: datetime) -> datetime:
    """Ada sets the chat's zone and /daily two minutes ahead; when the edition is due."""
    [zoned] = ask(api, f"/timezone {_zone_name(zone)}", lambda sent: len(sent) == 1)
    assert zoned.text.startswith(f"🕰 Time zone: {_zone_name(zone)}")
    at = (now + timedelta(minutes=2)).astimezone(zone).replace(second=0, microsecond=0)
    hhmm = at.strftime("%H:%M")
    [reply] = ask(api, f"/daily {hhmm}", lambda sent: len(sent) == 1)
    assert f"every day at {hhmm}" in reply.text
    return at.astimezone(UTC)


def _setup(tmp_path: Path, api_url: str, feeds: HttpServer, now: datetime) -> dict[str, str]:
    env = bot_environment(tmp_path, api_url)
    for url in _serve_feeds(feeds, now - timedelta(hours=1)):
        added = briefbot("sources", "add", url, env=env, cwd=tmp_path)
        assert added.returncode == 0, added.stderr
        assert "1 new" in added.stdout
    return env


def test_the_edition_is_queued_once_across_a_kill_and_a_restart(
    tmp_path: Path, api: FakeBotApi
) -> None:
    database = tmp_path / "e2e.sqlite3"
    now = datetime.now(UTC)
    zone = _noon_zone(now)
    with serve_http() as feeds, serve_bot_api(api) as api_url:
        env = _setup(tmp_path, api_url, feeds, now)
        with _bot(api, env, tmp_path):
            due = _set_daily(api, zone, now)
        with sqlite3.connect(database) as db:
            [(stored,)] = db.execute("SELECT next_daily_at FROM chat_settings")
        assert stored == schedule_text(due)
        assert _outbox(database) == []

        _let_time_pass(database, now)
        with _bot(api, env, tmp_path, kill=True):
            pass  # the first tick ran before the first getUpdates: kill -9 right after it
        queued = _outbox(database)
        day = now.astimezone(zone).date().isoformat()
        assert queued
        assert [(kind, key.split("#")[0]) for kind, key, _ in queued] == [("edition", day)] * len(
            queued
        )
        assert "Daily" in queued[0][2]

        with _bot(api, env, tmp_path):
            [settings] = ask(api, "/settings", lambda sent: len(sent) == 1)
            assert "the next one on" in settings.text
        assert _outbox(database) == queued  # again nothing on restart


def _edition(sent: list[Sent]) -> list[Sent]:
    return [m for m in sent if m.chat_id == CHAT and "Lighthouse reopens" in m.text]


def test_the_edition_arrives_once_composed_and_deduplicated(
    tmp_path: Path, api: FakeBotApi
) -> None:
    for module in ("bot.delivery.sender", "handlers.edition_view"):
        if find_spec(module) is None:
            pytest.skip(f"{module} is not merged yet: the outbox sender and the edition composer")
    now = datetime.now(UTC)
    zone = _noon_zone(now)
    with serve_http() as feeds, serve_bot_api(api) as api_url:
        env = _setup(tmp_path, api_url, feeds, now)
        with _bot(api, env, tmp_path):
            _set_daily(api, zone, now)
        _let_time_pass(tmp_path / "e2e.sqlite3", now)
        with _bot(api, env, tmp_path):
            api.wait_for(lambda a: bool(_edition(a.sent)), timeout=DELIVERY_TIMEOUT)
            text = "\n".join(m.text for m in api.sent if m.chat_id == CHAT)
        [edition] = _edition(api.sent)
        for heading in ("Quay repairs", "Lighthouse reopens"):
            assert heading in edition.text
        assert edition.text.count(FERRY[0]) == 1  # the story both feeds carry, once
        assert text.count("Lighthouse reopens") == 1
        before = len(api.sent)
        with _bot(api, env, tmp_path):
            ask(api, "/settings", lambda sent: len(sent) == 1)
        assert _edition(api.sent[before:]) == []
