"""LEXIMIN: maximize the lowest selection probability, then the second lowest, and so on.

Flanigan et al. (Nature 2021) with open-source solvers: repeated MAXIMIN stages on one live
master LP; after each stage every group with a positive dual is tight in every optimum
(complementary slackness), so it is fixed at the stage level and the next stage raises the rest.
Groups of interchangeable people keep the LP small; the leximin optimum is unique, hence equal
within a group.

The leximin of the relaxation (fractional panels, a few small LPs) is tried first: one master
stage checks whether real panels realize it, and if they do it is the leximin (fractional panels
include every real one, so no real distribution beats it). If not, the stages run as above on
the same master. On pools below `MasterLP.large` that one stage prices only panels on the
relaxation's optimal faces (`relaxation.optimal_faces`): if real panels realize the relaxed
leximin, each relaxed stage's duals are optimal for the real stage too, so every panel the answer
needs prices at their optimum, and no column is spent on panels the answer cannot use. On tight
pools the stages' bounds are exact from their first round and all their rounds only realize the
level, so this one restricted stage replaces them: tight_400 21 s against 54 s, tight_1700 89 s
against over 700 s (benchmarks/RESULTS.md). Large pools (batch rounds) try the relaxation's
leximin unrestricted, as before.

With an optimality gap g (`SolveOptions.gap`) each stage stops once its level is provably within
a share g of the best (Flanigan et al.'s reference code stops each stage within an absolute
0.0005), and the relaxation's leximin counts as realized once every group has at least (1 - g)
of its probability there. Without one, both run to the pricing tolerance.
"""

from __future__ import annotations

import numpy as np

from sortition.algorithms.master import MasterLP
from sortition.algorithms.relaxation import (
    FIX_DUAL_TOLERANCE,
    FractionalLeximin,
    fractional_leximin,
    optimal_faces,
)
from sortition.algorithms.stopped import stopped_distribution, stopped_in_first_stage
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

