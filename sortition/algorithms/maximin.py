"""MAXIMIN: the distribution over panels that maximizes the lowest selection probability."""

from __future__ import annotations

import numpy as np

from sortition.algorithms.master import MasterLP
from sortition.algorithms.support import initial_compositions, to_distribution
from sortition.distribution import Distribution
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panels import PanelModel
from sortition.solver import Deadline


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Column generation on the maximin LP (one stage of LEXIMIN)."""
    deadline = Deadline(options.time_limit)
    model = PanelModel(instance, solver=options.solver, deadline=deadline)
    master = MasterLP(model, deadline)
    for composition in initial_compositions(model):
        master.add(composition)
    stage = master.solve_stage()
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
