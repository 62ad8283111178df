"""An exact integer program for small seating problems: the reference for the local search.

Variables x[r, i, t] = 1 when member i sits at table t in round r. Hard rules are constraints
(one table per member and round, fixed table sizes, keep-together members equal, keep-apart pairs
never both); y[r, i, j] >= x[r, i, t] + x[r, j, t] - 1 marks a meeting, e[i, j] >= sum_r y - 1
a repeat, and d >= distance outside floor/ceiling of each count. The objective weighs the three
levels so that it orders seatings exactly as `Quality.objective` does lexicographically.

Tables of the same size are interchangeable within a round, so the unit in position k (by first
member) may only sit at the j-th table of a size with j <= k. Only meant for a few members and
rounds (tests cross-check the search against it); larger problems take very long.
"""

from __future__ import annotations

import numpy as np
import pulp

from sortition.panel.solver import Deadline, LiveModel, require_optimal
from sortition.tables.metrics import Quality, evaluate, level_weights
from sortition.tables.model import SeatingProblem, share_bounds


def exact_seating(
    problem: SeatingProblem, *, time_limit: float | None = 60.0
) -> tuple[np.ndarray, Quality]:
    """An optimal seating and its figures; TimeLimitReached if the solver runs out of time."""
    n, rounds, tables = problem.n, problem.rounds, problem.num_tables
    sizes = problem.sizes
    model = pulp.LpProblem("seating", pulp.LpMinimize)
    x = {
        (r, i, t): pulp.LpVariable(f"x_{r}_{i}_{t}", cat="Binary")
        for r in range(rounds)
        for i in range(n)
        for t in range(tables)
    }
    first = {int(s): next(t for t in range(tables) if sizes[t] == s) for s in sizes}
    unit_of = problem.unit_of
    for r in range(rounds):
        for i in range(n):
            model += pulp.lpSum(x[r, i, t] for t in range(tables)) == 1
        for t in range(tables):
            model += pulp.lpSum(x[r, i, t] for i in range(n)) == int(sizes[t])
        for k, members in enumerate(problem.units):
            for t in range(tables):
                if t - first[int(sizes[t])] > k:
                    model += x[r, members[0], t] == 0
                for other in members[1:]:
                    model += x[r, other, t] == x[r, members[0], t]
        for a, b in problem.apart_pairs.tolist():
            for t in range(tables):
                model += x[r, a, t] + x[r, b, t] <= 1
    weights = level_weights(problem)
    held = problem.earlier_meetings  # meetings in rounds already held: a constant here
    terms = []
    for i in range(n):
        for j in range(i + 1, n):
            if unit_of[i] == unit_of[j]:
                continue
            meets = []
            for r in range(rounds):
                y = pulp.LpVariable(f"y_{r}_{i}_{j}", lowBound=0)
                for t in range(tables):
                    model += y >= x[r, i, t] + x[r, j, t] - 1
                meets.append(y)
            if rounds + int(held[i, j]) > 1:
                e = pulp.LpVariable(f"e_{i}_{j}", lowBound=0)
                model += e >= pulp.lpSum(meets) + int(held[i, j]) - 1
                terms.append(weights[1] * e)
    for level, columns in ((0, problem.balance), (2, problem.spread)):
        for column in columns:
            low, high = share_bounds(column, sizes, n)
            for v in range(len(column.values)):
                holders = np.flatnonzero(column.codes == v).tolist()
                for r in range(rounds):
                    for t in range(tables):
                        count = pulp.lpSum(x[r, i, t] for i in holders)
                        d = pulp.LpVariable(f"d_{column.name}_{v}_{r}_{t}", lowBound=0)
                        model += d >= int(low[t, v]) - count
                        model += d >= count - int(high[t, v])
                        terms.append(weights[level] * d)
    model += pulp.lpSum(terms) if terms else pulp.lpSum(0 * v for v in list(x.values())[:1])
    variables = model.variables()
    coefficients = model.objective.get
    live = LiveModel(model, variables, "highs", Deadline(time_limit))
    live.set_objective(np.array([float(coefficients(v, 0.0)) for v in variables]), maximize=False)
    result = require_optimal(live.solve(), "the exact seating program")
    value = dict(zip((v.name for v in variables), result.values.tolist(), strict=True))
    seating = np.zeros((rounds, n), dtype=np.int64)
    for (r, i, t), var in x.items():
        if value[var.name] > 0.5:
            seating[r, i] = t
    return seating, evaluate(problem, seating)
