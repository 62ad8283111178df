"""How many examples each property test draws: its own count, times an optional scale.

Every `@given` test states the count that keeps the suite within CI's time, and a count set in
`@settings` beats any hypothesis profile. `SORTITION_TEST_EXAMPLES_SCALE=10 pytest -m hypothesis`
multiplies every count, for a deeper hunt for rare failing examples (CI draws fresh random
examples on every run, so a rare one turns up there otherwise).
"""

from __future__ import annotations

import os

SCALE_VARIABLE = "SORTITION_TEST_EXAMPLES_SCALE"


def examples(count: int) -> int:
    """`count` times the scale in `SORTITION_TEST_EXAMPLES_SCALE` (default 1)."""
    raw = os.environ.get(SCALE_VARIABLE, "1")
    try:
        scale = float(raw)
    except ValueError:
        scale = float("nan")
    if not scale > 0:  # (also NaN)
        raise ValueError(f"{SCALE_VARIABLE}={raw!r}: give a positive number, e.g. 10")
    return max(1, round(count * scale))
