"""Seating the sessions still ahead after some were held (`sortition tables --earlier --held`).

Reading the earlier tables.csv (members who left, members who joined, bad files), the figures
against a brute-force recount over held and new rounds, the search against brute force and the
exact program on tiny cases, the incremental state, and the command line end to end (the files
chain: a continuation's tables.csv is the next continuation's --earlier).
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tables import random_problems

from sortition.cli.main import cli
from sortition.errors import InfeasibleSeating, InputError, MissingColumn, UsageError
from sortition.randomness import generator_from_seed
from sortition.tables import evaluate, read_problem, repeat_lower_bound, seat
from sortition.tables.earlier import ABSENT, EarlierRounds, read_earlier
from sortition.tables.exact import exact_seating
from sortition.tables.feasibility import feasible_seating
from sortition.tables.greedy import greedy_seating
from sortition.tables.metrics import held_repeats, repeated_meetings, rule_violations
from sortition.tables.model import KeepTogether, SeatingProblem, column_from_cells
from sortition.tables.output import members_csv, tables_csv
from sortition.tables.seating import result_files
from sortition.tables.state import SearchState

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "assembly-150"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problem_with(values: list[int], size: int, rounds: int, held: np.ndarray) -> SeatingProblem:
    """A problem of one balanced column whose members sat at `held` ((rounds, n), ABSENT for
    members not there) in the rounds already held."""
    n = len(values)
    earlier = EarlierRounds(np.asarray(held, dtype=np.int64), "earlier.csv")
    return SeatingProblem(
        tuple(f"m{i}" for i in range(n)),
        size,
        rounds,
        (column_from_cells("b", [str(v) for v in values]),),
        earlier=earlier,
    )


def recount(p: SeatingProblem, seating: np.ndarray) -> int:
    """Repeated encounters over held and new rounds, pair by pair."""
    every = np.vstack([p.earlier.tables, seating]) if p.earlier is not None else seating
    total = 0
    for i, j in itertools.combinations(range(p.n), 2):
        if p.unit_of[i] == p.unit_of[j]:
            continue
        meets = sum(1 for row in every if row[i] >= 0 and row[i] == row[j])
        total += max(0, meets - 1)
    return total


# ---------------------------------------------------------------------------------------------
# Reading the earlier seating


def test_reads_held_rounds_for_members_still_on_the_panel(tmp_path):
    path = write(
        tmp_path / "tables.csv",
        "id,round,table\nA,1,1\nB,1,1\nGONE,1,2\nC,1,2\nA,2,2\nC,2,2\nB,2,1\nGONE,2,1\n"
        "A,3,1\nB,3,1\n",
    )
    index = {"A": 0, "B": 1, "C": 2, "NEW": 3}
    earlier = read_earlier(path, index, held=2)
    assert earlier.held == 2 and earlier.left == 1 and earlier.seated == 3
    assert earlier.tables.tolist() == [[0, 0, 1, ABSENT], [1, 0, 1, ABSENT]]
    met = earlier.meetings()
    assert met[0, 1] == 1 and met[0, 2] == 1 and met[1, 2] == 0 and met[3].sum() == 0
    assert read_earlier(path, index).held == 3  # default: every round of the file


def test_bad_earlier_files_name_the_file_row_and_column(tmp_path):
    index = {"A": 0, "B": 1}
    cases = [
        ("id,round,table\nA,1,1\nA,1,2\n", InputError, "row 3, column 'id'", "two tables"),
        ("id,round,table\nA,x,1\n", InputError, "row 2, column 'round'", "whole number"),
        ("id,round,table\nA,1,0\n", InputError, "row 2, column 'table'", "whole number"),
        ("id,round,table\n,1,1\n", InputError, "row 2, column 'id'", "blank"),
        ("id,table\nA,1\n", MissingColumn, "column 'round'", "no column 'round'"),
        ("id,round,table\n", InputError, "bad.csv", "seats nobody"),
        ("id,round,table\nA,2,1\n", InputError, "bad.csv", "no round 1"),
        ("id,round,table\nZ,1,1\n", InputError, "column 'id'", "none of the 1 ids"),
    ]
    for text, error, where, what in cases:
        path = write(tmp_path / "bad.csv", text)
        with pytest.raises(error) as caught:
            read_earlier(path, index)
        message = str(caught.value)
        assert where in message and what in message, message


def test_held_needs_an_earlier_file_and_a_round_the_file_has(tmp_path):
    earlier = write(tmp_path / "t.csv", "id,round,table\nP001,1,1\n")
    common = {"table_size": 10, "rounds": 2, "balance": ["gender"]}
    with pytest.raises(UsageError, match="--held 2 needs --earlier"):
        read_problem(SAMPLE / "panel.csv", held=2, **common)
    with pytest.raises(UsageError, match="--held 0 is too small"):
        read_problem(SAMPLE / "panel.csv", earlier=earlier, held=0, **common)
    with pytest.raises(InputError, match="has no round 2"):
        read_problem(SAMPLE / "panel.csv", earlier=earlier, held=2, **common)


# ---------------------------------------------------------------------------------------------
# Figures, bound and search with held rounds


@st.composite
def continued_problems(draw):
    n = draw(st.integers(4, 9))
    size = draw(st.integers(2, 4))
    tables = -(-n // size)
    held_rounds = draw(st.integers(1, 3))
    held = np.array(
        [
            [draw(st.sampled_from([ABSENT, *range(tables + 1)])) for _ in range(n)]
            for _ in range(held_rounds)
        ]
    )
    values = [draw(st.integers(0, 2)) for _ in range(n)]
    return problem_with(values, size, draw(st.integers(1, 3)), held)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(continued_problems(), st.sampled_from(["search", "greedy"]))
def test_figures_count_held_and_new_rounds_pair_by_pair(p, method):
    result = seat(p, seed="held", method=method, max_steps=300)
    quality = result.quality
    assert not quality.rule_violations
    assert quality.repeated_pairs == recount(p, result.seating)
    assert held_repeats(p) <= repeat_lower_bound(p) <= quality.repeated_pairs
    assert quality.repeat_lower_bound == repeat_lower_bound(p)
    state = SearchState(p, result.seating)
    assert state.levels == state.recount() == quality.objective
    pairs = repeated_meetings(p, result.seating)
    assert sum(len(rounds) - 1 for _, _, rounds in pairs) == quality.repeated_pairs
    for i, j, rounds in pairs:  # rounds numbered over held and new rounds alike
        every = np.vstack([p.earlier.tables, result.seating])
        assert all(every[r, i] == every[r, j] >= 0 for r in rounds)


def test_incremental_state_with_held_rounds_matches_recomputation():
    rng = generator_from_seed("held state")
    n, size = 24, 4
    held = np.array([rng.permutation(n) % 6 for _ in range(2)])
    held[0, :3] = ABSENT  # three members joined after the first round
    p = problem_with([i % 3 for i in range(n)], size, 3, held)
    start, _ = greedy_seating(p, rng, feasible_seating(p))
    state = SearchState(p, start)
    for _ in range(60):
        r = int(rng.integers(p.rounds))
        who = rng.choice(n, 2, replace=False)
        swaps = state.swap_deltas(r, who)
        j = int(np.flatnonzero(swaps.allowed[0])[int(rng.integers(4))])
        expected = state.levels[1] + int(swaps.repeats[0, j])
        state.exchange(r, [int(who[0])], [j])
        assert state.levels[1] == expected
    fresh = SearchState(p, state.seating)
    for name in ("meet", "known", "again"):
        assert np.array_equal(getattr(fresh, name), getattr(state, name)), name
    assert state.levels == evaluate(p, state.seating).objective


def test_new_rounds_avoid_the_held_meetings_brute_force_and_exact():
    # 6 members at 2 tables of 3; round 1 held: {0,1,2} and {3,4,5}. In every new round a
    # table of 3 holds two members of one held table, so each new round repeats at least 2
    held = np.array([[0, 0, 0, 1, 1, 1]])
    p = problem_with([0, 1, 0, 1, 0, 1], 3, 2, held)
    fewest = min(
        evaluate(p, np.array(seating)).objective
        for seating in itertools.product(
            [rows for rows in itertools.product(range(2), repeat=6) if sum(rows) == 3],
            repeat=2,
        )
    )
    _, exact = exact_seating(p, time_limit=60)
    result = seat(p, seed="tiny")
    assert exact.objective == fewest == result.quality.objective
    assert fewest[1] >= 2 * 2  # two new rounds, each with two held pairs meeting again


# ---------------------------------------------------------------------------------------------
# Files and the command line


def test_files_number_new_rounds_after_the_held_ones_and_chain(tmp_path):
    held = np.array([[0, 0, 1, 1, ABSENT, ABSENT]])
    p = problem_with([0, 1, 0, 1, 0, 1], 3, 2, held)
    result = seat(p, seed="files")
    files = result_files(result)
    assert sorted(n for n in files if n.startswith("round-")) == ["round-2.html", "round-3.html"]
    assert b"Round 2 of 3" in files["round-2.html"]
    rows = list(csv.reader(tables_csv(p, result.seating).decode().splitlines()))[1:]
    first_round = [["m0", "1", "1"], ["m1", "1", "1"], ["m2", "1", "2"], ["m3", "1", "2"]]
    assert [r for r in rows if r[1] == "1"] == first_round
    assert {r[1] for r in rows} == {"1", "2", "3"}
    members = members_csv(p, result.seating).decode().splitlines()
    assert members[0] == "id,round_1,round_2,round_3"
    assert members[5].startswith("m4,,")  # joined after round 1
    summary = files["summary.csv"].decode().splitlines()
    assert {line.split(",")[0] for line in summary[1:]} == {"2", "3"}
    # the written tables.csv is the --earlier of the next continuation, all its rounds held
    path = write(tmp_path / "tables.csv", files["tables.csv"].decode())
    index = {name: i for i, name in enumerate(p.ids)}
    again = read_earlier(path, index)
    assert again.held == 3
    assert np.array_equal(again.tables[1:], result.seating)
    assert np.array_equal(again.tables[:1], held)


def _panel_without(path: Path, leaving: set[str], joining: list[dict[str, str]]) -> Path:
    with (SAMPLE / "panel.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if r["id"] not in leaving] + joining
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return path


def test_command_line_continues_after_held_sessions(tmp_path):
    first = tmp_path / "first"
    common = ["--table-size", "10", "--balance", "gender,age_band", "--seed", "3"]
    runner = CliRunner()
    done = runner.invoke(
        cli,
        ["tables", str(SAMPLE / "panel.csv"), "--rounds", "4", *common, "--out", str(first)],
        prog_name="sortition",
    )
    assert done.exit_code == 0, done.output
    newcomer = {
        "id": "N001",
        "gender": "Mujer",
        "age_band": "18-29",
        "comuna": "Renca",
        "education": "Técnica",
    }
    panel = _panel_without(tmp_path / "panel.csv", {"P003", "P010"}, [newcomer])
    second = tmp_path / "second"
    args = ["tables", str(panel), "--rounds", "2", *common, "--out", str(second)]
    args += ["--earlier", str(first / "tables.csv"), "--held", "2"]
    done = runner.invoke(cli, [*args, "--lang", "es"], prog_name="sortition")
    assert done.exit_code == 0, done.output
    assert "Rondas ya realizadas: 2" in done.output
    assert "se sentaron 148 de los 149 integrantes (1 nuevo(s) desde entonces)" in done.output
    assert "ya no están en el panel: 2 de quienes se sentaron allí" in done.output
    assert "round-3..4.html" in done.output
    assert sorted(p.name for p in second.glob("round-*.html")) == ["round-3.html", "round-4.html"]
    with (second / "tables.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["round"] for r in rows} == {"1", "2", "3", "4"}
    # held rounds are kept as they were, members who left included; the new rounds seat the
    # panel as it is now
    with (first / "tables.csv").open(encoding="utf-8") as handle:
        before = {tuple(r.values()) for r in csv.DictReader(handle) if r["round"] in "12"}
    assert {tuple(r.values()) for r in rows if r["round"] in "12"} == before
    assert {r["round"] for r in rows if r["id"] in ("P003", "P010")} == {"1", "2"}
    assert len([r for r in rows if r["round"] == "3"]) == 149
    # a real process, in English, refuses an output folder holding the earlier seating
    into_first = ["tables", str(panel), "--rounds", "2", *common, "--out", str(first)]
    into_first += ["--overwrite", "--earlier", str(first / "tables.csv")]
    refused = subprocess.run(
        [sys.executable, "-m", "sortition", *into_first],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    assert "holds the earlier seating file" in refused.stderr
    assert "would destroy it" in refused.stderr
    assert (first / "tables.csv").exists()
    spanish = runner.invoke(cli, [*into_first, "--lang", "es"], prog_name="sortition")
    assert spanish.exit_code != 0
    assert "contiene el archivo de mesas anteriores" in spanish.output


def test_problem_without_earlier_rounds_is_unchanged():
    p = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=2, balance=["gender"])
    assert p.held == 0 and p.earlier is None and not p.earlier_meetings.any()
    result = seat(p, seed="plain", max_steps=50)
    assert not rule_violations(p, result.seating)
    assert result_files(result)["tables.csv"].startswith(b"id,round,table\n")


def test_members_kept_together_never_count_as_meeting_again_across_held_rounds():
    # m0 and m1 sat together in both held rounds and are kept together now: no repeat, then
    # or later; m4 and m5 sat together twice: one repeat already held, which the bound counts
    held = np.array([[0, 0, 0, 1, 1, 1], [0, 0, 1, 0, 1, 1]])
    earlier = EarlierRounds(held, "earlier.csv")
    p = SeatingProblem(
        tuple(f"m{i}" for i in range(6)),
        3,
        2,
        (column_from_cells("b", ["x", "y", "x", "y", "x", "y"]),),
        together=(KeepTogether("pair", (0, 1)),),
        earlier=earlier,
    )
    assert held_repeats(p) == 1
    assert repeat_lower_bound(p) >= 1
    result = seat(p, seed="units")
    assert not result.quality.rule_violations
    assert result.quality.repeated_pairs == recount(p, result.seating)
    assert all((i, j) != (0, 1) for i, j, _ in repeated_meetings(p, result.seating))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_problems(), st.integers(1, 2), st.data())
def test_rules_and_figures_hold_with_held_rounds_and_random_rules(p, held_rounds, data):
    tables = p.num_tables
    held = np.array(
        [
            data.draw(
                st.lists(st.sampled_from([ABSENT, *range(tables + 1)]), min_size=p.n, max_size=p.n)
            )
            for _ in range(held_rounds)
        ]
    )
    continued = dataclasses.replace(p, earlier=EarlierRounds(held, "earlier.csv"))
    try:
        result = seat(continued, seed="rules", patience=300)
    except InfeasibleSeating:
        with pytest.raises(InfeasibleSeating):
            seat(p, seed="rules", patience=300)  # the held rounds never make rules conflict
        return
    assert not rule_violations(continued, result.seating)
    assert result.quality.repeated_pairs == recount(continued, result.seating)
    assert (
        result.quality.repeated_pairs
        >= result.quality.repeat_lower_bound
        >= held_repeats(continued)
    )


def test_a_member_who_misses_a_session_keeps_their_history(tmp_path):
    """Round 3 without m5 (absent), round 4 with them again: their round-1 and round-2 tables
    still count, because round 3's tables.csv keeps the held rounds as they were."""
    ids = [f"m{i}" for i in range(12)]
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "id,g\n" + "".join(f"{m},{'ab'[i % 2]}\n" for i, m in enumerate(ids)), encoding="utf-8"
    )
    without = tmp_path / "without.csv"
    without.write_text(
        "".join(
            line + "\n" for line in panel.read_text().splitlines() if not line.startswith("m5,")
        ),
        encoding="utf-8",
    )
    first = seat(read_problem(panel, table_size=4, rounds=2, balance=["g"]), seed="a")
    (tmp_path / "s1").mkdir()
    write(tmp_path / "s1" / "tables.csv", result_files(first)["tables.csv"].decode())
    third = seat(
        read_problem(
            without, table_size=4, rounds=1, balance=["g"], earlier=tmp_path / "s1" / "tables.csv"
        ),
        seed="b",
    )
    kept = result_files(third)["tables.csv"].decode()
    assert {line for line in kept.splitlines() if line.startswith("m5,")} == {
        f"m5,{r + 1},{int(first.seating[r, 5]) + 1}" for r in range(2)
    }
    path = write(tmp_path / "s3.csv", kept)
    back = read_problem(panel, table_size=4, rounds=1, balance=["g"], earlier=path)
    assert back.held == 3 and back.earlier is not None and back.earlier.left == 0
    assert back.earlier.tables[2, 5] == ABSENT
    assert np.array_equal(back.earlier.tables[:2, 5], first.seating[:, 5])
    met = back.earlier_meetings[5]
    assert met.sum() == sum(
        int((first.seating[r] == first.seating[r, 5]).sum()) - 1 for r in range(2)
    )
