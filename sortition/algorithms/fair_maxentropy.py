"""FAIR-MAXENTROPY: the most random lottery with given selection probabilities.

Motivated by de Azevedo and Gölz, "Maximally Random Sortition" (2026): among all distributions
over valid panels that give every registrant a target probability (LEXIMIN's by default, or
`SolveOptions.targets`), take the one of maximum entropy, so that no panel is more predictable
than fairness requires. The entropy maximized is that of the draw as this package performs it
(`Distribution.entropy_bits`: a composition, then members by rotation inside each group), so
the figure `compare` shows is the one optimized, and it is never below LEXIMIN's, whose support
is the starting point.

How (`entropy_dual.maximize_entropy` solves each restricted problem by its smooth dual):

- Small pools (at most `EXACT_LIMIT` valid compositions, `enumeration.valid_compositions`):
  every composition is a column; one LP (`entropy_dual.usable_columns`) keeps those that some
  distribution with the target counts can use, and the optimum over them is the optimum over
  all panels, certified by the dual value (`details["entropy_certified"] = "all panels"`).
- Larger pools: the restricted problem starts on the target distribution's own support (where
  the targets are a positive combination, so its optimum is finite) and grows by *exchanges*:
  two used panels trade one member each (a member of group g for one of group h), when both
  results keep every rule. Their sum equals the sum of the two originals, so some distribution
  with the target probabilities uses them: the targets stay met and the entropy can only grow.
  `ROUNDS` rounds (deterministic, seeded from the algorithm's random stream) or until a round
  gains less than `STOP_GAIN` bits. The certified upper bound is then sum_i h(p_i), the sum of
  every registrant's binary entropy (a panel's entropy never exceeds that of its membership
  indicators), which holds for any lottery with these probabilities.

The marginals are checked at the end: every registrant within `MARGINAL_TOLERANCE` of the
target, or the run fails (it never returns other probabilities than those asked for).
"""

from __future__ import annotations

import math
import time

import numpy as np

from sortition.algorithms import leximin
from sortition.algorithms.entropy_dual import (
    EntropyOptimum,
    maximize_entropy,
    usable_columns,
)
from sortition.algorithms.enumeration import valid_compositions
from sortition.algorithms.support import start_master, to_distribution
from sortition.distribution import Distribution, rotation_entropy_bits
from sortition.errors import SolverFailure, UsageError
from sortition.instance import Instance
from sortition.numeric import dot, inner
from sortition.options import SolveOptions
from sortition.panel.rules import PanelRules
from sortition.panel.solver import Deadline

