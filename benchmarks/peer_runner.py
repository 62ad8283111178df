"""Run the Sortition Foundation's `sortition-algorithms` on a CSV pool + CSV quotas; time it.

This file runs ONLY under the peer's own virtualenv (see benchmarks/peer.py --setup); it imports
the peer package and the standard library, never `sortition`. It is a small driver of the peer's
public API, not a copy of its code:

    /tmp/peer-venv/bin/python benchmarks/peer_runner.py --pool P.csv --quotas Q.csv --k 20 \
        [--address-column address] [--algorithm maximin] [--repeats 3] --out result.jsonl

Each repeat appends one JSON line to --out (flushed at once, so a caller that kills a slow run
still has the finished repeats):
    {"repeat": r, "load_seconds": ..., "solve_seconds": ..., "load_cpu_seconds": ...,
     "solve_cpu_seconds": ..., "min_probability": ...,
     "max_probability": ..., "committees": ..., "n": ...}
or a single {"error": "...", "unavailable": true|false} line.

Timing is wall clock (time.perf_counter; process CPU time beside it) inside this process, so
interpreter start-up and the peer's import are excluded. load_seconds covers the peer's own CSV
reading and validation (SelectionData.load_features / load_people); solve_seconds covers
find_distribution_maximin, which builds the peer's panel ILP (a binary variable per person), checks
feasibility, generates the initial committees and runs column generation with the default solver
backend.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any


def _marginals(
    people_ids: list[str], committees: list[frozenset[str]], probabilities: list[float]
) -> dict[str, float]:
    marginal = dict.fromkeys(people_ids, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for person in committee:
            marginal[person] += probability
    return marginal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--quotas", type=Path, required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--address-column", action="append", default=[])
    parser.add_argument("--algorithm", choices=("maximin", "leximin"), default="maximin")
    parser.add_argument("--backend", default=None, help="peer solver backend (default: its own)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    logging.disable(logging.INFO)  # the peer logs progress at INFO; keep the output quiet

    from sortition_algorithms import CSVFileDataSource, SelectionData, Settings  # type: ignore[import-not-found]
    from sortition_algorithms.committee_generation import (  # type: ignore[import-not-found]
        GUROBI_AVAILABLE,
        find_distribution_leximin,
        find_distribution_maximin,
        standardize_distribution,
    )
    from sortition_algorithms.settings import DEFAULT_BACKEND  # type: ignore[import-not-found]
    from sortition_algorithms.utils import set_random_provider  # type: ignore[import-not-found]

    backend = args.backend or DEFAULT_BACKEND
    out = args.out.open("a", encoding="utf-8")

    def emit(record: dict[str, Any]) -> None:
        out.write(json.dumps(record) + "\n")
        out.flush()

    if args.algorithm == "leximin" and not GUROBI_AVAILABLE:
        emit(
            {
                "error": "the peer's leximin needs Gurobi (gurobipy), which is not installed",
                "unavailable": True,
            }
        )
        return 0

    settings = Settings(
        id_column=args.id_column,
        columns_to_keep=[],
        check_same_address=bool(args.address_column),
        check_same_address_columns=list(args.address_column),
        selection_algorithm=args.algorithm,
        solver_backend=backend,
    )
    find = find_distribution_maximin if args.algorithm == "maximin" else find_distribution_leximin
    scratch = args.out.parent
    for repeat in range(args.repeats):
        set_random_provider(args.seed + repeat)  # the initial-committee phase is randomized
        start = time.perf_counter()
        cpu_start = time.process_time()
        source = CSVFileDataSource(
            features_file=args.quotas,
            people_file=args.pool,
            already_selected_file=None,
            selected_file=scratch / "peer_selected.csv",
            remaining_file=scratch / "peer_remaining.csv",
        )
        data = SelectionData(source)
        features, _ = data.load_features(number_to_select=args.k)
        people, _ = data.load_people(settings, features)
        loaded = time.perf_counter()
        cpu_loaded = time.process_time()
        try:
            committees, probabilities, _ = find(
                features, people, args.k, settings.normalised_address_columns, backend
            )
        except Exception as exc:
            emit({"error": f"{type(exc).__name__}: {exc}", "unavailable": False})
            return 1
        solved = time.perf_counter()
        cpu_solved = time.process_time()
        committees, probabilities = standardize_distribution(committees, probabilities)
        marginal = _marginals(list(people), committees, probabilities)
        emit(
            {
                "repeat": repeat,
                "load_seconds": loaded - start,
                "solve_seconds": solved - loaded,
                "load_cpu_seconds": cpu_loaded - cpu_start,
                "solve_cpu_seconds": cpu_solved - cpu_loaded,
                "min_probability": min(marginal.values()),
                "max_probability": max(marginal.values()),
                "committees": len(committees),
                "n": people.count,
                "backend": backend,
            }
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
