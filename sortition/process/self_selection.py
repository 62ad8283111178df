"""Correcting self-selection (Flanigan, Gölz, Gupta and Procaccia, NeurIPS 2020): aim the
lottery at selection probabilities inversely proportional to each volunteer's estimated
propensity to register, so that every resident has about the same end-to-end chance.

1. **Weights by raking.** Iterative proportional fitting over the quota categories that the
   population table lists: start from weight 1 for every registrant and, category by category,
   scale the weights of each value so that the weighted pool matches that value's population
   share; repeat until no share is off by more than `RAKING_TOLERANCE` (at most
   `RAKING_ROUNDS` passes). A registrant's weight is how many residents they stand for, so
   their estimated relative propensity is 1 / weight. Raking fits a propensity that is a product
   of one factor per category value (a log-linear main-effects model); what the categories do not
   show (engagement, say) it cannot see.
2. **Targets.** Probability targets proportional to the weights, scaled to sum to k and capped
   at 1 (the excess spread over the others, repeatedly).
3. **The lottery.** The targets become chance factors (`Instance.with_factors`, largest = 1):
   LEXIMIN then maximizes the lowest ratio of probability to target, then the next lowest, and
   so on (MAXIMIN the lowest only), over panels that meet every quota. The factors are
   published in the log's rules, so `verify` checks the result against them.
4. **Spread.** A resident of the type of registrant i has end-to-end chance propensity_i x p_i,
   proportional to p_i / w_i. `end_to_end_spread` gives, over the residents the pool stands for
   (registrant i for w_i of them), the ratio of the highest to the lowest such chance and their
   coefficient of variation. "Before" is the spread if every registrant had the same chance
   k / n (the goal of a lottery that ignores self-selection), "after" the spread of the
   corrected lottery's probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sortition.errors import InfeasibleQuotas
from sortition.inputs.population import PopulationMargins
from sortition.instance import Instance
from sortition.numeric import inner

RAKING_TOLERANCE = 1e-10  # largest relative miss of a weighted share that ends the raking
RAKING_ROUNDS = 1000  # passes over the categories at most


@dataclass(frozen=True)
class Correction:
    """The estimated weights (residents per registrant), the probability targets and the
    chance factors that carry them into the lottery."""

    weights: np.ndarray  # (n,) residents each registrant stands for (sums to the population)
    targets: np.ndarray  # (n,) selection probability targets, sum k, each at most 1
    factors: np.ndarray  # (n,) targets / their largest value
    raking_rounds: int
    categories: tuple[str, ...]  # the categories corrected for
    table: str  # the population table's path and SHA-256
    table_sha256: str

    @property
    def propensities(self) -> np.ndarray:
        """Estimated relative propensities to register (1 / weight, largest = 1)."""
        inverse = 1.0 / self.weights
        scaled: np.ndarray = inverse / inverse.max()
        return scaled


@dataclass(frozen=True)
class Spread:
    """How unequal end-to-end chances are across the residents the pool stands for."""

    ratio: float  # highest / lowest end-to-end chance
    variation: float  # coefficient of variation, residents weighted equally


def rake(instance: Instance, margins: PopulationMargins) -> tuple[np.ndarray, int]:
    """Raking weights (see the module docstring): (weights scaled to the population, passes)."""
    n = instance.size
    weights = np.ones(n)
    listed = sorted(margins.counts)
    total = float(sum(margins.counts[listed[0]]))
    shares = {}
    for f in listed:
        counts = np.asarray(margins.counts[f], dtype=np.float64)
        held = instance.value_counts(f) > 0
        shares[f] = np.where(held, counts, 0.0) / counts[held].sum()
    rounds = 0
    while rounds < RAKING_ROUNDS:
        rounds += 1
        worst = 0.0
        for f in listed:
            values = instance.values[:, f]
            current = np.bincount(values, weights=weights, minlength=len(shares[f])) / n
            wanted = shares[f]
            held = current > 0
            ratio = np.ones_like(current)
            ratio[held] = wanted[held] / current[held]
            worst = max(worst, float(np.max(np.abs(ratio[held] - 1.0))))
            weights = weights * ratio[values]
        if worst <= RAKING_TOLERANCE:
            break
    return weights / weights.sum() * total, rounds


def capped_targets(weights: np.ndarray, k: int) -> np.ndarray:
    """Targets proportional to `weights`, summing to k, none above 1 (excess spread again)."""
    targets = np.zeros(len(weights))
    capped = np.zeros(len(weights), dtype=bool)
    while True:
        left = k - int(capped.sum())
        free = ~capped
        targets[free] = weights[free] / weights[free].sum() * left
        over = free & (targets > 1.0)
        if not over.any():
            return targets
        capped |= over
        targets[capped] = 1.0


def correction(instance: Instance, margins: PopulationMargins) -> Correction:
    """Raking weights, capped targets and chance factors for `instance` (see the module
    docstring). Raises InfeasibleQuotas if no registrant is left to select."""
    if instance.size < instance.panel_size:
        raise InfeasibleQuotas(f"the pool has fewer than {instance.panel_size} registrants")
    weights, rounds = rake(instance, margins)
    targets = capped_targets(weights, instance.panel_size)
    factors = targets / targets.max()
    names = tuple(instance.features[f].name for f in sorted(margins.counts))
    return Correction(weights, targets, factors, rounds, names, margins.path, margins.sha256)


def end_to_end_spread(probabilities: np.ndarray, weights: np.ndarray) -> Spread:
    """Spread of end-to-end chances p_i / w_i (up to one common factor) over the residents the
    registrants stand for; registrants with probability 0 make the ratio infinite."""
    chance = np.asarray(probabilities, dtype=np.float64) / weights
    mean = inner(weights, chance) / float(weights.sum())
    deviation = float(np.sqrt(inner(weights, (chance - mean) ** 2) / weights.sum()))
    low = float(chance.min())
    ratio = float(chance.max()) / low if low > 0 else float("inf")
    return Spread(ratio, deviation / mean if mean > 0 else float("inf"))


def spreads(correction: Correction, probabilities: np.ndarray) -> tuple[Spread, Spread]:
    """End-to-end spread with equal chances k/n for everyone, and with `probabilities`."""
    n = len(probabilities)
    equal = np.full(n, float(np.sum(correction.targets)) / n)
    weights = correction.weights
    return end_to_end_spread(equal, weights), end_to_end_spread(probabilities, weights)


def correction_record(correction: Correction, probabilities: np.ndarray) -> dict[str, Any]:
    """The correction for the log: the population table (name and SHA-256), the categories,
    the raking passes and the spread of end-to-end chances before and after. The targets
    themselves are in the rules, as chance factors."""
    before, after = spreads(correction, probabilities)
    return {
        "population_table": {
            "file": Path(correction.table).name,
            "sha256": correction.table_sha256,
        },
        "categories": list(correction.categories),
        "raking_passes": correction.raking_rounds,
        "end_to_end_spread": {
            "equal_chances": {"ratio": before.ratio, "variation": before.variation},
            "this_lottery": {"ratio": after.ratio, "variation": after.variation},
        },
    }
