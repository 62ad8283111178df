"""Pieces shared by the column-generation algorithms: starting columns and the final result."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sortition.algorithms.master import MasterLP
from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas
from sortition.instance import Instance
from sortition.numeric import inner
from sortition.options import SolveOptions, Status
from sortition.panel.feasibility import arithmetic_problems
from sortition.panel.model import PanelModel
from sortition.panel.solver import Deadline


def start_master(instance: Instance, options: SolveOptions) -> tuple[MasterLP, np.ndarray]:
    """The panel model and a master LP seeded with columns that cover every group that can sit
    on a panel, under one time budget; also which groups can (see `covering_compositions`)."""
    deadline = Deadline(options.time_limit)
    model = PanelModel(instance, solver=options.solver, deadline=deadline)
    master = MasterLP(model, deadline, options.report, gap=options.gap or 0.0)
    columns, reachable = covering_compositions(model)
    for composition in columns:
        master.add(composition)
    return master, reachable


def initial_compositions(model: PanelModel) -> list[np.ndarray]:
    """A first feasible panel, and one that spreads weight evenly over people."""
    first = model.any_panel()
    if first is None:
        problems = arithmetic_problems(model.instance)
        message = "no panel meets every quota and household rule"
        if len(problems) == 1:
            message = f"no panel meets every quota and household rule: {problems[0].message}"
        elif problems:
            reason, more = problems[0].message, len(problems) - 1
            message = f"no panel meets every quota and household rule: {reason} (and {more} more)"
        raise InfeasibleQuotas(
            message,
            hint="run 'sortition check' to see which quotas conflict and get a corrected table",
        )
    even = model.best(np.ones(len(model.sizes)) / model.sizes)
    return [first] if even is None else [first, even]


def covering_compositions(model: PanelModel) -> tuple[list[np.ndarray], np.ndarray]:
    """First columns that put every group that can sit on a panel on one, and those groups.

    Each round asks for a panel with members from groups not yet covered (the first one found
    with at least one); when there is none, no quota-satisfying panel contains any of them.
    Without these columns the master LP's level stays at zero for hundreds of rounds on large
    pools, its duals pointing at a few uncovered groups at a time. Raises InfeasibleQuotas if
    no panel exists at all.
    """
    columns = initial_compositions(model)
    covered = np.any(np.array(columns) > 0, axis=0)
    while not covered.all():
        # the rounded relaxation seats many uncovered groups at once; the exact MIP, which
        # stops at its first panel with an uncovered member, is needed only when rounding finds
        # none (and to prove that the groups left fit on no panel)
        weights = (~covered).astype(np.float64)
        composition, _bound = model.quick(weights, support=True)
        if composition is not None and inner(weights, composition) > 0.5:
            found = [composition]
        else:
            found = model.improving(weights, 0.5)
        if not found:
            break
        columns.append(found[0])
        covered |= found[0] > 0
    return columns, covered


def reporter(
    options: SolveOptions, phase: str, done: float | None = None, *, bounded: bool = True
) -> Callable[[float, float], None] | None:
    """A `MasterLP.on_progress` callback passing (level, bound) on as a `Status` of `phase`, or
    None when nobody listens. `bounded=False` leaves the bound out, where it proves nothing
    worth showing (the LEXIMIN realization's share is at most 1 by construction, and showing
    "bound 1.000000" throughout reads as a promise that the rest will be realized)."""
    if options.status is None:
        return None
    return lambda level, bound: options.show(Status(phase, done, level, bound if bounded else None))


def never_selected_duals(reachable: np.ndarray) -> np.ndarray:
    """Dual weights proving a lowest probability of 0: spread over the groups on no panel."""
    never = (~reachable).astype(np.float64)
    duals: np.ndarray = never / never.sum()
    return duals


def to_distribution(
    instance: Instance, master: MasterLP, algorithm: str, details: dict[str, object]
) -> Distribution:
    """The master LP's current solution as a Distribution over its positive columns."""
    q = master.probabilities()
    keep = np.flatnonzero(q > 0)
    compositions = np.array([master.compositions[c] for c in keep.tolist()], dtype=np.int64)
    return Distribution(instance, compositions, q[keep], algorithm, True, details)
