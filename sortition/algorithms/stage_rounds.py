"""The simplex rounds through which every MAXIMIN or LEXIMIN stage ends on the shared
column-generation loop (`column_generation.run`) over the master LP (`master.MasterLP`), and the
stage's result. Large masters start the stage with batch rounds (`batch_rounds`).

`SimplexRounds`: warm-started simplex re-solves, priced at a smoothed dual point (Wentges) with
the rounded relaxation and `SHARE_COLUMNS` share columns, then exactly (`PanelModel.improving`
around the best known columns); in a first stage's rounds where a rounding fails, also
`ROUND_SWAPS` panels one swap away from each panel found, and `ROUND_CHAIN` chain columns in
later LEXIMIN stages (priced on the second core beside the round's own pricing); in LEXIMIN's
realization from the optimal faces, panels one swap away from the best known ones before the
exact pricing (`FACE_SWAP_COLUMNS`). The stage ends
only when the LP's own duals price out, so the duals used to fix groups are optimal; or when a
Lagrangian bound meets the gap asked for, or proves the level below `give_up_below`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sortition.algorithms.column_generation import (
    BOUND_IMPROVEMENT,
    PRICING_TOLERANCE,
    SMOOTHING,
    STABILIZATION_GAP,
    mix_arrays,
)
from sortition.errors import SolverFailure
from sortition.numeric import dot, inner
from sortition.panel.model import improving_swaps

if TYPE_CHECKING:
    from sortition.algorithms.master import MasterLP

SHARE_COLUMNS = 4  # extra columns per round, each priced at a share of the LP duals
ROUND_CHAIN = 30  # extra penalized columns per simplex round (see SimplexRounds._start_chain)
ROUND_PENALTY = 0.95  # gentler than BATCH_PENALTY: tight_400 LEXIMIN 112 s against 126-146 s
ROUND_CENTER = 0.5  # weight of the stability center in their prices
# In a stage that asks for chain columns (`chains_after`: LEXIMIN's realization), from then on
# every `every` rounds whose LP re-solve took more than `iterations` simplex iterations, drop the
# columns priced `margin` below the convexity dual that carry no probability (`MasterLP.purge`).
# That stage's tail adds ten-odd columns a round, and where its warm-started re-solves turn
# degenerate they grow with the columns (tight_1700 seed 2: 700 iterations and 0.66 s a solve at
# 2,000 columns) and are most of the time. Purged columns come back without a MIP when the duals
# price them out again (`MasterLP.returning`), so purging every such round loses little:
# tight_1700 seeds 1-12 39-99 s (median 55 s) against 44-142 s purging every 10th round, the
# leximin unchanged. Where re-solves stay cheap (tight_400: 200 iterations) pricing is the cost and
# purging only loses time (seeds 2-3: 13.9 and 13.0 s against 10.9 and 9.7 s), hence the
# iteration test, in counts rather than seconds so that the rounds are the same on any machine.
LONG_STAGE_PURGE = (1, 3e-2, 400)
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
# In LEXIMIN's realization from the optimal faces (a stage with `chains_after`), a round whose
# own columns fell short first takes up to FACE_SWAP_COLUMNS panels one swap away from its
# FACE_SWAP_HINTS best known columns (`PanelModel.swap_neighbours`: rules and faces kept, a numpy
# scan) before the exact pricing MIP, which only runs when no swap beats the convexity dual (then
# it proves the stage's end as before). On tight_400 the swaps answer about 7 in 8 of those
# rounds, and the MIPs they spare (75 ms each over 51-100 free counts) were most of its main
# thread: seeds 1-5 15.9, 8.7, 9.2, 8.6 and 13.8 s against 19.8, 9.8, 9.8, 10.0 and 16.3 s;
# tight_1700 seeds 1-2 44.3 and 77.9 s against 53.3 and 88.9 s; the regional sample 12.2 s
# against 14.1 s. (Only after `chains_after` rounds, tight_1700 seed 2 took 97.2 s.)
FACE_SWAP_HINTS = 10
FACE_SWAP_COLUMNS = 10


@dataclass(frozen=True)
class StageResult:
    level: float  # the optimal z of the stage
    duals: np.ndarray  # (G,) non-negative group duals; sum over unfixed groups is 1
    bound_gap: float  # remaining pricing excess when the stage stopped
    certificate: np.ndarray  # (G,) duals whose best panel bounds the level (the LP's own if exact)


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
        chained = [c for c in chained if inner(lp_weights, c) > threshold]
        return found + chained + master.returning(lp_weights, threshold)

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
            if composition is not None and inner(lp_weights, composition) > threshold:
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
            if inner(lp_weights, best) > threshold:
                found = [best]
        if priced:
            assert self.center is not None
            shares = share_columns(master, self.center, group_duals)
            short = len(shares) < SHARE_COLUMNS
            found += shares
        if not found and self.chains_after is not None:
            best_known = hints(master, lp_weights, FACE_SWAP_HINTS)
            found = master.model.swap_neighbours(
                best_known, lp_weights, threshold, FACE_SWAP_COLUMNS
            )
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


def hints(master: MasterLP, weights: np.ndarray, count: int = HINTS) -> tuple[np.ndarray, ...]:
    """The `count` known compositions of highest weight (first in order on ties): neighbourhoods
    around them are where improving panels are cheapest to find."""
    if not master.compositions:
        return ()
    scores = dot(np.array(master.compositions, dtype=np.float64), weights)
    order = np.argsort(-scores, kind="stable")[:count]
    return tuple(master.compositions[c] for c in order.tolist())
