"""Loose quotas of a generated instance from population shares (step 4 of the method in
`sortition.research.generator`): largest-remainder targets -/+ a tolerance, clipped to 0..k.

Why: the quota rule is one small decision that `generate` widens until a panel exists; it is
kept apart from sampling and files. The tight class lives in `sortition.research.generator_tight`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from sortition.inputs.census import largest_remainder
from sortition.instance import Feature, Quota
from sortition.research.generator_profiles import Category


def default_tolerance(panel_size: int) -> int:
    """1 seat either side for panels below 100, 2 from 100 up."""
    return 1 if panel_size < 100 else 2


def make_features(
    categories: Sequence[Category],
    shares: Sequence[Sequence[float]],
    panel_size: int,
    tolerance: int,
) -> tuple[tuple[Feature, ...], tuple[tuple[int, ...], ...]]:
    """Quota features (target -/+ tolerance within 0..k) and the largest-remainder targets."""
    features = []
    targets = []
    for category, share in zip(categories, shares, strict=True):
        seats = largest_remainder([Fraction(s) for s in share], panel_size)
        quotas = tuple(Quota(max(0, t - tolerance), min(panel_size, t + tolerance)) for t in seats)
        features.append(Feature(category.name, category.values, quotas))
        targets.append(seats)
    return tuple(features), tuple(targets)
