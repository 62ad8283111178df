"""Tests of `sortition.tables`: the model, reading, the rule check, the incremental search state,
the search against the exact program, the hard rules on random problems, and the outputs."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from helpers.budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.errors import InfeasibleSeating, InputError, MissingColumn, UnknownValue, UsageError
from sortition.randomness import generator_from_seed
from sortition.tables import (
    SearchProgress,
    evaluate,
    quality_line,
    read_problem,
    repeat_lower_bound,
    seat,
)
from sortition.tables.exact import exact_seating
from sortition.tables.feasibility import feasible_seating
from sortition.tables.greedy import greedy_seating
from sortition.tables.metrics import rule_violations
from sortition.tables.model import (
    KeepApart,
    KeepTogether,
    SeatingProblem,
    column_from_cells,
    merge_groups,
    share_bounds,
    table_sizes,
)
from sortition.tables.output import summary_rows, tables_csv
from sortition.tables.seating import result_files
from sortition.tables.state import SearchState

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "assembly-150"
COLUMNS = ["gender", "age_band", "comuna", "education"]


def problem_of(
    values: list[list[int]],
    table_size: int,
    rounds: int,
    *,
    spread: list[list[int]] | None = None,
    together: list[tuple[int, ...]] | None = None,
    apart: list[tuple[int, int]] | None = None,
) -> SeatingProblem:
    """A problem from value codes: values[f][i] is member i's value of balanced column f."""
    spread, together, apart = spread or [], together or [], apart or []
    n = len(values[0]) if values else len(spread[0])
    balance = tuple(
        column_from_cells(f"b{f}", [str(v) for v in col]) for f, col in enumerate(values)
    )
    spreads = tuple(
        column_from_cells(f"s{f}", [str(v) for v in col]) for f, col in enumerate(spread)
    )
    return SeatingProblem(
        tuple(f"m{i}" for i in range(n)),
        table_size,
        rounds,
        balance,
        spreads,
        tuple(KeepTogether(f"g{k}", tuple(sorted(g))) for k, g in enumerate(together)),
        tuple(KeepApart(min(a, b), max(a, b)) for a, b in apart),
    )


# ---------------------------------------------------------------------------------------------
# Model


def test_table_sizes_differ_by_at_most_one():
    assert table_sizes(150, 15).tolist() == [10] * 15
    assert table_sizes(155, 16).tolist() == [10] * 11 + [9] * 5
    p = problem_of([[0] * 23], 10, 1)
    assert p.num_tables == 3 and p.sizes.tolist() == [8, 8, 7]


def test_groups_sharing_a_member_merge_into_one_unit():
    assert merge_groups(6, [(0, 1), (1, 2), (4, 5)]) == ((0, 1, 2), (3,), (4, 5))


def test_share_bounds_are_floor_and_ceiling_of_the_proportional_share():
    column = column_from_cells("g", ["a"] * 76 + ["b"] * 74)
    low, high = share_bounds(column, table_sizes(150, 15), 150)
    assert (low[:, 0] == 5).all() and (high[:, 0] == 6).all()  # 5.07
    assert (low[:, 1] == 4).all() and (high[:, 1] == 5).all()  # 4.93
    exact = column_from_cells("c", ["x"] * 30 + ["y"] * 120)
    low, high = share_bounds(exact, table_sizes(150, 15), 150)
    assert (low[:, 0] == 2).all() and (high[:, 0] == 2).all()  # exactly 2


def test_lower_bound_counts_unavoidable_repeats():
    # one table: everyone meets everyone every round, so all but the first meeting repeat
    assert repeat_lower_bound(problem_of([[0] * 5], 5, 3)) == 2 * 10
    # 8 members at 2 tables of 4 for 3 rounds: each meets 9 of 7 others, at least 2 repeat
    assert repeat_lower_bound(problem_of([[0] * 8], 4, 3)) == 8
    # the bundled case allows none
    assert repeat_lower_bound(problem_of([[0] * 150], 10, 6)) == 0
    # pairs kept together never count
    assert repeat_lower_bound(problem_of([[0] * 4], 4, 3, together=[(0, 1)])) == 2 * 5
    # fewer tables than seats at a table: a table of 8 holds members of at most 5 tables of the
    # round before, so at least 3 of its pairs met there (counting alone allows none)
    assert repeat_lower_bound(problem_of([[0] * 40], 8, 3)) == 2 * 5 * 3
    assert repeat_lower_bound(problem_of([[0] * 30], 6, 4)) == 3 * 5 * 1


