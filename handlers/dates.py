"""The date a briefing is shown with: its publication date, else the day it was stored."""

from __future__ import annotations

from dataclasses import replace

from briefing.models import Briefing
from storage.store import Store


async def with_edition_date(store: Store, briefing: Briefing) -> Briefing:
    """The briefing to show; an undated edition (a text digest) takes the day it arrived."""
    if briefing.published is not None or briefing.id is None:
        return briefing
    return replace(briefing, published=await store.briefings.ingested_at(briefing.id))
