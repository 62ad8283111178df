"""Redrawing a few lottery tickets at once with an integer program, where no chain of seat swaps
(`sortition.process.lottery_swaps`) reaches the seat plan: new panels that together hold the seats
asked for, each meeting every quota and household rule, keeping as many old members as possible.
"""

from __future__ import annotations

import numpy as np
import pulp

from sortition.instance import Instance
from sortition.panel.rules import PanelRules
from sortition.process.lottery_plan import Mip

# Relative gap accepted when redrawing: keeping a few more old members is not worth a long search.
REDRAW_GAP = 0.01


def redraw_panels(
    instance: Instance, old: np.ndarray, change: np.ndarray, solver: str
) -> np.ndarray | None:
    """New contents for the panels `old` (R, G) that together hold `change` more seats per
    group, each meeting every quota and household rule, keeping as many old members as possible.
    Only groups already on these panels or named in `change` may appear on them.
    """
    rules = PanelRules.of(instance)
    held = old.sum(axis=0)
    needed = held + change
    pool = np.flatnonzero((needed > 0) | (held > 0))
    sizes = rules.unit_sizes[pool].tolist()
    problem = pulp.LpProblem("redraw", pulp.LpMaximize)
    seats: list[list[pulp.LpVariable]] = []
    kept = []
    # every rule's classes restricted to the pool, in local indices
    quotas = [
        (family.index, v, np.flatnonzero(family.of_unit[pool] == v), lower, upper)
        for family in rules.quota_families
        for v, (lower, upper) in enumerate(zip(family.lower, family.upper, strict=True))
    ]
    housed = rules.household_family.of_unit[pool]
    households = [
        present
        for c in range(rules.household_family.size)
        if len(present := np.flatnonzero(housed == c)) > 1
    ]
    for r, panel in enumerate(old[:, pool]):
        row = [
            pulp.LpVariable(f"y_{r}_{i}", 0, size, cat=pulp.LpInteger)
            for i, size in enumerate(sizes)
        ]
        seats.append(row)
        for i in np.flatnonzero(panel).tolist():
            keep = pulp.LpVariable(f"keep_{r}_{i}", 0, int(panel[i]))
            problem += keep - row[i] <= 0, f"kept_{r}_{i}"
            kept.append(keep)
        problem += pulp.lpSum(row) == instance.panel_size, f"size_{r}"
        for f, v, holders, lower, upper in quotas:
            count = pulp.lpSum(row[i] for i in holders.tolist())
            problem += count >= int(lower), f"min_{r}_{f}_{v}"
            problem += count <= int(upper), f"max_{r}_{f}_{v}"
        for h, members in enumerate(households):
            problem += pulp.lpSum(row[i] for i in members.tolist()) <= 1, f"household_{r}_{h}"
    for i, g in enumerate(pool.tolist()):
        problem += pulp.lpSum(row[i] for row in seats) == int(needed[g]), f"seats_{i}"
    problem += pulp.lpSum(kept)
    variables = [v for row in seats for v in row]
    values, _ = Mip(problem, variables, solver, gap=REDRAW_GAP).solve()
    if values is None:
        return None
    panels = np.zeros_like(old)
    panels[:, pool] = values.reshape(len(old), len(pool))
    return panels
