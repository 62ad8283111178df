"""How far a large pool's loose interior-point level lags the level its columns can reach.

Not a test: a probe (a few minutes) behind the "realization tail" figures in RESULTS.md. It runs
LEXIMIN with `--gap 0.01` on a tight case (or `gen5000`, the generated uk 5,000 pool) and, for
every batch round from `--from-level` on, prints the loose solve's level; every `--every` rounds
it also solves a copy of the master LP by interior point at `--tolerance` (the rounds never see
it, so their path is that of a plain run) and prints the level the copy's probabilities reach:

    python benchmarks/realize_tail_probe.py tight_5000 --every 5
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sortition.algorithms.batch_rounds as batch_rounds
from sortition.algorithms import solve
from sortition.algorithms.acceptance import solve_copy
from sortition.algorithms.master import MasterLP
from sortition.instance import Instance
from sortition.options import SolveOptions


def exact_copy(master: MasterLP, tolerance: float) -> tuple[float, float]:
    """(level reached, seconds) of a copy of the master LP solved at `tolerance`."""
    start = time.perf_counter()
    values = solve_copy(master.h.getLp(), tolerance)
    seconds = time.perf_counter() - start
    if values is None:
        return float("nan"), seconds
    q = np.maximum(values, 0.0)
    return master.level_of(q / q.sum()), seconds


def instance_of(name: str) -> Instance:
    if name.startswith("gen"):
        from test_bench_generated import generated_instance

        return generated_instance(int(name[3:]))
    from test_bench_tight import tight_instance

    return tight_instance(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", help="tight_5000, tight_1700, ... or gen5000")
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--from-level", type=float, default=0.975)
    parser.add_argument("--tolerance", type=float, default=1e-5)
    args = parser.parse_args()
    instance = instance_of(args.case)
    start = time.perf_counter()
    rounds = [0]
    price: Callable[[Any], Any] = batch_rounds.BatchRounds.price

    def traced(self: batch_rounds.BatchRounds) -> Any:
        rounds[0] += 1
        master = self.master
        if self.level >= args.from_level:
            line = f"{time.perf_counter() - start:7.1f} s round {rounds[0]} "
            line += f"panels {len(master.compositions)} loose level {self.level:.5f}"
            if rounds[0] % args.every == 0:
                level, seconds = exact_copy(master, args.tolerance)
                line += f" | copy at {args.tolerance:g}: {level:.5f} ({seconds:.2f} s)"
            print(line, flush=True)
        return price(self)

    setattr(batch_rounds.BatchRounds, "price", traced)  # noqa: B010
    distribution = solve(
        "leximin", instance, rng=np.random.default_rng(0), options=SolveOptions(gap=0.01)
    )
    print(f"done in {time.perf_counter() - start:.1f} s, {distribution.num_panels} panels")


if __name__ == "__main__":
    main()
