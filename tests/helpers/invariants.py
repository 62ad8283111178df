"""Invariant checkers shared by example tests, property tests and benchmarks.

Each checker raises AssertionError with a message that says which rule broke and where. They read
only public attributes of `Instance`, `Groups` and `Distribution` and recount everything
themselves, so they do not trust the code they check.
"""

from __future__ import annotations

import numpy as np

from sortition.distribution import Distribution
from sortition.instance import NO_HOUSEHOLD, Instance

# u values at which every composition is realized: the ends of [0, 1) and a few in between
REALIZE_POINTS = (0.0, 0.25, 0.5, 0.999)


def panel_meets_quotas(instance: Instance, panel: np.ndarray) -> bool:
    """True if the panel (person indices) has size k, nobody twice, every feature value's count
    within its quota and at most one member per household; recounted here, independently of
    `sortition.panel.rules`."""
    panel = np.asarray(panel, dtype=np.int64)
    if len(panel) != instance.panel_size or len(set(panel.tolist())) != len(panel):
        return False
    for f, feature in enumerate(instance.features):
        for v, quota in enumerate(feature.quotas):
            count = sum(1 for person in panel.tolist() if instance.values[person, f] == v)
            if not quota.min <= count <= quota.max:
                return False
    labels = [int(instance.households[p]) for p in panel.tolist()]
    housed = [label for label in labels if label != NO_HOUSEHOLD]
    return len(set(housed)) == len(housed)


def assert_distribution_well_formed(distribution: Distribution, tol: float = 1e-9) -> None:
    """Probabilities form a distribution over distinct, valid panel compositions.

    Checks: probabilities non-negative and summing to 1; compositions unique; every composition
    counts exactly k people, stays within group sizes, meets every quota and takes at most one
    person per shared household; marginals sum to k; every realized panel (at a few values of u)
    passes `panel_meets_quotas`.
    """
    instance = distribution.instance
    groups = instance.groups
    comps = np.asarray(distribution.compositions)
    probs = np.asarray(distribution.probabilities, dtype=np.float64)
    k = instance.panel_size

    assert comps.ndim == 2 and comps.shape == (len(probs), len(groups)), (
        f"compositions have shape {comps.shape}, expected ({len(probs)}, {len(groups)})"
    )
    assert len(probs) >= 1, "a distribution needs at least one panel"
    assert np.all(np.isfinite(probs)), "probabilities must be finite"
    assert probs.min() >= -tol, f"negative probability {probs.min()}"
    assert abs(probs.sum() - 1.0) <= tol, f"probabilities sum to {probs.sum()!r}, not 1"
    assert len(np.unique(comps, axis=0)) == len(comps), "compositions are not unique"

    sizes = groups.sizes
    assert np.all(comps.sum(axis=1) == k), (
        f"panel sizes {sorted(set(comps.sum(axis=1).tolist()))} differ from k={k}"
    )
    assert np.all(comps >= 0), "a composition takes a negative number from a group"
    over = np.argwhere(comps > sizes[None, :])
    assert not len(over), f"composition {over[0][0]} takes more than group {over[0][1]} holds"

    for f, feature in enumerate(instance.features):
        # members per value on each panel: comps @ one-hot(profile of each group)
        onehot = np.zeros((len(groups), len(feature.values)), dtype=np.int64)
        onehot[np.arange(len(groups)), groups.profiles[:, f]] = 1
        counts = comps @ onehot
        low = np.argwhere(counts < feature.minimums[None, :])
        high = np.argwhere(counts > feature.maximums[None, :])
        assert not len(low), (
            f"composition {low[0][0]} has {counts[tuple(low[0])]} of "
            f"{feature.name}={feature.values[low[0][1]]}, below the minimum"
        )
        assert not len(high), (
            f"composition {high[0][0]} has {counts[tuple(high[0])]} of "
            f"{feature.name}={feature.values[high[0][1]]}, above the maximum"
        )

    labels = groups.household
    for label in np.unique(labels[labels != NO_HOUSEHOLD]).tolist():
        members = np.flatnonzero(labels == label)
        if len(members) > 1:
            taken = comps[:, members].sum(axis=1)
            assert taken.max() <= 1, f"a panel takes {taken.max()} people from household {label}"

    marginals = distribution.marginals()
    assert marginals.shape == (instance.size,)
    assert abs(marginals.sum() - k) <= max(tol, 1e-12) * max(1, k), (
        f"marginals sum to {marginals.sum()!r}, not k={k}"
    )
    assert marginals.min() >= -tol and marginals.max() <= 1 + tol, "a marginal is outside [0, 1]"

    for index in range(distribution.num_panels):
        for u in REALIZE_POINTS:
            panel = distribution.realize(index, u)
            assert panel_meets_quotas(instance, panel), (
                f"composition {index} realized at u={u} is not a valid panel: {panel.tolist()}"
            )
            realized = np.bincount(groups.group_of_person[panel], minlength=len(groups))
            assert np.array_equal(realized, comps[index]), (
                f"composition {index} realized at u={u} has the wrong group counts"
            )


def first_difference(a: np.ndarray, b: np.ndarray, tol: float) -> int | None:
    """The first index where sorted(a) and sorted(b) differ by more than tol, or None."""
    x, y = np.sort(np.asarray(a, dtype=np.float64)), np.sort(np.asarray(b, dtype=np.float64))
    assert x.shape == y.shape, f"vectors of different lengths {x.shape} and {y.shape}"
    differ = np.flatnonzero(np.abs(x - y) > tol)
    return int(differ[0]) if len(differ) else None


def assert_lexicographically_dominates(
    a: np.ndarray, b: np.ndarray, tol: float = 1e-6, *, strictly: bool = False
) -> None:
    """sorted(a) >= sorted(b) in the lexicographic order, comparing entries within tol.

    With `strictly`, the two sorted vectors must also differ somewhere (by more than tol).
    """
    index = first_difference(a, b, tol)
    if index is None:
        assert not strictly, "the sorted vectors are equal within tol, not strictly better"
        return
    x, y = np.sort(a), np.sort(b)
    assert x[index] > y[index], (
        f"not lexicographically dominating: at sorted position {index} the first vector has "
        f"{x[index]!r} and the second {y[index]!r}"
    )
