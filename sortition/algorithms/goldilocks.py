"""GOLDILOCKS (Baharav & Flanigan, "Fair, manipulation-robust, and transparent sortition"):
minimize (n/k) max_i p_i + gamma (k/n) / min_i p_i, keeping probabilities neither too high
(manipulation) nor too low (fairness).

One live HiGHS LP over known compositions q_c, an upper level u, a lower level l and t >= 1/l:
every group has u >= p_g >= l; minimize (n/k) u + gamma (k/n) t. The convex constraint
t >= 1/l is approximated from below by tangent cuts t >= 2/a - l/a^2, one more wherever the LP's
l leaves t below 1/l. Columns come from pricing (`PanelModel.best`, weights of either sign) at
the LP's row multipliers, smoothed towards the best ones so far as in the maximin master LP.
Any non-negative multipliers give a Lagrangian lower bound on the optimum (the cuts only
under-estimate 1/l); the best distribution found gives an upper bound; `optimality_gap` is
(upper - lower) / lower.

People who sit on no quota-satisfying panel at all have probability 0 under every distribution;
the minimum is then taken over everyone else, and `never_selected` counts them.
"""

from __future__ import annotations

import numpy as np

from sortition.algorithms.column_generation import (
    ACCEPTED_GAP,
    GOLDILOCKS_GAP,
    OBJECTIVE_PRICING_TOLERANCE,
    STABILIZATION_GAP,
    Stabilizer,
    run,
    swap_columns,
)
from sortition.algorithms.goldilocks_lp import GoldilocksLP, LPSolution, Multipliers
from sortition.algorithms.nash import refuse_chance_factors
from sortition.algorithms.stopped import rounded_up_gap, stopped_record
from sortition.algorithms.support import covering_compositions
from sortition.distribution import STOPPED_OBJECTIVE, Distribution
from sortition.errors import SolverFailure, TimeLimitReached, UsageError
from sortition.instance import Instance
from sortition.numeric import dot, inner
from sortition.options import SolveOptions
from sortition.panel.model import PanelModel
from sortition.panel.solver import Deadline

GAMMA = 1.0  # weight of the low-probability term against the high-probability term
CUT_TOLERANCE = 1e-12  # add a tangent cut when t is below 1/l by more than this (relative)
MISPRICES = 5  # smoothed pricing rounds without an improving panel before using the LP's duals


def solve(
    instance: Instance,
    *,
    rng: np.random.Generator,
    options: SolveOptions,
    gamma: float = GAMMA,
) -> Distribution:
    """Column generation and tangent cuts on the Goldilocks objective."""
    refuse_chance_factors(instance, "goldilocks")
    if not gamma > 0:
        raise UsageError(f"gamma must be positive, got {gamma}")
    deadline = Deadline(options.time_limit)
    model = PanelModel(instance, solver=options.solver, deadline=deadline)
    rounds = GoldilocksRounds(instance, model, options, deadline, gamma)
    try:
        run(rounds)
    except TimeLimitReached:
        if rounds.best_q is None or rounds.best_columns is None:
            raise
        gap = rounds.current_gap()
        stated = rounded_up_gap(gap)
        stopped: dict[str, object] | None = stopped_record(1, stated, STOPPED_OBJECTIVE)
    else:
        gap = rounds.gap
        options.report(
            f"goldilocks: objective {rounds.best_value:.6f}, relative gap {gap:.2e} after "
            f"{rounds.rounds} rounds"
        )
        stated, stopped = options.gap, None
    assert rounds.best_q is not None and rounds.best_columns is not None
    return _result(
        instance, rounds.best_columns, rounds.best_q, rounds.reachable, gamma,
        float(rounds.lower_bound), gap, rounds.rounds, rounds.lp.cuts, model.solves, stated,
        stopped,
    )  # fmt: skip


