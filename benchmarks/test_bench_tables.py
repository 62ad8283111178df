"""Benchmarks of `sortition tables` (issue 19): the local search and the greedy baseline side by
side on the bundled 150-member panel, tables of 10, 6 rounds, 4 balanced columns.

    pytest benchmarks/test_bench_tables.py --benchmark-only --benchmark-json tables.json

Cases, one run each (BENCH_ROUNDS for more): the greedy baseline; the local search with its
default stopping rule (deterministic: the seed fixes the seating); the local search stopped at
30 s (the issue's time budget; the result then depends on the machine's speed); and the search
with the sample's keep-together and keep-apart rules. The figures (repeated pairs and their lower
bound, balance violations, worst table imbalance per column, steps, why the search stopped) go
to the benchmark's extra_info. Nothing is asserted about time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from sortition.tables import SeatingProblem, read_problem, seat
from sortition.tables.seating import SeatingResult

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "assembly-150"
COLUMNS = ["gender", "age_band", "comuna", "education"]
SEED = "2026"


def _problem(rules: bool) -> SeatingProblem:
    return read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=6,
        balance=COLUMNS,
        keep_together=SAMPLE / "keep-together.csv" if rules else None,
        keep_apart=SAMPLE / "keep-apart.csv" if rules else None,
    )


@pytest.mark.parametrize(
    ("method", "time_limit", "rules"),
    [
        ("greedy", None, False),
        ("search", None, False),
        ("search", 30.0, False),
        ("search", None, True),
    ],
    ids=["greedy", "search", "search-30s", "search-rules"],
)
def test_tables_150_members_6_rounds_4_columns(
    benchmark: Any, method: str, time_limit: float | None, rules: bool
) -> None:
    problem = _problem(rules)
    results: list[SeatingResult] = []

    def once() -> None:
        results.append(seat(problem, seed=SEED, method=method, time_limit=time_limit))

    rounds = int(os.environ.get("BENCH_ROUNDS", "1"))
    benchmark.pedantic(once, rounds=rounds, iterations=1, warmup_rounds=0)
    result = results[-1]
    quality = result.quality
    assert not quality.rule_violations
    benchmark.extra_info.update(
        {
            "method": method,
            "members": problem.n,
            "tables": problem.num_tables,
            "rounds": problem.rounds,
            "balance_violation": quality.balance_violation,
            "repeated_pairs": quality.repeated_pairs,
            "repeat_lower_bound": quality.repeat_lower_bound,
            "pairs_met_twice": quality.pairs_met_twice,
            "most_meetings": quality.most_meetings,
            **{f"worst_{name}": value for name, value in quality.worst_balance.items()},
            "steps": result.steps,
            "stopped": result.stopped,
            "seconds": result.seconds,
        }
    )
