"""The best single panel for person weights with people forced in or out: a reference the tests
compare algorithms and reserves against (built on the library's `PanelModel`)."""

from __future__ import annotations

import numpy as np

from sortition.instance import Instance
from sortition.panel.model import PanelModel


def best_panel(
    instance: Instance,
    person_weights: np.ndarray,
    *,
    forced_in: tuple[int, ...] = (),
    forced_out: tuple[int, ...] = (),
    solver: str = "highs",
) -> np.ndarray | None:
    """The panel (sorted person indices) of highest total weight with people forced in or out.

    Forced people are taken out of type compression; everyone else must carry the same weight
    as the people they are interchangeable with (else isolate them too). None if infeasible.
    """
    weights = np.asarray(person_weights, dtype=np.float64)
    isolated = instance.isolating(tuple(sorted(set(forced_in) | set(forced_out))))
    groups = isolated.groups
    group_weights = np.array([weights[m[0]] for m in groups.members])
    for g, members in enumerate(groups.members):
        if not np.all(weights[members] == group_weights[g]):
            raise ValueError("people with identical features need equal weights; isolate them")
    lower = np.zeros(len(groups), dtype=np.float64)
    upper = groups.sizes.astype(np.float64)
    for person in forced_in:
        lower[groups.group_of_person[person]] = 1.0
    for person in forced_out:
        upper[groups.group_of_person[person]] = 0.0
    if np.any(lower > upper):
        return None
    model = PanelModel(isolated, solver=solver)
    composition = model.best(group_weights, lower=lower, upper=upper)
    if composition is None:
        return None
    chosen = [groups.members[g][:count] for g, count in enumerate(composition.tolist()) if count]
    return np.sort(np.concatenate(chosen))
