"""Fuzz tests (Hypothesis): parsers meet generated input and raise only their documented errors.

Every test here runs under the ``briefbot-fuzz`` profile: 10,000 examples, no per-example
deadline (a loaded CI machine is no bug), no example database written into the checkout.
``FUZZ_EXAMPLES`` in the environment changes the count, e.g. for a long local run. Under CI
(``CI`` set) the examples are derived from each test alone, so a run is repeatable there;
local runs draw new ones each time, to keep finding what CI would then pin as an @example.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_PROFILE = "briefbot-fuzz"

settings.register_profile(
    FUZZ_PROFILE,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10000")),
    deadline=None,
    database=None,
    print_blob=True,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings.get_profile(FUZZ_PROFILE)
