"""Pieces shared by the column-generation algorithms: starting columns and the final result."""

from __future__ import annotations

import numpy as np

from sortition.algorithms.master import MasterLP
from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas
from sortition.feasibility import arithmetic_problems
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panels import PanelModel
from sortition.solver import Deadline


def start_master(instance: Instance, options: SolveOptions) -> MasterLP:
    """The panel model and a master LP seeded with first columns, under one time budget."""
    deadline = Deadline(options.time_limit)
    model = PanelModel(instance, solver=options.solver, deadline=deadline)
    master = MasterLP(model, deadline)
    for composition in initial_compositions(model):
        master.add(composition)
    return master


def initial_compositions(model: PanelModel) -> list[np.ndarray]:
    """A first feasible panel, and one that spreads weight evenly over people."""
    first = model.any_panel()
    if first is None:
        problems = arithmetic_problems(model.instance)
        reason = f": {problems[0].message}" if problems else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InfeasibleQuotas(
            f"no panel meets every quota and household rule{reason}{more}",
            hint="run 'sortition check' to see which quotas conflict and get a corrected table",
        )
    even = model.best(np.ones(len(model.sizes)) / model.sizes)
    return [first] if even is None else [first, even]


def to_distribution(
    instance: Instance, master: MasterLP, algorithm: str, details: dict[str, object]
) -> Distribution:
    """The master LP's current solution as a Distribution over its positive columns."""
    q = master.probabilities()
    keep = np.flatnonzero(q > 0)
    compositions = np.array([master.compositions[c] for c in keep.tolist()], dtype=np.int64)
    return Distribution(instance, compositions, q[keep], algorithm, True, details)
