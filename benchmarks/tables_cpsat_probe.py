"""Probe: can Google OR-Tools CP-SAT seat the 150-member sample with balance and no repeats?

A measurement script for issue 19, not part of the library (OR-Tools is not a dependency; install
it with `pip install ortools` to run this). It reproduces the CP-SAT figures of the RESULTS.md
section "Seating at tables with CP-SAT (issue 19)":

    python benchmarks/tables_cpsat_probe.py hard --workers 1 --det 30
    python benchmarks/tables_cpsat_probe.py soft-repeats --workers 8 --det 5
    python benchmarks/tables_cpsat_probe.py soft-balance --workers 8 --det 10
    python benchmarks/tables_cpsat_probe.py lns --tables 6 --det 1 --seconds 60
    python benchmarks/tables_cpsat_probe.py design --det 30 --balance gender
    python benchmarks/tables_cpsat_probe.py count

Variants (all on the bundled panel, tables of 10, --rounds rounds, --balance columns):

- hard: round after round, one CP-SAT model with x[i, t] booleans, one table per member, table
  sizes, every balanced value's count within floor/ceiling at every table, and at most one
  member of every earlier table at each table (so no pair meets twice); symmetry broken by
  letting the k-th member (members of the first earlier table first) sit only at tables <= k.
  Stops at the first round without a seating within the deterministic time limit.
- soft-repeats: as hard, but each earlier table's members at one table beyond the first are
  counted and minimized instead of forbidden (balance stays a constraint).
- soft-balance: as hard, but the distance outside floor/ceiling is minimized instead.
- lns: from the local search's seating (`sortition.tables.seat`, --search-seconds), repeatedly
  re-seat --tables tables of one random round exactly (balance a constraint, the meetings that
  repeat one of another round minimized), keeping the result when it has fewer.
- design: a seating with no pair meeting twice by construction (member at point (i, j) of a
  10 x 15 grid sits at table j - f_r(i) mod 15 in round r, f a 6 x 10 array over Z_15 whose
  rows have pairwise distinct differences, found by CP-SAT), then a CP-SAT model giving each
  point a member profile so that every table is balanced.

- count (no CP-SAT): a first-moment estimate. The share p of 10-member tables drawn at random
  that are balanced (Monte Carlo), the number S of seatings of one round, and, treating tables
  and pairs as independent, the expected number of balanced rounds in which nobody meets an
  earlier table mate given r - 1 earlier rounds (log10 S + T log10 p + P log10(1 - m), P the
  pairs seated per round, m = 9(r - 1)/149 the share of others a member has met), and of
  balanced seatings of all rounds with no pair meeting twice.

--workers 1 runs one CP-SAT worker; more runs that many interleaved on one thread
(`interleave_search`), which stays deterministic. Every limit is CP-SAT's deterministic time
(`max_deterministic_time`); wall-clock seconds are printed beside it.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

try:
    from ortools.sat.python import cp_model  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - the probe only
    sys.exit("this probe needs OR-Tools: pip install ortools")

from sortition.tables import SeatingProblem, evaluate, read_problem, seat
from sortition.tables.metrics import meetings
from sortition.tables.model import share_bounds

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "assembly-150"
COLUMNS = "gender,age_band,comuna,education"


def _solver(det: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = det
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    if workers > 1:
        solver.parameters.interleave_search = True
    return solver


def _round_model(
    problem: SeatingProblem, earlier: list[list[int]], variant: str
) -> tuple[cp_model.CpModel, list[list[cp_model.IntVar]]]:
    n, tables = problem.n, problem.num_tables
    model = cp_model.CpModel()
    x = [[model.NewBoolVar(f"x{i}_{t}") for t in range(tables)] for i in range(n)]
    for i in range(n):
        model.AddExactlyOne(x[i])
    for t in range(tables):
        model.Add(sum(x[i][t] for i in range(n)) == int(problem.sizes[t]))
    penalty = []
    for column in problem.balance:
        low, high = share_bounds(column, problem.sizes, n)
        for v in range(len(column.values)):
            holders = np.flatnonzero(column.codes == v).tolist()
            for t in range(tables):
                count = sum(x[i][t] for i in holders)
                lo, hi = int(low[t, v]), int(high[t, v])
                if variant == "soft-balance":
                    under = model.NewIntVar(0, lo, "")
                    over = model.NewIntVar(0, int(problem.sizes[t]), "")
                    model.Add(count + under >= lo)
                    model.Add(count - over <= hi)
                    penalty += [under, over]
                else:
                    model.AddLinearConstraint(count, lo, hi)
    for group in earlier:
        for t in range(tables):
            if variant == "soft-repeats":
                extra = model.NewIntVar(0, len(group), "")
                model.Add(sum(x[i][t] for i in group) - 1 <= extra)
                penalty.append(extra)
            else:
                model.AddAtMostOne([x[i][t] for i in group])
    first = list(earlier[0]) if earlier else []
    order = first + [i for i in range(n) if i not in set(first)]
    for k, i in enumerate(order):
        for t in range(k + 1, tables):
            model.Add(x[i][t] == 0)
    if penalty:
        model.Minimize(sum(penalty))
    return model, x


def round_by_round(problem: SeatingProblem, variant: str, det: float, workers: int) -> None:
    n, tables = problem.n, problem.num_tables
    seating = np.zeros((problem.rounds, n), dtype=np.int64)
    earlier: list[list[int]] = []
    start = time.monotonic()
    for r in range(problem.rounds):
        model, x = _round_model(problem, earlier, variant)
        solver = _solver(det, workers, seed=1)
        status = solver.Solve(model)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        cost = solver.ObjectiveValue() if found and variant != "hard" else ""
        print(
            f"round {r + 1}: {solver.StatusName(status)} {cost} "
            f"{solver.wall_time:.1f} s (deterministic {solver.deterministic_time:.1f})",
            flush=True,
        )
        if not found:
            return
        for i in range(n):
            seating[r, i] = next(t for t in range(tables) if solver.Value(x[i][t]))
        earlier += [np.flatnonzero(seating[r] == t).tolist() for t in range(tables)]
    _report(problem, seating, time.monotonic() - start)


def lns(problem: SeatingProblem, k: int, det: float, seconds: float, search: float) -> None:
    start = time.monotonic()
    seating = seat(problem, seed="2026", time_limit=search).seating.copy()
    print(f"local search ({search:.0f} s): {evaluate(problem, seating).objective}")
    rng = np.random.default_rng(0)
    tries = kept = 0
    lns_start = time.monotonic()
    while time.monotonic() - lns_start < seconds:
        tries += 1
        r = int(rng.integers(problem.rounds))
        row = seating[r]
        other = meetings(problem, seating) - (row[:, None] == row[None, :])
        np.fill_diagonal(other, 0)
        chosen = sorted(rng.choice(problem.num_tables, size=k, replace=False).tolist())
        free = np.flatnonzero(np.isin(row, chosen)).tolist()
        model = cp_model.CpModel()
        x = {(i, t): model.NewBoolVar("") for i in free for t in chosen}
        for i in free:
            model.AddExactlyOne([x[i, t] for t in chosen])
            model.AddHint(x[i, int(row[i])], 1)
        for t in chosen:
            model.Add(sum(x[i, t] for i in free) == int(problem.sizes[t]))
        for column in problem.balance:
            low, high = share_bounds(column, problem.sizes, problem.n)
            for v in range(len(column.values)):
                holders = [i for i in free if column.codes[i] == v]
                for t in chosen:
                    count = sum(x[i, t] for i in holders)
                    model.AddLinearConstraint(count, int(low[t, v]), int(high[t, v]))
        terms, before = [], 0
        for a, i in enumerate(free):
            for j in free[a + 1 :]:
                weight = int(other[i, j])
                if weight <= 0:
                    continue
                before += weight * int(row[i] == row[j])
                together = model.NewBoolVar("")
                for t in chosen:
                    model.AddBoolOr([x[i, t].Not(), x[j, t].Not(), together])
                terms.append(weight * together)
        model.Minimize(sum(terms))
        solver = _solver(det, 1, seed=tries)
        status = solver.Solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.ObjectiveValue() < before:
            kept += 1
            for i in free:
                seating[r, i] = next(t for t in chosen if solver.Value(x[i, t]))
    print(f"{tries} neighbourhoods of {k} tables, {kept} improved")
    _report(problem, seating, time.monotonic() - start)


def difference_array(rounds: int, size: int, tables: int, det: float) -> list[list[int]]:
    """rounds x size over Z_tables, first row 0, rows with pairwise distinct differences."""
    model = cp_model.CpModel()
    f = [[model.NewIntVar(0, tables - 1, "") for _ in range(size)] for _ in range(rounds)]
    for i in range(size):
        model.Add(f[0][i] == 0)
    for a in range(rounds):
        for b in range(a + 1, rounds):
            differences = []
            for i in range(size):
                d = model.NewIntVar(0, tables - 1, "")
                wrap = model.NewIntVar(-1, 0, "")
                model.Add(d == f[a][i] - f[b][i] - tables * wrap)
                differences.append(d)
            model.AddAllDifferent(differences)
    solver = _solver(det, 1, seed=0)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sys.exit(f"no difference array found: {solver.StatusName(status)}")
    print(
        f"difference array: {solver.wall_time:.1f} s "
        f"(deterministic {solver.deterministic_time:.2f})"
    )
    return [[solver.Value(v) for v in row] for row in f]


def design(problem: SeatingProblem, det: float, workers: int) -> None:
    size, tables, n = problem.table_size, problem.num_tables, problem.n
    if size * tables != n or size > tables:
        sys.exit("the design needs n = size x tables and size <= tables")
    start = time.monotonic()
    f = difference_array(problem.rounds, size, tables, det)
    table_of_point = np.array(
        [
            [(j - f[r][i]) % tables for i in range(size) for j in range(tables)]
            for r in range(problem.rounds)
        ]
    )
    profiles = np.stack([c.codes for c in problem.balance], axis=1)
    keys, of_member, counts = np.unique(profiles, axis=0, return_inverse=True, return_counts=True)
    model = cp_model.CpModel()
    y = [[model.NewBoolVar("") for _ in range(len(keys))] for _ in range(n)]
    for point in range(n):
        model.AddExactlyOne(y[point])
    for q in range(len(keys)):
        model.Add(sum(y[point][q] for point in range(n)) == int(counts[q]))
    for c, column in enumerate(problem.balance):
        low, high = share_bounds(column, problem.sizes, n)
        for v in range(len(column.values)):
            having = np.flatnonzero(keys[:, c] == v).tolist()
            holds = [model.NewBoolVar("") for _ in range(n)]
            for point in range(n):
                model.Add(holds[point] == sum(y[point][q] for q in having))
            for r in range(problem.rounds):
                for t in range(tables):
                    block = np.flatnonzero(table_of_point[r] == t).tolist()
                    model.AddLinearConstraint(
                        sum(holds[b] for b in block), int(low[t, v]), int(high[t, v])
                    )
    solver = _solver(det, workers, seed=1)
    status = solver.Solve(model)
    print(
        f"profile assignment: {solver.StatusName(status)} {solver.wall_time:.1f} s "
        f"(deterministic {solver.deterministic_time:.1f}), {len(keys)} profiles"
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    profile_of_point = np.array(
        [next(q for q in range(len(keys)) if solver.Value(y[p][q])) for p in range(n)]
    )
    point_of_member = np.empty(n, dtype=np.int64)
    for q in range(len(keys)):
        point_of_member[np.flatnonzero(of_member.ravel() == q)] = np.flatnonzero(
            profile_of_point == q
        )
    _report(problem, table_of_point[:, point_of_member], time.monotonic() - start)


def first_moment(problem: SeatingProblem, draws: int = 200_000) -> None:
    n, tables, rounds = problem.n, problem.num_tables, problem.rounds
    size = problem.table_size
    if size * tables != n:
        sys.exit("the estimate assumes equal tables")
    rng = np.random.default_rng(0)
    sample = np.argsort(rng.random((draws, n)), axis=1)[:, :size]
    balanced = np.ones(draws, dtype=bool)
    for column in problem.balance:
        low, high = share_bounds(column, problem.sizes, n)
        codes = column.codes[sample]
        for v in range(len(column.values)):
            k = (codes == v).sum(axis=1)
            balanced &= (k >= low[0, v]) & (k <= high[0, v])
        print(f"share of random tables balanced up to {column.name}: {balanced.mean():.5f}")
    log_p = math.log10(balanced.mean())
    log_s = (math.lgamma(n + 1) - tables * math.lgamma(size + 1) - math.lgamma(tables + 1)) / (
        math.log(10)
    )
    pairs = tables * size * (size - 1) // 2
    print(f"log10 seatings of one round: {log_s:.1f}; balanced: {log_s + tables * log_p:.1f}")
    for r in range(2, rounds + 1):
        met = (size - 1) * (r - 1) / (n - 1)
        expected = log_s + tables * log_p + pairs * math.log10(1 - met)
        print(f"round {r}: log10 expected balanced rounds meeting only new faces {expected:.1f}")
    q = (size - 1) / (n - 1)
    at_most_once = (1 - q) ** rounds + rounds * q * (1 - q) ** (rounds - 1)
    joint = rounds * (log_s + tables * log_p) + n * (n - 1) // 2 * math.log10(at_most_once)
    print(f"all {rounds} rounds: log10 expected balanced seatings without repeats {joint:.1f}")


def _report(problem: SeatingProblem, seating: np.ndarray, seconds: float) -> None:
    quality = evaluate(problem, seating)
    assert not quality.rule_violations
    print(
        f"seating: {quality.balance_violation} outside floor/ceiling, "
        f"{quality.repeated_pairs} repeated pairs, {seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "variant", choices=["hard", "soft-repeats", "soft-balance", "lns", "design", "count"]
    )
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--balance", default=COLUMNS)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--det", type=float, default=30.0, help="deterministic limit per solve")
    parser.add_argument("--tables", type=int, default=6, help="lns: tables re-seated at once")
    parser.add_argument("--seconds", type=float, default=60.0, help="lns: wall time of the LNS")
    parser.add_argument("--search-seconds", type=float, default=30.0, help="lns: start search")
    args = parser.parse_args()
    problem = read_problem(
        SAMPLE / "panel.csv", table_size=10, rounds=args.rounds, balance=args.balance.split(",")
    )
    if args.variant == "count":
        first_moment(problem)
    elif args.variant == "lns":
        lns(problem, args.tables, args.det, args.seconds, args.search_seconds)
    elif args.variant == "design":
        design(problem, args.det, args.workers)
    else:
        round_by_round(problem, args.variant, args.det, args.workers)


if __name__ == "__main__":
    main()
