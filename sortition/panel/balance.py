"""Intersectional balance of a panel: how evenly it fills the intersections of features.

A *partition* splits the panel by the values of a few features (women aged 16-29 in the north
is one cell of the partition by sex, age and region); every cell has a target count, and the
panel's imbalance on it is the sum over cells of |members in the cell - target|. A balance
objective is a set of partitions with an offset, a span and a divisor:

    score(panel) = sum over partitions of (offset - sum over its cells of |count - target| / span)
                   / divisor,  that is  constant - scale x total deviation

Higher is better. Members of one group (`Instance.groups`) share every feature value, so a
panel composition has one score, the expected score of a lottery is linear in its
probabilities, and a score-maximizing panel is a MIP with one deviation variable per cell
(`sortition.panel.balance_pricing`). Two objectives are defined:

- `PROPORTIONAL` (`proportional_pairs`): every pair of features, each cell's target k x the
  pool's share in it, offset 1, span 2k and divisor the number of pairs, so the score is the
  mean over pairs of 1 - deviation / (2k), in [0, 1]: 1 when every two-feature intersection is
  exactly proportional to the pool. This is the `intersectional_balance` that `sortition
  compare` reports.
- `PEER` (`peer_intersections`): the objective of the Sortition Foundation's DIVERSIMAX
  (sortition-algorithms 0.12): every subset of features, of one feature to all of them, whose
  cells (the product of the numbers of values present in the pool) are at most k and hold two
  registrants or more on average, at most `PEER_MAX_PARTITIONS` of them, smaller subsets first;
  each cell's target is k / cells (equal cells, whatever the pool holds). The score is minus
  the peer's objective (offset 0, span 1, divisor 1). The peer shuffles the subsets of one size
  at random before taking the first 50; here they are taken in order (deterministic), which is
  the same set whenever at most 50 subsets qualify (always with five features or fewer).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from sortition.instance import Instance
from sortition.numeric import dot, inner

PROPORTIONAL = "proportional"
PEER = "peer"
BALANCE_OBJECTIVES = (PROPORTIONAL, PEER)
PEER_MAX_PARTITIONS = 50  # the peer's cap on feature subsets
PEER_MIN_AVERAGE = 2  # the peer skips subsets whose cells hold fewer registrants on average


@dataclass(frozen=True)
class Partition:
    """The panel split by the values of `features`: `cell_of_group[g]` is group g's cell."""

    features: tuple[int, ...]
    cell_of_group: np.ndarray  # (G,) int
    targets: np.ndarray  # (cells,) float

    def counts(self, compositions: np.ndarray) -> np.ndarray:
        """Members per cell of each composition, shape (P, cells)."""
        onehot = np.zeros((len(self.cell_of_group), len(self.targets)))
        onehot[np.arange(len(self.cell_of_group)), self.cell_of_group] = 1.0
        counts: np.ndarray = dot(np.asarray(compositions, dtype=np.float64), onehot)
        return counts


