"""Sends marked ``rate_limit_args={"outbox": True}`` skip PTB's limiter: the sender paces
them itself, and a limiter's wait or retry would stall it (and every other chat)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

OUTBOX_SEND: dict[str, Any] = {"outbox": True}


class OutboxPassThrough(AIORateLimiter):
    """AIORateLimiter for replies; outbox sends go straight through (no wait, no retry)."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | dict[str, Any] | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Call ``callback`` at once for outbox sends; limit everything else as before."""
        if isinstance(rate_limit_args, dict):
            if rate_limit_args.get("outbox"):
                return await callback(*args, **kwargs)
            rate_limit_args = None
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
