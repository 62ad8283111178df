"""NASH: the distribution over panels that maximizes Nash welfare, sum_i log p_i.

Equivalently it maximizes the geometric mean of the selection probabilities. At group level,
p_g = sum_c q_c x_cg / s_g and the objective is sum_g s_g log p_g, a concave function of q.

Fully corrective Frank-Wolfe (column generation). The restricted problem over the known
compositions is solved by a primal-dual interior-point method in numpy (no convex-solver
dependency); columns that drop to zero weight leave it. Pricing asks `PanelModel.best` for the
panel maximizing the gradient, sum over its members of 1/p_i. Its value M bounds the optimum:
log is concave, so for every reachable p*, sum_i log p*_i <= sum_i log p_i + n log(M / n),
i.e. the best geometric mean is at most M / n times the current one. `optimality_gap` is
M / n - 1, that relative bound (the Frank-Wolfe gap divided by n), for the returned distribution.

People who sit on no quota-satisfying panel at all have probability 0 under every distribution;
the welfare is then taken over everyone else, and `never_selected` counts them.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from threadpoolctl import threadpool_limits

from sortition.algorithms.column_generation import ACCEPTED_GAP, NASH_GAP, run, swap_columns
from sortition.algorithms.stopped import rounded_up_gap, stopped_record
from sortition.algorithms.support import covering_compositions
from sortition.distribution import STOPPED_OBJECTIVE, Distribution
from sortition.errors import SolverFailure, TimeLimitReached, UsageError
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.model import PanelModel
from sortition.panel.solver import Deadline

PRUNE_BELOW = 1e-9  # columns lighter than this leave the restricted problem (and the result)
RESTRICTED_GAP = 1e-10  # relative Frank-Wolfe gap of the restricted problem's solution
ACCEPTED_RESTRICTED_GAP = 1e-7  # good enough if floating point allows no better
FLOOR = 1e-13  # lowest complementarity q.z / n aimed at (keeps the Newton system conditioned)
INTERIOR_SHARE = 1e-2  # share of a warm start spread evenly, to start strictly inside
MAX_NEWTON = 100  # interior-point iterations per restricted problem before giving up
STALLS = 3  # rounds without a new column (each asks more precision) before stopping
DESCENT = 1e-4  # share of the optimality norm a damped interior-point step must remove
MIN_STEP = 1e-12  # shortest damped step tried
MERIT_WINDOW = 5  # iterates whose largest optimality norm a full step must beat


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Column generation on the Nash welfare problem (maximize sum_i log p_i).

    If the time limit stops it after a round has priced its distribution, that distribution is
    returned, labelled as stopped with the relative gap its pricing proved (never as optimal).
    """
    refuse_chance_factors(instance, "nash")
    deadline = Deadline(options.time_limit)
    model = PanelModel(instance, solver=options.solver, deadline=deadline)
    rounds = NashRounds(instance, model, options, deadline)
    try:
        run(rounds)
    except TimeLimitReached:
        if rounds.priced is None:
            raise
        matrix, q, gap = rounds.priced
        stated = rounded_up_gap(gap)
        stopped: dict[str, object] | None = stopped_record(1, stated, STOPPED_OBJECTIVE)
    else:
        gap = rounds.gap
        options.report(f"nash: relative gap {gap:.2e} after {rounds.rounds} rounds")
        matrix, q, stated, stopped = rounds.columns.matrix(), rounds.q, options.gap, None
    return _result(
        instance, matrix, q, rounds.reachable, gap, rounds.rounds, model.solves, stated, stopped
    )


