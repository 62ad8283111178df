"""Side-by-side comparison of selection algorithms on one instance: fairness, runtime, a plot.

Why: choosing an algorithm (or showing an organizer why LEGACY is unfair) needs the same
instance solved by each, with the same fairness figures and a picture. `compare` runs every named
algorithm through `get_algorithm(name).solve`, each with a fresh copy of the algorithm stream of
`streams_from_seed(seed)` (the stream `sortition select` uses, so LEGACY's estimate matches a
`select --seed S --legacy-draws N`), and times each solve with `time.perf_counter`.

An algorithm that fails is never replaced by another: its row says "failed: <message>" and the
others still run. Non-exact algorithms (LEGACY) estimate probabilities from N seeded draws; their
minimum comes with a 99% Wilson score interval for the lowest-estimated registrant, computed as if
that registrant's estimate were a binomial proportion over N draws. Registrants with identical
features share one group estimate, whose variance is at most that of a single registrant's
count, so the interval is conservative for them; its upper end bounds the true minimum from above.

Modules: this one loads the instance and runs the algorithms (`compare`); `compare_tables` turns
a `Comparison` into its tables and on-screen text, `compare_files` into the plot and the files
it writes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist

import numpy as np

from sortition.algorithms import FACTOR_ALGORITHMS, get_algorithm
from sortition.distribution import Distribution, FairnessSummary
from sortition.errors import EXIT_BAD_INPUT, SortitionError, UsageError
from sortition.inputs.build import LoadedInstance
from sortition.inputs.population import read_population
from sortition.inputs.privacy import Pseudonyms, load_pseudonymized
from sortition.options import SolveOptions
from sortition.process.inputs import factor_refusal
from sortition.process.self_selection import Correction, correction
from sortition.randomness import check_seed, streams_from_seed
from sortition.text import one_line, quoted

DEFAULT_SEED = "0"
CONFIDENCE = 0.99


@dataclass(frozen=True)
class CompareRequest:
    """Which instance to load, which algorithms to run and how."""

    pool_path: str
    quota_path: str
    panel_size: int
    algorithms: tuple[str, ...]
    seed: str = DEFAULT_SEED
    id_column: str = "id"
    household_columns: tuple[str, ...] = ()
    options: SolveOptions = field(default_factory=SolveOptions)
    personal_columns: tuple[str, ...] = ()  # marked personal: an id column among them is hidden
    population_path: str | None = None  # population per quota value: correct self-selection


@dataclass(frozen=True, eq=False)
class AlgorithmRun:
    """One algorithm's outcome: its distribution, or the failure message and exit code."""

    algorithm: str
    runtime: float
    distribution: Distribution | None = None
    error: str | None = None
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return self.distribution is not None

    @property
    def marginals(self) -> np.ndarray:
        if self.distribution is None:
            raise ValueError(f"{self.algorithm} failed: {self.error}")
        return self.distribution.marginals()

    @property
    def fairness(self) -> FairnessSummary:
        if self.distribution is None:
            raise ValueError(f"{self.algorithm} failed: {self.error}")
        return self.distribution.fairness()

    @property
    def draws(self) -> int | None:
        """Sampled draws behind the probabilities, None when they are exact."""
        if self.distribution is None or self.distribution.exact:
            return None
        return int(self.distribution.details.get("draws", 0)) or None  # type: ignore[call-overload]

    @property
    def result(self) -> str:
        if self.distribution is None:
            return f"failed: {self.error}"
        draws = self.draws
        return self.distribution.label if draws is None else f"estimate from {draws} draws"

    def min_interval(self) -> tuple[float, float] | None:
        """99% interval for the lowest-estimated registrant's probability (estimates only)."""
        draws = self.draws
        if draws is None:
            return None
        return wilson_interval(float(self.marginals.min()), draws, CONFIDENCE)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The loaded instance and one run per requested algorithm, in the requested order."""

    loaded: LoadedInstance
    runs: tuple[AlgorithmRun, ...]
    seed: str
    options: SolveOptions
    pseudonyms: Pseudonyms | None = (
        None  # when the id column is personal (sortition.inputs.privacy)
    )
    correction: Correction | None = None  # self-selection corrected (population table)

    @property
    def succeeded(self) -> tuple[AlgorithmRun, ...]:
        return tuple(run for run in self.runs if run.ok)

    @property
    def fair_share(self) -> float:
        instance = self.loaded.instance
        return instance.panel_size / instance.size


def wilson_interval(
    estimate: float, trials: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion `estimate` observed over `trials`."""
    if trials < 1:
        raise ValueError("trials must be at least 1")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = min(max(estimate, 0.0), 1.0)
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    return (max(0.0, centre - half), min(1.0, centre + half))


