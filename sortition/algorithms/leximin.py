"""LEXIMIN: maximize the lowest selection probability, then the second lowest, and so on.

Flanigan et al. (Nature 2021) with open-source solvers: repeated MAXIMIN stages on one live
master LP; after each stage every group with a positive dual is tight in every optimum
(complementary slackness), so it is fixed at the stage level and the next stage raises the rest.
Groups of interchangeable people keep the LP small; the leximin optimum is unique, hence equal
within a group.
"""

from __future__ import annotations

import numpy as np

from sortition.algorithms.master import FIX_DUAL_TOLERANCE
from sortition.algorithms.support import never_selected_duals, start_master, to_distribution
from sortition.distribution import Distribution
from sortition.instance import Instance
from sortition.options import SolveOptions


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Exact leximin (to the pricing tolerance) over all quota-satisfying panels."""
    master, reachable = start_master(instance, options)
    model = master.model
    stages = 0
    first_certificate: list[float] | None = None
    if not reachable.all():  # people on no panel at all: one stage at level 0 for all of them
        master.fix(~reachable, 0.0)
        stages = 1
        first_certificate = (never_selected_duals(reachable) / model.sizes).tolist()
        options.report(f"leximin: {int((~reachable).sum())} group(s) fit on no panel")
    largest_gap = 0.0
    while not master.fixed.all():
        stage = master.solve_stage()
        stages += 1
        largest_gap = max(largest_gap, stage.bound_gap)
        if first_certificate is None:
            first_certificate = (stage.duals / model.sizes).tolist()
        tight = (stage.duals > FIX_DUAL_TOLERANCE) & ~master.fixed
        if not tight.any():  # numerically flat duals: fix the largest dual among unfixed
            candidates = np.where(master.fixed, -np.inf, stage.duals)
            tight = np.zeros_like(master.fixed)
            tight[int(np.argmax(candidates))] = True
        master.fix(tight, stage.level)
        options.report(
            f"leximin stage {stages}: {int(tight.sum())} group(s) fixed at probability "
            f"{stage.level:.6f}; {int(master.fixed.sum())} of {len(master.fixed)} groups done, "
            f"{model.solves} panel problems solved"
        )
    return to_distribution(
        instance,
        master,
        "leximin",
        {
            "stages": stages,
            "pricing_gap": largest_gap,
            "panel_solves": model.solves,
            "certificate_weights": first_certificate,
        },
    )