def _seatings_of_one_round(sizes: list[int], n: int) -> list[tuple[int, ...]]:
    """Every seating of n members at tables of these sizes (tables of one size unordered)."""
    found = set()
    for order in itertools.permutations(range(n)):
        tables = [0] * n
        start = 0
        for t, size in enumerate(sizes):
            for member in order[start : start + size]:
                tables[member] = t
            start += size
        groups = sorted(
            tuple(sorted(m for m in range(n) if tables[m] == t)) for t in range(len(sizes))
        )
        found.add(tuple(groups))
    return [
        tuple(next(t for t, g in enumerate(groups) if m in g) for m in range(n))
        for groups in sorted(found)
    ]


@settings(max_examples=examples(12), deadline=None)
@given(n=st.integers(4, 7), table_size=st.integers(2, 4), rounds=st.integers(2, 3))
def test_lower_bound_never_exceeds_the_brute_force_fewest_repeats(n, table_size, rounds):
    p = problem_of([[0] * n], table_size, rounds)
    one_round = _seatings_of_one_round(p.sizes.tolist(), n)
    first = one_round[0]  # members are interchangeable: the first round may be fixed
    fewest = min(
        evaluate(p, np.array([first, *rest])).repeated_pairs
        for rest in itertools.product(one_round, repeat=rounds - 1)
    )
    assert repeat_lower_bound(p) <= fewest


# ---------------------------------------------------------------------------------------------
# Reading


def test_reads_the_bundled_sample_with_its_rules():
    p = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=6,
        balance=COLUMNS,
        keep_together=SAMPLE / "keep-together.csv",
        keep_apart=SAMPLE / "keep-apart.csv",
    )
    assert p.n == 150 and p.num_tables == 15
    assert [c.name for c in p.balance] == COLUMNS
    assert [g.name for g in p.together] == ["interprete-mapudungun", "acompanante-1"]
    assert p.together[0].rows == (2, 3, 4)
    assert len(p.apart) == 5 and p.apart[0].row == 2
    # P012 is in a group and in a keep-apart pair: both rules are kept
    assert p.ids[p.apart[3].a] == "P012" or p.ids[p.apart[3].b] == "P012"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_balance_column_names_the_file_and_column(tmp_path):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,M\n")
    with pytest.raises(MissingColumn) as caught:
        read_problem(panel, table_size=2, rounds=1, balance=["age"])
    assert "panel.csv" in str(caught.value) and "'age'" in str(caught.value)


def test_blank_balanced_value_names_row_and_column(tmp_path):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,\n")
    with pytest.raises(InputError) as caught:
        read_problem(panel, table_size=2, rounds=1, balance=["gender"])
    text = str(caught.value)
    assert "row 3" in text and "column 'gender'" in text and "blank" in text


def test_unknown_id_in_a_rule_file_names_row_and_column(tmp_path):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,M\n3,F\n")
    apart = write(tmp_path / "apart.csv", "id_a,id_b\n1,2\n3,9\n")
    with pytest.raises(UnknownValue) as caught:
        read_problem(panel, table_size=2, rounds=1, balance=["gender"], keep_apart=apart)
    text = str(caught.value)
    assert "apart.csv, row 3, column 'id_b'" in text and "'9'" in text


def test_rule_file_without_its_columns_is_refused(tmp_path):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,M\n")
    together = write(tmp_path / "together.csv", "team,id\nx,1\n")
    with pytest.raises(MissingColumn, match="keep-together file has no column 'group'"):
        read_problem(panel, table_size=2, rounds=1, balance=["gender"], keep_together=together)


def test_member_kept_apart_from_themselves_is_refused(tmp_path):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,M\n")
    apart = write(tmp_path / "apart.csv", "id_a,id_b\n1,1\n")
    with pytest.raises(InputError, match="row 2"):
        read_problem(panel, table_size=2, rounds=1, balance=["gender"], keep_apart=apart)


@pytest.mark.parametrize(("size", "rounds"), [(1, 2), (3, 0)])
def test_bad_numbers_are_usage_errors(tmp_path, size, rounds):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,M\n")
    with pytest.raises(UsageError):
        read_problem(panel, table_size=size, rounds=rounds, balance=["gender"])


def test_a_column_both_balanced_and_spread_is_a_usage_error(tmp_path):
    panel = write(tmp_path / "panel.csv", "id,gender\n1,F\n2,M\n")
    with pytest.raises(UsageError, match="both balanced and spread"):
        read_problem(panel, table_size=2, rounds=1, balance=["gender"], spread=["Gender"])


