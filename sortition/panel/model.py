"""The panel integer program shared by every algorithm.

Variables count how many members each group of `instance.groups` puts on the panel (groups of
interchangeable people; a person who shares a household with another registrant is a group of
one). Constraints: the rules of `sortition.panel.rules` (panel size k, every quota's min and max,
at most one person per household).
Algorithms only supply weights: `PanelModel.best(weights)` returns the composition that maximizes
the total weight of the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pulp

from sortition.instance import Instance
from sortition.numeric import inner
from sortition.panel.pricing import HighsPricer
from sortition.panel.rules import PanelRules
from sortition.panel.solver import Deadline, LiveModel, SolveStatus, require_optimal


@dataclass
class PanelProblem:
    """A PuLP model of quota-satisfying panels with its group-count variables.

    With `relax=True` every quota bound gets a non-negative slack variable (`lower_slack`,
    `upper_slack`, shape (features, values) as ragged lists) bounded by the quota's flex limits.
    """

    problem: pulp.LpProblem
    counts: list[pulp.LpVariable]
    lower_slack: list[list[pulp.LpVariable]]
    upper_slack: list[list[pulp.LpVariable]]


def build_panel_problem(instance: Instance, *, relax: bool = False) -> PanelProblem:
    """Write the panel model once, for any solver: one integer count per group, and the rows of
    `PanelRules.of(instance)` as constraints."""
    rules = PanelRules.of(instance)
    sizes = rules.unit_sizes.tolist()
    problem = pulp.LpProblem("panel", pulp.LpMinimize)
    counts = [pulp.LpVariable(f"n_{g}", 0, sizes[g], cat=pulp.LpInteger) for g in range(len(sizes))]
    problem += pulp.lpSum(counts) == instance.panel_size, "panel_size"
    lower_slack: list[list[pulp.LpVariable]] = []
    upper_slack: list[list[pulp.LpVariable]] = []
    for family in rules.quota_families:
        f = family.index
        lower_slack.append([])
        upper_slack.append([])
        for v, (quota, members) in enumerate(
            zip(instance.features[f].quotas, family.members, strict=True)
        ):
            total = pulp.lpSum(counts[g] for g in members.tolist())
            low: pulp.LpAffineExpression | int = 0
            high: pulp.LpAffineExpression | int = 0
            if relax:
                min_floor = quota.min_flex if quota.min_flex is not None else 0
                max_ceiling = (
                    quota.max_flex
                    if quota.max_flex is not None
                    else max(quota.max, instance.panel_size)
                )
                low = pulp.LpVariable(f"lower_{f}_{v}", 0, quota.min - min_floor)
                high = pulp.LpVariable(f"upper_{f}_{v}", 0, max_ceiling - quota.max)
                lower_slack[f].append(low)
                upper_slack[f].append(high)
            problem += total + low >= int(family.lower[v]), f"min_{f}_{v}"
            problem += total - high <= int(family.upper[v]), f"max_{f}_{v}"
    houses = rules.household_family
    for label, members in zip(houses.labels, houses.members, strict=True):
        problem += pulp.lpSum(counts[g] for g in members.tolist()) <= 1, f"household_{label}"
    problem.setObjective(pulp.LpAffineExpression([(c, 0.0) for c in counts]))
    return PanelProblem(problem, counts, lower_slack, upper_slack)


class PanelModel:
    """The best panel for given weights, solved again and again cheaply.

    The work is done by one backend chosen at construction (`HighsPanels` for HiGHS, the exact
    pricing of `sortition.panel.pricing`; `PulpPanels` for CBC through PuLP); this class gives
    the algorithms one interface whatever the solver.
    """

    def __init__(
        self, instance: Instance, *, solver: str = "highs", deadline: Deadline | None = None
    ) -> None:
        self.instance = instance
        self.backend: HighsPanels | PulpPanels = (
            HighsPanels(instance, deadline)
            if solver == "highs"
            else PulpPanels(instance, solver, deadline)
        )
        self.sizes = instance.groups.sizes

    @property
    def solves(self) -> int:
        """Panel problems solved so far (reported in the logs)."""
        return self.backend.solves

    @property
    def pricer(self) -> HighsPricer | None:
        """The HiGHS pricer (for its statistics and warm starts), None with CBC."""
        return self.backend.pricer if isinstance(self.backend, HighsPanels) else None

    def best(
        self,
        weights: np.ndarray,
        *,
        lower: np.ndarray | None = None,
        upper: np.ndarray | None = None,
    ) -> np.ndarray | None:
        """Composition maximizing weights @ counts, or None if no panel fits the bounds.

        `lower`/`upper` bound each group's count (defaults 0 and the group size), which fixes
        people in or out of the panel.
        """
        return self.backend.best(weights, lower, upper)

    def quick(
        self, weights: np.ndarray, *, support: bool = False
    ) -> tuple[np.ndarray | None, float]:
        """A good composition for the weights and an upper bound on the best weight.

        With HiGHS the composition is the rounded LP relaxation and the bound its value, which
        is much cheaper than `best`; with CBC both come from the exact optimum.
        """
        return self.backend.quick(weights, support)

    def quick_chain(self, start: np.ndarray, length: int, penalty: float) -> list[np.ndarray]:
        """Quick compositions for a chain of weights: `start`, then each time the weights of the
        groups just used multiplied by `penalty` (multiplicative weights), so that the answers
        spread over many groups. See `HighsPricer.quick_chain`."""
        return self.backend.quick_chain(start, length, penalty)

    def restrict_to_faces(self, faces: np.ndarray | None) -> bool:
        """Answer only with panels scoring at least 1 on every row of `faces` (within
        `pricing.FACE_TOLERANCE`), or lift that with None; False (and no effect) if the solver
        cannot (CBC). Used by LEXIMIN to realize the relaxation's leximin from the panels of its
        optimal faces only (`relaxation.optimal_faces`)."""
        pricer = self.pricer
        if pricer is None:
            return False
        pricer.restrict(faces)
        return True

    def improving(
        self, weights: np.ndarray, threshold: float, hints: tuple[np.ndarray, ...] = ()
    ) -> list[np.ndarray]:
        """Compositions whose weight exceeds `threshold`, best first; [] proves there is none.

        HiGHS stops at the first good enough panel, which makes column generation much cheaper
        than solving every pricing problem to optimality.
        """
        return self.backend.improving(weights, threshold, hints)

    def any_panel(self) -> np.ndarray | None:
        """Some quota-satisfying composition, or None if the quotas are infeasible."""
        return self.best(np.zeros(len(self.sizes)))

    def swap_neighbours(
        self,
        compositions: Sequence[np.ndarray],
        weights: np.ndarray,
        threshold: float,
        limit: int,
    ) -> list[np.ndarray]:
        """Panels one swap away from `compositions` (and none of them) whose weight beats
        `threshold`, keeping every rule and the restriction of `restrict_to_faces`: at most
        `limit`, best first (ties in the order found). A numpy scan, no MIP: columns to try
        before an exact pricing."""
        pricer = self.pricer
        given = {np.asarray(c).tobytes() for c in compositions}
        found: dict[bytes, np.ndarray] = {}
        for composition in compositions:
            keep = None if pricer is None else partial(pricer.keeps_faces, composition)
            for swapped in improving_swaps(
                self.instance, composition, weights, threshold, limit, keep
            ):
                key = swapped.tobytes()
                if key not in given and (pricer is None or pricer.on_faces(swapped)):
                    found.setdefault(key, swapped)
        ranked = sorted(found.values(), key=lambda c: -inner(weights, c))  # (stable)
        return ranked[:limit]


class HighsPanels:
    """The HiGHS backend: every question goes to the exact pricer of `sortition.panel.pricing`."""

    def __init__(self, instance: Instance, deadline: Deadline | None) -> None:
        self.pricer = HighsPricer(instance, deadline)
        self.solves = 0

    def best(
        self, weights: np.ndarray, lower: np.ndarray | None, upper: np.ndarray | None
    ) -> np.ndarray | None:
        self.solves += 1
        return self.pricer.solve(weights, lower=lower, upper=upper).best

    def quick(self, weights: np.ndarray, support: bool) -> tuple[np.ndarray | None, float]:
        self.solves += 1
        return self.pricer.quick(weights, support=support)

    def quick_chain(self, start: np.ndarray, length: int, penalty: float) -> list[np.ndarray]:
        self.solves += length
        return self.pricer.quick_chain(start, length, penalty)

    def improving(
        self, weights: np.ndarray, threshold: float, hints: tuple[np.ndarray, ...]
    ) -> list[np.ndarray]:
        self.solves += 1
        found = self.pricer.solve(weights, threshold=threshold, hints=hints).best
        return [] if found is None else [found]


class PulpPanels:
    """The PuLP backend (CBC): the model of `build_panel_problem`, kept live between solves;
    every question is answered by the exact optimum."""

    def __init__(self, instance: Instance, solver: str, deadline: Deadline | None) -> None:
        built = build_panel_problem(instance)
        self.live = LiveModel(built.problem, built.counts, solver, deadline)
        self.sizes = instance.groups.sizes
        self._bounded = False  # True while bounds other than the defaults are in force
        self.solves = 0

    def best(
        self, weights: np.ndarray, lower: np.ndarray | None, upper: np.ndarray | None
    ) -> np.ndarray | None:
        if lower is not None or upper is not None or self._bounded:
            self.live.set_bounds(
                np.zeros(len(self.sizes)) if lower is None else lower,
                self.sizes if upper is None else upper,
            )
            self._bounded = lower is not None or upper is not None
        self.live.set_objective(weights, maximize=True)
        result = self.live.solve()
        self.solves += 1
        if result.status == SolveStatus.INFEASIBLE:
            return None
        require_optimal(result, "the panel optimization")
        composition: np.ndarray = np.rint(result.values).astype(np.int64)
        return composition

    def quick(self, weights: np.ndarray, support: bool) -> tuple[np.ndarray | None, float]:
        composition = self.best(weights, None, None)
        if composition is None:
            return None, -np.inf
        return composition, inner(weights, composition)

    def quick_chain(self, start: np.ndarray, length: int, penalty: float) -> list[np.ndarray]:
        weights = np.asarray(start, dtype=np.float64)
        found = []
        for _ in range(length):
            composition, _bound = self.quick(weights, False)
            if composition is None:
                break
            found.append(composition)
            weights = np.where(composition > 0, weights * penalty, weights)
        return found

    def improving(
        self, weights: np.ndarray, threshold: float, hints: tuple[np.ndarray, ...]
    ) -> list[np.ndarray]:
        self.live.set_objective(weights, maximize=True)
        result = self.live.solve(target=threshold)
        self.solves += 1
        if result.status == SolveStatus.INFEASIBLE:
            return []
        if result.status not in (SolveStatus.OPTIMAL, SolveStatus.TARGET_REACHED):
            require_optimal(result, "the panel optimization")
        improving: list[np.ndarray] = []
        seen: set[bytes] = set()
        for values in (result.values, *result.others):
            composition = np.rint(values).astype(np.int64)
            key = composition.tobytes()
            if key not in seen and inner(weights, composition) > threshold:
                seen.add(key)
                improving.append(composition)
        improving.sort(key=lambda c: -inner(weights, c))
        return improving


def improving_swaps(
    instance: Instance,
    composition: np.ndarray,
    weights: np.ndarray,
    threshold: float,
    limit: int,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> list[np.ndarray]:
    """Up to `limit` panels one swap away from `composition` whose weight exceeds `threshold`.

    A swap replaces one member of group g by one of group h and is kept only if every rule still
    holds (`PanelRules.swap_allowed`), and `keep(g's, h's)` (arrays of the candidate swaps' groups)
    says yes when given. Cheap extra columns for column generation.
    """
    rules = PanelRules.of(instance)
    sizes = rules.unit_sizes
    composition = np.asarray(composition, dtype=np.int64)
    base = inner(weights, composition)
    out_groups = np.flatnonzero(composition > 0)
    every = np.arange(len(sizes))
    gain = weights[None, :] - weights[out_groups][:, None]  # (out, in)
    allowed = (base + gain > threshold) & (composition < sizes)[None, :]
    allowed &= out_groups[:, None] != every[None, :]
    rows, cols = np.nonzero(allowed)
    # (the rules only for the swaps that beat the threshold: a few of out x groups)
    usage = rules.usage(composition)[None, :]
    ruled = rules.swap_allowed(usage, out_groups[rows], cols)[0]
    rows, cols = rows[ruled], cols[ruled]
    if keep is not None and len(rows):
        kept = keep(out_groups[rows], cols)
        rows, cols = rows[kept], cols[kept]
    if len(rows) == 0:
        return []
    order = np.lexsort((cols, rows, -gain[rows, cols]))[:limit]
    result = []
    for r, c in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        swapped = composition.copy()
        swapped[out_groups[r]] -= 1
        swapped[c] += 1
        result.append(swapped)
    return result