class NashRounds:
    """NASH's plug-in for the column-generation loop: the restricted problem is the welfare
    maximum over the known columns (`restricted_optimum`, an interior-point method); pricing is
    the panel of highest gradient, whose value bounds the optimum (see the module docstring)."""

    def __init__(
        self, instance: Instance, model: PanelModel, options: SolveOptions, deadline: Deadline
    ) -> None:
        self.instance, self.model, self.options, self.deadline = instance, model, options, deadline
        start, self.reachable = covering_compositions(model)
        self.sizes = model.sizes.astype(np.float64)
        self.n = float(self.sizes[self.reachable].sum())
        self.columns = ColumnSet(start)
        self.q = np.full(len(self.columns), 1.0 / len(self.columns))
        self.restricted_gap = RESTRICTED_GAP
        self.rounds = self.stalls = 0
        self.target_gap = max(NASH_GAP, options.gap or 0.0)  # a gap asked for only loosens it
        self.priced: tuple[np.ndarray, np.ndarray, float] | None = None  # last priced result
        self.gap = np.inf
        self.weights = np.zeros(0)
        self.p = np.zeros(0)

    def solve(self) -> bool:
        self.rounds += 1
        reachable, sizes = self.reachable, self.sizes
        a = self.columns.matrix()[:, reachable] / sizes[reachable]  # (columns, reachable groups)
        with single_threaded_blas():
            q = restricted_optimum(
                a.T, sizes[reachable], self.q, self.restricted_gap, self.deadline
            )
        keep = self.columns.prune(q)
        self.q = q[keep] / q[keep].sum()
        self.p = np.zeros(len(sizes))
        self.p[reachable] = self.q @ a[keep]
        self.weights = np.where(reachable, 1.0 / np.where(reachable, self.p, 1.0), 0.0)
        return True

    def price(self) -> list[np.ndarray] | None:
        best = self.model.best(self.weights)
        if best is None:
            raise SolverFailure("the panel problem became infeasible")
        self.gap = max(0.0, float(self.weights @ best) / self.n - 1.0)
        self.priced = (self.columns.matrix(), self.q.copy(), self.gap)
        mean = geometric_mean(self.p, self.sizes, self.reachable)
        self.options.report(
            f"nash round {self.rounds}: geometric mean {mean:.6f}, gap {self.gap:.2e}, "
            f"{len(self.columns)} panels, {self.model.solves} panel problems"
        )
        if self.gap <= self.target_gap:
            return None
        return swap_columns(self.instance, best, self.weights, self.n)

    def add(self, columns: list[np.ndarray]) -> int:
        added = self.columns.add(columns)
        if added:
            self.q = np.concatenate((self.q, np.zeros(added)))
        return added

    def stalled(self) -> bool:
        """The priced panel is already in use: the restricted optimum was not precise enough."""
        self.stalls += 1
        self.restricted_gap *= 0.01
        if self.stalls < STALLS:
            return False
        if self.gap > max(ACCEPTED_GAP, self.target_gap):
            raise SolverFailure(
                f"the Nash welfare optimization stalled at a relative gap of {self.gap:.1e}"
            )
        return True


def _result(
    instance: Instance,
    matrix: np.ndarray,
    q: np.ndarray,
    reachable: np.ndarray,
    gap: float,
    rounds: int,
    solves: int,
    stated_gap: float | None,
    stopped: dict[str, object] | None,
) -> Distribution:
    """The distribution with its details. `stated_gap` labels it "within gap G" (the gap asked
    for, or the one reached when the time limit stopped it; see `stopped`)."""
    sizes = instance.groups.sizes.astype(np.float64)
    n = float(sizes[reachable].sum())
    p = np.zeros(len(sizes))
    p[reachable] = q @ (matrix[:, reachable] / sizes[reachable])
    details: dict[str, object] = {
        "objective": float(sizes[reachable] @ np.log(p[reachable])),
        "geometric_mean": geometric_mean(p, sizes, reachable),
        "optimality_gap": gap,
        "gap": stated_gap,  # labels the run "within gap G"
        "objective_gap": n * float(np.log1p(gap)),
        "never_selected": int(sizes[~reachable].sum()),
        "rounds": rounds,
        "panel_solves": solves,
    }
    if stopped is not None:
        details["stopped_at_time_limit"] = stopped
    return Distribution(instance, matrix, q, "nash", True, details)


def refuse_chance_factors(instance: Instance, algorithm: str) -> None:
    """Chance factors reweight the fairness goal of leximin and maximin; not of this algorithm."""
    if instance.factors is not None:
        raise UsageError(
            f"{algorithm} does not honour chance factors",
            hint="use leximin or maximin, or --history-mode exclude",
        )


