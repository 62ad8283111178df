"""MAXENTROPY's approximate path: a seeded Markov chain whose stationary law is uniform over all
valid panels of people, for pools too large to count (labelled "estimated", never "exact").

A step picks one panel member and one registrant off the panel, each uniformly at random, and
swaps them if the panel still keeps every rule (`PanelRules`); otherwise it stays. The proposal
is symmetric, so the uniform law over the panels the chain can reach is stationary. Only the
composition matters for the rules, and under the uniform law the members inside each group are
a uniform subset given the composition, so the chain runs on compositions (the member leaving is
from group g with probability c_g / k, the one entering from h with (s_h - c_h) / (n - k)).

Diagnostic: `CHAINS` chains from different starting panels (best panels for random weights),
each with a burn-in, then `SAMPLES` compositions `THIN` steps apart. For every group's count,
the Gelman-Rubin R-hat across chains and the effective sample size (batch means) are computed;
if the largest R-hat exceeds `RHAT_LIMIT` the run fails (the chains disagree: too few steps, or
single swaps cannot connect the valid panels under these quotas). Chains from several starts
can still all miss a region single swaps cannot reach; R-hat only detects disagreement.

Result: the empirical distribution over the sampled compositions (what a draw, a lottery and
`verify` use, as for LEGACY), `exact=False`, `details["draws"]` the smallest effective sample
size (compare's 99% intervals use it), `details["ci99_half_width"]` the largest 99% half-width
of a registrant's estimated probability of the uniform law, and the R-hat.
"""

from __future__ import annotations

import numpy as np

from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas, SolverFailure
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.model import PanelModel
from sortition.panel.rules import PanelRules
from sortition.panel.solver import Deadline

CHAINS = 4
SAMPLES = 1000  # compositions kept per chain
THIN = 20  # swap proposals between kept compositions
BURN_IN = 20 * SAMPLES  # proposals discarded at the start of each chain
BATCHES = 20  # batch means for the effective sample size
RHAT_LIMIT = 1.05
Z99 = 2.5758  # two-sided 99% normal quantile


def sample_uniform(
    instance: Instance, *, rng: np.random.Generator, options: SolveOptions
) -> Distribution:
    """The uniform law over valid panels, estimated by `CHAINS` swap chains (module docstring)."""
    deadline = Deadline(options.time_limit)
    rules = PanelRules.of(instance)
    sizes = rules.unit_sizes
    model = PanelModel(instance, solver=options.solver, deadline=deadline)
    samples = []
    for chain in range(CHAINS):
        start = model.best(rng.random(len(sizes)))
        if start is None:
            raise InfeasibleQuotas(
                "no panel meets every quota and household rule",
                hint="run 'sortition check' to see which quotas conflict",
            )
        samples.append(_run_chain(rules, start, rng, deadline))
        options.report(f"maxentropy: chain {chain + 1} of {CHAINS} sampled")
    counts = np.stack(samples)  # (chains, samples, groups)
    rhat, ess = _diagnostics(counts)
    worst = float(rhat.max()) if len(rhat) else 1.0
    if worst > RHAT_LIMIT:
        raise SolverFailure(
            f"the maxentropy sampler's chains disagree (largest R-hat {worst:.3f}, at most "
            f"{RHAT_LIMIT} accepted): single swaps do not mix on this pool",
            hint="use --algorithm fair-maxentropy, or loosen the quotas",
        )
    flat = counts.reshape(-1, counts.shape[2])
    rows, frequency = np.unique(flat, axis=0, return_counts=True)
    spread = flat.std(axis=0) / np.maximum(np.sqrt(ess), 1.0) / sizes
    draws = int(np.floor(ess.min())) if len(ess) else len(flat)
    options.report(
        f"maxentropy (estimated): {len(flat)} sampled panels, effective sample size at least "
        f"{draws}, largest R-hat {worst:.3f}, 99% half-width {Z99 * float(spread.max()):.4f}"
    )
    return Distribution(
        instance,
        rows,
        frequency / frequency.sum(),
        "maxentropy",
        False,
        {
            "draws": draws,
            "samples": len(flat),
            "chains": CHAINS,
            "largest_rhat": worst,
            "ci99_half_width": Z99 * float(spread.max()),
            "sampler": "swap chain (Metropolis, uniform stationary law)",
        },
    )


def _run_chain(
    rules: PanelRules, start: np.ndarray, rng: np.random.Generator, deadline: Deadline
) -> np.ndarray:
    """`SAMPLES` compositions of one chain after `BURN_IN` proposals, `THIN` apart."""
    sizes = rules.unit_sizes.tolist()
    k = rules.panel_size
    n = int(sum(sizes))
    lower, upper = rules.row_lower.tolist(), rules.row_upper.tolist()
    rows = [set(rules.rows_of(g).tolist()) for g in range(len(sizes))]
    counts = np.asarray(start, dtype=np.int64).copy()
    usage = rules.usage(counts).tolist()
    kept = np.zeros((SAMPLES, len(sizes)), dtype=np.int64)
    total = BURN_IN + SAMPLES * THIN
    outs = rng.random(total)
    ins = rng.random(total)
    for step in range(total):
        if step % 10_000 == 0:
            deadline.check("the maxentropy sampler")
        g = int(np.searchsorted(np.cumsum(counts), outs[step] * k, side="right"))
        h = int(
            np.searchsorted(np.cumsum(np.asarray(sizes) - counts), ins[step] * (n - k), "right")
        )
        if g != h:
            leaving, entering = rows[g] - rows[h], rows[h] - rows[g]
            if all(usage[r] - 1 >= lower[r] for r in leaving) and all(
                usage[r] + 1 <= upper[r] for r in entering
            ):
                counts[g] -= 1
                counts[h] += 1
                for r in leaving:
                    usage[r] -= 1
                for r in entering:
                    usage[r] += 1
        if step >= BURN_IN and (step - BURN_IN) % THIN == THIN - 1:
            kept[(step - BURN_IN) // THIN] = counts
    return kept


def _diagnostics(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R-hat across chains and effective sample size (batch means) of every varying group."""
    chains, length, _ = counts.shape
    x = counts.astype(np.float64)
    varying = np.flatnonzero(x.reshape(-1, x.shape[2]).std(axis=0) > 0)
    x = x[:, :, varying]
    means = x.mean(axis=1)
    within = x.var(axis=1, ddof=1).mean(axis=0)
    between = length * means.var(axis=0, ddof=1)
    pooled = (length - 1) / length * within + between / length
    rhat = np.sqrt(pooled / np.maximum(within, 1e-300))
    batch = length // BATCHES
    batch_means = x[:, : batch * BATCHES].reshape(chains, BATCHES, batch, -1).mean(axis=2)
    tau = batch * batch_means.var(axis=1, ddof=1).mean(axis=0) / np.maximum(within, 1e-300)
    ess = chains * length / np.maximum(tau, 1.0)
    return rhat, ess
