"""A probability distribution over quota-satisfying panels, its marginals and fairness metrics.

Panels are stored compressed: a row of `compositions` says how many members each group of
`instance.groups` contributes. `realize` turns a row and a uniform number u into concrete people
by a rotation inside every group, which gives every member of a group exactly the same chance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sortition.instance import Instance
from sortition.numeric import dot

PROBABILITY_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FairnessSummary:
    """Headline numbers on how equal the selection probabilities are."""

    minimum: float
    maximum: float
    gini: float
    geometric_mean: float
    share_below_fair: float  # share of registrants whose probability is below k/n

    def as_dict(self) -> dict[str, float]:
        return {
            "min_probability": self.minimum,
            "max_probability": self.maximum,
            "gini": self.gini,
            "geometric_mean": self.geometric_mean,
            "share_below_k_over_n": self.share_below_fair,
        }


@dataclass(frozen=True, eq=False)
class Distribution:
    """Panels (as group compositions) with probabilities summing to 1."""

    instance: Instance
    compositions: np.ndarray  # (P, G) int
    probabilities: np.ndarray  # (P,)
    algorithm: str
    exact: bool = True  # False when the probabilities are estimates from sampled draws
    details: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        comps = np.asarray(self.compositions, dtype=np.int64)
        probs = np.asarray(self.probabilities, dtype=np.float64)
        if comps.ndim != 2 or comps.shape[0] != probs.shape[0]:
            raise ValueError("one probability per composition is required")
        if comps.shape[1] != len(self.instance.groups):
            raise ValueError("compositions must have one column per group")
        if np.any(probs < 0) or abs(probs.sum() - 1.0) > 1e-6:
            raise ValueError("probabilities must be non-negative and sum to 1")
        probs = probs / probs.sum()
        comps.setflags(write=False)
        probs.setflags(write=False)
        object.__setattr__(self, "compositions", comps)
        object.__setattr__(self, "probabilities", probs)

    @property
    def num_panels(self) -> int:
        return int(self.compositions.shape[0])

    @property
    def gap(self) -> float | None:
        """The optimality gap the exact algorithm was allowed to stop within (--gap), if any."""
        gap = self.details.get("gap")
        return float(gap) if isinstance(gap, int | float) and gap > 0 else None

    @property
    def stopped(self) -> dict[str, object] | None:
        """Where the time limit stopped the computation (stage, stages done, the lowest
        probability's gap), or None if it ran to the end (see algorithms/stopped.py)."""
        stopped = self.details.get("stopped_at_time_limit")
        return stopped if isinstance(stopped, dict) else None

    @property
    def label(self) -> str:
        """How the probabilities are known: "exact", "within gap G", "estimated from N draws",
        or, when the time limit stopped the run, where and how far from the best."""
        return label_phrase(self)

    def group_marginals(self) -> np.ndarray:
        """Probability that any one member of each group is selected."""
        expected = dot(self.probabilities, self.compositions)
        marginals: np.ndarray = expected / self.instance.groups.sizes
        return marginals

    def marginals(self) -> np.ndarray:
        """Selection probability of every registrant, by position."""
        marginals: np.ndarray = self.group_marginals()[self.instance.groups.group_of_person]
        return marginals

    def realize(self, index: int, u: float) -> np.ndarray:
        """The concrete panel (sorted person indices) for composition `index` and u in [0, 1)."""
        if not 0.0 <= u < 1.0:
            raise ValueError("u must lie in [0, 1)")
        chosen: list[np.ndarray] = []
        for g, count in enumerate(self.compositions[index].tolist()):
            if count == 0:
                continue
            members = self.instance.groups.members[g]
            size = len(members)
            start = int(np.floor(u * size))
            chosen.append(members[(start + np.arange(count)) % size])
        return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)

    def fairness(self) -> FairnessSummary:
        return fairness_summary(self.marginals(), self.instance.panel_size)

    def entropy_bits(self) -> float:
        """Entropy, in bits, of the distribution over concrete panels that a draw uses:
        composition c with probability q_c, then `realize(c, u)` with u uniform in [0, 1).

        Within composition c the panel changes only where u crosses j / s_g for a group g it
        takes part of (0 < c_g < s_g); between two such points it is one panel, and panels of
        different intervals differ (an arc shorter than its cycle fixes its start), as do those
        of different compositions. So the entropy is H(q) + sum_c q_c H_c, with H_c the entropy
        of the interval lengths. Equal fractions j / s give equal floats (division is correctly
        rounded), so shared points merge exactly.
        """
        sizes = self.instance.groups.sizes
        total = 0.0
        for c, q in enumerate(self.probabilities.tolist()):
            if q <= 0:
                continue
            within = rotation_entropy_bits(self.compositions[c], sizes)
            total += q * (within - float(np.log2(q)))
        return total


