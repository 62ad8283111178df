"""The one column-generation loop, and the tolerances and dual stabilization its users share.

Every optimizing algorithm here (MAXIMIN, each LEXIMIN stage, NASH, GOLDILOCKS) chooses a
distribution over panels by column generation: solve a restricted problem over the panels known
so far; price panels at its duals (or gradient); add those that improve it; repeat until pricing
proves that no panel improves it by more than a tolerance, or a bound proves the optimality gap
asked for. `run` is that loop. Each algorithm supplies its restricted problem as a `Rounds`
plug-in (`stage_rounds.SimplexRounds` and `batch_rounds.BatchRounds` for MAXIMIN and LEXIMIN,
`nash.NashRounds`, `goldilocks.GoldilocksRounds`); the plug-in decides what its restricted
problem is, how it prices and when a round proves the end, and `run` decides the order of the
steps and nothing else, so every algorithm stops, adds columns and handles stalls the same way.

Dual stabilization (Wentges smoothing, `Stabilizer`) is shared too: pricing at a convex
combination of the best dual point so far and the restricted problem's duals damps the
oscillation that makes plain column generation tail off.

The tolerances every loop uses are defined here, once. They are not one number, because they
measure different things: `PRICING_TOLERANCE` is in probability units (how much a missing panel
could still raise the MAXIMIN level), `OBJECTIVE_PRICING_TOLERANCE` in units of GOLDILOCKS'
objective, the gap targets are relative.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

import numpy as np

from sortition.instance import Instance
from sortition.panel.model import improving_swaps

# -- tolerances ----------------------------------------------------------------------------------
PRICING_TOLERANCE = 1e-9  # MAXIMIN/LEXIMIN: largest allowed excess of a missing column
OBJECTIVE_PRICING_TOLERANCE = 1e-12  # GOLDILOCKS: a column must beat the current ones by this
BOUND_IMPROVEMENT = 1e-12  # a smoothed bound must beat the best one by this to move the center
NASH_GAP = 1e-6  # NASH stops when the best geometric mean is provably within this factor
GOLDILOCKS_GAP = 1e-7  # GOLDILOCKS stops when its objective is provably this close (relative)
BALANCE_TOLERANCE = 1e-9  # DIVERSIMAX: a panel must beat the LP by this (relative to its value)
ACCEPTED_GAP = 1e-4  # a stalled NASH or GOLDILOCKS run short of this raises instead of returning
SMOOTHING = 0.5  # weight of the stability center in the smoothed duals
STABILIZATION_GAP = 1e-6  # below this gap, price at the restricted problem's duals only
SWAP_COLUMNS = 10  # NASH, GOLDILOCKS: extra improving columns one swap away from a priced panel


class Rounds(Protocol):
    """One algorithm's restricted problem, as the loop drives it."""

    def solve(self) -> bool:
        """Solve the restricted problem; False ends the loop (the plug-in keeps why)."""

    def price(self) -> list[np.ndarray] | None:
        """Columns that improve the restricted problem; None when this round proves the end;
        [] when this round adds nothing (then `stalled` decides)."""

    def add(self, columns: list[np.ndarray]) -> int:
        """Add the columns; returns how many were new (or otherwise made progress)."""

    def stalled(self) -> bool:
        """Called when a round made no progress: True ends the loop (or raise a failure)."""


def run(rounds: Rounds) -> None:
    """Column generation: solve, price, add, until the plug-in says it is done.

    Exceptions (the time limit, solver failures) pass through to the algorithm, which knows what
    its last solved restricted problem is worth.
    """
    while rounds.solve():
        columns = rounds.price()
        if columns is None:
            return
        if not rounds.add(columns) and rounds.stalled():
            return


def swap_columns(
    instance: Instance, found: np.ndarray, weights: np.ndarray, threshold: float
) -> list[np.ndarray]:
    """A priced panel and up to `SWAP_COLUMNS` panels one swap away that also beat `threshold`
    (cheap extra columns for NASH and GOLDILOCKS)."""
    return [found, *improving_swaps(instance, found, weights, threshold, SWAP_COLUMNS)]


Point = TypeVar("Point")


class Stabilizer(Generic[Point]):
    """The stability center of Wentges smoothing: the dual point with the best Lagrangian bound
    so far. `better(a, b)` says whether bound a beats bound b (lower for an upper bound on a
    maximum, higher for a lower bound on a minimum); `mix(center, point, weight)` is the convex
    combination weight * center + (1 - weight) * point."""

    def __init__(
        self,
        better: Callable[[float, float], bool],
        mix: Callable[[Point, Point, float], Point],
        worst: float,
    ) -> None:
        self.better = better
        self._mix = mix
        self.center: Point | None = None
        self.bound = worst

    def offer(self, point: Point, bound: float) -> bool:
        """Make `point` the center if its bound beats the center's; returns whether it did."""
        if self.center is None or self.better(bound, self.bound):
            self.center, self.bound = point, bound
            return True
        return False

    def smoothed(self, point: Point, weight: float = SMOOTHING) -> Point:
        """The point between the center and `point` at which to price."""
        assert self.center is not None
        return self._mix(self.center, point, weight)


def mix_arrays(center: np.ndarray, point: np.ndarray, weight: float) -> np.ndarray:
    """weight * center + (1 - weight) * point, for dual vectors."""
    mixed: np.ndarray = weight * center + (1.0 - weight) * point
    return mixed
