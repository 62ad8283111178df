"""Largest-remainder (Hamilton) apportionment of seats in proportion to populations, exactly.

It owns `largest_remainder`, which the census quotas (`sortition.inputs.census.quotas`) and the
synthetic generators of `sortition.research` share. Remainders are compared as fractions; the
tie rule is stated in `sortition.inputs.census`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction


def largest_remainder(populations: Sequence[int | Fraction], seats: int) -> tuple[int, ...]:
    """Seats per value, adding up to `seats`, by the largest-remainder (Hamilton) method.

    Each value first gets the floor of its exact quota (population share x seats); the seats left
    go to the largest remainders, computed exactly. Equal remainders go to the larger population
    first, then to the earlier value. Every result is the floor or the ceiling of the exact quota.
    """
    amounts = [Fraction(p) for p in populations]
    total = sum(amounts, Fraction(0))
    if seats < 0:
        raise ValueError(f"cannot apportion a negative number of seats ({seats})")
    if any(a < 0 for a in amounts):
        raise ValueError("populations must not be negative")
    if total == 0:
        if seats == 0:
            return tuple(0 for _ in amounts)
        raise ValueError("cannot apportion seats among a total population of 0")
    exact = [a * seats / total for a in amounts]
    result = [math.floor(q) for q in exact]
    left = seats - sum(result)
    order = sorted(range(len(amounts)), key=lambda i: (result[i] - exact[i], -amounts[i], i))
    for i in order[:left]:
        result[i] += 1
    return tuple(result)


__all__ = ["largest_remainder"]
