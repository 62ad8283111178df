"""MAXIMIN and LEXIMIN on tight-quota pools (`sortition generate --quotas tight`, issue 14).

The tight class fixes the panel to the census almost exactly (every quota within floor/ceil of
k x share, gender and age band exact), with 7-8 categories, a pool correlated through a latent
engagement and, at 200 and 400, many volunteers sharing a household; see
sortition/research/generator_tight.py. Nothing asserts a time. Each case checks what must hold
whatever the speed: the marginals sum to k, every panel in the support meets every quota and
household rule, and nobody who fits on some panel gets a zero chance.

The 1,700 and 5,000 pools take long today and run only when asked (BENCH_TIGHT_LARGE=1; they
also carry the `huge` marker):

    pytest benchmarks/test_bench_tight.py --benchmark-only                 # 200 and 400
    BENCH_ROUNDS=3 pytest benchmarks/test_bench_tight.py --benchmark-only -k maximin
    BENCH_TIGHT_LARGE=1 pytest benchmarks/test_bench_tight.py --benchmark-only -k 1700
    pytest benchmarks/test_bench_tight.py --benchmark-only -k seed        # other draws

The issue's targets hold for the class, not for one draw: `test_tight_other_seeds` runs the
200 and 400 pools drawn again with seeds 2-5 (`benchmarks/peer.py --tight --seeds 2 3 4 5` is
the side-by-side table of the same pools), so that a change tuned on seed 1 shows what it does
to pools it was not tuned on.

The same pools, as files (for profiling or the peer table, benchmarks/peer.py --tight):

    sortition generate --profile households --pool-size 200 --panel-size 20 --features 7 \
        --quotas tight --household-share 0.8 --seed 1 --out tight_hh_200
    sortition generate --profile uk --pool-size 400 --panel-size 40 --features 7 \
        --quotas tight --household-share 0.3 --seed 1 --out tight_400
    sortition generate --profile chile --pool-size 1700 --panel-size 110 --features 7 \
        --quotas tight --household-share 0.1 --seed 1 --out tight_1700
    sortition generate --profile uk --pool-size 5000 --panel-size 150 --features 8 \
        --quotas tight --seed 1 --out tight_5000

(solve with --household-columns address where the pool has households.)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from conftest import bench_rounds
from test_bench_algorithms import check_marginals, check_panels

from sortition.distribution import Distribution
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.feasibility import check as feasibility_check
from sortition.research.generator import generate
from sortition.research.generator_profiles import GeneratorSpec

# name -> the generator's arguments (profile, pool size, panel size, seed, features, ...)
TIGHT = {
    "tight_hh_200": GeneratorSpec(
        "households", 200, 20, "1", 7, quotas="tight", household_share=0.8
    ),
    "tight_400": GeneratorSpec("uk", 400, 40, "1", 7, quotas="tight", household_share=0.3),
    "tight_1700": GeneratorSpec("chile", 1700, 110, "1", 7, quotas="tight", household_share=0.1),
    "tight_5000": GeneratorSpec("uk", 5000, 150, "1", 8, quotas="tight"),
}
LARGE = {"tight_1700", "tight_5000"}
# (algorithm, case) -> optimality gap; absent: exact
GAPS = {("leximin", "tight_5000"): 0.01}
RUN_LARGE = os.environ.get("BENCH_TIGHT_LARGE") == "1"
OTHER_SEEDS = ("2", "3", "4", "5")  # draws no tuning used (seed 1 is the suite's own)


@cache
def tight_instance(name: str, seed: str | None = None) -> Instance:
    """The instance of one tight case (generated once per process), drawn with `seed` instead of
    its own when given."""
    spec = TIGHT[name] if seed is None else replace(TIGHT[name], seed=seed)
    return generate(spec).instance


def check_tight(dist: Distribution, instance: Instance) -> None:
    """What must hold whatever the speed: valid panels, marginals summing to k, and nobody
    who fits on some panel (everyone, in these pools) left at a zero chance."""
    marginals = check_marginals(dist)
    check_panels(dist)
    assert marginals.min() > 0
    assert np.isclose(marginals.sum(), instance.panel_size)


def _marks(name: str) -> tuple[pytest.MarkDecorator, ...]:
    if name not in LARGE:
        return ()
    return (
        pytest.mark.huge,
        pytest.mark.skipif(not RUN_LARGE, reason="set BENCH_TIGHT_LARGE=1 to run"),
    )


@pytest.mark.parametrize(
    ("algorithm", "name"),
    [
        pytest.param(
            a,
            n,
            marks=_marks(n),
            id=f"{a}-{n}" + (f"-gap-{GAPS[(a, n)]:g}" if (a, n) in GAPS else ""),
        )
        for n in TIGHT
        for a in ("maximin", "leximin")
    ],
)
def test_tight(
    run_solver: Callable[..., Distribution],
    bench_options: Callable[..., SolveOptions],
    algorithm: str,
    name: str,
) -> None:
    instance = tight_instance(name)
    gap = GAPS.get((algorithm, name))
    options = bench_options(gap=gap) if gap is not None else bench_options()
    dist = run_solver(algorithm, instance, rounds=bench_rounds(1), options=options)
    check_tight(dist, instance)


@pytest.mark.parametrize(
    ("algorithm", "name", "seed"),
    [
        pytest.param(a, n, seed, id=f"{a}-{n}-seed-{seed}")
        for n in TIGHT
        if n not in LARGE
        for a in ("maximin", "leximin")
        for seed in OTHER_SEEDS
    ],
)
def test_tight_other_seeds(
    run_solver: Callable[..., Distribution],
    bench_options: Callable[..., SolveOptions],
    algorithm: str,
    name: str,
    seed: str,
) -> None:
    instance = tight_instance(name, seed)
    dist = run_solver(algorithm, instance, rounds=bench_rounds(1), options=bench_options())
    check_tight(dist, instance)


@pytest.mark.parametrize("name", [pytest.param(n, marks=_marks(n)) for n in TIGHT])
def test_tight_instances_are_what_they_claim(name: str) -> None:
    """Not a timing: each pool is feasible with a quarter or more of its quota rows exact."""
    generated = generate(TIGHT[name])
    rows = sum(len(f.values) for f in generated.features)
    assert not generated.widened
    assert generated.exact_rows >= rows / 4
    assert feasibility_check(generated.instance).feasible
