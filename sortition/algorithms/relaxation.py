"""The stage LP over fractional panels, whose duals start column generation near the optimum.

A stage of MAXIMIN/LEXIMIN asks for the distribution over panels that maximizes the level z. Its
relaxation lets the group counts of a "panel" be fractional: then the marginals m (expected
members per group) only need to meet the panel rows (size, quotas, households) and
m_g >= size_g * factor_g * z, an LP with one column per group. The panel polytope of these
instances is nearly integral, so the relaxation's duals are nearly optimal for the real stage;
column generation that smooths its duals towards them converges in far fewer rounds than one
that starts from the duals of a handful of panels.
"""

from __future__ import annotations

import highspy
import numpy as np

from sortition.instance import Instance
from sortition.pricing import PanelRows
from sortition.solver import quiet_highs


class RelaxedStage:
    """One live LP: rows of the panel polytope, then one row per group, z as the last column."""

    def __init__(self, instance: Instance) -> None:
        rows = PanelRows.of(instance)
        sizes = instance.groups.sizes.astype(np.float64)
        groups = len(sizes)
        self._base_rows = len(rows.lower)
        self._scale = sizes * instance.group_factors  # m_g >= size_g * factor_g * z
        h = quiet_highs()
        h.passModel(
            rows.model(
                np.arange(groups),
                np.zeros(groups),
                sizes,
                np.zeros(self._base_rows),
                integer=False,
            )
        )
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        index = np.arange(groups, dtype=np.int32)
        h.addRows(
            groups,
            np.zeros(groups),
            np.full(groups, highspy.kHighsInf),
            groups,
            index,
            index,
            np.ones(groups),
        )
        h.addCol(
            1.0,
            -highspy.kHighsInf,
            highspy.kHighsInf,
            groups,
            index + self._base_rows,
            -self._scale,
        )
        self.h = h
        self.sizes = sizes

    def duals(self, fixed: np.ndarray, fixed_value: np.ndarray) -> np.ndarray | None:
        """Group duals of the relaxed stage, scaled like the master's (sum over unfixed groups
        of dual * factor is 1), with `fixed` groups held at probability >= `fixed_value`.

        None if the LP does not solve to optimality (the caller then starts without a center).
        """
        h = self.h
        groups = len(self.sizes)
        z = groups  # the z column comes after the group columns
        rows = np.arange(self._base_rows, self._base_rows + groups, dtype=np.int32)
        for g in range(groups):
            coefficient = 0.0 if fixed[g] else -self._scale[g]
            h.changeCoeff(int(rows[g]), z, coefficient)
        lower = np.where(fixed, fixed_value * self.sizes - 1e-9, 0.0)
        h.changeRowsBounds(groups, rows, lower, np.full(groups, highspy.kHighsInf))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        # HiGHS reports duals of a maximization with the sign flipped (see MasterLP._solve_lp)
        row_duals = -np.asarray(h.getSolution().row_dual)[self._base_rows :]
        return np.maximum(row_duals, 0.0) * self.sizes