# ---------------------------------------------------------------------------------------------
# The rule check names the conflicting rules


def test_group_larger_than_a_table():
    p = problem_of([[0] * 8], 4, 1, together=[(0, 1, 2, 3, 4)])
    with pytest.raises(InfeasibleSeating) as caught:
        feasible_seating(p)
    text = str(caught.value)
    assert "keep-together group 'g0' has 5 members" in text and "at most 4" in text
    assert caught.value.exit_code == 3


def test_groups_merged_by_a_shared_member_larger_than_a_table():
    p = problem_of([[0] * 8], 4, 1, together=[(0, 1, 2), (2, 3, 4)])
    shared = (
        r"groups that share members hold 5 .*: keep-together group 'g0'; keep-together group 'g1'"
    )
    with pytest.raises(InfeasibleSeating, match=shared):
        feasible_seating(p)


def test_keep_apart_pair_inside_a_chain_of_groups():
    p = problem_of([[0] * 8], 4, 1, together=[(0, 1), (1, 2)], apart=[(0, 2)])
    with pytest.raises(InfeasibleSeating) as caught:
        feasible_seating(p)
    text = str(caught.value)
    assert "keep-apart pair m0/m2" in text and "'g0'" in text and "'g1'" in text


def test_more_members_pairwise_apart_than_tables():
    p = problem_of([[0] * 9], 3, 1, apart=list(itertools.combinations(range(4), 2)))
    with pytest.raises(InfeasibleSeating) as caught:
        feasible_seating(p)
    text = str(caught.value)
    assert "4 members or groups must all sit at different tables: m0, m1, m2, m3" in text
    assert "by 6 keep-apart pairs" in text and "only 3 tables" in text


def test_a_group_and_members_it_is_kept_apart_from_count_as_one_each():
    # {0, 1} together, kept apart from 2 (through 0) and 3 (through 1), and 2 from 3
    p = problem_of([[0] * 6], 3, 1, together=[(0, 1)], apart=[(0, 2), (1, 3), (2, 3)])
    with pytest.raises(InfeasibleSeating) as caught:
        feasible_seating(p)
    text = str(caught.value)
    assert "3 members or groups must all sit at different tables: {m0, m1}, m2, m3" in text
    assert "keep-together group 'g0'" in text and "only 2 tables" in text


def test_groups_that_cannot_be_packed_are_listed_minimally():
    # two tables of 3: three pairs cannot all be kept together; the third member is free
    p = problem_of([[0] * 6], 3, 1, together=[(0, 1), (2, 3), (4, 5)])
    with pytest.raises(InfeasibleSeating) as caught:
        feasible_seating(p)
    text = str(caught.value)
    assert "these 3 rules cannot all hold" in text
    assert all(f"'g{k}'" in text for k in range(3))


def test_conflict_of_packing_and_keep_apart_lists_only_the_rules_involved():
    # two tables of 3: the group {0, 1, 2} fills one, so 3, 4 and 5 share the other, but 4 and
    # 5 are kept apart; 3/4 alone would conflict too (it is dropped first), 0/3 plays no part
    p = problem_of([[0] * 6], 3, 1, together=[(0, 1, 2)], apart=[(3, 4), (4, 5), (0, 3)])
    with pytest.raises(InfeasibleSeating) as caught:
        feasible_seating(p)
    text = str(caught.value)
    assert "these 2 rules cannot all hold at the 2 tables of 3" in text
    assert "'g0'" in text and "m4/m5" in text
    assert "m3/m4" not in text and "m0/m3" not in text


# ---------------------------------------------------------------------------------------------
# The incremental state agrees with recomputation


