"""MAXIMIN: the distribution over panels that maximizes the lowest selection probability."""

from __future__ import annotations

import numpy as np

from sortition.algorithms.stopped import stopped_in_first_stage
from sortition.algorithms.support import (
    never_selected_duals,
    reporter,
    start_master,
    to_distribution,
)
from sortition.distribution import Distribution
from sortition.errors import TimeLimitReached
from sortition.instance import Instance
from sortition.options import SolveOptions


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Column generation on the maximin LP (one stage of LEXIMIN).

    If some people fit on no panel at all the lowest probability is 0; they are set aside and
    the others get the maximin distribution among themselves, which is also optimal. If the
    time limit stops the column generation, the last LP solution is returned with the gap its
    best bound proves (see algorithms/stopped.py).
    """
    master, reachable = start_master(instance, options)
    model = master.model
    if not reachable.all():
        master.fix(~reachable, 0.0)
    master.on_progress = reporter(options, "maximin")
    try:
        stage = master.solve_stage()
    except TimeLimitReached as stop:
        details: dict[str, object] = {"panel_solves": model.solves}
        return stopped_in_first_stage(instance, master, "maximin", stop, reachable, details)
    level, duals = stage.level, stage.certificate
    if not reachable.all():
        level, duals = 0.0, never_selected_duals(reachable)
    options.report(f"maximin: lowest probability {level:.6f}, {model.solves} panel problems")
    return to_distribution(
        instance,
        master,
        "maximin",
        {
            "min_probability": level,
            "pricing_gap": stage.bound_gap,
            "gap": options.gap,
            "panel_solves": model.solves,
            "certificate_weights": (duals / model.sizes).tolist(),
        },
    )