class GoldilocksRounds:
    """GOLDILOCKS' plug-in for the column-generation loop: the restricted problem is the cut LP
    (`GoldilocksLP`); pricing happens first at smoothed multipliers (Wentges, as the maximin
    master does: a panel found there that does not improve the LP still raises the bound), then
    at the LP's own; a round adds a tangent cut where the LP's t is below 1/l, and the priced
    panel with its improving swaps."""

    def __init__(
        self,
        instance: Instance,
        model: PanelModel,
        options: SolveOptions,
        deadline: Deadline,
        gamma: float,
    ) -> None:
        self.instance, self.model, self.options = instance, model, options
        start, self.reachable = covering_compositions(model)
        self.sizes = model.sizes.astype(np.float64)
        n, k = float(instance.size), float(instance.panel_size)
        self.scale_high, self.scale_low = n / k, gamma * k / n
        first = np.array(start, dtype=np.float64).mean(axis=0) / self.sizes
        self.best_value = self.objective(first)
        self.best_q: np.ndarray | None = None
        self.best_columns: np.ndarray | None = None
        # 1/l at the optimum: (n/k) u >= 1, so gamma (k/n) / l <= best - 1
        self.lp = GoldilocksLP(
            self.sizes,
            self.reachable,
            self.scale_high,
            self.scale_low,
            self.best_value / self.scale_low,
            deadline,
        )
        for composition in start:
            self.lp.add(composition)
        self.lp.cut(k / n)
        self.lp.cut(float(first[self.reachable].min()))
        # no distribution beats max = min = k/n (the mean over the reachable is at least k/n)
        self.lower_bound = 1.0 + gamma * float(self.sizes[self.reachable].sum()) / n
        # the multipliers with the best Lagrangian bound so far
        self.stabilizer: Stabilizer[Multipliers] = Stabilizer(
            lambda a, b: a > b, lambda c, p, w: c.mix(p, w), -np.inf
        )
        self.rounds = 0
        self.target_gap = max(GOLDILOCKS_GAP, options.gap or 0.0)  # asked for: only looser
        self.gap = np.inf
        self.solution: LPSolution | None = None

    def objective(self, p: np.ndarray) -> float:
        """The Goldilocks objective of probabilities p; infinite when p leaves a reachable group
        at 0 (an early cut LP's point can: its tangent cuts bound 1/l only from below)."""
        low = float(p[self.reachable].min())
        if low <= 0.0:
            return float("inf")
        return self.scale_high * float(p.max()) + self.scale_low / low

    def current_gap(self) -> float:
        return max(0.0, (self.best_value - self.lower_bound) / self.lower_bound)

    def solve(self) -> bool:
        self.rounds += 1
        self.solution = solution = self.lp.solve()
        value = self.objective(dot(solution.q, self.lp.matrix()) / self.sizes)
        if value < self.best_value or self.best_q is None:
            self.best_value, self.best_q, self.best_columns = value, solution.q, self.lp.matrix()
        return True

    def price(self) -> list[np.ndarray] | None:
        solution, lp, stabilizer = self.solution, self.lp, self.stabilizer
        assert solution is not None
        self.gap = self.current_gap()
        if self.gap <= self.target_gap:
            return None  # the trivial bound or an earlier round's already proves it
        lp_weights = lp.weights(solution.multipliers)
        threshold = float(np.max(dot(lp.matrix(), lp_weights)))
        found: np.ndarray | None = None
        for _ in range(MISPRICES):
            if stabilizer.center is None or not stabilizing(
                solution.value, stabilizer.bound, self.best_value
            ):
                break
            smoothed = stabilizer.smoothed(solution.multipliers)
            composition = price(self.model, lp.weights(smoothed))
            stabilizer.offer(smoothed, lp.bound(smoothed, inner(lp.weights(smoothed), composition)))
            if inner(lp_weights, composition) > threshold + OBJECTIVE_PRICING_TOLERANCE:
                found = composition
                break
        if found is None:
            composition = price(self.model, lp_weights)
            priced = inner(lp_weights, composition)
            stabilizer.offer(solution.multipliers, lp.bound(solution.multipliers, priced))
            if priced > threshold + OBJECTIVE_PRICING_TOLERANCE:
                found = composition
        self.lower_bound = max(self.lower_bound, stabilizer.bound)
        self.gap = self.current_gap()
        self.options.report(
            f"goldilocks round {self.rounds}: objective {self.best_value:.6f}, lower bound "
            f"{self.lower_bound:.6f}, gap {self.gap:.2e}, {lp.columns} panels, "
            f"{self.model.solves} panel problems"
        )
        if self.gap <= self.target_gap:
            return None
        if found is None:
            return []
        return swap_columns(self.instance, found, lp_weights, threshold)

    def add(self, columns: list[np.ndarray]) -> int:
        """A tangent cut where the LP's t is below 1/l, then the columns; counts both."""
        solution = self.solution
        assert solution is not None
        # t >= 1/l is violated when t l < 1. The tangent goes at l, but never below 1/t_max
        # (the least l can be at an optimum; the LP may return l = 0, where no tangent exists),
        # and a tangent there still cuts the point off: at l < 1/t_max it asks t > t_max.
        violated = solution.t * solution.low < 1 - CUT_TOLERANCE
        progress = self.lp.cut(max(solution.low, 1.0 / self.lp.t_max)) if violated else 0
        return progress + sum(self.lp.add(composition) for composition in columns)

    def stalled(self) -> bool:
        if self.gap > max(ACCEPTED_GAP, self.target_gap):
            raise SolverFailure(
                f"the Goldilocks optimization stalled at a relative gap of {self.gap:.1e}"
            )
        return True


def _result(
    instance: Instance,
    columns: np.ndarray,
    q: np.ndarray,
    reachable: np.ndarray,
    gamma: float,
    lower_bound: float,
    gap: float,
    rounds: int,
    cuts: int,
    solves: int,
    stated_gap: float | None,
    stopped: dict[str, object] | None,
) -> Distribution:
    """The best distribution found, with its details. `stated_gap` labels it "within gap G"
    (the gap asked for, or the one reached when the time limit stopped it; see `stopped`)."""
    sizes = instance.groups.sizes.astype(np.float64)
    n, k = float(instance.size), float(instance.panel_size)
    keep = np.flatnonzero(q > 0)
    q = q[keep] / q[keep].sum()
    p = dot(q, columns[keep]) / sizes
    objective = n / k * float(p.max()) + gamma * k / n / float(p[reachable].min())
    details: dict[str, object] = {
        "objective": objective,
        "lower_bound": lower_bound,
        "optimality_gap": float(gap),
        "gap": stated_gap,  # labels the run "within gap G"
        "gamma": gamma,
        "max_probability": float(p.max()),
        "min_probability": float(p[reachable].min()),
        "never_selected": int(sizes[~reachable].sum()),
        "rounds": rounds,
        "cuts": cuts,
        "panel_solves": solves,
    }
    if stopped is not None:
        details["stopped_at_time_limit"] = stopped
    return Distribution(instance, columns[keep], q, "goldilocks", True, details)


def stabilizing(lp_value: float, bound: float, best_value: float) -> bool:
    """Whether smoothed pricing still pays: the bound is well below the LP and the best value."""
    if bound <= 0:
        return True
    return min(lp_value, best_value) - bound > STABILIZATION_GAP * bound


def price(model: PanelModel, weights: np.ndarray) -> np.ndarray:
    """The panel of largest total weight."""
    composition = model.best(weights)
    if composition is None:
        raise SolverFailure("the panel problem became infeasible")
    return composition