@dataclass(frozen=True)
class BalanceObjective:
    """score = (base + sum over partitions of (offset - deviation / span)) / divisor, where a
    partition's deviation is the sum over its cells of |count - target|; so score = constant -
    scale x total deviation (module docstring). Computed in this order, which is the order
    `intersectional_balance` always used, so its figures keep every digit."""

    name: str
    partitions: tuple[Partition, ...]
    offset: float
    span: float
    divisor: float
    base: float = 0.0

    @property
    def scale(self) -> float:
        """Score lost per unit of deviation."""
        return 1.0 / (self.span * self.divisor)

    @property
    def constant(self) -> float:
        """The score of a panel without deviation."""
        return (self.base + len(self.partitions) * self.offset) / self.divisor

    def deviations(self, compositions: np.ndarray) -> np.ndarray:
        """Sum over partitions and cells of |count - target|, one per composition."""
        comps = np.atleast_2d(np.asarray(compositions, dtype=np.float64))
        total = np.zeros(len(comps))
        for partition in self.partitions:
            total += self._deviation(partition, comps)
        return total

    def _totals(self, comps: np.ndarray) -> np.ndarray:
        totals = np.full(len(comps), self.base)
        for partition in self.partitions:
            totals += self.offset - self._deviation(partition, comps) / self.span
        return totals

    @staticmethod
    def _deviation(partition: Partition, comps: np.ndarray) -> np.ndarray:
        deviation: np.ndarray = np.abs(partition.counts(comps) - partition.targets[None, :]).sum(
            axis=1
        )
        return deviation

    def scores(self, compositions: np.ndarray) -> np.ndarray:
        """The score of each composition (rows of group counts)."""
        comps = np.atleast_2d(np.asarray(compositions, dtype=np.float64))
        scores: np.ndarray = self._totals(comps) / self.divisor
        return scores

    def expected(self, compositions: np.ndarray, probabilities: np.ndarray) -> float:
        """The expected score of a lottery over these compositions."""
        comps = np.atleast_2d(np.asarray(compositions, dtype=np.float64))
        q = np.asarray(probabilities, dtype=np.float64)
        return inner(q, self._totals(comps)) / self.divisor


def balance_objective(instance: Instance, name: str) -> BalanceObjective:
    """The objective called `name` (one of `BALANCE_OBJECTIVES`) on this instance."""
    if name == PROPORTIONAL:
        return proportional_pairs(instance)
    if name == PEER:
        return peer_intersections(instance)
    raise ValueError(f"unknown balance objective {name!r}; choose one of {BALANCE_OBJECTIVES}")


def proportional_pairs(instance: Instance) -> BalanceObjective:
    """Every pair of features, targets proportional to the pool (module docstring)."""
    pairs = list(combinations(range(len(instance.features)), 2))
    k = instance.panel_size
    partitions = []
    for f, g in pairs:
        width = len(instance.features[g].values)
        cells = len(instance.features[f].values) * width
        profiles = instance.groups.profiles
        person_cell = instance.values[:, f] * width + instance.values[:, g]
        target = k * np.bincount(person_cell, minlength=cells) / instance.size
        partitions.append(Partition((f, g), profiles[:, f] * width + profiles[:, g], target))
    if not pairs:  # one feature: every panel is as balanced as it can be
        return BalanceObjective(PROPORTIONAL, (), 1.0, 1.0, 1.0, base=1.0)
    return BalanceObjective(PROPORTIONAL, tuple(partitions), 1.0, 2.0 * k, float(len(pairs)))


def peer_intersections(instance: Instance) -> BalanceObjective:
    """The peer DIVERSIMAX's subsets and equal-cell targets (module docstring)."""
    k, n = instance.panel_size, instance.size
    present = [np.unique(instance.values[:, f]) for f in range(len(instance.features))]
    features = range(len(instance.features))
    subsets = [s for size in range(1, len(features) + 1) for s in combinations(features, size)]
    partitions: list[Partition] = []
    for subset in subsets:
        cells = int(np.prod([len(present[f]) for f in subset]))
        if cells > k or n / cells < PEER_MIN_AVERAGE:
            continue
        if len(partitions) >= PEER_MAX_PARTITIONS:
            break
        partitions.append(_equal_cells(instance, subset, present, cells))
    return BalanceObjective(PEER, tuple(partitions), 0.0, 1.0, 1.0)


def _equal_cells(
    instance: Instance, subset: tuple[int, ...], present: list[np.ndarray], cells: int
) -> Partition:
    """The partition by `subset` over the values present in the pool, every target k / cells."""
    cell = np.zeros(len(instance.groups), dtype=np.int64)
    for f in subset:
        rank = np.searchsorted(present[f], instance.groups.profiles[:, f])
        cell = cell * len(present[f]) + rank
    return Partition(subset, cell, np.full(cells, instance.panel_size / cells))