def test_incremental_state_matches_recomputation_after_random_moves():
    p = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=3,
        balance=COLUMNS[:3],
        spread=COLUMNS[3:],
        keep_together=SAMPLE / "keep-together.csv",
        keep_apart=SAMPLE / "keep-apart.csv",
    )
    rng = generator_from_seed("state")
    start, _ = greedy_seating(p, rng, feasible_seating(p))
    state = SearchState(p, start)
    units = [list(u) for u in p.units if len(u) > 1]
    for step in range(40):
        r = int(rng.integers(p.rounds))
        who = rng.choice(np.flatnonzero(state.singleton), 3, replace=False)
        swaps = state.swap_deltas(r, who)
        for row, i in enumerate(who):
            for j in np.flatnonzero(swaps.allowed[row])[:8]:
                priced = (swaps.balance[row, j], swaps.repeats[row, j], swaps.spread[row, j])
                assert state.move_delta(r, [int(i)], [int(j)]) == priced
        j = int(np.flatnonzero(swaps.allowed[0])[0])
        expected = tuple(
            level + int(change[0, j])
            for level, change in zip(
                state.levels, (swaps.balance, swaps.repeats, swaps.spread), strict=True
            )
        )
        state.exchange(r, [int(who[0])], [j])
        assert state.levels == expected
        if step % 5 == 0:  # a unit of several members against members who sit alone
            unit = units[step % len(units)]
            b = (int(state.seating[r, unit[0]]) + 1) % p.num_tables
            here = state.members(r, b)
            arriving = here[state.singleton[here]][: len(unit)].tolist()
            change = state.move_delta(r, unit, arriving)
            if change is not None:
                before = state.levels
                state.exchange(r, unit, arriving)
                assert tuple(x - y for x, y in zip(state.levels, before, strict=True)) == change
        fresh = SearchState(p, state.seating)
        for name in ("meet", "known", "again", "counts", "cells", "down", "up", "apart_count"):
            assert np.array_equal(getattr(fresh, name), getattr(state, name)), name
        assert state.levels == state.recount() == evaluate(p, state.seating).objective
        assert not rule_violations(p, state.seating)


# ---------------------------------------------------------------------------------------------
# The search reaches the exact optimum on small cases


EXACT_CASES = [
    # (balanced values, spread values, table size, rounds, together, apart)
    ([[0, 0, 0, 0, 1, 1, 1, 1]], [], 4, 3, [], []),  # repeats forced: the bound (8) is loose
    ([[0, 1, 0, 1, 0, 1, 0, 1, 0]], [[0, 0, 1, 1, 2, 2, 0, 1, 2]], 3, 4, [(0, 1)], [(2, 3)]),
    ([[0, 0, 1, 1, 2, 2, 0, 1, 2]], [], 3, 4, [], [(0, 1), (3, 4)]),  # Kirkman-like: 0 repeats
    ([[0, 0, 0, 1, 1, 2, 2]], [[0, 1, 0, 1, 0, 1, 0]], 3, 3, [(5, 6)], []),  # tables 3, 2, 2
]


@pytest.mark.parametrize("case", EXACT_CASES)
def test_search_reaches_the_exact_optimum(case):
    values, spread, size, rounds, together, apart = case
    p = problem_of(values, size, rounds, spread=spread, together=together, apart=apart)
    _, best = exact_seating(p, time_limit=120)
    result = seat(p, seed="exact")
    assert not result.quality.rule_violations
    assert result.quality.objective == best.objective
    assert best.repeat_lower_bound <= best.repeated_pairs


# ---------------------------------------------------------------------------------------------
# Hard rules always hold (random panels and rule sets)


def brute_force_feasible(p: SeatingProblem) -> bool:
    """Is there one round seating keeping every hard rule? (backtracking over units, written
    independently of the rule check; tiny cases only)"""
    units = p.units
    unit_of = p.unit_of
    apart = {(int(unit_of[a]), int(unit_of[b])) for a, b in p.apart_pairs.tolist()}
    if any(a == b for a, b in apart):
        return False
    free = p.sizes.tolist()
    table_of: dict[int, int] = {}

    def place(u: int) -> bool:
        if u == len(units):
            return True
        for t in range(len(free)):
            clash = any(
                table_of.get(v) == t for v in range(u) if (u, v) in apart or (v, u) in apart
            )
            if free[t] >= len(units[u]) and not clash:
                free[t] -= len(units[u])
                table_of[u] = t
                if place(u + 1):
                    return True
                free[t] += len(units[u])
                del table_of[u]
        return False

    return place(0)


@st.composite
def random_problems(draw):
    n = draw(st.integers(2, 9))
    size = draw(st.integers(2, 4))
    rounds = draw(st.integers(1, 3))
    values = [draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))]
    members = st.integers(0, n - 1)
    groups = draw(st.lists(st.lists(members, min_size=2, max_size=3, unique=True), max_size=2))
    pairs = draw(
        st.lists(st.tuples(members, members).filter(lambda ab: ab[0] != ab[1]), max_size=4)
    )
    return problem_of(values, size, rounds, together=[tuple(g) for g in groups], apart=pairs)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_problems(), st.sampled_from(["search", "greedy"]))
