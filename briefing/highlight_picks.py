"""Highlight picks from a language model: reading its answer, and putting picks first.

The model is shown the extractive ranking's top candidates numbered from 1 and asked for
the numbers of the best, best first, as a JSON array. Whatever it answers, only numbers of
shown candidates count, each once; an answer with none of them is no answer, and the
extractive order stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

_ARRAY = re.compile(r"\[[^\[\]]*\]")

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def parse_picks(answer: str, candidates: int, limit: int) -> list[int] | None:
    """The 0-based candidate indexes the answer picks, best first; None when it picks none.

    Args:
        answer: The model's text; the first JSON array of numbers in it is read.
        candidates: How many candidates were shown (numbered 1..candidates).
        limit: At most this many picks are kept.
    """
    for match in _ARRAY.finditer(answer):
        try:
            values = json.loads(match.group())
        except json.JSONDecodeError:
            continue
        picks: list[int] = []
        for value in values:
            # bool is an int in Python; a model answering [true] picked nothing.
            if isinstance(value, bool) or not isinstance(value, int | str):
                continue
            number = _as_number(value)
            if number is not None and 1 <= number <= candidates and number - 1 not in picks:
                picks.append(number - 1)
            if len(picks) == limit:
                break
        if picks:
            return picks
    return None


def _as_number(value: int | str) -> int | None:
    if isinstance(value, int):
        return value
    text = value.strip().lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else None


def picked_first(ranked: Sequence[T], picked: Sequence[K], key: Callable[[T], K]) -> list[T]:
    """``ranked`` with the picked items first, in the picks' order, then the rest as ranked.

    Picks that are not (or no longer) in ``ranked`` are ignored: a deleted or hidden
    comment never comes back through an old pick.
    """
    by_key = {key(item): item for item in ranked}
    first = [by_key[k] for k in dict.fromkeys(picked) if k in by_key]
    chosen = {key(item) for item in first}
    return first + [item for item in ranked if key(item) not in chosen]
