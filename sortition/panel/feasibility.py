"""Why the quotas cannot be met, and the smallest change of the quota table that fixes them.

`arithmetic_problems` finds what counting alone shows (minimums adding up to more than the panel
size, a minimum above the number of registrants holding a value, fewer households than seats).
`check` then asks the panel ILP whether any panel exists at all, which also catches conflicts
between features and households, and if none does computes the minimal relaxation: the quota
table closest to the given one (fewest units of min lowered plus max raised, never beyond
min_flex/max_flex) that admits a panel.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pulp

from sortition.errors import BadQuotaNumber, SolverFailure, UsageError
from sortition.instance import NO_HOUSEHOLD, Feature, Instance
from sortition.options import SOLVERS
from sortition.panel.model import PanelModel, build_panel_problem
from sortition.panel.solver import Deadline, LiveModel, SolveStatus, require_optimal

WHOLE_TABLE = ""  # QuotaProblem.feature when a problem is not about one feature (households, flex)


@dataclass(frozen=True)
class QuotaProblem:
    """One reason the quotas cannot be met, in words for people.

    `feature` is WHOLE_TABLE ("") when the problem concerns no single feature; `value` is None
    when it concerns a whole feature (or the whole table).
    """

    feature: str
    value: str | None
    message: str


@dataclass(frozen=True)
class QuotaChange:
    """One quota of the minimal relaxation: its bounds before and after."""

    feature: str
    value: str
    old_min: int
    old_max: int
    new_min: int
    new_max: int


@dataclass(frozen=True)
class FeasibilityReport:
    """Whether some panel meets every quota and household rule, and if not, what to change.

    `problems` are the arithmetic findings (possibly none even when infeasible: conflicts across
    features or households show only in the ILP), plus one explanation when no relaxation exists.
    `relaxation` lists the changed quotas of the minimal relaxation and `relaxed_features` is the
    whole corrected table (flex limits kept); both are empty/None when feasible or when no
    relaxation within the flex limits exists. `household_limit` is the number of households when
    it is smaller than the panel size (no quota change can help then), else None.
    """

    feasible: bool
    problems: tuple[QuotaProblem, ...]
    relaxation: tuple[QuotaChange, ...]
    relaxed_features: tuple[Feature, ...] | None
    relaxation_cost: int | None
    household_limit: int | None = None


def household_count(instance: Instance) -> int:
    """How many households the pool has; a person without a household counts as their own."""
    labels = instance.households
    alone = int(np.count_nonzero(labels == NO_HOUSEHOLD))
    return alone + len(np.unique(labels[labels != NO_HOUSEHOLD]))


def arithmetic_problems(instance: Instance) -> list[QuotaProblem]:
    """Problems visible by counting alone, in feature order then value order; households last."""
    k = instance.panel_size
    problems: list[QuotaProblem] = []
    for f, feature in enumerate(instance.features):
        low = int(feature.minimums.sum())
        high = int(feature.maximums.sum())
        if low > k:
            problems.append(
                QuotaProblem(
                    feature.name,
                    None,
                    f"minimums of '{feature.name}' add up to {low}, more than the panel size {k}",
                )
            )
        if high < k:
            problems.append(
                QuotaProblem(
                    feature.name,
                    None,
                    f"maximums of '{feature.name}' add up to {high}, less than the panel size {k}",
                )
            )
        holders = instance.value_counts(f)
        for value, quota, held in zip(
            feature.values, feature.quotas, holders.tolist(), strict=True
        ):
            if quota.min > held:
                name, need = feature.name, quota.min
                problems.append(
                    QuotaProblem(
                        name,
                        value,
                        f"'{name}' = '{value}' needs at least {need} but only 1 registrant has it"
                        if held == 1
                        else f"'{name}' = '{value}' needs at least {need} but only {held} "
                        "registrants have it",
                    )
                )
    households = household_count(instance)
    if households < k:
        problems.append(QuotaProblem(WHOLE_TABLE, None, _household_message(households, k)))
    return problems


def check(
    instance: Instance, *, solver: str = "highs", time_limit: float | None = None
) -> FeasibilityReport:
    """Arithmetic checks, the exact ILP check, and the minimal relaxation if infeasible."""
    deadline = _deadline(solver, time_limit)
    problems = arithmetic_problems(instance)
    households = household_count(instance)
    household_limit = households if households < instance.panel_size else None
    if household_limit is None and not problems and _has_panel(instance, solver, deadline):
        return FeasibilityReport(True, (), (), None, None)
    relaxed = None if household_limit is not None else _relax(instance, solver, deadline)
    if relaxed is None:
        if household_limit is None:
            problems.append(
                QuotaProblem(
                    WHOLE_TABLE,
                    None,
                    "no panel meets the quotas even with every quota relaxed as far as its "
                    "min_flex and max_flex allow",
                )
            )
        return FeasibilityReport(False, tuple(problems), (), None, None, household_limit)
    changes, features, cost = relaxed
    return FeasibilityReport(False, tuple(problems), changes, features, cost)


def minimal_relaxation(
    instance: Instance,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
) -> tuple[tuple[QuotaChange, ...], tuple[Feature, ...], int] | None:
    """The changed quotas, the corrected table and its cost, or None if no relaxation exists.

    Minimizes the total units by which minimums are lowered and maximums raised, keeping every
    bound within min_flex/max_flex (no flex: min may drop to 0 and max rise to the panel size).
    A feasible instance gives ((), its own features, 0).
    """
    return _relax(instance, solver, _deadline(solver, time_limit))


def _relax(
    instance: Instance,
    solver: str,
    deadline: Deadline,
) -> tuple[tuple[QuotaChange, ...], tuple[Feature, ...], int] | None:
    _check_flex(instance)
    if household_count(instance) < instance.panel_size:
        return None
    built = build_panel_problem(instance, relax=True)
    slacks: list[pulp.LpVariable] = []
    for lows, highs in zip(built.lower_slack, built.upper_slack, strict=True):
        slacks.extend(lows)
        slacks.extend(highs)
    for variable in slacks:  # integral anyway at an optimum; integer makes rounding exact
        variable.cat = pulp.LpInteger
    live = LiveModel(built.problem, slacks, solver, deadline)
    live.set_objective(np.ones(len(slacks)), maximize=False)
    result = live.solve()
    if result.status == SolveStatus.INFEASIBLE:
        return None
    require_optimal(result, "the quota relaxation")
    values = iter(np.rint(result.values).astype(np.int64).tolist())

    changes: list[QuotaChange] = []
    features: list[Feature] = []
    for feature in instance.features:
        lowered = [next(values) for _ in feature.quotas]
        raised = [next(values) for _ in feature.quotas]
        quotas = []
        for value, quota, down, up in zip(
            feature.values, feature.quotas, lowered, raised, strict=True
        ):
            new = replace(quota, min=quota.min - down, max=quota.max + up)
            quotas.append(new)
            if down or up:
                changes.append(
                    QuotaChange(feature.name, value, quota.min, quota.max, new.min, new.max)
                )
        features.append(replace(feature, quotas=tuple(quotas)))
    cost = sum(abs(c.new_min - c.old_min) + abs(c.new_max - c.old_max) for c in changes)
    corrected = tuple(features)
    if not _has_panel(instance.with_quotas(corrected), solver, deadline):
        raise SolverFailure(
            "the relaxed quotas found by the solver still admit no panel",
            hint="try the other solver with --solver",
        )
    return tuple(changes), corrected, cost


def _has_panel(instance: Instance, solver: str, deadline: Deadline) -> bool:
    return PanelModel(instance, solver=solver, deadline=deadline).any_panel() is not None


def _check_flex(instance: Instance) -> None:
    for feature in instance.features:
        for value, quota in zip(feature.values, feature.quotas, strict=True):
            label = f"'{feature.name}' = '{value}'"
            if quota.min_flex is not None and not 0 <= quota.min_flex <= quota.min:
                raise BadQuotaNumber(
                    f"min_flex {quota.min_flex} is outside 0..min {quota.min} for {label}",
                    hint="make min_flex at most min",
                )
            if quota.max_flex is not None and quota.max_flex < quota.max:
                raise BadQuotaNumber(
                    f"max_flex {quota.max_flex} is below max {quota.max} for {label}",
                    hint="make max_flex at least max",
                )


def _deadline(solver: str, time_limit: float | None) -> Deadline:
    if solver not in SOLVERS:
        raise UsageError(f"unknown solver '{solver}'", hint=f"choose one of {', '.join(SOLVERS)}")
    if time_limit is not None and time_limit <= 0:
        raise UsageError(
            f"time limit must be positive, got {time_limit:g}",
            hint="pass a positive number of seconds",
        )
    return Deadline(time_limit)


def _household_message(households: int, k: int) -> str:
    return (
        f"the pool has only {households} households (people living together count once), "
        f"fewer than the panel size {k}"
    )
