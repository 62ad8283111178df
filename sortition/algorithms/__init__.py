"""The registry of selection algorithms; every module exposes the same `solve` signature.

`solve(instance, *, rng, options) -> Distribution`. The CLI's `--algorithm` choices, tests and
benchmarks all read `ALGORITHMS`, so a new algorithm is one module plus one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sortition.distribution import Distribution
from sortition.errors import UsageError
from sortition.instance import Instance
from sortition.options import SolveOptions

Solve = Callable[..., Distribution]


@dataclass(frozen=True)
class Algorithm:
    name: str
    summary: str
    exact: bool  # False when probabilities are estimated by sampling
    function: Solve  # the module's solve

    def solve(
        self, instance: Instance, *, rng: np.random.Generator, options: SolveOptions
    ) -> Distribution:
        """Run the algorithm; whatever happens, tell the status callback that it is over (a
        progress bar then clears the line before the results are printed)."""
        try:
            return self.function(instance, rng=rng, options=options)
        finally:
            options.show(None)


def _registry() -> dict[str, Algorithm]:
    from sortition.algorithms import goldilocks, legacy, leximin, maximin, nash

    return {
        "leximin": Algorithm(
            "leximin", "maximize the lowest probability, then the next, ...", True, leximin.solve
        ),
        "maximin": Algorithm(
            "maximin", "maximize the lowest selection probability", True, maximin.solve
        ),
        "nash": Algorithm(
            "nash",
            "maximize the product (geometric mean) of selection probabilities",
            True,
            nash.solve,
        ),
        "goldilocks": Algorithm(
            "goldilocks",
            "keep probabilities neither too high nor too low: (n/k) max + (k/n) / min",
            True,
            goldilocks.solve,
        ),
        "legacy": Algorithm(
            "legacy", "greedy quota-filling draw (probabilities estimated)", False, legacy.solve
        ),
    }


ALGORITHM_NAMES = ("leximin", "maximin", "nash", "goldilocks", "legacy")
DEFAULT_ALGORITHM = "leximin"


def get_algorithm(name: str) -> Algorithm:
    registry = _registry()
    if name not in registry:
        raise UsageError(
            f"unknown algorithm '{name}'", hint=f"choose one of {', '.join(ALGORITHM_NAMES)}"
        )
    return registry[name]


def solve(
    name: str, instance: Instance, *, rng: np.random.Generator, options: SolveOptions | None = None
) -> Distribution:
    """Run the named algorithm on `instance`."""
    return get_algorithm(name).solve(instance, rng=rng, options=options or SolveOptions())
