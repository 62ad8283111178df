"""MAXENTROPY: the uniform distribution over all valid panels of people, counted exactly.

Every panel of people that keeps the quotas and household rules is equally likely. A panel is a
composition over the groups of interchangeable people plus a choice of members inside each
group, so composition c stands for N_c = prod_g C(s_g, c_g) panels and the uniform distribution
gives it probability N_c / N, N = sum_c N_c. Every registrant of group g is then selected with
probability sum_c N_c c_g / (s_g N): exactly the per-person probabilities of the uniform
distribution, which are what this algorithm reports (integer counts, one correctly rounded
division per composition).

The draw picks a composition with probability N_c / N and its members by the package's rotation
rule inside each group, as for every algorithm (so `verify` and the ticket lottery apply
unchanged): the composition law and every person's probability are the uniform law's; within a
composition the people are chosen by rotation, not uniformly among all C(s_g, c_g) subsets.
`details["uniform_entropy_bits"]` is log2 N, the entropy of the uniform law itself;
`Distribution.entropy_bits` is the entropy of the draw as performed.

Counting enumerates the valid compositions (`enumeration.valid_compositions`). When there are
more than `ENUMERATION_LIMIT` (or the search gives up), the uniform law is estimated instead by
the swap chain of `maxentropy_sampler` and the result says so: `exact=False`, labelled
"estimated from N draws" (N the effective sample size), with its R-hat and 99% half-width.
"""

from __future__ import annotations

import math

import numpy as np

from sortition.algorithms.enumeration import panels_per_composition, valid_compositions
from sortition.algorithms.maxentropy_sampler import sample_uniform
from sortition.algorithms.nash import refuse_chance_factors
from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas
from sortition.instance import Instance
from sortition.options import SolveOptions

ENUMERATION_LIMIT = 20_000  # valid compositions counted at most (the log lists each one)


def solve(instance: Instance, *, rng: np.random.Generator, options: SolveOptions) -> Distribution:
    """The uniform distribution over all valid panels: exact by counting, or estimated by a
    seeded swap chain on pools with more than ENUMERATION_LIMIT valid compositions."""
    refuse_chance_factors(instance, "maxentropy")
    compositions = valid_compositions(instance, ENUMERATION_LIMIT)
    if compositions is None:
        options.report(
            f"maxentropy: more than {ENUMERATION_LIMIT:,} valid compositions, too many to count; "
            "estimating the uniform law with a swap chain"
        )
        return sample_uniform(instance, rng=rng, options=options)
    if len(compositions) == 0:
        raise InfeasibleQuotas(
            "no panel meets every quota and household rule",
            hint="run 'sortition check' to see which quotas conflict and get a corrected table",
        )
    counts = panels_per_composition(instance, compositions)
    total = sum(counts)
    probabilities = np.array([count / total for count in counts], dtype=np.float64)
    options.report(
        f"maxentropy: {total} valid panels in {len(compositions)} compositions, counted exactly"
    )
    return Distribution(
        instance,
        compositions,
        probabilities,
        "maxentropy",
        True,
        {
            "valid_panels": str(total),  # may exceed JSON's safe integers
            "valid_compositions": len(compositions),
            "uniform_entropy_bits": math.log2(total),
        },
    )