def test_hard_rules_always_hold_or_the_conflict_is_real(p, method):
    try:
        result = seat(p, seed="prop", method=method, patience=300)
    except InfeasibleSeating:
        assert not brute_force_feasible(p)
        return
    seating = result.seating
    assert seating.shape == (p.rounds, p.n)
    assert not rule_violations(p, seating)
    for tables in seating:  # sizes differ by at most one
        sizes = np.bincount(tables, minlength=p.num_tables)
        assert sizes.max() - sizes.min() <= 1 and sizes.sum() == p.n
    assert result.quality.repeated_pairs >= result.quality.repeat_lower_bound
    if method == "search":
        assert result.quality.objective <= result.baseline.objective


# ---------------------------------------------------------------------------------------------
# Determinism and outputs


@pytest.fixture(scope="module")
def sample_result():
    p = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=2,
        balance=COLUMNS,
        keep_together=SAMPLE / "keep-together.csv",
        keep_apart=SAMPLE / "keep-apart.csv",
    )
    return seat(p, seed="2026")


def test_same_seed_same_files(sample_result):
    again = seat(sample_result.problem, seed="2026")
    assert result_files(again) == result_files(sample_result)
    other = seat(sample_result.problem, seed="2027")
    assert tables_csv(other.problem, other.seating) != tables_csv(
        sample_result.problem, sample_result.seating
    )


def test_progress_reports_the_best_levels_and_never_changes_the_seating(sample_result):
    """Progress callbacks only read: the same seed gives the same seating with one; the best
    levels it reports never get worse and the repeat bound is the problem's."""
    problem = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=4, balance=COLUMNS)
    reports: list[SearchProgress] = []
    with_progress = seat(problem, seed="7", max_steps=600, on_progress=reports.append)
    without = seat(problem, seed="7", max_steps=600)
    assert result_files(with_progress) == result_files(without)
    assert [r.step for r in reports] == list(range(0, with_progress.steps, 32))
    levels = [(r.balance, r.repeats, r.spread) for r in reports]
    assert levels == sorted(levels, reverse=True) and len(set(levels)) > 1
    assert {r.repeat_bound for r in reports} == {repeat_lower_bound(problem)}
    assert reports[-1].describe().startswith(f"search step {reports[-1].step:,}: best so far ")


def test_sample_reaches_balance_and_no_repeats_in_two_rounds(sample_result):
    q = sample_result.quality
    assert q.objective == (0, 0, 0) and not q.rule_violations
    assert sample_result.stopped == "lower bound reached"
    line = quality_line(sample_result.problem, q)
    assert "repeated pairs 0 (lower bound 0, optimal)" in line
    assert "gender 0, age_band 0, comuna 0, education 0" in line
    assert "rules met: 2 keep-together, 5 keep-apart" in line


def test_output_files(sample_result):
    files = result_files(sample_result)
    assert sorted(files) == [
        "members.csv",
        "members.xlsx",  # the same cells for Excel (sortition.outputs.spreadsheet)
        "repeats.csv",  # the pairs meeting again: none here, so the header alone
        "round-1.html",
        "round-2.html",
        "summary.csv",
        "tables.csv",
    ]
    assert files["repeats.csv"] == b"id_a,id_b,rounds\n"
    lines = files["tables.csv"].decode().splitlines()
    assert lines[0] == "id,round,table" and len(lines) == 1 + 2 * 150
    members = files["members.csv"].decode().splitlines()
    assert members[0] == "id,round_1,round_2" and members[1].startswith("P001,")
    summary = files["summary.csv"].decode().splitlines()
    assert summary[0] == "round,table,members,rule,column,value,count,share,floor,ceiling,outside"
    assert summary[1] == "1,1,10,balance,gender,Mujer,5,5.07,5,6,0" or summary[1].startswith(
        "1,1,10,balance,gender,Mujer,6,5.07,5,6,"
    )
    page = files["round-1.html"].decode()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    for external in ("http:", "https:", "src=", "<script", "<link", "url("):
        assert external not in page
    assert page.count('class="card"') == 15 and "Table 15" in page


def test_summary_counts_add_up(sample_result):
    p = sample_result.problem
    rows = summary_rows(p, sample_result.seating)
    assert len(rows) == p.rounds * p.num_tables * sum(len(c.values) for c in p.balance)
    for r in (1, 2):
        for column in p.balance:
            counted = [row[6] for row in rows if row[0] == r and row[4] == column.name]
            assert sum(counted) == p.n
