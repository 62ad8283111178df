"""`Distribution.entropy_bits`: the entropy of the distribution over concrete panels a draw uses,
checked by brute force (every interval of u, on the least common multiple of the group sizes)."""

from __future__ import annotations

import collections
import math

import numpy as np
import pytest

from sortition.algorithms import solve
from sortition.distribution import Distribution
from sortition.research.synthetic import synthetic_instance


def brute_force_entropy(distribution: Distribution) -> tuple[float, int]:
    sizes = [int(s) for s in distribution.instance.groups.sizes]
    grid = math.lcm(*sizes)
    mass: collections.Counter[tuple[int, ...]] = collections.Counter()
    for c, q in enumerate(distribution.probabilities.tolist()):
        for j in range(grid):
            panel = distribution.realize(c, (j + 0.5) / grid)
            mass[tuple(panel.tolist())] += q / grid
    p = np.array([m for m in mass.values() if m > 0])
    return float(-(p * np.log2(p)).sum()), len(p)


@pytest.mark.parametrize(
    ("algorithm", "households"), [("maximin", 0.0), ("leximin", 0.3), ("legacy", 0.0)]
)
def test_entropy_equals_brute_force(algorithm, households) -> None:
    instance = synthetic_instance(30, 6, 2, seed=1, household_share=households)
    distribution = solve(algorithm, instance, rng=np.random.default_rng(0))
    expected, panels = brute_force_entropy(distribution)
    assert distribution.entropy_bits() == pytest.approx(expected, abs=1e-9)
    # more than the compositions alone: rotation inside groups adds panels
    q = distribution.probabilities[distribution.probabilities > 0]
    assert distribution.entropy_bits() >= float(-(q * np.log2(q)).sum()) - 1e-12
    assert distribution.entropy_bits() <= math.log2(panels) + 1e-9
