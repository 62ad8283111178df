"""Sampling a generated pool: the population joint, self-selected registrants, households.

Why: steps 1-3 of the method in `sortition.research.generator` (population by iterative
proportional fitting, registration by response propensity, households of 2-4 with addresses)
are numerical work on one seeded Generator, separate from the profiles' data and the quotas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sortition.instance import NO_HOUSEHOLD
from sortition.research.generator_profiles import CL_STREETS, Category, Profile
from sortition.research.generator_tight import HOUSEHOLD_SIZE_WEIGHTS, HOUSEHOLD_SIZES

_IPF_ROUNDS = 500


def fit_conditional(
    parent_shares: np.ndarray, association: np.ndarray, shares: np.ndarray
) -> np.ndarray:
    """P(own value | parent value): `association` scaled (IPF) to both marginals."""
    parent = np.asarray(parent_shares, dtype=np.float64)
    target = np.asarray(shares, dtype=np.float64) / np.sum(shares)
    joint = np.asarray(association, dtype=np.float64) * parent[:, None]
    for _ in range(_IPF_ROUNDS):
        joint *= (parent / np.maximum(joint.sum(axis=1), 1e-300))[:, None]
        joint *= (target / np.maximum(joint.sum(axis=0), 1e-300))[None, :]
    rows = joint.sum(axis=1, keepdims=True)
    conditional: np.ndarray = np.divide(
        joint, rows, out=np.full_like(joint, 1.0 / joint.shape[1]), where=rows > 0
    )
    return conditional


def population_joint(profile: Profile, count: int) -> np.ndarray:
    """Population shares of every cell of the first `count` categories (dense, sums to 1)."""
    categories = profile.categories[:count]
    names = [c.name for c in categories]
    root = profile.root_joint
    roots = 0 if root is None else root.ndim
    joint: np.ndarray
    if root is not None and roots:
        joint = root
        if count < roots:
            joint = joint.sum(axis=tuple(range(count, roots)))
    else:
        joint = np.ones(())
    for position in range(min(roots, count), count):
        category = categories[position]
        own = np.asarray(category.shares, dtype=np.float64)
        if category.parent is None:
            table = own / own.sum()
            joint = joint[..., None] * table.reshape((1,) * joint.ndim + (-1,))
            continue
        axis = names.index(category.parent)
        others = tuple(a for a in range(joint.ndim) if a != axis)
        parent_shares = joint.sum(axis=others)
        conditional = fit_conditional(parent_shares, np.array(category.association), own)
        shape = [1] * joint.ndim + [len(own)]
        shape[axis] = len(parent_shares)
        joint = joint[..., None] * conditional.reshape(shape)
    shares: np.ndarray = joint / joint.sum()
    return shares


def registration_weights(categories: Sequence[Category], joint: np.ndarray) -> np.ndarray:
    """Population share x the product of the response propensities of each cell's values."""
    weights = joint.copy()
    for axis, category in enumerate(categories):
        if category.propensity is None:
            continue
        shape = [1] * joint.ndim
        shape[axis] = len(category.values)
        weights = weights * np.asarray(category.propensity, dtype=np.float64).reshape(shape)
    normalized: np.ndarray = weights / weights.sum()
    return normalized


def draw_cells(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """n cells by inverse CDF: (n, F) value indices."""
    cumulative = np.cumsum(weights.ravel())
    cells = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
    cells = np.minimum(cells, cumulative.size - 1)
    return np.stack(np.unravel_index(cells, weights.shape), axis=1).astype(np.int64)


def assign_households(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Household label per registrant (-1: alone): about `share` of them in households of 2-4."""
    labels = np.full(n, NO_HOUSEHOLD, dtype=np.int64)
    wanted = round(share * n)
    order = np.argsort(rng.random(n), kind="stable")
    cumulative = np.cumsum(HOUSEHOLD_SIZE_WEIGHTS)
    cursor = 0
    label = 0
    while wanted - cursor >= HOUSEHOLD_SIZES[0]:
        pick = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
        size = min(HOUSEHOLD_SIZES[min(pick, len(HOUSEHOLD_SIZES) - 1)], wanted - cursor)
        labels[order[cursor : cursor + size]] = label
        cursor += size
        label += 1
    return labels


def addresses(
    rng: np.random.Generator,
    households: np.ndarray,
    place: Sequence[str],
    streets: Sequence[str] = CL_STREETS,
) -> list[str]:
    """A distinct fake address per household (or per person living alone), ending in `place`."""
    n = len(households)
    keys = [f"h{h}" if h >= 0 else f"p{i}" for i, h in enumerate(households.tolist())]
    distinct = list(dict.fromkeys(keys))
    slots = np.argsort(rng.random(len(distinct)), kind="stable")
    number = {key: int(s) for key, s in zip(distinct, slots.tolist(), strict=True)}
    out = []
    for i in range(n):
        slot = number[keys[i]]
        street = streets[slot % len(streets)]
        out.append(f"{street} {10 + slot // len(streets)}, {place[i]}")
    return out
