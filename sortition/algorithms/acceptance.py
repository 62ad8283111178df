"""Exact checks, on the second core, of whether a stage solved by loose interior point is done.

Batch rounds (`batch_rounds.BatchRounds`) solve the master LP by interior point at a loose
tolerance, and a stage with an optimality gap stops once such a solve's level is within the gap
of the best bound (`MasterLP.loose_result` then checks the probabilities it gives). A loose
solve's primal under-reports the level its columns can reach by up to its tolerance, so the
stage runs on well after its columns suffice: realizing the relaxation's leximin on tight_5000
with `--gap 0.01`, the columns reached 0.99 at round 370 (1,890 panels) while the loose solves
(at 0.5-0.75% tolerance) reported 0.985 there and stopped only at round 415 (1,992 panels),
about 40 s later. Solving every round more tightly costs more than that, and changes the duals
the columns are priced from (measured: slower).

So near the stopping point a copy of the master LP is solved at `CHECK_TOLERANCE` beside the
rounds, and the round `CHECK_LAG` rounds later accepts its probabilities if they reach the gap.
The rounds themselves, and so the columns, are exactly those without checks. Only rounds whose
chains are short (`BatchRounds._size_next_chain`: most roundings fail, as under tight quotas)
start checks: there the master is cheap and the second core mostly idle in the tail, so a check
(3-4 s on tight_5000) is ready when read; tight_5000 216 s against 237-240 s. Where chains stay
long (loose quotas) the master LP is denser and a check costs 15-25 loose solves (19-32 s on
the generated uk 5,000 pool): the rounds waited for every check, none passed before the loose
solves stopped by themselves, and the pool took 175 s against 141 s (benchmarks/RESULTS.md).

Deterministic: a check starts at a round chosen from the rounds' own numbers (its count, the
chain length and the loose level), is read exactly `CHECK_LAG` rounds later (waiting for it if
need be), and single-threaded interior point solves are repeatable, so where a stage stops never
depends on timing.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np

from sortition.panel.solver import Deadline, quiet_highs

if TYPE_CHECKING:
    from sortition.algorithms.master import MasterLP

Check = tuple[np.ndarray, tuple[bytes, ...]]  # column values, and the columns they belong to

CHECK_NEAR = 0.01  # check once the loose level is within this share below the stopping level
CHECK_EVERY = 5  # rounds between the starts of two checks
CHECK_LAG = 4  # a check started at round r is read at round r + CHECK_LAG (about its duration)
CHECK_TOLERANCE = 1e-5  # interior point tolerance of a check (0.99002 where 1e-6 gives 0.99003)


class AcceptanceChecks:
    """At most one check at a time, on its own thread; see the module docstring."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending: tuple[int, tuple[bytes, ...], Future[np.ndarray | None]] | None = None
        self.last_start = -CHECK_EVERY

    def offer(self, round_: int, master: MasterLP, level: float, stop_level: float) -> None:
        """Start a check of the master's LP as it is now, if none is running, the last one
        started `CHECK_EVERY` rounds ago or more, and `level` is near `stop_level`."""
        near = level >= stop_level * (1.0 - CHECK_NEAR)
        if self.pending is not None or round_ - self.last_start < CHECK_EVERY or not near:
            return
        self.last_start = round_
        lp = master.h.getLp()  # (a copy, taken here: the rounds go on changing the LP)
        keys = master.column_keys()  # (which panels its columns are, whatever happens later)
        self.pending = (round_ + CHECK_LAG, keys, self.pool.submit(self._solve, lp))

    def collect(self, round_: int) -> Check | None:
        """The column values (without the level's column) of the check due at this round, with
        the columns they belong to, if one is due and its solve ended optimal."""
        if self.pending is None or self.pending[0] != round_:
            return None
        _, keys, future = self.pending
        self.pending = None
        values = future.result()
        return None if values is None else (values, keys)

    def close(self) -> None:
        """Wait for a check still running, and release its thread."""
        release(self.pool, None if self.pending is None else self.pending[2])
        self.pending = None

    def _solve(self, lp: Any) -> np.ndarray | None:
        return solve_copy(lp, CHECK_TOLERANCE, self.deadline)


def realign(check: Check, master: MasterLP) -> np.ndarray | None:
    """A check's column values moved onto the master's current columns (0 for those added
    since); None if a column holding a value was purged since: its panel is no longer a column,
    so the values are no distribution over the master's columns. (No shipped path purges during
    batch rounds, but the values must never be read by position across a purge.)"""
    values, keys = check
    out = np.zeros(len(master.compositions))
    for key, value in zip(keys, values.tolist(), strict=True):
        index = master.column_index(key)
        if index is not None:
            out[index] = value
        elif value > 1e-13:
            return None
    return out


def release(pool: ThreadPoolExecutor, running: Future[Any] | None) -> None:
    """Wait for work still `running` in `pool` (its error, if any, is moot once the rounds have
    ended), then shut the pool down: how batch rounds and their checks close."""
    if running is not None:
        running.exception()
    pool.shutdown()


def solve_copy(lp: Any, tolerance: float, deadline: Deadline | None = None) -> np.ndarray | None:
    """The column values (without the level's column) of the highspy LP `lp` solved by interior
    point at `tolerance` without crossover on a model of its own, or None unless optimal (the
    time limit, no convergence: the rounds then decide as before)."""
    h = quiet_highs(reset_scheduler=False)  # (another thread may be solving)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.setOptionValue("ipm_optimality_tolerance", tolerance)
    h.passModel(lp)
    if deadline is not None:
        deadline.limit_highs(h)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().col_value, dtype=np.float64)[1:]
