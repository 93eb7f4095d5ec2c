"""Pure views of the admins' /addsource and /removesource: sources in, Telegram HTML out."""

from __future__ import annotations

from briefing.schedule import format_interval
from briefing.sources import Source
from handlers.html import bold, escape, shorten

URL_LIMIT = 300
REASON_LIMIT = 1000

ADD_USAGE = "Usage: /addsource URL [INTERVAL], e.g. /addsource https://example.org/feed 30m"
REMOVE_USAGE = "Usage: /removesource ID_OR_URL (the id is the number /sources shows)"
ADMINS_ONLY = "Only the bot's admins can manage sources."
NOT_POLLING = (
    "Sources are managed where the bot polls them: in <code>briefbot run</code>, "
    "or in a terminal with <code>briefbot sources list|add|remove</code>."
)


def added_view(source: Source, first_poll: str) -> str:
    """The /addsource answer: the stored source and its first poll's one-line outcome."""
    return "\n".join(
        [
            f"✅ Added {_heading(source)}",
            _url(source),
            f"First poll: {escape(shorten(first_poll, REASON_LIMIT))}",
        ]
    )


def removed_view(source: Source) -> str:
    """The /removesource answer."""
    return f"🗑 Removed {_heading(source)}\n{_url(source)}\nIts briefings stay."


def no_such_source_view(reference: str) -> str:
    """What /removesource says when nothing matches ``reference``."""
    return f"No source matches {escape(shorten(reference, URL_LIMIT))}. Send /sources to see them."


def problem_view(reason: str, usage: str | None = None) -> str:
    """A one-line reason the command failed (escaped), and the usage line if it helps."""
    line = f"⚠️ {escape(shorten(reason, REASON_LIMIT))}"
    return f"{line}\n{escape(usage)}" if usage else line


def _heading(source: Source) -> str:
    interval = format_interval(source.interval_seconds)
    return f"{bold(f'#{source.id}')} · {escape(source.kind.value)} · every {interval}"


def _url(source: Source) -> str:
    url = source.display_url
    if len(url) > URL_LIMIT:  # no spaces to cut at: a plain cut, marked
        url = url[: URL_LIMIT - 1] + "…"
    return escape(url)
