"""Every valid panel composition of a small pool, and how many panels of people each stands for.

Used where an algorithm is exact only over all panels (MAXENTROPY's uniform distribution, and
FAIR-MAXENTROPY's certified optimum on small pools). A composition says how many members each
group of `instance.groups` contributes; composition c stands for prod_g C(s_g, c_g) panels of
people. The search is a depth-first walk over the groups in order, pruned by every row of
`PanelRules` (panel size, quotas, households): a count is tried only if the rows it touches stay
within their upper bounds and every row can still reach its lower bound with the groups left.
It gives up (returns None) beyond a number of compositions or of search nodes, so callers can
refuse instead of running for hours.
"""

from __future__ import annotations

import math

import numpy as np

from sortition.instance import Instance
from sortition.panel.rules import PanelRules

NODES_PER_COMPOSITION = 3  # search nodes allowed per composition of the limit (dead ends)
MAX_GROUPS = 500  # deeper searches (one level per group) are never tractable: refused at once


def valid_compositions(instance: Instance, limit: int) -> np.ndarray | None:
    """All valid compositions (P, G) in lexicographic order of the group counts (deterministic),
    or None if there are more than `limit` of them (or the search needs too many nodes)."""
    rules = PanelRules.of(instance)
    if len(rules.unit_sizes) > MAX_GROUPS:
        return None
    sizes = rules.unit_sizes.tolist()
    groups = len(sizes)
    k = rules.panel_size
    lower, upper = rules.row_lower, rules.row_upper
    # rows of every group (panel size first), and what the groups from g on can add to each row
    rows_of = [rules.rows_of(g) for g in range(groups)]
    capacity = np.zeros((groups + 1, rules.num_rows), dtype=np.int64)
    for g in range(groups - 1, -1, -1):
        capacity[g] = capacity[g + 1]
        capacity[g, rows_of[g]] += min(sizes[g], k)
    found: list[list[int]] = []
    counts = [0] * groups
    usage = np.zeros(rules.num_rows, dtype=np.int64)
    budget = [NODES_PER_COMPOSITION * limit + 20_000]

    def walk(g: int) -> bool:
        """Extend counts[:g]; False once a limit is passed."""
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if g == groups:
            if np.all(usage >= lower):
                if len(found) >= limit:
                    return False
                found.append(list(counts))
            return True
        rows = rows_of[g]
        room = int(np.min(upper[rows] - usage[rows]))
        for count in range(min(sizes[g], room), -1, -1):
            usage[rows] += count
            reachable = bool(np.all(usage + capacity[g + 1] >= lower))
            if reachable:
                counts[g] = count
                if not walk(g + 1):
                    usage[rows] -= count
                    return False
            usage[rows] -= count
        counts[g] = 0
        return True

    if not walk(0):
        return None
    if not found:
        return np.zeros((0, groups), dtype=np.int64)
    table = np.array(found, dtype=np.int64)
    order = np.lexsort(table.T[::-1])
    return table[order]


def panels_per_composition(instance: Instance, compositions: np.ndarray) -> list[int]:
    """How many panels of people each composition stands for: prod_g C(s_g, c_g), exactly."""
    sizes = instance.groups.sizes.tolist()
    out = []
    for row in np.asarray(compositions, dtype=np.int64).tolist():
        count = 1
        for g, c in enumerate(row):
            if c:
                count *= math.comb(sizes[g], c)
        out.append(count)
    return out
