"""Messages the bot sends on its own initiative (alerts, editions, broadcasts), as values.

Every push feature builds :class:`OutgoingMessage` values and queues them in the outbox;
the delivery service sends them, paced, and records what Telegram answered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: it either sends ``callback_data`` (≤ 64 bytes) or opens ``url``."""

    text: str
    callback_data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.callback_data is None) == (self.url is None):
            raise ValueError("a button has exactly one of callback_data and url")
        if self.callback_data is not None and not 1 <= len(self.callback_data.encode()) <= 64:
            raise ValueError("callback_data must be 1 to 64 bytes")


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message for one chat, queued once per (chat, kind, item_key).

    Attributes:
        kind: what feature queued it: ``"alert"``, ``"edition"``, ``"broadcast"``, ...
        item_key: what it is about, unique within (chat, kind): a story id, an edition date.
        text: Telegram HTML, at most 4,096 characters once parsed.
        briefing_id, story_id: what the message shows, so that a reply to it joins that
            item's discussion (the sender records the message link when it is sent).
    """

    chat_id: int
    kind: str
    item_key: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    briefing_id: int | None = None
    story_id: int | None = None


@dataclass(frozen=True, slots=True)
class SharedMessage:
    """One message for many chats (an alert to every chat following the same topics).

    The outbox stores its text and buttons once and a row per chat naming them; each
    (chat, kind, item_key) is still queued once. Attributes as in :class:`OutgoingMessage`.
    """

    chat_ids: tuple[int, ...]
    kind: str
    item_key: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    briefing_id: int | None = None
    story_id: int | None = None

    def messages(self) -> list[OutgoingMessage]:
        """The same as one message per chat."""
        return [
            OutgoingMessage(
                chat_id,
                self.kind,
                self.item_key,
                self.text,
                self.buttons,
                self.briefing_id,
                self.story_id,
            )
            for chat_id in self.chat_ids
        ]
