"""Helpers shared by the tests: instances built in code (`make_instance`, the published examples)
here, invariant checkers in `helpers.invariants`. Import them from this package (`from helpers
import make_instance`), never from `conftest.py`, which holds only fixtures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sortition.instance import Feature, Instance, Quota


def make_instance(
    values,
    bounds: Sequence[Sequence[tuple[int, int]]],
    panel_size: int,
    households=None,
    *,
    names: Sequence[str] | None = None,
    value_names: Sequence[Sequence[str]] | None = None,
) -> Instance:
    """An instance from value indices and quota bounds.

    values: (n, F) value indices; bounds[f]: one (min, max) per value of feature f;
    households: optional (n,) labels, -1 for nobody else.
    """
    values = np.asarray(values, dtype=np.int64).reshape(len(values), len(bounds))
    features = tuple(
        Feature(
            names[f] if names else f"f{f}",
            tuple(value_names[f]) if value_names else tuple(f"v{j}" for j in range(len(b))),
            tuple(Quota(lo, hi) for lo, hi in b),
        )
        for f, b in enumerate(bounds)
    )
    ids = tuple(f"p{i}" for i in range(len(values)))
    return Instance(ids, features, values, panel_size, households)


def published_example(
    panel_size: int,
    female_liberal: int,
    male_conservative: int,
    female_conservative: int,
    minimum: int,
    maximum: int,
) -> Instance:
    """The synthetic example instances of Flanigan et al. (Nature 2021): gender x leaning."""
    rows = [[0, 0]] * female_liberal + [[1, 1]] * male_conservative + [[0, 1]] * female_conservative
    bound = (minimum, maximum)
    return make_instance(
        rows,
        [[bound, bound], [bound, bound]],
        panel_size,
        names=("gender", "leaning"),
        value_names=(("female", "male"), ("liberal", "conservative")),
    )


def example_small_20() -> Instance:
    """k=20; 99 female/liberal, 100 male/conservative, 1 female/conservative; quotas 9..20."""
    return published_example(20, 99, 100, 1, 9, 20)


def example_large_200() -> Instance:
    """k=200; 999 female/liberal, 1000 male/conservative, 1 female/conservative; quotas 99..200."""
    return published_example(200, 999, 1000, 1, 99, 200)
