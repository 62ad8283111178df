"""Intersectional balance of a lottery: how closely its panels mirror the pool on every pair of
quota categories (young women in the north, say), not only on each category alone.

For a panel and a pair of categories (f, g), the deviation is the sum over value pairs (a, b) of
|panel members holding a and b - k x share of the pool holding a and b|, at most 2k. The panel's
score for the pair is 1 - deviation / (2k): 1 when every intersection is exactly proportional to
the pool, 0 when the panel sits entirely in intersections the pool does not hold. A lottery's
score is the expected score of its panel, averaged over every pair of categories (1 with a
single category). Members of one group share every feature value, so each panel composition
has one score, and the expectation is exact. The score is defined once, as the `PROPORTIONAL`
objective of `sortition.panel.balance`, which DIVERSIMAX maximizes.
"""

from __future__ import annotations

from sortition.distribution import Distribution
from sortition.panel.balance import proportional_pairs


def intersectional_balance(distribution: Distribution) -> float:
    """Expected intersectional balance of the lottery's panel, in [0, 1] (module docstring)."""
    objective = proportional_pairs(distribution.instance)
    return objective.expected(distribution.compositions, distribution.probabilities)
