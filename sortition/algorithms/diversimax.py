"""DIVERSIMAX as a lottery: the most intersectionally balanced distribution over panels that keeps
everyone's chance within a slack of the MAXIMIN minimum.

Objective. Maximize the expected balance score of the drawn panel, E[score(panel)], where the
score is one of `sortition.panel.balance` (default `PROPORTIONAL`: the mean over every pair of
features of 1 - sum over their intersections of |members - k x pool share| / (2k), the
`intersectional_balance` that `sortition compare` reports; `PEER`: minus the Sortition
Foundation DIVERSIMAX objective), subject to every registrant's selection probability being at
least (1 - epsilon) x m, where m is the lowest probability of the MAXIMIN distribution computed
first (`SolveOptions.fairness_slack` is epsilon, default 0.05) and registrants who sit on no
quota-satisfying panel are left out (their probability is 0 under every distribution).

Method. The expected score is linear in the panel probabilities, so the problem is an LP over
all quota-satisfying panels, solved by column generation (`column_generation.run`): the restricted
LP (`BalanceLP`) starts from MAXIMIN's panels (feasible: they give everyone at least m) and the
single most balanced panel; its duals price a new panel by the MIP max score(x) + w @ x of
`sortition.panel.balance_pricing` (w >= 0, the floor rows' multipliers per member), stopping at
the first panel beating the convexity dual. The LP optimum is proven when pricing finds none
(within `BALANCE_TOLERANCE`); any multipliers give the upper bound value + (priced - dual).
Because MAXIMIN's own distribution is feasible, DIVERSIMAX's expected score is never below
MAXIMIN's.

`single_panel` is the peer's mode: one deterministic most-balanced panel, NOT a lottery
(nobody's chance of selection is defined or fair); it is for comparing objective values only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from sortition.algorithms import maximin
from sortition.algorithms.column_generation import ACCEPTED_GAP, BALANCE_TOLERANCE, run
from sortition.algorithms.nash import refuse_chance_factors
from sortition.algorithms.stopped import rounded_up_gap, stopped_record
from sortition.algorithms.support import initial_compositions
from sortition.distribution import STOPPED_BALANCE, Distribution
from sortition.errors import SolverFailure, TimeLimitReached, UsageError
from sortition.instance import Instance
from sortition.numeric import dot, inner
from sortition.options import SolveOptions
from sortition.panel.balance import PROPORTIONAL, BalanceObjective, balance_objective
from sortition.panel.balance_pricing import BalancePricer, climb, kick
from sortition.panel.model import PanelModel
from sortition.panel.solver import (
    MIP_REL_GAP,
    Deadline,
    add_empty_rows,
    live_column_lp,
    solve_live_lp,
)

CLIMB_STARTS = 20  # known panels each pricing round climbs from before asking the MIP
CLIMB_STEPS = 200  # swaps at most per climb
KICKS = 20  # when no climb improves: random restarts (a few random swaps, then a climb)
KICK_SWAPS = 3  # random swaps per restart


def solve(
    instance: Instance,
    *,
    rng: np.random.Generator,
    options: SolveOptions,
    objective: str = PROPORTIONAL,
) -> Distribution:
    """MAXIMIN, then column generation on the balance LP with the fairness floor."""
    refuse_chance_factors(instance, "diversimax")
    if options.solver != "highs":
        raise UsageError(
            "diversimax solves its balanced panel problems with HiGHS only",
            hint="leave out --solver or pass --solver highs",
        )
    started = time.monotonic()
    fair = maximin.solve(instance, rng=rng, options=options)
    if fair.stopped is not None:
        raise TimeLimitReached(
            "MAXIMIN, which sets diversimax's fairness floor, did not finish within the time "
            f"limit of {options.time_limit:g} s",
            hint="raise --time-limit or leave it out; nothing else was tried in its place",
        )
    left = None if options.time_limit is None else options.time_limit - (time.monotonic() - started)
    deadline = Deadline(left)
    marginals = fair.group_marginals()
    reachable = marginals > 0
    lowest = float(marginals[reachable].min())
    floor = (1.0 - options.fairness_slack) * lowest
    scored = balance_objective(instance, objective)
    rounds = BalanceRounds(
        instance, scored, np.where(reachable, floor, 0.0), deadline, options, rng
    )
    for composition in fair.compositions:
        rounds.lp.add(composition, float(scored.scores(composition)[0]))
    stopped: dict[str, object] | None = None
    try:
        best = rounds.pricer.solve()  # the most balanced panel, a good first column
        if best.composition is not None:
            rounds.lp.add(best.composition, best.value)
        run(rounds)
    except TimeLimitReached:
        if rounds.solution is None:
            raise
        stopped = stopped_record(1, rounded_up_gap(rounds.current_gap()), STOPPED_BALANCE)
    q, columns = rounds.solution if rounds.solution is not None else rounds.lp.solve()
    keep = np.flatnonzero(q > 0)
    distribution = Distribution(instance, columns[keep], q[keep], "diversimax", True, {})
    reached = distribution.group_marginals()
    details: dict[str, object] = {
        "balance_objective": objective,
        "expected_balance": scored.expected(columns[keep], distribution.probabilities),
        "maximin_expected_balance": scored.expected(fair.compositions, fair.probabilities),
        "upper_bound": rounds.upper_bound,
        "optimality_gap": rounds.current_gap(),
        "gap": options.gap if stopped is None else stopped["gap"] or None,
        "fairness_slack": options.fairness_slack,
        "maximin_min_probability": lowest,
        "probability_floor": floor,
        "min_probability": float(reached[reachable].min()),
        "never_selected": int(instance.groups.sizes[~reachable].sum()),
        "rounds": rounds.rounds,
        "panel_solves": rounds.pricer.solves,
        "maximin_panel_solves": fair.details.get("panel_solves"),
    }
    if stopped is not None:
        details["stopped_at_time_limit"] = stopped
    options.report(
        f"diversimax: expected balance {details['expected_balance']:.6f} (maximin "
        f"{details['maximin_expected_balance']:.6f}), floor {floor:.6f}, {rounds.rounds} rounds"
    )
    return replace(distribution, details=details)


class BalanceLP:
    """max sum_c q_c score_c subject to sum q = 1 and, per group g,
    sum_c q_c c_g / size_g >= floor_g.

    One live HiGHS LP; row 0 is the convexity row, row 1 + g group g's floor."""

    def __init__(self, sizes: np.ndarray, floor: np.ndarray, deadline: Deadline) -> None:
        self.sizes = sizes.astype(np.float64)
        self.floor = floor
        self.deadline = deadline
        h = live_column_lp()
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        lower = np.concatenate(([1.0], floor))
        upper = np.concatenate(([1.0], np.full(len(floor), highspy.kHighsInf)))
        add_empty_rows(h, lower, upper)
        self.h = h
        self.compositions: list[np.ndarray] = []
        self.scores: list[float] = []
        self._known: set[bytes] = set()

    def add(self, composition: np.ndarray, score: float) -> int:
        """Add a composition with its score as a column; 1 if it was new, else 0."""
        column = np.asarray(composition, dtype=np.int64)
        key = column.tobytes()
        if key in self._known:
            return 0
        self._known.add(key)
        self.compositions.append(column)
        self.scores.append(score)
        nz = np.flatnonzero(column)
        rows = np.concatenate(([0], nz + 1)).astype(np.int32)
        values = np.concatenate(([1.0], column[nz] / self.sizes[nz]))
        self.h.addCol(score, 0.0, highspy.kHighsInf, len(rows), rows, values)
        return 1

    def solve(self) -> tuple[np.ndarray, np.ndarray]:
        """The probabilities (clipped at 0, renormalized) and the columns."""
        self._run()
        values = np.asarray(self.h.getSolution().col_value)
        q = np.where(values > 1e-13, values, 0.0)
        return q / q.sum(), np.array(self.compositions, dtype=np.int64)

    def _run(self) -> None:
        solve_live_lp(self.h, self.deadline, "diversimax")

    def value(self) -> float:
        return float(self.h.getInfo().objective_function_value)

    def prices(self) -> tuple[np.ndarray, float]:
        """Per-member weights w >= 0 of the floor rows and the convexity dual lambda: a panel x
        improves the LP when score(x) + w @ x > lambda."""
        duals = np.asarray(self.h.getSolution().row_dual)
        weights: np.ndarray = np.abs(duals[1:]) / self.sizes
        convexity = self.value() + inner(np.abs(duals[1:]), self.floor)
        return weights, convexity


