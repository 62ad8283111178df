"""Synthetic pools for tests and benchmarks: biased self-selection, quotas from population shares.

Deterministic for a given seed. Features are named f0, f1, ...; values v0, v1, ...; the population
shares of each feature come from a Dirichlet draw, registrants over-represent some values (as
volunteers do), and quotas are the population share of k with a tolerance, which makes the
quotas bind against the biased pool.
"""

from __future__ import annotations

import numpy as np

from sortition.instance import Feature, Instance, Quota

DEFAULT_CARDINALITIES = (2, 4, 5, 3, 4, 3, 6, 2)


def synthetic_instance(
    pool_size: int,
    panel_size: int,
    features: int,
    *,
    seed: int,
    household_share: float = 0.0,
    tolerance: float = 0.15,
) -> Instance:
    """A random pool of `pool_size` with `features` categories and feasible-looking quotas.

    household_share: fraction of registrants who share a household with one other registrant.
    tolerance: quota half-width as a share of each target (at least 1 seat).
    """
    rng = np.random.default_rng(seed)
    cards = [DEFAULT_CARDINALITIES[f % len(DEFAULT_CARDINALITIES)] for f in range(features)]
    values = np.empty((pool_size, features), dtype=np.int64)
    feature_list = []
    for f, card in enumerate(cards):
        population = rng.dirichlet(np.full(card, 4.0))
        bias = rng.uniform(0.5, 1.5, size=card)
        pool_shares = population * bias / (population * bias).sum()
        values[:, f] = rng.choice(card, size=pool_size, p=pool_shares)
        targets = population * panel_size
        quotas = []
        for v in range(card):
            width = max(1.0, tolerance * targets[v])
            low = int(max(0, np.floor(targets[v] - width)))
            high = int(np.ceil(targets[v] + width))
            quotas.append(Quota(low, high))
        feature_list.append(Feature(f"f{f}", tuple(f"v{v}" for v in range(card)), tuple(quotas)))
    households = np.full(pool_size, -1, dtype=np.int64)
    pairs = int(pool_size * household_share / 2)
    if pairs:
        people = rng.permutation(pool_size)[: 2 * pairs]
        households[people] = np.repeat(np.arange(pairs), 2)
    ids = tuple(f"id{i:05d}" for i in range(pool_size))
    return Instance(ids, tuple(feature_list), values, panel_size, households)
