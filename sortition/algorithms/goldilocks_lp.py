"""The restricted problem of GOLDILOCKS: a live HiGHS LP over known compositions with tangent cuts
(see `sortition.algorithms.goldilocks` for the method).

Rows: 0 is sum q = 1, 1..G are p_g - u <= 0, G+1..2G are p_g - l >= 0, then the cuts
t >= 2/a - l/a^2. Any non-negative multipliers of these rows give a Lagrangian lower bound
(`GoldilocksLP.bound`).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sortition.numeric import inner
from sortition.panel.solver import Deadline, add_empty_rows, live_column_lp, solve_live_lp


@dataclass(frozen=True)
class Multipliers:
    """Non-negative multipliers of the LP rows: upper (p_g <= u), lower (p_g >= l), cuts.

    Any such multipliers give a valid Lagrangian lower bound (`GoldilocksLP.bound`).
    """

    upper: np.ndarray  # (G,)
    lower: np.ndarray  # (G,)
    cuts: np.ndarray  # (cuts,) possibly fewer than the LP has now: missing ones are 0

    def mix(self, other: Multipliers, share: float) -> Multipliers:
        """share * self + (1 - share) * other."""
        cuts = np.zeros(max(len(self.cuts), len(other.cuts)))
        cuts[: len(self.cuts)] += share * self.cuts
        cuts[: len(other.cuts)] += (1.0 - share) * other.cuts
        return Multipliers(
            share * self.upper + (1.0 - share) * other.upper,
            share * self.lower + (1.0 - share) * other.lower,
            cuts,
        )


@dataclass(frozen=True)
class LPSolution:
    """One solve of the cut LP."""

    q: np.ndarray  # (columns,) probabilities, clipped at 0 and renormalized
    low: float  # the LP's lower level l
    t: float  # the LP's estimate of 1/l
    value: float  # the LP's objective
    multipliers: Multipliers


class GoldilocksLP:
    """Rows: 0 is sum q = 1, 1..G are p_g - u <= 0, G+1..2G are p_g - l >= 0, then cuts.

    Columns: u, l, t, then one per composition. All of u, l in [0, 1] and t in [0, t_max].
    """

    def __init__(
        self,
        sizes: np.ndarray,
        reachable: np.ndarray,
        scale_high: float,
        scale_low: float,
        t_max: float,
        deadline: Deadline,
    ) -> None:
        self.sizes = sizes
        self.deadline = deadline
        self.scale_high = scale_high
        self.scale_low = scale_low
        self.t_max = t_max
        groups = len(sizes)
        h = live_column_lp()
        inf = highspy.kHighsInf
        lower = np.concatenate(([1.0], np.full(groups, -inf), np.where(reachable, 0.0, -inf)))
        upper = np.concatenate(([1.0], np.zeros(groups), np.full(groups, inf)))
        add_empty_rows(h, lower, upper)
        rows = np.arange(1, groups + 1, dtype=np.int32)
        h.addCol(scale_high, 0.0, 1.0, groups, rows, -np.ones(groups))
        low_rows = (np.flatnonzero(reachable) + groups + 1).astype(np.int32)
        h.addCol(0.0, 0.0, 1.0, len(low_rows), low_rows, -np.ones(len(low_rows)))
        h.addCol(scale_low, 0.0, t_max, 0, np.array([], dtype=np.int32), np.array([]))
        self.h = h
        self.cut_points: list[float] = []
        self._compositions: list[np.ndarray] = []
        self._known: set[bytes] = set()

    @property
    def columns(self) -> int:
        return len(self._compositions)

    @property
    def cuts(self) -> int:
        return len(self.cut_points)

    def matrix(self) -> np.ndarray:
        return np.array(self._compositions, dtype=np.int64)

    def add(self, composition: np.ndarray) -> int:
        """Add a composition as a column; 1 if it was new, else 0."""
        column = np.asarray(composition, dtype=np.int64)
        key = column.tobytes()
        if key in self._known:
            return 0
        self._known.add(key)
        self._compositions.append(column)
        groups = len(self.sizes)
        nz = np.flatnonzero(column)
        share = column[nz] / self.sizes[nz]
        rows = np.concatenate(([0], nz + 1, nz + groups + 1)).astype(np.int32)
        self.h.addCol(
            0.0, 0.0, highspy.kHighsInf, len(rows), rows, np.concatenate(([1.0], share, share))
        )
        return 1

    def cut(self, point: float) -> int:
        """Add the tangent t >= 2/a - l/a^2 of 1/l at a = point; 1 if added."""
        if not point > 0 or point in self.cut_points:
            return 0
        self.cut_points.append(point)
        index = np.array([1, 2], dtype=np.int32)
        self.h.addRow(2.0 / point, highspy.kHighsInf, 2, index, np.array([1.0 / point**2, 1.0]))
        return 1

    def solve(self) -> LPSolution:
        solve_live_lp(self.h, self.deadline, "Goldilocks")
        solution = self.h.getSolution()
        values = np.asarray(solution.col_value)
        duals = np.asarray(solution.row_dual)
        groups = len(self.sizes)
        multipliers = Multipliers(
            np.maximum(-duals[1 : groups + 1], 0.0),  # upper rows p_g - u <= 0
            np.maximum(duals[groups + 1 : 2 * groups + 1], 0.0),  # lower rows p_g - l >= 0
            np.maximum(duals[2 * groups + 1 :], 0.0),  # cuts
        )
        q = np.where(values[3:] > 1e-13, values[3:], 0.0)
        value = float(self.h.getInfo().objective_function_value)
        return LPSolution(q / q.sum(), float(values[1]), float(values[2]), value, multipliers)

    def weights(self, multipliers: Multipliers) -> np.ndarray:
        """Per-member pricing weights: a column's Lagrangian term is -(weights @ column)."""
        weights: np.ndarray = (multipliers.lower - multipliers.upper) / self.sizes
        return weights

    def bound(self, multipliers: Multipliers, priced: float) -> float:
        """Lagrangian lower bound on the optimum; `priced` is the best panel's weight.

        Relax every row but sum q = 1 and minimize over u, l in [0, 1], t in [0, t_max] and
        the distributions over all panels (whose minimum is -priced). The cuts only
        under-estimate 1/l, so this bounds the Goldilocks optimum too.
        """
        points = np.array(self.cut_points)
        cuts = np.zeros(len(points))
        cuts[: len(multipliers.cuts)] = multipliers.cuts
        coef_u = self.scale_high - float(multipliers.upper.sum())
        coef_l = float(multipliers.lower.sum()) - inner(cuts, 1.0 / points**2)
        coef_t = self.scale_low - float(cuts.sum())
        return (
            inner(cuts, 2.0 / points)
            + min(0.0, coef_u)
            + min(0.0, coef_l)
            + min(0.0, coef_t) * self.t_max
            - priced
        )