class BalanceRounds:
    """DIVERSIMAX's plug-in for the column-generation loop (module docstring)."""

    def __init__(
        self,
        instance: Instance,
        objective: BalanceObjective,
        floor: np.ndarray,
        deadline: Deadline,
        options: SolveOptions,
        rng: np.random.Generator,
    ) -> None:
        self.options, self.rng = options, rng
        self.pricer = BalancePricer(instance, objective, deadline)
        self.lp = BalanceLP(instance.groups.sizes, floor, deadline)
        self.solution: tuple[np.ndarray, np.ndarray] | None = None
        self.upper_bound = objective.constant  # no panel scores above a deviation-free one
        self.gap = np.inf
        self.rounds = 0
        self.target_gap = options.gap or 0.0

    def solve(self) -> bool:
        self.rounds += 1
        self.solution = self.lp.solve()
        return True

    def current_gap(self) -> float:
        """How far the last LP solution's value is proven from the optimum (absolute up to a
        value of 1, relative beyond)."""
        value = self.lp.value()
        return max(0.0, self.upper_bound - value) / max(1.0, abs(value))

    def price(self) -> list[np.ndarray] | None:
        value = self.lp.value()
        weights, convexity = self.lp.prices()
        scale = max(1.0, abs(value))
        threshold = convexity + BALANCE_TOLERANCE * scale
        climbed = self._climbed(weights, threshold)
        if climbed:
            return climbed
        answer = self.pricer.solve(weights, target=threshold)
        self.upper_bound = min(self.upper_bound, value + max(answer.bound - convexity, 0.0))
        self.gap = max(0.0, self.upper_bound - value) / scale
        self.options.report(
            f"diversimax round {self.rounds}: expected balance {value:.6f}, bound "
            f"{self.upper_bound:.6f}, {len(self.lp.compositions)} panels"
        )
        if self.gap <= max(self.target_gap, BALANCE_TOLERANCE):
            return None
        if answer.composition is None or answer.value <= threshold:
            if answer.complete:
                self.gap = 0.0  # the search proved that no panel improves the LP
                return None
            return []
        better, _value = climb(self.pricer, weights, answer.composition, CLIMB_STEPS)
        return [answer.composition, better]

    def _climbed(self, weights: np.ndarray, threshold: float) -> list[np.ndarray]:
        """Improving panels found by `climb` from the `CLIMB_STARTS` known panels of highest
        value at these weights (the latest first among equals), distinct, best first."""
        known = np.array(self.lp.compositions)
        values = dot(known, weights) + np.array(self.lp.scores)
        order = np.lexsort((-np.arange(len(known)), -values))[:CLIMB_STARTS]
        found: dict[bytes, tuple[float, np.ndarray]] = {}
        for c in order.tolist():
            panel, value = climb(self.pricer, weights, known[c], CLIMB_STEPS)
            if value > threshold:
                found.setdefault(panel.tobytes(), (value, panel))
        for _ in range(KICKS if not found else 0):
            start = known[order[int(self.rng.integers(len(order)))]]
            kicked = kick(self.pricer, start, KICK_SWAPS, self.rng)
            panel, value = climb(self.pricer, weights, kicked, CLIMB_STEPS)
            if value > threshold:
                found.setdefault(panel.tobytes(), (value, panel))
        ranked = sorted(found.values(), key=lambda pair: -pair[0])
        return [panel for _value, panel in ranked]

    def add(self, columns: list[np.ndarray]) -> int:
        scores = self.pricer.objective.scores(np.array(columns))
        return sum(self.lp.add(c, float(s)) for c, s in zip(columns, scores, strict=True))

    def stalled(self) -> bool:
        if self.gap > max(ACCEPTED_GAP, self.target_gap):
            raise SolverFailure(
                f"the diversimax optimization stalled at a relative gap of {self.gap:.1e}"
            )
        return True


