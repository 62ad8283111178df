"""The registry of selection algorithms; every module exposes the same `solve` signature.

`solve(instance, *, rng, options) -> Distribution`. The CLI's `--algorithm` choices, tests and
benchmarks, the web form and the reports all read `REGISTRY` (or `ALGORITHM_NAMES`), so a new
algorithm is one module plus one entry here.
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
    honours_factors: bool = False  # whether chance factors (history) reweight its goal
    compared_by_default: bool = True  # False: compare and sweep run it only when named

    def solve(
        self, instance: Instance, *, rng: np.random.Generator, options: SolveOptions
    ) -> Distribution:
        """Run the algorithm; whatever happens, tell the status callback that it is over (a
        progress bar then clears the line before the results are printed)."""
        try:
            return self.function(instance, rng=rng, options=options)
        finally:
            options.show(None)


from sortition.algorithms import (  # noqa: E402
    diversimax,
    fair_maxentropy,
    goldilocks,
    legacy,
    leximin,
    maxentropy,
    maximin,
    nash,
)

# The registry: one entry per algorithm, in the order the CLI, the web form and reports list them.
REGISTRY: dict[str, Algorithm] = {
    algorithm.name: algorithm
    for algorithm in (
        Algorithm(
            "leximin",
            "maximize the lowest probability, then the next, ...",
            True,
            leximin.solve,
            honours_factors=True,
        ),
        Algorithm(
            "maximin",
            "maximize the lowest selection probability",
            True,
            maximin.solve,
            honours_factors=True,
        ),
        Algorithm(
            "nash",
            "maximize the product (geometric mean) of selection probabilities",
            True,
            nash.solve,
        ),
        Algorithm(
            "goldilocks",
            "keep probabilities neither too high nor too low: (n/k) max + (k/n) / min",
            True,
            goldilocks.solve,
        ),
        Algorithm(
            "legacy", "greedy quota-filling draw (probabilities estimated)", False, legacy.solve
        ),
        Algorithm(
            "diversimax",
            "maximize the expected intersectional balance of the panel, everyone keeping at "
            "least (1 - fairness slack) x the maximin lowest probability",
            True,
            diversimax.solve,
            compared_by_default=False,  # MAXIMIN plus a MIP per pricing round: minutes
        ),
        Algorithm(
            "fair-maxentropy",
            "the most random lottery (maximum entropy) with LEXIMIN's probabilities",
            True,
            fair_maxentropy.solve,
            honours_factors=True,
            compared_by_default=False,
        ),
        Algorithm(
            "maxentropy",
            "every valid panel equally likely (exact counting; estimated by sampling if large)",
            False,
            maxentropy.solve,
            compared_by_default=False,
        ),
    )
}
ALGORITHM_NAMES = tuple(REGISTRY)
FACTOR_ALGORITHMS = tuple(name for name, a in REGISTRY.items() if a.honours_factors)
# what compare and sweep run when no algorithms are named (DIVERSIMAX and the entropy algorithms
# are slower or refuse large pools: name them with --algorithms)
DEFAULT_COMPARISON = tuple(name for name, a in REGISTRY.items() if a.compared_by_default)
DEFAULT_ALGORITHM = "leximin"


def get_algorithm(name: str) -> Algorithm:
    if name not in REGISTRY:
        raise UsageError(
            f"unknown algorithm '{name}'", hint=f"choose one of {', '.join(ALGORITHM_NAMES)}"
        )
    return REGISTRY[name]


def solve(
    name: str, instance: Instance, *, rng: np.random.Generator, options: SolveOptions | None = None
) -> Distribution:
    """Run the named algorithm on `instance`."""
    return get_algorithm(name).solve(instance, rng=rng, options=options or SolveOptions())