EXACT_LIMIT = 5_000  # valid compositions enumerated at most for the certified optimum
ROUNDS = 8  # exchange rounds on larger pools
PAIRS_PER_ROUND = 400  # used panels paired with a partner each round
EXCHANGES_PER_PAIR = 4  # exchanges kept per pair (the most balanced under the dual weights)
STOP_GAIN = 1e-4  # bits: a round gaining less ends the search
ROUND_TOLERANCE = 1e-5  # expected counts met this closely between rounds (at the end: exactly)
PRUNE_BELOW = 1e-13  # panels lighter than this leave the result
MARGINAL_TOLERANCE = 1e-6  # largest accepted |probability - target| of any registrant


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """Maximum entropy at LEXIMIN's probabilities (or `options.targets`)."""
    started = time.monotonic()
    if options.targets is None:
        base = leximin.solve(instance, rng=rng, options=options)
        person_targets = base.marginals()
    else:
        person_targets = np.asarray(options.targets, dtype=np.float64)
        base = _realize_targets(instance, person_targets, options)
    left = None if options.time_limit is None else options.time_limit - (time.monotonic() - started)
    deadline = Deadline(None if left is None else max(left, 0.0))
    target = dot(base.probabilities, base.compositions.astype(np.float64))  # expected counts
    sizes = instance.groups.sizes
    every = valid_compositions(instance, EXACT_LIMIT)
    if every is not None:
        columns = every[usable_columns(every, target)]
        optimum = maximize_entropy(columns, _bonus(columns, sizes), target, deadline)
        certified, rounds = "all panels", 0
    else:
        columns, optimum, rounds = _exchange_search(instance, base, target, rng, deadline, options)
        certified = "binary entropy bound"
    keep = np.flatnonzero(optimum.q >= PRUNE_BELOW)
    result = Distribution(
        instance, columns[keep], optimum.q[keep] / optimum.q[keep].sum(), "fair-maxentropy", True
    )
    entropy = result.entropy_bits()
    base_entropy = base.entropy_bits()
    if entropy < base_entropy:  # rounding only: the start meets the targets too, and is kept
        result, entropy = base, base_entropy
    miss = float(np.max(np.abs(result.marginals() - person_targets)))
    if miss > MARGINAL_TOLERANCE:
        raise SolverFailure(
            f"fair-maxentropy missed the target probabilities by {miss:.1e} "
            f"(at most {MARGINAL_TOLERANCE:g} is accepted)",
            hint="use --algorithm leximin, or report this pool to the maintainers",
        )
    bound = binary_entropy_bound(result.group_marginals(), sizes)
    if certified == "all panels":
        bound = min(bound, optimum.dual / math.log(2))
    bound = max(bound, entropy)
    details: dict[str, object] = {
        key: base.details[key]
        for key in ("gap", "stopped_at_time_limit", "certificate_weights", "stages")
        if key in base.details
    }
    details.update(
        {
            "targets": "leximin" if options.targets is None else "file",
            "entropy_bits": entropy,
            "entropy_upper_bound_bits": bound,
            "entropy_gap_bits": bound - entropy,
            "entropy_certified": certified,
            "start_entropy_bits": base_entropy,
            "largest_marginal_miss": miss,
            "exchange_rounds": rounds,
            "columns": len(columns),
        }
    )
    options.report(
        f"fair-maxentropy: entropy {entropy:.4f} bits (start {base_entropy:.4f}), upper bound "
        f"{bound:.4f} ({certified}), {result.num_panels} panels, marginals within {miss:.1e}"
    )
    return Distribution(
        instance, result.compositions, result.probabilities, "fair-maxentropy", True, details
    )


def binary_entropy_bound(group_marginals: np.ndarray, sizes: np.ndarray) -> float:
    """sum_i h(p_i) in bits: no lottery with these selection probabilities has more entropy."""
    p = np.clip(np.asarray(group_marginals, dtype=np.float64), 0.0, 1.0)
    inside = (p > 0) & (p < 1)
    pi = p[inside]
    h = -(pi * np.log2(pi) + (1 - pi) * np.log2(1 - pi))
    return inner(sizes[inside], h)