DECOMPOSITION_TOLERANCE = 1e-7  # relative shortfall from the fractional leximin still accepted
# Realizing the relaxation's leximin gains little per round, with every row tight: rough duals
# price as well as accurate ones there, so its interior point solves stop much earlier than
# MAXIMIN's (share of the gap, loosest tolerance). 5,000 pool with --gap 0.01: 225 s at
# (0.5, 3e-3), 326 s at (0.2, 1e-3), 634 s at MAXIMIN's (0.01, 1e-3); later, with short chains
# pipelined, (0.5, 1e-2) against (0.5, 3e-3): generated 5,000 139 s against 182-189 s, tight_5000
# 235 s against 338-350 s; see benchmarks/RESULTS.md. (A loose solve's level is only accepted
# once the probabilities it gives are checked to reach it: `MasterLP.loose_result`.)
REALIZE_IPM = (0.5, 1e-2)
FACE_REALIZE = True  # realize the relaxation's leximin from its optimal faces first (above)
REALIZE_CHAINS_AFTER = 50  # rounds of that realization before chain columns join in
PURGE_MARGIN: float | None = 1e-3  # between stages, drop unused columns priced this far below
PURGE_ABOVE = 3.0  # ... when the master has more columns than this many times its groups


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Exact leximin (to the pricing tolerance) over all quota-satisfying panels.

    If the time limit stops it, the master's last LP solution is returned, labelled with the
    stage it stopped in and the certified gap of its lowest probability (algorithms/stopped.py).
    """
    master, reachable = start_master(instance, options)
    model = master.model
    # (the CBC backend cannot restrict pricing; large masters keep their batch-round path)
    faces = FACE_REALIZE and model.pricer is not None and not master.large
    if master.large or faces:
        reuse = None if master.large else master.relaxed  # (large pools: as before)
        fractional = fractional_leximin(
            instance, ~reachable, reuse, widen=bool(options.gap), default_first=master.large
        )
        if fractional is not None:
            try:
                realized = _realize_fractional_leximin(
                    instance, master, reachable, fractional, options, faces=faces
                )
            except TimeLimitReached as stop:
                return stopped_in_first_stage(
                    instance, master, "leximin", stop, reachable,
                    {"panel_solves": model.solves},
                    (fractional.first_duals, fractional.first_level),
                )  # fmt: skip
            if realized is not None:
                return realized
    stages = 0
    first_certificate: np.ndarray | None = None
    if not reachable.all():  # people on no panel at all: one stage at level 0 for all of them
        master.fix(~reachable, 0.0)
        stages = 1
        first_certificate = never_selected_duals(reachable)
        options.report(f"leximin: {int((~reachable).sum())} group(s) fit on no panel")
    largest_gap = 0.0
    while not master.fixed.all():
        master.on_progress = reporter(
            options, f"leximin stage {stages + 1}", float(master.fixed.mean())
        )
        try:
            stage = master.solve_stage()
        except TimeLimitReached as stop:
            details: dict[str, object] = {"stages": stages, "panel_solves": model.solves}
            if first_certificate is not None:  # the lowest probability is already certified
                return stopped_distribution(
                    instance,
                    master,
                    "leximin",
                    stop,
                    first_certificate,
                    bound=None,
                    gap=options.gap,
                    stage=stages + 1,
                    details=details,
                )
            return stopped_in_first_stage(instance, master, "leximin", stop, reachable, details)
        stages += 1
        largest_gap = max(largest_gap, stage.bound_gap)
        if first_certificate is None:
            first_certificate = stage.certificate
        tight = (stage.duals > FIX_DUAL_TOLERANCE) & ~master.fixed
        if not tight.any():  # numerically flat duals: fix the largest dual among unfixed
            candidates = np.where(master.fixed, -np.inf, stage.duals)
            tight = np.zeros_like(master.fixed)
            tight[int(np.argmax(candidates))] = True
        crowded = len(master.compositions) > PURGE_ABOVE * len(master.fixed)
        if PURGE_MARGIN is not None and crowded and not (master.fixed | tight).all():
            master.purge(PURGE_MARGIN)  # (the last stage's solution is the result: kept whole)
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
            "gap": options.gap,
            "panel_solves": model.solves,
            "certificate_weights": (first_certificate / model.sizes).tolist()
            if first_certificate is not None
            else None,
        },
    )


def _realize_fractional_leximin(
    instance: Instance,
    master: MasterLP,
    reachable: np.ndarray,
    fractional: FractionalLeximin,
    options: SolveOptions,
    *,
    faces: bool,
) -> Distribution | None:
    """The leximin in one master stage, when panels can realize the relaxation's leximin.

    The leximin over fractional panels (a few small LPs) is lexicographically at least the true
    one, because fractional panels include every real one. One stage with row g asking for
    target_g * z finds how much of it real panels realize: z = 1 means all of it, and then the
    targets are the true leximin (unique, and no real distribution can beat them). On large
    pools this replaces dozens of stages, each a column generation of its own. Otherwise the
    master returns to the instance's factors, keeps its columns, and the stages run as usual
    (None).
    """
    model = master.model
    # one relaxed stage: the stages would run just one stage too, so no need for faces
    rows = (
        optimal_faces(instance, fractional.stage_duals) if faces and fractional.stages > 1 else None
    )
    restricted = rows is not None and model.restrict_to_faces(rows)
    if restricted and model.any_panel() is None:  # no real panel lies on every face
        model.restrict_to_faces(None)
        restricted = False
    if not restricted and not master.large:
        return None
    stages = fractional.stages
    options.report(
        f"leximin: the relaxation's leximin has {stages} stage(s); realizing it with real "
        "panels from its optimal faces"
        if restricted
        else f"leximin: the relaxation's leximin has {stages} stage(s); realizing it with real "
        "panels"
    )
    if master.large and not options.gap:
        options.report("leximin: realizing it exactly can take long; --gap 0.01 stops within 1%")
    master.retarget(fractional.probabilities)
    if not reachable.all():
        master.fix(~reachable, 0.0)
    accepted = 1.0 - (options.gap or 0.0) - DECOMPOSITION_TOLERANCE
    master.on_progress = reporter(
        options, "leximin: share of the relaxation's leximin realized", bounded=False
    )
    try:
        stage = master.solve_stage(
            give_up_below=accepted,
            ipm=REALIZE_IPM,
            chains_after=REALIZE_CHAINS_AFTER if restricted else None,
        )
    finally:
        if restricted:
            model.restrict_to_faces(None)
    # people on no panel prove the lowest probability 0; else the relaxation's first duals
    certificate = fractional.first_duals if reachable.all() else never_selected_duals(reachable)
    if stage.level < accepted:
        options.report(
            f"leximin: real panels realize {stage.level:.6f} of the relaxation's leximin; "
            "running the stages"
        )
        master.retarget(instance.group_factors)
        return None
    return to_distribution(
        instance,
        master,
        "leximin",
        {
            "stages": fractional.stages,
            "pricing_gap": stage.bound_gap,
            "gap": options.gap,
            "panel_solves": master.model.solves,
            "certificate_weights": (certificate / master.sizes).tolist(),
        },
    )