def parse_algorithms(text: str) -> tuple[str, ...]:
    """'legacy, maximin,leximin' -> names, each checked against the registry; no repeats."""
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    if not names:
        raise UsageError("no algorithm given", hint="pass --algorithms legacy,maximin,leximin")
    for name in names:
        get_algorithm(name)  # raises UsageError listing the registered names
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(
            f"algorithm {quoted(repeated[0])} is named twice", hint="name each algorithm once"
        )
    return names


def run_algorithm(
    name: str, loaded: LoadedInstance, seed: str, options: SolveOptions
) -> AlgorithmRun:
    """Solve with one algorithm; a failure becomes a failed run, never another algorithm."""
    solve = get_algorithm(name).solve
    rng = streams_from_seed(seed).algorithm
    start = time.perf_counter()
    try:
        distribution = solve(loaded.instance, rng=rng, options=options)
    except SortitionError as error:
        return AlgorithmRun(
            name, time.perf_counter() - start, error=one_line(str(error)), exit_code=error.exit_code
        )
    except Exception as error:  # a bug in one algorithm must not stop the comparison
        message = one_line(f"{type(error).__name__}: {error}")
        return AlgorithmRun(name, time.perf_counter() - start, error=message, exit_code=1)
    return AlgorithmRun(name, time.perf_counter() - start, distribution=distribution)


def compare(
    request: CompareRequest, *, progress: Callable[[str], None] | None = None
) -> Comparison:
    """Load the instance and run every requested algorithm on it, in order."""
    check_seed(request.seed)
    algorithms = parse_algorithms(",".join(request.algorithms))
    loaded, pseudonyms = load_pseudonymized(
        request.pool_path,
        request.quota_path,
        panel_size=request.panel_size,
        id_column=request.id_column,
        household_columns=request.household_columns,
        personal_columns=request.personal_columns,
    )
    corrected = None
    if request.population_path is not None:
        corrected = correction(
            loaded.instance, read_population(request.population_path, loaded.instance)
        )
        loaded = replace(loaded, instance=loaded.instance.with_factors(corrected.factors))
    runs = []
    for name in algorithms:
        if progress is not None:
            progress(f"compare: running {name} ...")
        if corrected is not None and name not in FACTOR_ALGORITHMS:
            refusal = factor_refusal(name, corrected=True)
            runs.append(AlgorithmRun(name, 0.0, error=refusal.message, exit_code=refusal.exit_code))
            continue
        run = run_algorithm(name, loaded, request.seed, request.options)
        if progress is not None:
            progress(f"compare: {name} {run.result} in {run.runtime:.2f} s")
        runs.append(run)
    return Comparison(loaded, tuple(runs), request.seed, request.options, pseudonyms, corrected)


def compare_inputs(request: CompareRequest) -> dict[str, str | None]:
    """The input files of a comparison, by role: no output may replace them."""
    return {
        "pool": request.pool_path,
        "quota table": request.quota_path,
        "population table": request.population_path,
    }


def failure_exit_code(runs: Sequence[AlgorithmRun]) -> int:
    """0 if any algorithm succeeded, else the first failure's exit code (1 if it had none)."""
    if any(run.ok for run in runs) or not runs:
        return 0
    return runs[0].exit_code or EXIT_BAD_INPUT
