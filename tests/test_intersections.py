"""`intersectional_balance`: the expected balance of a lottery's panel over pairs of categories,
checked against a person-by-person recount over every panel a draw can give."""

from __future__ import annotations

import collections
import math
from itertools import combinations

import numpy as np
import pytest
from helpers import make_instance

from sortition.algorithms import solve
from sortition.distribution import Distribution
from sortition.research.intersections import intersectional_balance
from sortition.research.synthetic import synthetic_instance


def recount(distribution: Distribution) -> float:
    instance = distribution.instance
    n, k = instance.size, instance.panel_size
    values = instance.values.tolist()
    sizes = [int(s) for s in instance.groups.sizes]
    grid = math.lcm(*sizes)
    mass: collections.Counter[tuple[int, ...]] = collections.Counter()
    for c, q in enumerate(distribution.probabilities.tolist()):
        for j in range(grid):
            mass[tuple(distribution.realize(c, (j + 0.5) / grid).tolist())] += q / grid
    pairs = list(combinations(range(len(instance.features)), 2))
    total = 0.0
    for panel, weight in mass.items():
        score = 0.0
        for f, g in pairs:
            pool = collections.Counter((v[f], v[g]) for v in values)
            seated = collections.Counter((values[p][f], values[p][g]) for p in panel)
            cells = set(pool) | set(seated)
            deviation = sum(abs(seated[c] - k * pool[c] / n) for c in cells)
            score += 1 - deviation / (2 * k)
        total += weight * score / len(pairs)
    return total


@pytest.mark.parametrize("algorithm", ["maximin", "leximin", "legacy"])
def test_balance_equals_a_recount(algorithm) -> None:
    instance = synthetic_instance(30, 6, 3, seed=2, household_share=0.2)
    distribution = solve(algorithm, instance, rng=np.random.default_rng(0))
    found = intersectional_balance(distribution)
    assert found == pytest.approx(recount(distribution), abs=1e-12)
    assert 0.0 <= found <= 1.0


def test_a_mirror_panel_scores_one_and_a_corner_panel_less() -> None:
    # four people, one per cell of two binary features; k = 2
    instance = make_instance([[0, 0], [0, 1], [1, 0], [1, 1]], [[(0, 2), (0, 2)]] * 2, 2)
    diagonal = Distribution(
        instance, np.array([[1, 0, 0, 1], [0, 1, 1, 0]]), np.array([0.5, 0.5]), "test", True, {}
    )
    # every panel holds 2 of 4 cells, each cell's share is 0.5: deviation 4 x 0.5 = 2 of 2k = 4
    assert intersectional_balance(diagonal) == pytest.approx(0.5)
    single = make_instance([[0], [1]], [[(0, 1), (0, 1)]], 1)
    only = Distribution(single, np.array([[1, 0], [0, 1]]), np.array([0.5, 0.5]), "test", True, {})
    assert intersectional_balance(only) == 1.0  # one category: no intersections
