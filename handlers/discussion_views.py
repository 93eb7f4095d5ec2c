"""Pure views of the discussion: answers to replies, their buttons and callback data."""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from briefing.models import Story
from briefing.outgoing import Button
from handlers.callbacks import story_button_data
from handlers.html import escape, shorten

MAX_COMMENT_CHARS = 2000
COMMENTS_PER_MINUTE = 5
ABOUT_LIMIT = 120
BUTTON_LIMIT = 48
NAME_LIMIT = 64
REPLY_KIND = "reply"

PICK_PREFIX = "pick:"
DISCUSS_PREFIX = "discuss:"
ANSWER_PREFIX = "answer:"
DELETE_PREFIX = "cdel:"
_PICK = re.compile(r"pick:(\d{1,18}):(\d{1,4})")
_ONE_ID = re.compile(r"(?:discuss|answer|cdel):(\d{1,18})")

NOT_AN_ITEM = (
    "To join a discussion, reply to a briefing or to a story card I sent. "
    "Send /today for the latest briefing."
)
EMPTY = "Your reply has no text to add. Write your comment and send it as a reply."
TEXT_ONLY = "Only text replies are added to a discussion: write your comment as text."
MUTED = "An admin has stopped your comments, so this one was not added."
WHICH_STORY = "Which story is your comment about? Tap it and I will add the comment there."
STALE_CHOICE = "That choice is no longer open: reply to the briefing again to add a comment."
NOT_YOURS_TO_PICK = "Only the writer of that comment can choose its story."
COMMENT_GONE = "That comment is no longer there."
DELETED = "🗑 Comment deleted."
NOT_YOURS_TO_DELETE = "Only the comment's writer or an admin can delete it."
DELETE_USAGE = "Reply /delete to your comment (or to my message that shows it) to delete it."
ADMINS_ONLY = "Only the bot's admins can mute and unmute readers."
MUTE_USAGE = "Reply /{0} to a reader's comment, or send /{0} USER_ID."
NOTIFY_USAGE = (
    "Replies to your comments are {0}. /notify off stops these messages; /notify on turns "
    "them back on."
)
NOTIFY_OFF = "You will no longer hear about replies to your comments. /notify on undoes it."
NOTIFY_ON = "You will hear about replies to your comments again."


def too_long(length: int) -> str:
    """The answer to a comment over the limit: nothing was stored."""
    return (
        f"Comments are limited to {MAX_COMMENT_CHARS:,} characters and yours has {length:,}, "
        "so it was not added. Shorten it and send it again."
    )


def edit_too_long(length: int) -> str:
    """The answer to an edit over the limit: the comment keeps its text."""
    return (
        f"Comments are limited to {MAX_COMMENT_CHARS:,} characters and your edit has "
        f"{length:,}: the comment keeps its earlier text."
    )


def too_fast(seconds: int) -> str:
    """The answer to a comment past the per-minute limit."""
    return (
        f"You can add up to {COMMENTS_PER_MINUTE} comments a minute, so this one was not "
        f"added. Send it again in {seconds} s."
    )


def muted(user_id: int, *, now_muted: bool) -> str:
    """What /mute or /unmute did."""
    if now_muted:
        return f"User {user_id} can no longer add comments. /unmute {user_id} undoes it."
    return f"User {user_id} can add comments again."


def acknowledgement(about: str, count: int, *, replied_to: str | None = None) -> str:
    """One line: where the comment went and how many comments are there now."""
    noun = "comment" if count == 1 else "comments"
    where = f"<b>{escape(shorten(about, ABOUT_LIMIT))}</b>"
    if replied_to is not None:
        return f"↩️ Your reply to {escape(replied_to)} on {where} was added: {count} {noun} so far"
    return f"💬 Your comment on {where} was added: {count} {noun} so far"


def acknowledgement_buttons(story_id: int | None, comment_id: int) -> InlineKeyboardMarkup:
    """ "View" opens the story's card; "Delete" takes the comment back."""
    row = []
    if story_id is not None:
        row.append(InlineKeyboardButton("View", callback_data=story_button_data(story_id)))
    row.append(InlineKeyboardButton("🗑 Delete", callback_data=delete_button_data(comment_id)))
    return InlineKeyboardMarkup([row])


def story_choice(pending_id: int, stories: Sequence[Story]) -> InlineKeyboardMarkup:
    """One button per story of the briefing, for a reply that waits for its story."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{number}. {shorten(story.heading, BUTTON_LIMIT)}",
                    callback_data=f"{PICK_PREFIX}{pending_id}:{number - 1}",
                )
            ]
            for number, story in enumerate(stories, start=1)
        ]
    )


def parse_pick(data: str | None) -> tuple[int, int] | None:
    """(pending reply id, story position) of a "which story?" button."""
    match = _PICK.fullmatch(data or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def discuss_button_data(story_id: int) -> str:
    """ "✍️ Discuss": a prompt to reply to, about this story."""
    return f"{DISCUSS_PREFIX}{story_id}"


def answer_button_data(comment_id: int) -> str:
    """The button of a reply notification: a prompt to answer that reply."""
    return f"{ANSWER_PREFIX}{comment_id}"


def delete_button_data(comment_id: int) -> str:
    """Delete a comment (its writer or an admin)."""
    return f"{DELETE_PREFIX}{comment_id}"


def parse_id_button(data: str | None) -> int | None:
    """The id a discuss, answer or delete button names."""
    match = _ONE_ID.fullmatch(data or "")
    return int(match.group(1)) if match else None


def discuss_prompt(about: str, mention: str | None) -> str:
    """The ForceReply prompt of "✍️ Discuss"; ``mention`` (HTML) names the presser in groups."""
    who = f"{mention}, write" if mention else "Write"
    return f"{who} your comment on <b>{escape(shorten(about, ABOUT_LIMIT))}</b> as a reply."


def answer_prompt(author: str, mention: str | None) -> str:
    """The ForceReply prompt of a notification's "Answer" button."""
    who = f"{mention}, write" if mention else "Write"
    return f"{who} your answer to {escape(author)} as a reply."


def reply_notification(replier: str, about: str, text: str) -> str:
    """ "<name> replied to your comment on <story>", with the reply as written."""
    header = (
        f"↩️ {escape(replier)} replied to your comment on "
        f"<b>{escape(shorten(about, ABOUT_LIMIT))}</b>"
    )
    return f"{header}\n<blockquote>{escape(text)}</blockquote>"


def answer_buttons(comment_id: int) -> tuple[tuple[Button, ...], ...]:
    """The notification's button: answer the reply."""
    return ((Button("↩️ Answer", callback_data=answer_button_data(comment_id)),),)


def display_name(name: str | None) -> str:
    """A comment's author as shown: their name, shortened, or "A reader"."""
    return shorten(name, NAME_LIMIT) if name and name.strip() else "A reader"
