"""A source stored before start is polled when `briefbot run` starts, and /today shows it."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import ask, bot_environment, bot_process, briefbot
from tests.fakes.botapi import FakeBotApi, Sent
from tests.fakes.feeds import serve_feed
from tests.fakes.http_server import serve_http
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA

POLL_TIMEOUT = 30.0


def _today_answered(sent: list[Sent]) -> bool:
    """/today has answered: with the briefing (it has buttons), or saying there is none."""
    return any(m.buttons or "no briefing yet" in m.text for m in sent)


def test_the_poll_at_start_brings_the_feed_into_today(tmp_path: Path, api: FakeBotApi) -> None:
    with serve_http() as feeds, serve_bot_api(api) as api_url:
        feed_url = serve_feed(feeds)
        env = bot_environment(tmp_path, api_url, BRIEFBOT_ADMIN_IDS=str(ADA["id"]))
        # Importing stores the source without polling it: only the bot's start-up poll will.
        opml = tmp_path / "feeds.opml"
        opml.write_text(
            '<opml version="2.0"><head/><body>'
            f'<outline text="Harbour" xmlUrl="{feed_url}"/></body></opml>'
        )
        imported = briefbot("sources", "import", str(opml), env=env, cwd=tmp_path)
        assert imported.returncode == 0, imported.stderr
        assert imported.stdout.startswith("added 1  feed")
        assert feeds.requests == []

        with bot_process(api, env, tmp_path):
            # The poll's last request is the second entry's comment feed; storing follows.
            feeds.wait_for_request("/post/2/feed", timeout=POLL_TIMEOUT)
            today = _ask_today_until_it_shows(api, "Harbour Daily: Market Day")
            assert "Ferry times change" in today.text
            assert len(today.buttons) == 4  # three stories, then the comments
            assert [r.path for r in feeds.requests].count("/feed.xml") == 1

            [listing] = ask(api, "/sources", lambda sent: len(sent) == 1)
            assert f"{feed_url}\n#1 · feed · every 15m · last success 20" in listing.text
            [again] = ask(api, f"/addsource {feed_url}", lambda sent: len(sent) == 1)
            assert again.text == f"⚠️ already polled as source 1 ({feed_url})"


def _ask_today_until_it_shows(api: FakeBotApi, title: str) -> Sent:
    """Ask /today until the answer shows ``title``: the poll may still be storing it."""
    for _ in range(50):
        for message in ask(api, "/today", _today_answered):
            if title in message.text:
                return message
    raise AssertionError(f"/today never showed {title!r}")
