"""Pure views of topic alerts: the alert message, the topic list, the syntax help."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from briefing.models import Briefing, Story
from briefing.outgoing import Button, OutgoingMessage
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


def alert_messages(
    briefing: Briefing,
    story: Story,
    alerts: Sequence[Alert],
    zone: ZoneInfo,
    source_title: str | None = None,
) -> list[OutgoingMessage]:
    """The alerts for one story, one per chat: heading, summary, source and date, topics.

    The story's part is rendered once, and the topics' part once per distinct set of
    topics: a popular topic is followed by thousands of chats.
    """
    assert story.id is not None
    assert briefing.id is not None
    summary = " ".join(story.summary[:ALERT_SUMMARY_SENTENCES]) or (
        story.blocks[0].text if story.blocks else ""
    )
    # The source's name where it has one: a single article's briefing title is its heading.
    origin = shorten(source_title or briefing.title, HEADING_LIMIT)
    if briefing.published is not None:
        local = briefing.published.astimezone(zone)
        origin += f" · {local.day} {local:%B %Y}"
    parts = [f"🔔 {bold(shorten(story.heading, HEADING_LIMIT))}"]
    if summary:
        parts.append(escape(shorten(summary, SUMMARY_LIMIT)))
    source = story.url or briefing.url
    parts.append(italic(origin) + (" · " + link("source", source) if source else ""))
    head = "\n\n".join(parts)
    open_card = (Button("📖 Open the story", story_button_data(story.id)),)
    rendered: dict[tuple[Subscription, ...], tuple[str, Keyboard]] = {}
    messages = []
    for alert in alerts:
        found = rendered.get(alert.topics)
        if found is None:
            found = (
                f"{head}\n\n{_matched(alert.topics)}",
                (open_card, *_mute_buttons(alert.topics)),
            )
            rendered[alert.topics] = found
        text, buttons = found
        messages.append(
            OutgoingMessage(
                alert.chat_id, ALERT_KIND, str(story.id), text, buttons, briefing.id, story.id
            )
        )
    return messages


def _matched(topics: Sequence[Subscription]) -> str:
    names = ", ".join(f"“{escape(shorten(t.label, LABEL_LIMIT))}”" for t in topics)
    return f"Matches your {'topic' if len(topics) == 1 else 'topics'} {names}"


def _mute_buttons(topics: Sequence[Subscription]) -> list[tuple[Button, ...]]:
    return [
        (Button(f"🔕 Mute “{shorten(t.label, LABEL_LIMIT)}”", mute_button_data(t.topic_id)),)
        for t in topics[:MUTE_BUTTONS]
    ]


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
