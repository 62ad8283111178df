"""The two plug-ins through which a MAXIMIN or LEXIMIN stage runs the shared column-generation
loop (`column_generation.run`) on the master LP (`master.MasterLP`).

- `BatchRounds` (masters of `master.BATCH_GROUPS` groups or more priced by HiGHS): each round
  solves the LP by interior point, prices its duals (the rounded relaxation, or the exact MIP
  when the rounding prices out), then `BATCH_COLUMNS_PER_ROUND` more points (`BATCH_SHORT_CHAIN`
  once most roundings of a chain fail) between the stability center and those duals, each time
  lowering the price of the groups the previous column took (multiplicative weights), so the
  batch covers the lacking groups evenly. Short chains run on the second core while the next
  LP solves (see `BatchRounds.price`). See `MasterLP.batch_rounds` for why, and for the
  interior point tolerance schedule. Near a gap's stopping point, rounds with short chains also
  have copies of the LP solved exactly beside them (`acceptance`).
- `SimplexRounds`: warm-started simplex re-solves, priced at a smoothed dual point (Wentges) with
  the rounded relaxation and `SHARE_COLUMNS` share columns, then exactly (`PanelModel.improving`
  around the best known columns); in a first stage's rounds where a rounding fails, also
  `ROUND_SWAPS` panels one swap away from each panel found, and `ROUND_CHAIN` chain columns in
  later LEXIMIN stages (priced on the second core beside the round's own pricing). The stage
  ends only when the LP's own duals price out, so the duals used to fix groups are optimal; or
  when a Lagrangian bound meets the gap asked for, or proves the level below `give_up_below`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sortition.algorithms.acceptance import AcceptanceChecks
from sortition.algorithms.column_generation import (
    BOUND_IMPROVEMENT,
    PRICING_TOLERANCE,
    SMOOTHING,
    STABILIZATION_GAP,
    mix_arrays,
)
from sortition.errors import SolverFailure, TimeLimitReached
from sortition.panel.model import improving_swaps

if TYPE_CHECKING:
    from sortition.algorithms.master import MasterLP

SHARE_COLUMNS = 4  # extra columns per round, each priced at a share of the LP duals
BATCH_COLUMNS_PER_ROUND = 50  # columns one batch round prices (penalized, see BatchRounds)
BATCH_SHORT_CHAIN = 20  # columns per batch round once most roundings fail (_size_next_chain)
BATCH_SHORT_YIELD = 0.5  # share of a chain's roundings giving a panel below which chains shorten
BATCH_PENALTY = float(np.exp(-0.5))  # factor on a group's price once a batch column holds it
BATCH_CENTER = 0.8  # weight of the stability center in a batch round's prices
BATCH_GAP = 1e-6  # batch rounds stop once the bound gap is below this share of the level
ROUND_CHAIN = 30  # extra penalized columns per simplex round (see SimplexRounds._start_chain)
ROUND_PENALTY = 0.95  # gentler than BATCH_PENALTY: tight_400 LEXIMIN 112 s against 126-146 s
ROUND_CENTER = 0.5  # weight of the stability center in their prices
# In a stage that asks for chain columns (`chains_after`: LEXIMIN's realization), from then on
# every `every` rounds whose LP re-solve took more than `iterations` simplex iterations, drop the
# columns priced `margin` below the convexity dual that carry no probability (`MasterLP.purge`).
# That stage's tail adds ten-odd columns a round, and where its warm-started re-solves turn
# degenerate they grow with the columns (tight_1700 seed 2: 700 iterations and 0.66 s a solve at
# 2,000 columns) and are most of the time: tight_1700 seeds 1-3 52, 96 and 43 s against 61, 156
# and 51 s without. Where re-solves stay cheap (tight_400: 200 iterations) pricing is the cost and
# purging only loses columns (seed 1: 39 s against 22 s), hence the iteration test, in counts
# rather than seconds so that the rounds are the same on any machine.
LONG_STAGE_PURGE = (10, 3e-2, 400)
# A first stage's round whose roundings fell short (a share column or the smoothed rounding
# failed, as under tight quotas) also takes up to this many panels one swap away from each panel
# it found that beat the LP's convexity dual: they cost a numpy scan, not a MIP. MAXIMIN on
# tight_hh_200 seeds 6-8: 0.32-0.34 s against 0.44-0.52 s; tight_400 seeds 1-5: 0.72-1.27 s
# against 1.04-1.72 s; tight_1700 seeds 1-3: 5.3, 11.2 and 7.0 s against 15.8, 16.0 and 8.0 s.
# Swaps in every round make the LP larger for little: loose pools lose up to 70% (Renca 0.23 s
# against 0.15 s); 30 swaps a panel cost gen_skewed_300 17%; later LEXIMIN stages (whose columns
# must keep the fixed groups' levels) lose outright (tight_400 30 s against 19 s).
ROUND_SWAPS = 20
HINTS = 2  # best known columns around which pricing first searches (see HighsPricer.solve)
PROGRESS_MARKS = (0.1, 0.01, 0.001, 0.0001)  # relative bound gaps that batch rounds report
BATCH_IPM_TOLERANCE = 1e-7  # tightest interior point optimality tolerance in batch rounds
BATCH_IPM_LOOSEST = 1e-3  # loosest one, while the bound gap is large
BATCH_IPM_SHARE = 0.01  # batch rounds solve to this share of the relative bound gap


@dataclass(frozen=True)
class StageResult:
    level: float  # the optimal z of the stage
    duals: np.ndarray  # (G,) non-negative group duals; sum over unfixed groups is 1
    bound_gap: float  # remaining pricing excess when the stage stopped
    certificate: np.ndarray  # (G,) duals whose best panel bounds the level (the LP's own if exact)


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
        """Wait for a chain still running (its error, if any, is moot once the rounds ended)."""
        if self.pending is not None:
            self.pending.exception()
            self.pending = None
        self.pool.shutdown()
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
            values = self.checks.collect(self.rounds)
            if values is not None:
                self.accepted = master.loose_result(self.group_duals, self.best_bound, values)
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
            self.checks.offer(self.rounds, master.h, level, stop_level)
        group_duals = np.maximum(self.group_duals, 0.0)
        lp_weights = group_duals / master.sizes
        threshold = self.convexity + PRICING_TOLERANCE
        # the rounded relaxation is a column and its value a (weaker) bound; the exact MIP
        # (seconds on thousands of groups) only when the rounding prices out
        best, relaxed = master.model.quick(lp_weights, support=True)
        if best is not None and float(lp_weights @ best) > threshold:
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
        self.marks = master.report_progress(self.marks, self.gap, level, self.best_bound)
        if self.best_bound < self.give_up_below:
            return None
        if float(lp_weights @ best) <= threshold:
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
        return [best, *(c for c in chain if float(lp_weights @ c) > threshold)]

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


class SimplexRounds:
    """Warm-started simplex rounds that finish a stage exactly (see the module docstring)."""

    def __init__(
        self,
        master: MasterLP,
        center: np.ndarray | None,
        best_bound: float,
        give_up_below: float,
        chains_after: int | None = None,
    ) -> None:
        self.master, self.center, self.best_bound = master, center, best_bound
        self.give_up_below, self.chains_after = give_up_below, chains_after
        self.rounds = 0
        self.result: StageResult | None = None
        self.level = self.convexity = 0.0
        self.group_duals = np.zeros(0)
        self.pool = ThreadPoolExecutor(max_workers=1)  # where chains run beside the pricing

    def close(self) -> None:
        """Release the chain thread (no chain runs between rounds)."""
        self.pool.shutdown()

    def solve(self) -> bool:
        self.level, group_duals, self.convexity = self.master.solve_lp()
        self.master.tell(self.level, self.best_bound)
        self.group_duals = np.maximum(group_duals, 0.0)
        every, margin, iterations = LONG_STAGE_PURGE
        due = self._long_stage() and self.rounds % every == 0
        if due and self.master.iterations() > iterations:
            self.master.purge(margin)  # (after the solve: its duals are already read)
        return True

    def _long_stage(self) -> bool:
        """Whether this stage asks for chain columns and has run the rounds before them."""
        return self.chains_after is not None and self.rounds > self.chains_after

    def _end(self, bound_gap: float, point: np.ndarray) -> None:
        self.result = StageResult(self.level, self.group_duals, bound_gap, point)

    def price(self) -> list[np.ndarray] | None:
        master, level, group_duals = self.master, self.level, self.group_duals
        self.rounds += 1
        if master.gap_reached(level, self.best_bound):
            self.best_bound = master.repriced_bound()  # exact, as verify will check it
            master.stage_bound = self.best_bound
        if self.best_bound < self.give_up_below or master.gap_reached(level, self.best_bound):
            point = group_duals if master.bound_point is None else master.bound_point
            self._end(self.best_bound - level, point)
            return None
        lp_weights = group_duals / master.sizes
        threshold = self.convexity + PRICING_TOLERANCE
        chain = self._start_chain(group_duals)
        try:
            found, short = self._price_round(group_duals, lp_weights, threshold)
        except BaseException:
            if chain is not None:  # wait for it, but report the pricing's own error
                with suppress(Exception):
                    chain()
            raise
        chained = chain() if chain is not None else []
        if not found:
            self._end(PRICING_TOLERANCE, group_duals)
            return None
        if short and self.chains_after is None and not master.fixed.any():
            instance = master.model.instance
            found += [
                swapped
                for composition in list(found)
                for swapped in improving_swaps(
                    instance, composition, lp_weights, threshold, ROUND_SWAPS
                )
            ]
        return found + [c for c in chained if float(lp_weights @ c) > threshold]

    def _price_round(
        self, group_duals: np.ndarray, lp_weights: np.ndarray, threshold: float
    ) -> tuple[list[np.ndarray], bool]:
        """This round's own columns (the smoothed rounding and share columns, else the exact
        improving panels; none proves the stage's end) and whether a rounding failed."""
        master, level = self.master, self.level
        found: list[np.ndarray] = []
        short = False  # whether a rounding failed this round
        priced = False  # whether the smoothed rounding priced out (then share columns follow)
        while self.center is not None and self.best_bound - level > STABILIZATION_GAP:
            smoothed = mix_arrays(self.center, group_duals, SMOOTHING)
            composition, relaxed_bound = master.model.quick(smoothed / master.sizes)
            bound = relaxed_bound - master.fixed_part(smoothed)
            improved = bound < self.best_bound - BOUND_IMPROVEMENT
            if improved:
                self.best_bound, self.center = bound, smoothed
                master.bound_point, master.stage_bound = smoothed, bound
            if composition is not None and float(lp_weights @ composition) > threshold:
                found, priced = [composition], True
                break
            short = True
            if not improved:
                break  # a mis-price that taught nothing: price the LP duals exactly
        if not found and self.center is None:
            best = master.model.best(lp_weights)
            if best is None:
                raise SolverFailure("the panel problem became infeasible")
            self.best_bound, self.center = master.bound(group_duals, best), group_duals
            master.bound_point, master.stage_bound = group_duals, self.best_bound
            if float(lp_weights @ best) > threshold:
                found = [best]
        if priced:
            assert self.center is not None
            shares = share_columns(master, self.center, group_duals)
            short = len(shares) < SHARE_COLUMNS
            found += shares
        if not found:
            found = master.model.improving(lp_weights, threshold, hints(master, lp_weights))
        return found, short

    def _start_chain(self, group_duals: np.ndarray) -> Callable[[], list[np.ndarray]] | None:
        """Start this round's `ROUND_CHAIN` chain columns if the round takes them; returns how to
        wait for them (None if it does not).

        Later LEXIMIN stages need many columns that keep the fixed groups at their levels; a
        first stage (MAXIMIN) finishes faster without them (samples: Renca 0.62 s against
        0.89 s, the regional pool 1.5 s against 3.0 s); a stage that asks for them
        (`chains_after`) gets them once it has run that many rounds. With HiGHS the chain runs
        on the second core while this round's own pricing runs (`HighsPricer.chain_beside`):
        its prices are those of the round's start (the stability center mixed with the LP
        duals), so its panels are the same whatever the timing. tight_400 LEXIMIN seeds 1-8:
        103 s in all against 123 s in line; tight_1700 seeds 1-5: 364 s against 385 s
        (benchmarks/RESULTS.md).
        """
        master = self.master
        if not ROUND_CHAIN or not (
            self._long_stage() or (master.fixed & (master.fixed_value > 0)).any()
        ):
            return None
        point = group_duals if self.center is None else self.center
        prices = mix_arrays(point, group_duals, ROUND_CENTER) / master.sizes
        pricer = master.model.pricer
        if pricer is None:
            chain = master.model.quick_chain(prices, ROUND_CHAIN, ROUND_PENALTY)
            return lambda: chain
        running = pricer.chain_beside(self.pool, prices, ROUND_CHAIN, ROUND_PENALTY)
        return lambda: pricer.finish_beside(running)

    def add(self, columns: list[np.ndarray]) -> int:
        return sum([self.master.add(composition) for composition in columns])

    def stalled(self) -> bool:
        self._end(PRICING_TOLERANCE, self.group_duals)
        return True


