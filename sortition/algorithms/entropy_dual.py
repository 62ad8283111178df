"""Maximum entropy over a finite set of panels with given expected counts, by its smooth dual.

Over compositions x_c (rows of `columns`) with a bonus b_c (the entropy, in nats, the draw adds
inside composition c: `distribution.rotation_entropy_bits`), maximize

    sum_c q_c (b_c - ln q_c)   subject to   sum_c q_c x_c = t,  sum_c q_c = 1,  q >= 0.

Its Lagrange dual is unconstrained and smooth: q_c is proportional to exp(b_c + lambda.(x_c - t))
and lambda minimizes f(lambda) = ln sum_c exp(b_c + lambda.(x_c - t)), whose gradient is the
expected counts minus t; min f equals the maximum entropy (strong duality), so the gradient's
size measures how far the marginals are from the targets. `maximize_entropy` runs Newton's
method (the Hessian is the covariance of x under q, singular along directions every column
agrees on, so each step is solved on its range) and a backtracking line search. The minimum is
finite exactly when t lies in the relative interior of the columns' convex hull;
`usable_columns` finds the columns some distribution with expected counts t can give positive
probability (one LP), which puts t there.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from sortition.algorithms.nash import single_threaded_blas
from sortition.errors import SolverFailure
from sortition.panel.solver import Deadline, quiet_highs

GRADIENT_TOLERANCE = 1e-10  # largest miss of an expected count accepted by Newton's method
MAX_NEWTON = 200
HESSIAN_WEIGHT = 1e-14  # columns lighter than this share of the heaviest leave the Hessian
EIGEN_FLOOR = 1e-12  # relative eigenvalue below which a direction counts as flat
ARMIJO = 1e-4
MIN_STEP = 1e-12  # the line search gives up below this step
FLAT = 1e-14  # relative change of f that rounding can hide
TAU_LIMIT = 1e6  # the LP below finds columns that can carry a share of 1 / TAU_LIMIT or more
USABLE = 1e-3  # ... and keeps those that reach this share of that (share >= 1e-9)


@dataclass(frozen=True)
class EntropyOptimum:
    """Probabilities over the columns, the entropy (nats) and the dual weights lambda."""

    q: np.ndarray
    entropy: float
    dual: float  # f(lambda) >= the maximum entropy over these columns (weak duality), nats
    weights: np.ndarray  # lambda, one per group (0 on groups no column varies)
    miss: float  # largest |expected count - target| left
    iterations: int  # Newton steps taken


def maximize_entropy(
    columns: np.ndarray,
    bonus: np.ndarray,
    target: np.ndarray,
    deadline: Deadline,
    start: np.ndarray | None = None,
    tolerance: float = GRADIENT_TOLERANCE,
) -> EntropyOptimum:
    """The maximum-entropy distribution over `columns` (P, G) with expected counts `target`.

    Newton's method stops once every expected count is within `tolerance` of its target (or
    after MAX_NEWTON steps, or when floating point allows no progress); the caller checks
    `miss`. `start` is a warm start for lambda.
    """
    x = np.asarray(columns, dtype=np.float64)
    d_full = x - np.asarray(target, dtype=np.float64)[None, :]
    varying = np.flatnonzero(np.any(d_full != 0.0, axis=0))
    d = np.ascontiguousarray(d_full[:, varying])
    b = np.asarray(bonus, dtype=np.float64)
    lam = np.zeros(len(varying)) if start is None else np.asarray(start)[varying].copy()
    with single_threaded_blas():
        value, q, gradient = _evaluate(d, b, lam)
        iterations = 0
        while iterations < MAX_NEWTON:
            deadline.check("the maximum-entropy optimization")
            if len(varying) == 0 or float(np.max(np.abs(gradient))) <= tolerance:
                break
            iterations += 1
            step = _newton_step(d, q, gradient)
            slope = float(gradient @ step)
            if slope >= 0:  # rounding cost the descent: fall back to the gradient
                step, slope = -gradient, -float(gradient @ gradient)
            size, accepted = 1.0, False
            largest = float(np.max(np.abs(gradient)))
            while size >= MIN_STEP and not accepted:
                trial = lam + size * step
                new_value, new_q, new_gradient = _evaluate(d, b, trial)
                # near the optimum f is flat to rounding: then a smaller gradient is progress
                flat = new_value <= value + FLAT * max(1.0, abs(value))
                accepted = new_value <= value + ARMIJO * size * slope or (
                    flat and float(np.max(np.abs(new_gradient))) < largest
                )
                size *= 0.5
            if not accepted:
                break  # no further progress in floating point
            lam, value, q, gradient = trial, new_value, new_q, new_gradient
    miss = float(np.max(np.abs(gradient))) if len(varying) else 0.0
    weights = np.zeros(x.shape[1])
    weights[varying] = lam
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = float(q @ (b - np.where(q > 0, np.log(q), 0.0)))
    return EntropyOptimum(q, entropy, max(value, entropy), weights, miss, iterations)


def _evaluate(
    d: np.ndarray, b: np.ndarray, lam: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """f(lambda) = ln sum exp(b + d lambda), the probabilities q and the gradient d^T q."""
    logits = b + d @ lam
    top = float(np.max(logits))
    weights = np.exp(logits - top)
    total = float(weights.sum())
    q = weights / total
    return top + float(np.log(total)), q, d.T @ q


def _newton_step(d: np.ndarray, q: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """Solve H s = -gradient with H = d^T diag(q) d - g g^T, the covariance of the columns
    under q, on its range (eigenvalues above EIGEN_FLOOR of the largest; the others are the
    directions every column agrees on). Columns of negligible weight are left out of H."""
    heavy = q >= HESSIAN_WEIGHT * float(q.max())
    dq = d[heavy] * np.sqrt(q[heavy])[:, None]
    hessian = dq.T @ dq - np.outer(gradient, gradient)
    values, vectors = np.linalg.eigh(hessian)
    keep = values > EIGEN_FLOOR * max(float(values[-1]), 1e-300)
    basis = vectors[:, keep]
    step: np.ndarray = -basis @ ((basis.T @ gradient) / values[keep])
    return step


def usable_columns(columns: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Mask of the columns that some distribution with expected counts `target` gives a share
    of at least about 1e-9 (Goldman and Tucker's strictly complementary LP, homogenized).

    Maximize sum_c y_c over y_c <= q_c, 0 <= y <= 1, sum_c q_c x_c = tau t, sum_c q_c = tau,
    0 <= tau <= TAU_LIMIT: the feasible q form a cone, so a column that can carry share s in
    some distribution reaches y_c = 1 when s * TAU_LIMIT >= 1. Raises SolverFailure if no
    distribution over the columns meets the target.
    """
    x = np.asarray(columns, dtype=np.float64)
    count, groups = x.shape
    h = quiet_highs()
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    costs = np.concatenate([np.zeros(count), np.ones(count), [0.0]])
    upper = np.concatenate([np.full(count, highspy.kHighsInf), np.ones(count), [TAU_LIMIT]])
    none = np.zeros(2 * count + 2, dtype=np.int32)
    h.addCols(2 * count + 1, costs, np.zeros(2 * count + 1), upper, 0, none, none[:0], costs[:0])
    # rows g: sum_c x_cg q_c - t_g tau = 0; then sum_c q_c - tau = 0; then y_c - q_c <= 0
    dense = np.vstack([x.T, np.ones((1, count))])
    rhs = np.concatenate([np.asarray(target, dtype=np.float64), [1.0]])
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    for row in range(groups + 1):
        nz = np.flatnonzero(dense[row])
        starts.append(len(indices))
        indices.extend([*nz.tolist(), 2 * count])
        values.extend([*dense[row, nz].tolist(), -float(rhs[row])])
    for c in range(count):
        starts.append(len(indices))
        indices.extend([c, count + c])
        values.extend([-1.0, 1.0])
    rows = groups + 1 + count
    lower = np.concatenate([np.zeros(groups + 1), np.full(count, -highspy.kHighsInf)])
    h.addRows(
        rows,
        lower,
        np.zeros(rows),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=np.float64),
    )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolverFailure("the search for usable panels did not solve to optimality")
    solution = np.asarray(h.getSolution().col_value)
    if solution[2 * count] <= 0.5:
        raise SolverFailure("no distribution over the valid panels meets the target probabilities")
    usable: np.ndarray = solution[count : 2 * count] >= USABLE
    return usable