class ColumnSet:
    """The compositions of the restricted problem, in the order they were added.

    Columns whose weight drops to (nearly) zero leave, so the restricted problem stays about
    as large as the support of the optimum. A column that pricing brings back after it left
    stays for good: each column leaves at most once, so pruning cannot make the method cycle.
    """

    def __init__(self, compositions: list[np.ndarray]) -> None:
        self._columns: list[np.ndarray] = []
        self._sticky: list[bool] = []
        self._keys: set[bytes] = set()
        self._pruned: set[bytes] = set()
        self.add(compositions)

    def __len__(self) -> int:
        return len(self._columns)

    def add(self, compositions: list[np.ndarray]) -> int:
        """Append the compositions not present yet; how many were new."""
        added = 0
        for composition in compositions:
            column = np.asarray(composition, dtype=np.int64)
            key = column.tobytes()
            if key not in self._keys:
                self._keys.add(key)
                self._columns.append(column)
                self._sticky.append(key in self._pruned)
                added += 1
        return added

    def prune(self, q: np.ndarray) -> np.ndarray:
        """Drop columns lighter than PRUNE_BELOW unless sticky or needed to cover a group.

        Returns the mask of the columns kept.
        """
        matrix = self.matrix()
        keep: np.ndarray = (q >= PRUNE_BELOW) | np.array(self._sticky)
        uncovered = ~np.any(matrix[keep] > 0, axis=0) & np.any(matrix > 0, axis=0)
        if uncovered.any():  # never lose a group entirely: keep every column touching it
            keep |= np.any(matrix[:, uncovered] > 0, axis=1)
        for column, kept in zip(self._columns, keep.tolist(), strict=True):
            if not kept:
                self._pruned.add(column.tobytes())
        self._columns = [c for c, k in zip(self._columns, keep.tolist(), strict=True) if k]
        self._sticky = [s for s, k in zip(self._sticky, keep.tolist(), strict=True) if k]
        self._keys = {c.tobytes() for c in self._columns}
        return keep

    def matrix(self) -> np.ndarray:
        return np.array(self._columns, dtype=np.int64)


def restricted_optimum(
    a: np.ndarray, sizes: np.ndarray, q: np.ndarray, gap: float, deadline: Deadline
) -> np.ndarray:
    """Maximize sum_g s_g log (a q)_g over the simplex, starting near q (zeros allowed).

    Primal-dual interior point (Mehrotra predictor-corrector) on the optimality conditions
    grad_j - lam + z_j = 0, q_j z_j = 0, q, z >= 0, sum q = 1, where grad = a^T (s / a q).
    Every column's gradient is then at most lam + |residual|, and lam = n + q.z - q.residual,
    so it stops once (q.z + 2 max|residual|) / n <= gap: the relative Frank-Wolfe gap over
    these columns. `a` is (groups, columns); the Newton system is solved in the scaled
    variables dq / q, which keeps it well conditioned however small some q_j get.
    """
    m = a.shape[1]
    if m == 1:
        return np.ones(1)
    n = float(sizes.sum())
    q = np.maximum(np.asarray(q, dtype=np.float64), 0.0)
    q = (1.0 - INTERIOR_SHARE) * q / q.sum() + INTERIOR_SHARE / m
    gradient = a.T @ (sizes / (a @ q))
    lam = n
    z = np.maximum(lam - gradient, 0.0) + INTERIOR_SHARE * n / (m * m * q)
    root = np.sqrt(sizes)
    floor = FLOOR * n / m  # never aim q z below this: the system stays well conditioned
    best = np.inf
    best_q: np.ndarray = q
    recent: deque[float] = deque([np.inf], maxlen=MERIT_WINDOW)  # (see `damped_steps`)
    for _ in range(MAX_NEWTON):
        deadline.check("the Nash welfare optimization")
        y = a @ q
        gradient = a.T @ (sizes / y)
        dual_residual = gradient - lam + z
        primal_residual = 1.0 - q.sum()
        complementarity = float(q @ z)
        measure = complementarity + 2.0 * float(np.max(np.abs(dual_residual)))
        if measure < best and abs(primal_residual) <= 1e-12:
            best, best_q = measure, q / q.sum()
            if best <= gap * n:
                return best_q
        scaled = a * (root / y)[:, None] * q[None, :]  # B Q with B = diag(sqrt(s)/y) a
        system = scaled.T @ scaled
        system[np.diag_indices_from(system)] += q * z
        mu = complementarity / m
        residuals = (dual_residual, primal_residual)
        dq, dlam, dz = newton_direction(system, q, z, residuals, np.zeros(m))
        step_q, step_z = max_step(q, dq), max_step(z, dz)
        affine = float((q + step_q * dq) @ (z + step_z * dz)) / m
        sigma = min(1.0, (affine / mu) ** 3) if mu > 0 else 0.0
        target = np.maximum(sigma * mu - dq * dz, floor)
        dq, dlam, dz = newton_direction(system, q, z, residuals, target)
        step_q = min(1.0, 0.995 * max_step(q, dq))
        step_z = min(1.0, 0.995 * max_step(z, dz))
        step_q, step_z, norm = damped_steps(
            a, sizes, (q, lam, z), (dq, dlam, dz), target, (step_q, step_z), max(recent)
        )
        q = q + step_q * dq
        lam += step_z * dlam
        z = z + step_z * dz
        recent.append(norm)
    if best <= ACCEPTED_RESTRICTED_GAP * n:
        return best_q  # as precise as floating point allows; the pricing certifies the result
    raise SolverFailure("the Nash welfare optimization did not converge")