def share_columns(
    master: MasterLP, center: np.ndarray, group_duals: np.ndarray
) -> list[np.ndarray]:
    """Extra columns, each priced at the center smoothed with one share of the LP duals.

    The LP's duals sit on a few groups at a time, so one column per round lifts only those;
    splitting them into `SHARE_COLUMNS` shares (every b-th group with a positive dual) yields as
    many different panels close to the optimal face, each lifting other groups.
    """
    support = np.flatnonzero(group_duals > 0)
    if len(support) < 2 * SHARE_COLUMNS:
        return []
    columns = []
    for b in range(SHARE_COLUMNS):
        share = np.zeros_like(group_duals)
        share[support[b::SHARE_COLUMNS]] = group_duals[support[b::SHARE_COLUMNS]]
        share /= share.sum() / group_duals.sum()
        smoothed = mix_arrays(center, share, SMOOTHING)
        composition, _ = master.model.quick(smoothed / master.sizes)
        if composition is not None:
            columns.append(composition)
    return columns


def hints(master: MasterLP, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """The known compositions of highest weight (first in order on ties): neighbourhoods around
    them are where improving panels are cheapest to find."""
    if not master.compositions:
        return ()
    scores = np.array(master.compositions, dtype=np.float64) @ weights
    order = np.argsort(-scores, kind="stable")[:HINTS]
    return tuple(master.compositions[c] for c in order.tolist())
