"""The discussion through `briefbot run`: two readers in a group and one in a private chat.

Ada replies to a card; Bob sees her comment under Comments and in /today's highlights; Bob
replies to Ada's comment and Ada hears of it once, in her private chat; Ada edits it and Bob
sees the edit; Ada deletes it and it is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.e2e.conftest import bot_environment, bot_process, briefbot
from tests.fakes.botapi import FakeBotApi, Sent
from tests.fakes.server import serve_bot_api
from tests.handlers.conftest import ADA, BOB, PRIVATE_CHAT

GROUP: dict[str, Any] = {"id": -100555, "type": "supergroup", "title": "Syria readers"}
ADA_SAYS = "Safe zones were promised <before> & never built.\nSecond line stays."
ADA_EDITED = "Safe zones were promised <before> & never built. (Edited: the 2017 plan.)"
BOB_SAYS = "The 2017 plan had no money behind it."


def _after(api: FakeBotApi, before: int, holds: Callable[[Sent], bool]) -> Sent:
    """The first message the bot sent (or edited) since ``before`` for which ``holds``."""
    api.wait_for(lambda a: any(holds(m) for m in a.sent[before:]))
    return next(m for m in api.sent[before:] if holds(m))


def _button(message: Sent, starts: str) -> str:
    found = (b for row in message.buttons for b in row if b["text"].startswith(starts))
    return str(next(found)["callback_data"])


def _comments_page(api: FakeBotApi, user: dict[str, Any], card: Sent) -> Sent:
    before = len(api.sent)
    # Newest first: a fresh comment is on the first page (best first ranks it later).
    newest = _button(card, "💬 Comments").removesuffix(":b") + ":n"
    api.user_presses(user, card, newest)
    return _after(
        api, before, lambda m: m.message_id == card.message_id and "💬 Comments on" in m.text
    )


def test_readers_see_join_edit_and_delete_a_discussion(
    tmp_path: Path, api: FakeBotApi, seed_file: Path
) -> None:
    with serve_bot_api(api) as url:
        env = bot_environment(tmp_path, url)
        ingest = briefbot("ingest", str(seed_file), env=env, cwd=tmp_path)
        assert ingest.returncode == 0, ingest.stderr
        with bot_process(api, env, tmp_path):
            before = len(api.sent)
            api.user_sends(PRIVATE_CHAT, ADA, "/start")  # Ada has a private chat with the bot
            _after(api, before, lambda m: m.chat_id == PRIVATE_CHAT["id"])

            before = len(api.sent)
            api.user_sends(GROUP, ADA, "/today")
            today = _after(api, before, lambda m: m.chat_id == GROUP["id"] and bool(m.buttons))
            before = len(api.sent)
            api.user_presses(ADA, today, today.buttons[0][0]["callback_data"])
            card = _after(api, before, lambda m: m.message_id == today.message_id)
            assert "◀ Back" in [b["text"] for b in card.buttons[0]]

            before = len(api.sent)
            ada_comment = api.user_replies(GROUP, ADA, ADA_SAYS, to=card)
            ack = _after(api, before, lambda m: m.text.startswith("💬 Your comment on"))
            assert ack.text.endswith("was added: 9 comments so far")  # 8 from the seed

            page = _comments_page(api, BOB, card)
            assert ADA_SAYS in page.text  # exactly as written: markup-looking text, line break

            before = len(api.sent)
            api.user_sends(GROUP, BOB, "/today")
            bobs_today = _after(api, before, lambda m: m.chat_id == GROUP["id"] and "📰" in m.text)
            assert "Safe zones were promised <before> & never built." in bobs_today.text

            before = len(api.sent)
            api.user_sends(GROUP, BOB, BOB_SAYS, reply_to_message=ada_comment)
            _after(api, before, lambda m: m.text.startswith("↩️ Your reply to Ada"))
            notice = _after(
                api, before, lambda m: m.chat_id == PRIVATE_CHAT["id"] and "replied" in m.text
            )
            assert notice.text.startswith("↩️ Bob replied to your comment on")
            assert BOB_SAYS in notice.text

            # Updates of one chat are handled in order: the edit lands before the next press.
            api.user_edits(ada_comment, ADA_EDITED)
            page = _comments_page(api, BOB, card)
            assert ADA_EDITED in page.text
            assert ADA_SAYS not in page.text

            before = len(api.sent)
            api.user_sends(GROUP, ADA, "/delete", reply_to_message=ada_comment)
            _after(api, before, lambda m: m.chat_id == GROUP["id"] and "deleted" in m.text.lower())
            page = _comments_page(api, BOB, card)
            assert "Safe zones" not in page.text
            assert BOB_SAYS in page.text  # replies to a deleted comment stay

        notices = [m for m in api.sent if m.chat_id == PRIVATE_CHAT["id"] and "replied" in m.text]
        assert len(notices) == 1
