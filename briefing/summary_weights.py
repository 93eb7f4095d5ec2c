"""The summarizer's fitted weights, one per feature of ``summarize.FEATURES``.

Written by ``python -m bench.fit_summary --write``; do not edit by hand.
"""

from __future__ import annotations

# Budgets under this share of the story's sentences use the lead weights.
LEAD_SHARE = 0.17

LEAD_WEIGHTS = (
    -0.615,  # bias
    -0.1967,  # first
    0.2621,  # second
    0.4953,  # third
    -0.5749,  # relpos
    0.1205,  # logpos
    -0.539,  # loglen
    -0.0666,  # rellen
    -0.3769,  # short
    0.0,  # textrank
    0.916,  # degree
    0.4893,  # forward
    0.5832,  # backward
    1.0517,  # overlap_degree
    -0.2582,  # like_first
    -0.2068,  # question
    0.768,  # quote
    0.5037,  # figures
    -0.1077,  # capitals
    -0.3646,  # log_count
    -0.0311,  # density
    1.0406,  # lead_walk
)
BODY_WEIGHTS = (
    -0.5659,  # bias
    0.0,  # first
    0.0,  # second
    0.0,  # third
    -1.0027,  # relpos
    0.3354,  # logpos
    -1.5222,  # loglen
    1.0833,  # rellen
    0.1305,  # short
    2.9424,  # textrank
    0.0,  # degree
    0.0,  # forward
    0.0,  # backward
    3.2998,  # overlap_degree
    0.0,  # like_first
    -0.42,  # question
    0.0,  # quote
    0.0,  # figures
    0.0,  # capitals
    0.0,  # log_count
    0.0,  # density
    0.0,  # lead_walk
)
