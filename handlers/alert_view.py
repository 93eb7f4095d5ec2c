"""Pure views of topic alerts: the alert message, the topic list, the syntax help."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from briefing.models import Briefing, Story
from briefing.outgoing import Button, SharedMessage
from briefing.query import EXAMPLE, MAX_QUERY_CHARS
from handlers.callbacks import (
    mute_button_data,
    story_button_data,
    subscribe_button_data,
    unsubscribe_button_data,
)
from handlers.html import bold, escape, italic, link, shorten
from storage.subscriptions import MAX_TOPICS_PER_CHAT, Alert, Subscription

ALERT_KIND = "alert"
ALERT_SUMMARY_SENTENCES = 2
SUMMARY_LIMIT = 800
HEADING_LIMIT = 200
LABEL_LIMIT = 40
LIST_LABEL_LIMIT = 70  # 50 of them must fit one message
MUTE_BUTTONS = 3

SYNTAX = (
    "<b>Topic alerts</b>\n"
    "/subscribe TOPIC: I send each new story that matches, as soon as it arrives.\n"
    "• words: all must appear (sanction also matches sanctions)\n"
    '• "quoted words": those words in a row\n'
    "• OR: either side may match\n"
    "• -word: leave out stories with that word\n"
    f"Example: <code>/subscribe {escape(EXAMPLE)}</code>\n"
    "/topics lists this chat's topics; /unsubscribe TOPIC or /unsubscribe all removes them.\n"
    f"Up to {MAX_TOPICS_PER_CHAT} topics a chat, {MAX_QUERY_CHARS} characters each."
)
Keyboard = tuple[tuple[Button, ...], ...]
NO_TOPICS = "This chat follows no topics yet. Send /subscribe to see how to add one."


class AlertRenderer:
    """Renders the alerts of one briefing's stories, each distinct part once.

    A popular topic is followed by thousands of chats: a story's part is rendered once, a
    topic's name and mute button once per topic, and a message once per (story, set of
    topics), shared by every chat with that set.
    """

    def __init__(
        self, briefing: Briefing, zone: ZoneInfo, source_title: str | None = None
    ) -> None:
        assert briefing.id is not None
        self._briefing = briefing
        self._briefing_id = briefing.id
        # The source's name where it has one: a single article's briefing title is its heading.
        origin = shorten(source_title or briefing.title, HEADING_LIMIT)
        if briefing.published is not None:
            local = briefing.published.astimezone(zone)
            origin += f" · {local.day} {local:%B %Y}"
        self._origin = origin
        self._topics: dict[Subscription, tuple[str, tuple[Button, ...]]] = {}

    def alerts(self, story: Story, alerts: Sequence[Alert]) -> list[SharedMessage]:
        """The alerts of one story: one message per distinct set of topics, with its chats."""
        assert story.id is not None
        chats: dict[tuple[Subscription, ...], list[int]] = {}
        for alert in alerts:
            chats.setdefault(alert.topics, []).append(alert.chat_id)
        head = self._head(story)
        open_card = (Button("📖 Open the story", story_button_data(story.id)),)
        messages = []
        for topics, chat_ids in chats.items():
            parts = [self._topic(t) for t in topics]
            label = "topic" if len(topics) == 1 else "topics"
            text = f"{head}\n\nMatches your {label} {', '.join(name for name, _ in parts)}"
            buttons = (open_card, *(button for _, button in parts[:MUTE_BUTTONS]))
            messages.append(
                SharedMessage(
                    tuple(chat_ids),
                    ALERT_KIND,
                    str(story.id),
                    text,
                    buttons,
                    self._briefing_id,
                    story.id,
                )
            )
        return messages

    def _head(self, story: Story) -> str:
        """Heading, summary, source and date: the part every chat's alert shares."""
        summary = " ".join(story.summary[:ALERT_SUMMARY_SENTENCES]) or (
            story.blocks[0].text if story.blocks else ""
        )
        parts = [f"🔔 {bold(shorten(story.heading, HEADING_LIMIT))}"]
        if summary:
            parts.append(escape(shorten(summary, SUMMARY_LIMIT)))
        source = story.url or self._briefing.url
        parts.append(italic(self._origin) + (" · " + link("source", source) if source else ""))
        return "\n\n".join(parts)

    def _topic(self, topic: Subscription) -> tuple[str, tuple[Button, ...]]:
        """A topic's quoted, escaped name and its mute button row, made once."""
        found = self._topics.get(topic)
        if found is None:
            label = shorten(topic.label, LABEL_LIMIT)
            found = (
                f"“{escape(label)}”",
                (Button(f"🔕 Mute “{label}”", mute_button_data(topic.topic_id)),),
            )
            self._topics[topic] = found
        return found


def topics_view(topics: Sequence[Subscription]) -> tuple[str, Keyboard]:
    """The /topics list (HTML, labels escaped) and a remove button per topic."""
    if not topics:
        return NO_TOPICS, ()
    lines = [f"This chat's topics ({len(topics)} of {MAX_TOPICS_PER_CHAT}):"]
    lines.extend(
        f"{number}. {escape(shorten(t.label, LIST_LABEL_LIMIT))}"
        for number, t in enumerate(topics, start=1)
    )
    lines.append("Tap one to remove it, or send /unsubscribe all.")
    buttons = tuple(
        (
            Button(
                f"✖ {number}. {shorten(t.label, LABEL_LIMIT)}", unsubscribe_button_data(t.topic_id)
            ),
        )
        for number, t in enumerate(topics, start=1)
    )
    return "\n".join(lines), buttons


def phrase_choices(
    story_id: int, phrases: Sequence[str]
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """The "Alert me" offer: one button per key phrase of the story."""
    buttons = tuple(
        (Button(f"🔔 {shorten(phrase, LABEL_LIMIT)}", subscribe_button_data(story_id, index)),)
        for index, phrase in enumerate(phrases)
    )
    return "Alert this chat to new stories about:", buttons
