"""Can the hard rules hold? If so, one seating that keeps them; if not, which rules conflict.

The rules are the same in every round, so one round decides. Checks, cheapest first, each naming
the rules involved in its error:

1. a keep-together group (or groups merged by a shared member) larger than the largest table;
2. a keep-apart pair whose members are kept together (by one group or a chain of groups);
3. more units that must pairwise sit apart (a clique of keep-apart pairs) than there are tables;
4. otherwise a greedy packing of the units under rules (largest first, most constrained first)
   usually finds a seating; when it does not, an integer program over those units decides, and if
   it is infeasible a deletion filter drops one rule at a time while the rest stay infeasible,
   leaving a minimal set of rules that conflict, which the error lists.

Members under no rule fill the seats left, so only units under rules enter the program.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pulp

from sortition.errors import InfeasibleSeating, SolverFailure
from sortition.panel.solver import Deadline, LiveModel, SolveStatus
from sortition.tables.model import (
    KeepApart,
    KeepTogether,
    SeatingProblem,
    merge_groups,
    shown_rows,
)
from sortition.text import phrase_list

FEASIBILITY_SECONDS = 60.0  # for the integer program, when no time limit is given


def feasible_seating(problem: SeatingProblem, *, time_limit: float | None = None) -> np.ndarray:
    """A table (0-based) for every member that keeps every hard rule, for one round; raises
    InfeasibleSeating naming the conflicting rules when there is none."""
    _check_group_sizes(problem)
    _check_apart_inside_groups(problem)
    _check_cliques(problem)
    units = problem.units
    ruled = _ruled_units(problem)
    edges = _unit_edges(problem)
    placed = _greedy_pack(problem, ruled, edges)
    if placed is None:
        placed = _ilp_pack(problem, ruled, edges, time_limit)
    if placed is None:
        raise _conflict_error(problem, time_limit)
    return _fill(problem, {ruled[k]: placed[k] for k in range(len(ruled))}, units)


# ---------------------------------------------------------------------------------------------
# Direct checks


def _groups_in_unit(problem: SeatingProblem, members: Sequence[int]) -> list[KeepTogether]:
    inside = set(members)
    return [g for g in problem.together if inside.intersection(g.members)]


def _check_group_sizes(problem: SeatingProblem) -> None:
    largest = int(problem.sizes.max())
    for members in problem.units:
        if len(members) <= largest:
            continue
        groups = _groups_in_unit(problem, members)
        tables = _tables_phrase(problem)
        raise InfeasibleSeating(
            f"{groups[0].describe()} has {len(members)} members, but {tables} seat at most "
            f"{largest}"
            if len(groups) == 1
            else f"keep-together groups that share members hold {len(members)} members together, "
            f"but {tables} seat at most {largest}: {phrase_list([g.describe() for g in groups])}",
            hint="split the group, or raise --table-size",
        )


def _check_apart_inside_groups(problem: SeatingProblem) -> None:
    unit_of = problem.unit_of
    for pair in problem.apart:
        if unit_of[pair.a] != unit_of[pair.b]:
            continue
        chain = _group_chain(problem, pair.a, pair.b)
        pair_text = pair.describe(problem.ids)
        raise InfeasibleSeating(
            f"{pair_text} must sit apart, but {chain[0].describe()} keeps them together"
            if len(chain) == 1
            else f"{pair_text} must sit apart, but keep-together groups that share members keep "
            f"them together: {phrase_list([g.describe() for g in chain])}",
            hint="remove the pair from one of the two files",
        )


def _group_chain(problem: SeatingProblem, a: int, b: int) -> list[KeepTogether]:
    """The shortest chain of keep-together groups, each sharing a member with the next, that
    leads from member a to member b."""
    groups = list(problem.together)
    start = [k for k, g in enumerate(groups) if a in g.members]
    previous: dict[int, int | None] = dict.fromkeys(start)
    queue = deque(start)
    while queue:
        k = queue.popleft()
        if b in groups[k].members:
            chain = [groups[k]]
            back = previous[k]
            while back is not None:
                chain.append(groups[back])
                back = previous[back]
            return chain[::-1]
        for m, other in enumerate(groups):
            if m not in previous and set(other.members) & set(groups[k].members):
                previous[m] = k
                queue.append(m)
    return []


def _check_cliques(problem: SeatingProblem) -> None:
    graph = nx.Graph()
    unit_of = problem.unit_of
    for pair in problem.apart:
        graph.add_edge(int(unit_of[pair.a]), int(unit_of[pair.b]))
    tables = problem.num_tables
    largest: list[int] = []
    for clique in nx.find_cliques(graph):
        if len(clique) > len(largest) or (len(clique) == len(largest) and sorted(clique) < largest):
            largest = sorted(clique)
    if len(largest) <= tables:
        return
    inside = set(largest)
    pairs = [p for p in problem.apart if unit_of[p.a] in inside and unit_of[p.b] in inside]
    shown = [_unit_text(problem, u) for u in largest[:12]] + (["..."] if len(largest) > 12 else [])
    groups = [
        g.describe()
        for g in _groups_in_unit(problem, [m for u in largest for m in problem.units[u]])
    ]
    by = _pairs_phrase(pairs)
    raise InfeasibleSeating(
        f"{len(largest)} members or groups must all sit at different tables: "
        f"{', '.join(shown)} (by {by}), but there are only {tables} tables"
        if not groups
        else f"{len(largest)} members or groups must all sit at different tables: "
        f"{', '.join(shown)} (by {by}), but there are only {tables} tables; the groups: "
        f"{phrase_list(groups)}",
        hint="remove some of these keep-apart pairs, or lower --table-size to get more tables",
    )


def _unit_text(problem: SeatingProblem, u: int) -> str:
    members = [problem.ids[m] for m in problem.units[u]]
    return members[0] if len(members) == 1 else "{" + ", ".join(members) + "}"


def _pairs_phrase(pairs: Sequence[KeepApart]) -> str:
    """How many keep-apart pairs, and where they are written."""
    rows = sorted({p.row for p in pairs if p.row is not None})
    source = next((p.source for p in pairs if p.source), None)
    shown = shown_rows(rows, limit=10)
    if not rows:
        return f"{len(pairs)} keep-apart pairs"
    return (
        f"{len(pairs)} keep-apart pairs ({source}, rows {shown})"
        if source
        else f"{len(pairs)} keep-apart pairs (rows {shown})"
    )


def _tables_phrase(problem: SeatingProblem) -> str:
    sizes = problem.sizes
    if sizes.min() == sizes.max():
        return f"the {len(sizes)} tables of {sizes[0]}"
    return f"the {len(sizes)} tables of {sizes.min()} or {sizes.max()}"


# ---------------------------------------------------------------------------------------------
# Packing units under rules


def _ruled_units(problem: SeatingProblem) -> list[int]:
    """Units of more than one member or in a keep-apart pair, largest and busiest first."""
    unit_of = problem.unit_of
    degree = np.zeros(len(problem.units), dtype=np.int64)
    for pair in problem.apart:
        degree[unit_of[pair.a]] += 1
        degree[unit_of[pair.b]] += 1
    ruled = [u for u, m in enumerate(problem.units) if len(m) > 1 or degree[u] > 0]
    return sorted(ruled, key=lambda u: (-len(problem.units[u]), -degree[u], u))


def _unit_edges(problem: SeatingProblem) -> set[tuple[int, int]]:
    unit_of = problem.unit_of
    edges = set()
    for pair in problem.apart:
        a, b = int(unit_of[pair.a]), int(unit_of[pair.b])
        edges.add((min(a, b), max(a, b)))
    return edges


def _greedy_pack(
    problem: SeatingProblem, ruled: list[int], edges: set[tuple[int, int]]
) -> list[int] | None:
    """Each ruled unit at the allowed table with the most free seats (lowest number on ties)."""
    free = problem.sizes.copy()
    neighbours: dict[int, set[int]] = {u: set() for u in ruled}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    table_of: dict[int, int] = {}
    for u in ruled:
        size = len(problem.units[u])
        banned = {table_of[v] for v in neighbours[u] if v in table_of}
        options = [t for t in range(len(free)) if free[t] >= size and t not in banned]
        if not options:
            return None
        best = max(options, key=lambda t: (free[t], -t))
        table_of[u] = best
        free[best] -= size
    return [table_of[u] for u in ruled]


def _ilp_pack(
    problem: SeatingProblem,
    ruled: list[int],
    edges: set[tuple[int, int]],
    time_limit: float | None,
) -> list[int] | None:
    """The table of each ruled unit from an integer program; None if it is infeasible."""
    sizes = [len(problem.units[u]) for u in ruled]
    position = {u: k for k, u in enumerate(ruled)}
    local = [(position[a], position[b]) for a, b in sorted(edges)]
    return solve_packing(sizes, local, problem.sizes, time_limit)


def solve_packing(
    unit_sizes: Sequence[int],
    edges: Sequence[tuple[int, int]],
    capacities: Sequence[int] | np.ndarray,
    time_limit: float | None,
) -> list[int] | None:
    """Tables for units of the given sizes, within the capacities, no edge inside a table;
    None when impossible. Tables of equal capacity are interchangeable, so unit k may only go to
    the j-th table of a capacity with j <= k (symmetry breaking)."""
    tables = len(capacities)
    model = pulp.LpProblem("seating_rules", pulp.LpMinimize)
    x = {
        (k, t): pulp.LpVariable(f"x_{k}_{t}", cat="Binary")
        for k in range(len(unit_sizes))
        for t in range(tables)
    }
    first = {int(c): next(t for t in range(tables) if capacities[t] == c) for c in capacities}
    for k in range(len(unit_sizes)):
        model += pulp.lpSum(x[k, t] for t in range(tables)) == 1
        for t in range(tables):
            if t - first[int(capacities[t])] > k:  # the j-th table of its size, j > k
                model += x[k, t] == 0
    for t in range(tables):
        model += pulp.lpSum(unit_sizes[k] * x[k, t] for k in range(len(unit_sizes))) <= int(
            capacities[t]
        )
    for a, b in edges:
        for t in range(tables):
            model += x[a, t] + x[b, t] <= 1
    variables = list(x.values())
    model += pulp.lpSum(0 * v for v in variables[:1])
    live = LiveModel(model, variables, "highs", Deadline(time_limit or FEASIBILITY_SECONDS))
    live.set_objective(np.zeros(len(variables)), maximize=False)
    result = live.solve()
    if result.status == SolveStatus.INFEASIBLE:
        return None
    if result.status != SolveStatus.OPTIMAL:
        raise SolverFailure(
            "could not decide within the time limit whether the keep-together and keep-apart "
            "rules can all hold",
            hint="raise --time-limit, or simplify the rules",
        )
    values = result.values.reshape(len(unit_sizes), tables)
    return [int(np.argmax(row)) for row in values]


def _fill(
    problem: SeatingProblem, placed: dict[int, int], units: Sequence[Sequence[int]]
) -> np.ndarray:
    """Seat the placed units, then everyone else in member order at the first free seat."""
    table = np.full(problem.n, -1, dtype=np.int64)
    free = problem.sizes.copy()
    for u, t in placed.items():
        table[list(units[u])] = t
        free[t] -= len(units[u])
    t = 0
    for u, members in enumerate(units):
        if u in placed:
            continue
        while free[t] == 0:
            t += 1
        table[members[0]] = t
        free[t] -= 1
    return table


# ---------------------------------------------------------------------------------------------
# Naming the conflict


def _conflict_error(problem: SeatingProblem, time_limit: float | None) -> InfeasibleSeating:
    """Drop rules one at a time while the others still conflict; list what remains."""
    together = list(problem.together)
    apart = list(problem.apart)
    k = 0
    while k < len(together):
        if not _packable(problem, together[:k] + together[k + 1 :], apart, time_limit):
            del together[k]
        else:
            k += 1
    k = 0
    while k < len(apart):
        if not _packable(problem, together, apart[:k] + apart[k + 1 :], time_limit):
            del apart[k]
        else:
            k += 1
    named = [g.describe() for g in together] + [p.describe(problem.ids) for p in apart]
    message = (
        f"these {len(named)} rules cannot all hold at {_tables_phrase(problem)}: "
        f"{phrase_list(named)}"
    )
    return InfeasibleSeating(
        message,
        hint="drop or change one of them, or change --table-size",
    )


def _packable(
    problem: SeatingProblem,
    together: Sequence[KeepTogether],
    apart: Sequence[KeepApart],
    time_limit: float | None,
) -> bool:
    units = merge_groups(problem.n, [g.members for g in together])
    unit_of = np.empty(problem.n, dtype=np.int64)
    for u, members in enumerate(units):
        unit_of[list(members)] = u
    if any(unit_of[p.a] == unit_of[p.b] for p in apart):
        return False
    if max(len(m) for m in units) > problem.sizes.max():
        return False
    edges = {(min(unit_of[p.a], unit_of[p.b]), max(unit_of[p.a], unit_of[p.b])) for p in apart}
    degree: dict[int, int] = {}
    for a, b in edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    ruled = [u for u, m in enumerate(units) if len(m) > 1 or u in degree]
    ruled.sort(key=lambda u: (-len(units[u]), -degree.get(u, 0), u))
    position = {u: k for k, u in enumerate(ruled)}
    sizes = [len(units[u]) for u in ruled]
    local = [(position[int(a)], position[int(b)]) for a, b in sorted(edges)]
    return solve_packing(sizes, local, problem.sizes, time_limit) is not None
