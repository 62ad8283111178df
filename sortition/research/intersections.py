"""Intersectional balance of a lottery: how closely its panels mirror the pool on every pair of
quota categories (young women in the north, say), not only on each category alone.

For a panel and a pair of categories (f, g), the deviation is the sum over value pairs (a, b) of
|panel members holding a and b - k x share of the pool holding a and b|, at most 2k. The panel's
score for the pair is 1 - deviation / (2k): 1 when every intersection is exactly proportional to
the pool, 0 when the panel sits entirely in intersections the pool does not hold. A lottery's
score is the expected score of its panel, averaged over every pair of categories (1 with a
single category). Members of one group share every feature value, so each panel composition
has one score, and the expectation is exact.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from sortition.distribution import Distribution


def intersectional_balance(distribution: Distribution) -> float:
    """Expected intersectional balance of the lottery's panel, in [0, 1] (module docstring)."""
    instance = distribution.instance
    pairs = list(combinations(range(len(instance.features)), 2))
    if not pairs:
        return 1.0
    k = instance.panel_size
    profiles = instance.groups.profiles
    comps = np.asarray(distribution.compositions, dtype=np.float64)  # (panels, groups)
    q = np.asarray(distribution.probabilities, dtype=np.float64)
    scores = np.zeros(len(q))
    for f, g in pairs:
        width = len(instance.features[g].values)
        cells = len(instance.features[f].values) * width
        group_cell = profiles[:, f] * width + profiles[:, g]
        person_cell = instance.values[:, f] * width + instance.values[:, g]
        target = k * np.bincount(person_cell, minlength=cells) / instance.size
        onehot = np.zeros((len(group_cell), cells))
        onehot[np.arange(len(group_cell)), group_cell] = 1.0
        counts = comps @ onehot  # (panels, cells)
        deviation = np.abs(counts - target[None, :]).sum(axis=1)
        scores += 1.0 - deviation / (2.0 * k)
    return float(q @ scores) / len(pairs)
