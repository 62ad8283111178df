"""The panel's rules (`sortition.panel.rules.PanelRules`) as HiGHS rows over group counts: what
the exact pricer (`pricing.HighsPricer`), the balance pricer, the relaxed stage LP and the
optimal faces (`algorithms/relaxation.py`) all build their models from."""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sortition.instance import Instance
from sortition.panel.rules import PanelRules


@dataclass(frozen=True)
class PanelRows:
    """The panel constraints as rows (`sortition.panel.rules.PanelRules`): row 0 is the panel
    size, then one row per feature value (its min and max), then one row per household of two or
    more (at most one member).

    Column g has its non-zeros (all 1) in rows `column_rows[g]`."""

    column_rows: tuple[np.ndarray, ...]
    lower: np.ndarray
    upper: np.ndarray

    @classmethod
    def of(cls, instance: Instance) -> PanelRows:
        """The rows of `PanelRules.of(instance)` (the panel's rules over groups)."""
        rules = PanelRules.of(instance)
        column_rows = tuple(rules.rows_of(g) for g in range(len(rules.unit_sizes)))
        return cls(
            column_rows, rules.row_lower.astype(np.float64), rules.row_upper.astype(np.float64)
        )

    def usage(self, counts: np.ndarray) -> np.ndarray:
        """How much of each row the given group counts use."""
        used = np.zeros(len(self.lower))
        for g in np.flatnonzero(counts).tolist():
            used[self.column_rows[g]] += counts[g]
        return used

    def relaxation(self, sizes: np.ndarray) -> highspy.HighsLp:
        """The LP relaxation over every group (counts between 0 and the group sizes), zero cost:
        fractional panels, as the pricer, the relaxed stage LP and the optimal faces use them."""
        groups = len(sizes)
        lower, shift = np.zeros(groups), np.zeros(len(self.lower))
        return self.model(np.arange(groups), lower, sizes, shift, integer=False)

    def model(
        self,
        columns: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        row_shift: np.ndarray,
        *,
        integer: bool,
    ) -> highspy.HighsLp:
        """The problem restricted to `columns` (others fixed, using `row_shift` of each row)."""
        lp = highspy.HighsLp()
        lp.num_col_ = len(columns)
        lp.num_row_ = len(self.lower)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = np.zeros(len(columns))
        lp.col_lower_ = np.asarray(lower, dtype=np.float64)
        lp.col_upper_ = np.asarray(upper, dtype=np.float64)
        lp.row_lower_ = self.lower - row_shift
        lp.row_upper_ = self.upper - row_shift
        rows = [self.column_rows[g] for g in columns.tolist()]
        starts = np.zeros(len(rows) + 1, dtype=np.int32)
        starts[1:] = np.cumsum([len(r) for r in rows])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = (
            np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, dtype=np.int32)
        )
        lp.a_matrix_.value_ = np.ones(int(starts[-1]))
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * len(columns)
        return lp
