"""Run the Sortition Foundation's DIVERSIMAX (single panel) on a CSV pool + CSV quotas; time it
and evaluate its objective, with its own code, on its panel and on a panel we give it.

This file runs ONLY under the peer's own virtualenv (with its `diversimax` extra: pandas and
scikit-learn); it imports the peer package and the standard library, never `sortition`:

    /work/peervenv/bin/python benchmarks/peer_diversimax_runner.py --pool P.csv --quotas Q.csv \
        --k 20 [--address-column address] --other ours.txt --out result.json

solve_seconds is wall clock around `find_distribution_diversimax` (its MIP: a binary variable per
person, 10% gap, --max-seconds limit, default 30). The objective is evaluated by the peer's own
`DiversityOptimizer` data (`all_ohe`: one-hot intersection matrices): sum over every kept
intersection matrix and column of |members - k / columns|, for its panel and for the ids in
--other (one per line). With at most 50 qualifying feature subsets the peer keeps them all, so the
evaluation uses the same subsets as its solve; `subsets` says how many were kept.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--quotas", type=Path, required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--address-column", action="append", default=[])
    parser.add_argument("--other", type=Path, required=True)
    parser.add_argument("--max-seconds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    logging.disable(logging.INFO)

    from sortition_algorithms import CSVFileDataSource, SelectionData, Settings  # type: ignore[import-not-found]
    from sortition_algorithms.committee_generation.diversimax import (  # type: ignore[import-not-found]
        DiversityOptimizer,
        find_distribution_diversimax,
    )
    from sortition_algorithms.settings import DEFAULT_BACKEND  # type: ignore[import-not-found]
    from sortition_algorithms.utils import set_random_provider  # type: ignore[import-not-found]

    settings = Settings(
        id_column=args.id_column,
        columns_to_keep=[],
        check_same_address=bool(args.address_column),
        check_same_address_columns=list(args.address_column),
        selection_algorithm="diversimax",
        solver_backend=DEFAULT_BACKEND,
    )
    scratch = args.out.parent
    set_random_provider(args.seed)
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
    address = settings.normalised_address_columns
    start = time.perf_counter()
    selected, _report = find_distribution_diversimax(
        features, people, args.k, address, max_seconds=args.max_seconds
    )
    seconds = time.perf_counter() - start

    optimizer = DiversityOptimizer(people, features, args.k, address)
    index = {str(person): i for i, person in enumerate(optimizer.pool_members_df.index)}

    def objective(ids: set[str]) -> float:
        chosen = [0.0] * len(index)
        for person in ids:
            chosen[index[person]] = 1.0
        total = 0.0
        for ohe in optimizer.all_ohe:
            columns = ohe.shape[1]
            for column in range(columns):
                members = sum(chosen[row] * ohe[row, column] for row in range(len(chosen)))
                total += abs(members - args.k / columns)
        return total

    other = {line.strip() for line in args.other.read_text().splitlines() if line.strip()}
    record = {
        "solve_seconds": seconds,
        "panel_size": len(selected),
        "objective": objective({str(p) for p in selected}),
        "other_objective": objective(other),
        "subsets": len(optimizer.all_ohe),
        "selected": sorted(str(p) for p in selected),
    }
    args.out.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
