"""MAXIMIN: the distribution over panels that maximizes the lowest selection probability."""

from __future__ import annotations

import numpy as np

from sortition.algorithms.support import start_master, to_distribution
from sortition.distribution import Distribution
from sortition.instance import Instance
from sortition.options import SolveOptions


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Column generation on the maximin LP (one stage of LEXIMIN)."""
    master = start_master(instance, options)
    model = master.model
    stage = master.solve_stage()
    options.report(f"maximin: lowest probability {stage.level:.6f}, {model.solves} panel problems")
    return to_distribution(
        instance,
        master,
        "maximin",
        {
            "min_probability": stage.level,
            "pricing_gap": stage.bound_gap,
            "panel_solves": model.solves,
            "certificate_weights": (stage.duals / model.sizes).tolist(),
        },
    )
