"""The summarizer's fitted weights, one per feature of ``summarize.FEATURES``.

Written by ``python -m bench.fit_summary --write``; do not edit by hand.
"""

from __future__ import annotations

# Budgets under this share of the story's sentences use the lead weights.
LEAD_SHARE = 0.17

LEAD_WEIGHTS = (
    -1.8939,  # bias
    0.3539,  # first
    0.4512,  # second
    0.4968,  # third
    -2.2217,  # relpos
    0.9008,  # logpos
    -0.391,  # loglen
    -0.2654,  # rellen
    -0.3875,  # short
    0.0,  # textrank
    1.056,  # degree
    0.4124,  # forward
    0.7186,  # backward
    1.3832,  # overlap_degree
    -0.3421,  # like_first
    -0.5449,  # question
    1.0512,  # quote
    0.7307,  # figures
    -0.3706,  # capitals
    -0.5586,  # log_count
    0.2068,  # density
    1.7747,  # lead_walk
)
BODY_WEIGHTS = (
    -0.2922,  # bias
    0.0,  # first
    0.0,  # second
    0.0,  # third
    -1.294,  # relpos
    0.4585,  # logpos
    -1.8062,  # loglen
    1.3402,  # rellen
    0.1106,  # short
    3.242,  # textrank
    0.0,  # degree
    0.0,  # forward
    0.0,  # backward
    3.3965,  # overlap_degree
    0.0,  # like_first
    -0.768,  # question
    0.0,  # quote
    0.0,  # figures
    0.0,  # capitals
    0.0,  # log_count
    0.0,  # density
    0.0,  # lead_walk
)