def _bonus(columns: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Entropy (nats) the draw adds inside each composition (rotation within groups)."""
    return np.array([rotation_entropy_bits(c, sizes) * math.log(2) for c in columns])


def _exchange_search(
    instance: Instance,
    base: Distribution,
    target: np.ndarray,
    rng: np.random.Generator,
    deadline: Deadline,
    options: SolveOptions,
) -> tuple[np.ndarray, EntropyOptimum, int]:
    """Grow the columns from the base support by exchanges (module docstring)."""
    sizes = instance.groups.sizes
    rules = PanelRules.of(instance)
    columns = np.array(base.compositions, dtype=np.int64)
    known = {c.tobytes() for c in columns}
    bonus = _bonus(columns, sizes)
    optimum = maximize_entropy(columns, bonus, target, deadline, tolerance=ROUND_TOLERANCE)
    rounds = 0
    for rounds in range(1, ROUNDS + 1):
        found = [
            c
            for c in exchanges(rules, columns, optimum.q, optimum.weights, rng)
            if c.tobytes() not in known
        ]
        unique = {c.tobytes(): c for c in found}
        if not unique:
            break
        known.update(unique)
        added = np.array(list(unique.values()), dtype=np.int64)
        columns = np.vstack([columns, added])
        bonus = np.concatenate([bonus, _bonus(added, sizes)])
        better = maximize_entropy(
            columns, bonus, target, deadline, start=optimum.weights, tolerance=ROUND_TOLERANCE
        )
        gain = (better.entropy - optimum.entropy) / math.log(2)
        optimum = better
        options.report(
            f"fair-maxentropy round {rounds}: {len(columns)} panels, entropy "
            f"{optimum.entropy / math.log(2):.4f} bits (+{gain:.2e}), "
            f"{optimum.iterations} Newton steps"
        )
        if gain < STOP_GAIN:
            break
    final = maximize_entropy(columns, bonus, target, deadline, start=optimum.weights)
    return columns, final, rounds


def exchanges(
    rules: PanelRules,
    columns: np.ndarray,
    q: np.ndarray,
    weights: np.ndarray,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """New panels by exchange: the heaviest used panels each paired with a partner drawn by
    probability; panel c gives a member of group g (c_g > c'_g) for one of group h (c'_h > c_h)
    of its partner c', both results kept only if both keep every rule. Per pair the
    `EXCHANGES_PER_PAIR` most balanced exchanges under the dual weights (the lighter of the two
    new panels as heavy as possible) are kept, both panels of each."""
    usage = rules.usage(columns)
    order = np.argsort(-q, kind="stable")[:PAIRS_PER_ROUND]
    partners = rng.choice(len(q), size=len(order), p=q / q.sum())
    found: list[np.ndarray] = []
    for i, j in zip(order.tolist(), partners.tolist(), strict=True):
        if i == j:
            continue
        first, second = columns[i], columns[j]
        give = np.flatnonzero(first > second)
        take = np.flatnonzero(second > first)
        if not len(give) or not len(take):
            continue
        ok = rules.swap_allowed(usage[i : i + 1], give[:, None], take[None, :])[0]
        ok &= rules.swap_allowed(usage[j : j + 1], take[None, :], give[:, None])[0]
        gs, hs = np.nonzero(ok)
        if not len(gs):
            continue
        shift = weights[take[hs]] - weights[give[gs]]
        balance = np.minimum(inner(weights, first) + shift, inner(weights, second) - shift)
        for pick in np.lexsort((hs, gs, -balance))[:EXCHANGES_PER_PAIR].tolist():
            g, h = int(give[gs[pick]]), int(take[hs[pick]])
            one, two = first.copy(), second.copy()
            one[g] -= 1
            one[h] += 1
            two[h] -= 1
            two[g] += 1
            found += [one, two]
    return found


def _realize_targets(
    instance: Instance, targets: np.ndarray, options: SolveOptions
) -> Distribution:
    """A distribution over valid panels with the given per-person probabilities (the start of
    the search), by one maximin stage asking group g for target_g * z: z >= 1 means met."""
    groups = instance.groups
    group_targets = np.array([targets[m[0]] for m in groups.members])
    for g, members in enumerate(groups.members):
        if np.any(targets[members] != group_targets[g]):
            raise UsageError(
                f"the targets of '{instance.ids[int(members[0])]}' and others with the same "
                "features differ; the draw gives interchangeable people equal chances",
                hint="give registrants with identical features (and no household) equal targets",
            )
    master, _reachable = start_master(instance, options)
    master.retarget(group_targets)
    stage = master.solve_stage()  # level z: every group gets at least z times its target
    realized = to_distribution(instance, master, "fair-maxentropy", {})
    miss = float(np.max(np.abs(realized.group_marginals() - group_targets)))
    if miss > MARGINAL_TOLERANCE:
        raise UsageError(
            f"no lottery over valid panels gives these target probabilities (at most "
            f"{stage.level:.6f} of them can be met together)",
            hint="use targets that some distribution over quota-satisfying panels attains, "
            "e.g. the probabilities.csv of another algorithm",
        )
    return realized
