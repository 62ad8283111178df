"""Batch rounds: the plug-in through which a large master LP (`master.BATCH_GROUPS` groups or
more) starts each MAXIMIN or LEXIMIN stage on the shared loop `column_generation.run`.

Each round solves the LP by interior point, prices its duals (the rounded relaxation, or the
exact MIP when the rounding prices out), then `BATCH_COLUMNS_PER_ROUND` more points
(`BATCH_SHORT_CHAIN` once most roundings of a chain fail) between the stability center and those
duals, each time lowering the price of the groups the previous column took (multiplicative
weights), so the batch covers the lacking groups evenly. Short chains run on the second core
while the next LP solves (see `BatchRounds.price`). See `run_batch_rounds` for why, and for the
interior point tolerance schedule. Near a gap's stopping point, rounds with short chains also
have copies of the LP solved exactly beside them (`acceptance`). The simplex rounds
(`stage_rounds.SimplexRounds`) finish the stage from the basis the last batch solve leaves.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from sortition.algorithms.acceptance import AcceptanceChecks, release
from sortition.algorithms.column_generation import PRICING_TOLERANCE, run
from sortition.algorithms.stage_rounds import StageResult
from sortition.errors import SolverFailure, TimeLimitReached
from sortition.numeric import inner

if TYPE_CHECKING:
    from sortition.algorithms.master import MasterLP

BATCH_COLUMNS_PER_ROUND = 50  # columns one batch round prices (penalized, see BatchRounds)
BATCH_SHORT_CHAIN = 20  # columns per batch round once most roundings fail (_size_next_chain)
BATCH_SHORT_YIELD = 0.5  # share of a chain's roundings giving a panel below which chains shorten
BATCH_PENALTY = float(np.exp(-0.5))  # factor on a group's price once a batch column holds it
BATCH_CENTER = 0.8  # weight of the stability center in a batch round's prices
BATCH_GAP = 1e-6  # batch rounds stop once the bound gap is below this share of the level
PROGRESS_MARKS = (0.1, 0.01, 0.001, 0.0001)  # relative bound gaps that batch rounds report
BATCH_IPM_TOLERANCE = 1e-7  # tightest interior point optimality tolerance in batch rounds
BATCH_IPM_LOOSEST = 1e-3  # loosest one, while the bound gap is large
BATCH_IPM_SHARE = 0.01  # batch rounds solve to this share of the relative bound gap


class BatchRounds:
    """Interior-point rounds adding many columns at once (see the module docstring)."""

    def __init__(
        self,
        master: MasterLP,
        center: np.ndarray,
        best_bound: float,
        give_up_below: float,
        ipm: tuple[float, float],
    ) -> None:
        self.master, self.center, self.best_bound = master, center, best_bound
        self.give_up_below, self.ipm = give_up_below, ipm
        self.accepted: StageResult | None = None
        self.stop_gap = max(BATCH_GAP, master.gap)
        self.gap = np.inf
        self.crossed = self.tight = self.retry = False
        self.marks = list(PROGRESS_MARKS)
        self.level = self.convexity = 0.0
        self.group_duals = np.zeros(0)
        self.chain_length = BATCH_COLUMNS_PER_ROUND
        self.pending: Future[list[np.ndarray]] | None = None  # a chain running beside the LP
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.rounds = 0
        # exact checks near the stop, where a loose solve's level may be accepted (acceptance)
        self.checks = AcceptanceChecks(master.deadline) if master.accepts_loose else None

    def _collect(self) -> list[np.ndarray]:
        """The panels of the chain started last round (none if it was not pipelined)."""
        if self.pending is None:
            return []
        chain = self.pending.result()
        self.pending = None
        self._size_next_chain(len(chain))
        return chain

    def close(self) -> None:
        """Wait for a chain still running, release its thread, and close the checks."""
        release(self.pool, self.pending)
        self.pending = None
        if self.checks is not None:
            self.checks.close()

    def solve(self) -> bool:
        master = self.master
        tolerance = float(np.clip(self.ipm[0] * self.gap, BATCH_IPM_TOLERANCE, self.ipm[1]))
        self.tight = tolerance <= BATCH_IPM_TOLERANCE
        master.h.setOptionValue("ipm_optimality_tolerance", tolerance)
        # a tight solve may be the last one: crossover then leaves the simplex a basis
        master.h.setOptionValue("run_crossover", "on" if self.tight else "off")
        self.crossed = False
        try:
            self.level, self.group_duals, self.convexity = master.solve_lp(
                approximate=not self.tight
            )
        except TimeLimitReached:
            raise
        except SolverFailure:
            return False  # the simplex rounds take over, and report a failure of their own
        self.crossed = self.tight
        return True

    def _again(self) -> list[np.ndarray] | None:
        """End if this solve was tight, else solve again at the tightest tolerance."""
        if self.tight:
            return None
        self.gap = 0.0
        self.retry = True
        return []

    def price(self) -> list[np.ndarray] | None:
        master, level = self.master, self.level
        # (first: the chain and the pricing below share the pricer's models)
        pipelined = self._collect()
        self.rounds += 1
        if self.checks is not None:
            check = self.checks.collect(self.rounds)
            if check is not None:
                self.accepted = master.loose_result(self.group_duals, self.best_bound, check)
                if self.accepted is not None:
                    return None
        if self.best_bound - level <= self.stop_gap * max(level, 0.0) + PRICING_TOLERANCE:
            if self.tight:
                return None
            self.accepted = master.loose_result(self.group_duals, self.best_bound)
            if self.accepted is not None:
                return None
            return self._again()  # confirm at the tightest tolerance
        if self.checks is not None and self.chain_length == BATCH_SHORT_CHAIN:
            # (short chains only: where the master is cheap and a check is ready when read)
            stop_level = self.best_bound / (1.0 + self.stop_gap)
            self.checks.offer(self.rounds, master, level, stop_level)
        group_duals = np.maximum(self.group_duals, 0.0)
        lp_weights = group_duals / master.sizes
        threshold = self.convexity + PRICING_TOLERANCE
        # the rounded relaxation is a column and its value a (weaker) bound; the exact MIP
        # (seconds on thousands of groups) only when the rounding prices out
        best, relaxed = master.model.quick(lp_weights, support=True)
        if best is not None and inner(lp_weights, best) > threshold:
            bound = master.relaxed_bound(group_duals, relaxed)
        else:
            best = master.model.best(lp_weights)
            if best is None:
                raise SolverFailure("the panel problem became infeasible")
            bound = master.bound(group_duals, best)
        if bound < self.best_bound:
            self.best_bound, master.bound_point = bound, group_duals
            master.stage_bound = bound
        self.gap = (self.best_bound - level) / max(abs(level), 1e-12)
        master.tell(level, self.best_bound)
        self.marks = _report_progress(master, self.marks, self.gap, level, self.best_bound)
        if self.best_bound < self.give_up_below:
            return None
        if inner(lp_weights, best) <= threshold:
            # the LP is optimal (a tight solve: the simplex rounds only confirm it), or the
            # duals of a loose solve may just be off: solve tightly
            return self._again()
        prices = (BATCH_CENTER * self.center + (1.0 - BATCH_CENTER) * group_duals) / master.sizes
        if self.chain_length == BATCH_SHORT_CHAIN:
            # Pipelined: this chain runs on the second core while the next LP solves, and its
            # panels join the round after (kept if they price out at that round's duals). Under
            # tight quotas the chain's relaxations are the critical path (72% of roundings fail
            # on tight_5000) and the master is cheap: MAXIMIN 42 s against 53 s. Long chains
            # (loose quotas, where nearly every rounding succeeds and the rounding thread is
            # busy too) stay in line: pipelined, the generated 5,000 pool took 116 s against
            # 88 s. Which chains run beside which LP depends only on the rounds' panels, and
            # both are deterministic, so the result does not depend on timing.
            self.pending = self.pool.submit(
                master.model.quick_chain, prices, self.chain_length, BATCH_PENALTY
            )
            chain = pipelined
        else:
            chain = master.model.quick_chain(prices, self.chain_length, BATCH_PENALTY)
            self._size_next_chain(len(chain))
        return [best, *(c for c in chain if inner(lp_weights, c) > threshold)]

    def _size_next_chain(self, panels: int) -> None:
        """Shorten the next chain when most roundings of this one failed, as under tight quotas.

        A failed rounding costs a relaxation and gives no column, and the duals a chain starts
        from age along it. On tight_5000 (72% of roundings fail) chains of 20 reach the optimum
        with 2,500 relaxations instead of 3,700 (MAXIMIN 51-52 s against 63-64 s). Where nearly
        every rounding succeeds (loose quotas) the master's re-solves are the cost, so chains
        stay long: the generated 5,000 pool takes 145 s with chains of 20 against 87-94 s.
        Measured in panels, not seconds, so the sequence of rounds is the same on any machine.
        """
        if panels < BATCH_SHORT_YIELD * self.chain_length:
            self.chain_length = BATCH_SHORT_CHAIN
        else:
            self.chain_length = BATCH_COLUMNS_PER_ROUND

    def add(self, columns: list[np.ndarray]) -> int:
        return sum(self.master.add(composition) for composition in columns)

    def stalled(self) -> bool:
        if self.retry:
            self.retry = False
            return False
        if self.tight:
            return True
        self.gap = 0.0
        return False


def run_batch_rounds(
    master: MasterLP,
    center: np.ndarray,
    best_bound: float,
    give_up_below: float = -np.inf,
    ipm: tuple[float, float] = (BATCH_IPM_SHARE, BATCH_IPM_LOOSEST),
) -> tuple[float, StageResult | None]:
    """Rounds that add many columns at once, the LP solved by interior point; returns the
    best Lagrangian bound found, and the stage's result if a loose solve already meets the
    optimality gap asked for (see `MasterLP.loose_result`).

    On large pools the optimum mixes thousands of panels, one per few groups that must sit
    exactly at the level, so adding a handful of columns per round takes thousands of
    rounds, and warm-started simplex re-solves of such a degenerate LP get slow. Each batch
    round instead solves the LP by interior point (its duals sit in the middle of the
    optimal face, spread over every group that lacks probability), prices them exactly (a
    column and a bound), then prices `BATCH_COLUMNS_PER_ROUND` more points (fewer under
    tight quotas, see `BatchRounds._size_next_chain`) between the center and those duals,
    each time lowering the price of the groups the previous column took (multiplicative
    weights), so the batch covers the lacking groups evenly.

    While the bound gap is wide the interior point solves only to a share of it, within
    bounds (`ipm` = (share, loosest tolerance), as in Gondzio's primal-dual column
    generation): late solves of this degenerate LP cost 2-3 times more at full accuracy, and
    rough duals price as well. The batch ends with a solve at the tightest tolerance with
    crossover, which leaves the basis for the simplex rounds that finish exactly.
    """
    rounds = BatchRounds(master, center, best_bound, give_up_below, ipm)
    _interior_point(master, True)
    try:
        try:
            run(rounds)
        finally:
            rounds.close()
        if not rounds.crossed and rounds.accepted is None:
            master.h.setOptionValue("ipm_optimality_tolerance", BATCH_IPM_TOLERANCE)
            master.h.setOptionValue("run_crossover", "on")
            try:
                master.solve_lp()  # crossover leaves a basis for the simplex rounds
            except TimeLimitReached:
                raise
            except SolverFailure:
                pass  # the simplex rounds start from scratch instead
    finally:
        _interior_point(master, False)
    return rounds.best_bound, rounds.accepted


def _interior_point(master: MasterLP, on: bool) -> None:
    """Switch the live LP between interior point on a presolved LP (no crossover, a looser
    tolerance: the simplex rounds after it are exact) and the warm-started simplex without
    presolve that every other round uses."""
    master.h.setOptionValue("solver", "ipm" if on else "simplex")
    master.h.setOptionValue("run_crossover", "off" if on else "on")
    master.h.setOptionValue("presolve", "on" if on else "off")
    master.h.setOptionValue("ipm_optimality_tolerance", BATCH_IPM_TOLERANCE if on else 1e-8)


def _report_progress(
    master: MasterLP, marks: list[float], gap: float, level: float, bound: float
) -> list[float]:
    """Report the smallest mark the relative gap is now below; return the marks left."""
    passed = [mark for mark in marks if gap < mark]
    if passed and master.report is not None:
        master.report(
            f"column generation: {len(master.compositions)} panels, level {level:.6f}, "
            f"bound {bound:.6f} (gap below {passed[-1] * 100:g}%)"
        )
    return [mark for mark in marks if gap >= mark]