@dataclass(frozen=True)
class SinglePanel:
    """The peer's single-panel mode: one most-balanced panel, NOT a lottery."""

    composition: np.ndarray  # group counts
    people: np.ndarray  # positions of the members: the first `count` members of each group
    score: float  # the objective's score (PEER: minus the peer's objective)
    deviation: float  # sum over cells of |count - target| (the peer's objective for PEER)
    bound: float  # proven upper bound on the best score
    complete: bool  # False when the time limit stopped the search (score within bound)


def single_panel(
    instance: Instance,
    objective: str = PROPORTIONAL,
    *,
    time_limit: float | None = None,
    gap: float = MIP_REL_GAP,
) -> SinglePanel:
    """The most balanced quota-satisfying panel (deterministic: the same panel every time).

    NOT a lottery: it fixes who sits on the panel, so it is for research comparisons of the
    objective only, never for a selection. `gap` is the relative MIP gap (the peer uses 0.1).
    """
    scored = balance_objective(instance, objective)
    answer = BalancePricer(instance, scored, Deadline(time_limit)).solve(gap=gap)
    if answer.composition is None:
        initial_compositions(PanelModel(instance))  # raises InfeasibleQuotas with the reason
        raise SolverFailure("no balanced panel was found although a panel exists")
    members = instance.groups.members
    people = np.sort(
        np.concatenate(
            [members[g][:count] for g, count in enumerate(answer.composition.tolist()) if count]
        )
    )
    deviation = float(scored.deviations(answer.composition)[0])
    return SinglePanel(
        answer.composition, people, answer.value, deviation, answer.bound, answer.complete
    )
