"""Shared fixtures for the algorithm benchmarks (pytest-benchmark).

Run from the repository root; the repo's pytest configuration collects only `tests/`, so name the
folder explicitly:

    pytest benchmarks --benchmark-only
    pytest benchmarks --benchmark-only -k "not 1700"     # skip the ~1,700-person case

Environment:
    BENCH_TIME_LIMIT  seconds; when set, every solve gets SolveOptions(time_limit=...), so a case
                      that runs away fails with TimeLimitReached instead of running for hours.
    BENCH_ROUNDS      rounds for the cases that run once by default (the generated pools), e.g.
                      3 for a median of three runs.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sortition.algorithms import solve
from sortition.distribution import Distribution
from sortition.inputs.build import load_instance
from sortition.instance import Instance
from sortition.options import SolveOptions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


def pytest_configure(config: pytest.Config) -> None:
    # The repo runs with --strict-markers; register the markers used here without touching
    # pyproject.toml.
    config.addinivalue_line(
        "markers", "huge: a benchmark that may take over an hour (the ~1,700-person pool)"
    )
    config.addinivalue_line(
        "markers", "published: has a published Gurobi reference figure for comparison"
    )


def _load_sample(name: str, household_columns: Sequence[str] = ()) -> Instance:
    """One of data/samples/<name>: pool.csv, quotas.csv and panel_size.txt."""
    folder = SAMPLES / name
    panel_size = int((folder / "panel_size.txt").read_text().strip())
    loaded = load_instance(
        folder / "pool.csv",
        folder / "quotas.csv",
        panel_size=panel_size,
        household_columns=list(household_columns),
    )
    return loaded.instance


def _bench_options(**overrides: object) -> SolveOptions:
    limit = os.environ.get("BENCH_TIME_LIMIT")
    if limit:
        overrides.setdefault("time_limit", float(limit))
    return SolveOptions(**overrides)  # type: ignore[arg-type]


def bench_rounds(default: int) -> int:
    """Rounds for a case: BENCH_ROUNDS if set, else `default`."""
    return int(os.environ.get("BENCH_ROUNDS", default))


@pytest.fixture
def load_sample() -> Callable[..., Instance]:
    """`load_sample(name, household_columns=())` reads data/samples/<name> into an Instance."""
    return _load_sample


@pytest.fixture
def bench_options() -> Callable[..., SolveOptions]:
    """`bench_options(**overrides)`: SolveOptions with BENCH_TIME_LIMIT applied."""
    return _bench_options


@pytest.fixture
def run_solver(benchmark: Any) -> Callable[..., Distribution]:
    """Benchmark `solve(name, instance)` for `rounds` rounds and return the last distribution.

    Each round uses a fresh rng seeded with 0, so every round does the same work. The solver's
    own details (stages, panel solves, number of panels), the fairness summary and the median
    process CPU time (robust when other jobs share the machine) are attached to the benchmark's
    extra_info, which ends up in --benchmark-json output.
    """

    def run(
        name: str, instance: Instance, *, rounds: int, options: SolveOptions | None = None
    ) -> Distribution:
        options = options or _bench_options()
        result: list[Distribution] = []
        cpu: list[float] = []

        def once() -> Distribution:
            start = time.process_time()
            dist = solve(name, instance, rng=np.random.default_rng(0), options=options)
            cpu.append(time.process_time() - start)
            result.append(dist)
            return dist

        benchmark.pedantic(once, rounds=rounds, iterations=1, warmup_rounds=0)
        dist = result[-1]
        fairness = dist.fairness()
        benchmark.extra_info.update(
            {
                "algorithm": name,
                "n": len(instance.ids),
                "k": instance.panel_size,
                "groups": len(instance.groups),
                "panels": dist.num_panels,
                "min_probability": fairness.minimum,
                "max_probability": fairness.maximum,
                "gini": fairness.gini,
                "cpu_seconds_median": statistics.median(cpu),
                **{
                    key: value
                    for key, value in dist.details.items()
                    if isinstance(value, int | float | str)
                },
            }
        )
        return dist

    return run