Point = tuple[np.ndarray, float, np.ndarray]  # (q, lam, z) of the interior-point method


def kkt_norm(a: np.ndarray, sizes: np.ndarray, point: Point, target: np.ndarray) -> float:
    """Norm of the optimality conditions aimed at (dual residual, primal residual, q z - target)
    at `point`; infinite where some group would get no probability."""
    q, lam, z = point
    y = a @ q
    if not (y > 0).all():
        return float("inf")
    dual = a.T @ (sizes / y) - lam + z
    return float(np.sqrt(dual @ dual + (1.0 - q.sum()) ** 2 + np.sum((q * z - target) ** 2)))


def damped_steps(
    a: np.ndarray,
    sizes: np.ndarray,
    point: Point,
    direction: Point,
    target: np.ndarray,
    steps: tuple[float, float],
    reference: float,
) -> tuple[float, float, float]:
    """The primal and dual step lengths to take along the Newton `direction`, and `kkt_norm`
    there: the full `steps` if they bring the norm below `reference` (the largest norm of the
    last `MERIT_WINDOW` iterates: a nonmonotone test), else one common length, halved until the
    norm falls below the current one.

    Newton steps on sum_g s_g log (a q)_g can overshoot: on a pool where two panels mirror each
    other (hypothesis found one of 9 people), full steps jumped between mirror-image points
    forever, at one level of the norm. Mehrotra's steps often raise the norm for a step or two
    on the way to the optimum, so only a norm that stops falling over the window is damped:
    the bundled samples' iterates are exactly those without the test. Along the Newton
    direction with one common length the norm decreases for short enough steps, so the halving
    always ends.
    """
    (q, lam, z), (dq, dlam, dz) = point, direction

    def merit(step_q: float, step_z: float) -> float:
        moved = (q + step_q * dq, lam + step_z * dlam, z + step_z * dz)
        return kkt_norm(a, sizes, moved, target)

    step_q, step_z = steps
    norm = merit(step_q, step_z)
    if norm <= (1.0 - DESCENT * min(step_q, step_z)) * reference:
        return step_q, step_z, norm
    start = merit(0.0, 0.0)  # (only needed once the full steps fail)
    step = min(step_q, step_z)
    norm = merit(step, step)
    while step > MIN_STEP and norm > (1.0 - DESCENT * step) * start:
        step *= 0.5
        norm = merit(step, step)
    return step, step, norm


def newton_direction(
    system: np.ndarray,
    q: np.ndarray,
    z: np.ndarray,
    residuals: tuple[np.ndarray, float],
    target: np.ndarray,
) -> tuple[np.ndarray, float, np.ndarray]:
    """The interior-point Newton step (dq, dlam, dz) towards q z = target.

    `system` is Q H Q + diag(q z), the scaled reduced system; `residuals` are the dual residual
    (per column) and the primal residual 1 - sum q.
    """
    dual_residual, primal_residual = residuals
    right = q * dual_residual + (target - q * z)
    solved = np.linalg.solve(system, np.column_stack((right, q)))
    dlam = (float(q @ solved[:, 0]) - primal_residual) / float(q @ solved[:, 1])
    dq = q * (solved[:, 0] - dlam * solved[:, 1])
    dz = (target - q * z - z * dq) / q
    return dq, dlam, dz


def max_step(x: np.ndarray, dx: np.ndarray) -> float:
    """Largest step keeping x + step * dx >= 0 (capped at 1 for the predictor)."""
    negative = dx < 0
    if not negative.any():
        return 1.0
    return min(1.0, float(np.min(-x[negative] / dx[negative])))


def single_threaded_blas() -> threadpool_limits:
    """Run numpy's dense linear algebra on one thread while inside (a context manager).

    OpenBLAS (or MKL) splits even these small systems over threads that spin while they wait; on
    a machine whose cores are busy that makes each Newton step about ten times slower.
    """
    return threadpool_limits(limits=1, user_api="blas")


def geometric_mean(p: np.ndarray, sizes: np.ndarray, reachable: np.ndarray) -> float:
    """Geometric mean of the selection probabilities of everyone who can be selected."""
    return float(np.exp(sizes[reachable] @ np.log(p[reachable]) / sizes[reachable].sum()))
