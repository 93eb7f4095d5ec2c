"""`briefbot run` with the default address policy: sources on 127.0.0.1 are never fetched."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import ask, bot_environment, bot_process, briefbot
from tests.fakes.botapi import FakeBotApi, Sent
from tests.fakes.http_server import serve_http, static
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA

INTERNAL = b"Intranet Daily\n\nLead\n\nThe staff salaries.\n\nDoors\n\nThe door codes.\n"
REFUSED = "refused: 127.0.0.1 is a loopback address"


def _sources_until_refused(api: FakeBotApi) -> Sent:
    """Ask /sources until it shows the start-up poll's refusal as the last error."""
    for _ in range(50):
        [listing] = ask(api, "/sources", lambda sent: len(sent) == 1)
        if REFUSED in listing.text:
            return listing
    raise AssertionError("/sources never showed the refusal")


def test_a_local_source_is_refused_and_nothing_is_served(tmp_path: Path, api: FakeBotApi) -> None:
    with serve_http() as intranet, serve_bot_api(api) as api_url:
        url = intranet.route("/internal.txt", static(INTERNAL, content_type="text/plain"))
        env = bot_environment(
            tmp_path,
            api_url,
            BRIEFBOT_ADMIN_IDS=str(ADA["id"]),
            BRIEFBOT_ALLOW_PRIVATE_SOURCES="false",
        )
        opml = tmp_path / "feeds.opml"
        opml.write_text(
            f'<opml version="2.0"><head/><body><outline xmlUrl="{url}"/></body></opml>'
        )
        imported = briefbot("sources", "import", str(opml), env=env, cwd=tmp_path)
        assert imported.returncode == 0, imported.stderr

        with bot_process(api, env, tmp_path):
            listing = _sources_until_refused(api)
            assert "set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true to allow it" in listing.text
            [added] = ask(api, f"/addsource {url.replace('.txt', '2.txt')}", lambda s: len(s) == 1)
            assert REFUSED in added.text
            [today] = ask(api, "/today", lambda sent: len(sent) == 1)
            assert "no briefing yet" in today.text
        assert intranet.requests == []