def rotation_entropy_bits(counts: np.ndarray, sizes: np.ndarray) -> float:
    """Entropy, in bits, of the concrete panel `Distribution.realize` gives for one composition
    (`counts` per group of `sizes` members) with u uniform: the panel changes only where u
    crosses j / s_g for a group it takes part of (see `Distribution.entropy_bits`), so only the
    sizes of those groups matter."""
    partial = (counts > 0) & (counts < sizes)
    return _cut_entropy_bits(tuple(sorted(set(sizes[partial].tolist()))))


@lru_cache(maxsize=4096)
def _cut_entropy_bits(partial_sizes: tuple[int, ...]) -> float:
    """Entropy of the intervals [0, 1) is cut into by the points j / s for s in the sizes."""
    points = [np.arange(s) / float(s) for s in partial_sizes]
    cuts = np.unique(np.concatenate([np.array([0.0, 1.0]), *points]))
    lengths = np.diff(cuts)
    return float(-(lengths * np.log2(lengths)).sum())


def fairness_summary(marginals: np.ndarray, panel_size: int) -> FairnessSummary:
    """Min, max, Gini, geometric mean and the share below k/n of a marginal vector."""
    p = np.asarray(marginals, dtype=np.float64)
    n = len(p)
    fair = panel_size / n
    with np.errstate(divide="ignore"):
        geo = float(np.exp(np.mean(np.log(p)))) if np.all(p > 0) else 0.0
    return FairnessSummary(
        minimum=float(p.min()),
        maximum=float(p.max()),
        gini=gini(p),
        geometric_mean=geo,
        share_below_fair=float(np.mean(p < fair - PROBABILITY_TOLERANCE)),
    )


def gini(values: np.ndarray) -> float:
    """Gini coefficient (0 = everyone equal) via the sorted-rank formula."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    total = x.sum()
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * np.sum(ranks * x) / (n * total)) - (n + 1) / n)


# What the gap of a run the time limit stopped is measured on (the log's "of",
# `algorithms.stopped.stopped_record`)
STOPPED_LOWEST = "lowest probability"  # MAXIMIN and LEXIMIN
STOPPED_OBJECTIVE = "objective"  # NASH and GOLDILOCKS
STOPPED_BALANCE = "expected balance"  # DIVERSIMAX


def label_phrase(distribution: Distribution) -> str:
    """`Distribution.label`. Each variant is written whole, so that the library's catalogs
    translate it (`scripts/library_templates.py` reads functions named for a phrase)."""
    if not distribution.exact:
        return f"estimated from {distribution.details.get('draws', '?')} draws"
    gap, stopped = distribution.gap, distribution.stopped
    if stopped is None:
        return "exact" if gap is None else f"within gap {gap:g}"
    done = stopped.get("stages_done")
    if distribution.algorithm == "leximin" and isinstance(done, int) and done > 0:
        stage = stopped["stage"]
        return (
            f"stopped by the time limit in leximin stage {stage}: lowest probability exact, "
            "higher probabilities not leximin-optimal"
            if gap is None
            else f"stopped by the time limit in leximin stage {stage}: lowest probability within "
            f"gap {gap:g}, higher probabilities not leximin-optimal"
        )
    of = stopped.get("of", "result")
    if of == STOPPED_LOWEST:
        return (
            "stopped by the time limit: lowest probability exact"
            if gap is None
            else f"stopped by the time limit: lowest probability within gap {gap:g}"
        )
    if of == STOPPED_OBJECTIVE:
        return (
            "stopped by the time limit: objective exact"
            if gap is None
            else f"stopped by the time limit: objective within gap {gap:g}"
        )
    if of == STOPPED_BALANCE:
        return (
            "stopped by the time limit: expected balance exact"
            if gap is None
            else f"stopped by the time limit: expected balance within gap {gap:g}"
        )
    return (
        f"stopped by the time limit: {of} exact"
        if gap is None
        else f"stopped by the time limit: {of} within gap {gap:g}"
    )
