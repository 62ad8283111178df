"""Which pairs meet again: `repeats.csv` and the "sat together before" line on the round pages.

The repeated-pairs figure alone does not tell an organizer who meets whom again; these outputs
do. They are held to an independent recount from tables.csv, on hypothesis-drawn seatings and on
the bundled sample, and they never change a seat.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.cli.main import cli
from sortition.tables import read_problem, seat
from sortition.tables.metrics import evaluate, repeated_meetings
from sortition.tables.seating import result_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "assembly-150"
AGAIN = re.compile(r'<p class="again">([^<]*)</p>')


def small_panel(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "panel.csv"
    lines = ["id,first_name,gender"] + [
        f"M{i:02d},Name{i},{'F' if i % 2 else 'M'}" for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def recount(tables_csv: bytes) -> dict[tuple[str, str], list[int]]:
    """Pair -> rounds shared, from tables.csv alone (every pair, by brute force)."""
    seats: dict[int, dict[int, list[str]]] = {}
    for row in csv.DictReader(io.StringIO(tables_csv.decode("utf-8"))):
        seats.setdefault(int(row["round"]), {}).setdefault(int(row["table"]), []).append(row["id"])
    shared: dict[tuple[str, str], list[int]] = {}
    for r, tables in sorted(seats.items()):
        for members in tables.values():
            for a, b in itertools.combinations(sorted(members), 2):
                shared.setdefault((a, b), []).append(r)
    return {pair: rounds for pair, rounds in shared.items() if len(rounds) > 1}


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(4, 14),
    size=st.integers(2, 5),
    rounds=st.integers(1, 4),
    seed=st.integers(0, 10_000),
)
def test_repeats_csv_lists_exactly_the_pairs_that_meet_again(
    tmp_path_factory, n: int, size: int, rounds: int, seed: int
) -> None:
    path = small_panel(tmp_path_factory.mktemp("panel"), n)
    problem = read_problem(path, table_size=size, rounds=rounds, balance=["gender"])
    result = seat(problem, seed=str(seed), method="greedy")  # greedy: many repeats to list
    files = result_files(result)
    expected = recount(files["tables.csv"])
    listed = {
        (row["id_a"], row["id_b"]): [int(r) for r in row["rounds"].split()]
        for row in csv.DictReader(io.StringIO(files["repeats.csv"].decode("utf-8")))
    }
    # ids M00..M13 sort like panel order, so (id_a, id_b) is the recount's sorted pair
    assert listed == expected
    quality = evaluate(problem, result.seating)
    assert quality.pairs_met_twice == len(listed)
    assert quality.repeated_pairs == sum(len(r) - 1 for r in listed.values())
    # every page line names a pair at that table that met in an earlier round, and only those
    for r in range(1, rounds + 1):
        page = files[f"round-{r}.html"].decode("utf-8")
        lines = AGAIN.findall(page)
        named = sum(line.count(" and ") for line in lines)
        assert named == sum(1 for rs in listed.values() if r in rs and rs[0] < r)
        if r == 1:
            assert not lines  # nobody has met anyone before the first round


def test_kept_together_pairs_are_not_listed(tmp_path: Path) -> None:
    problem = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=2,
        balance=["gender"],
        keep_together=SAMPLE / "keep-together.csv",
    )
    result = seat(problem, seed="1", method="greedy")
    together = {frozenset(g.members) for g in problem.together}
    for i, j, _ in repeated_meetings(problem, result.seating):
        assert not any({i, j} <= group for group in together)
    # the group of three shares a table in both rounds but never counts as meeting again
    files = result_files(result)
    assert "P012,P047" not in files["repeats.csv"].decode()


def test_sample_pages_and_csv_in_spanish_with_names(tmp_path: Path) -> None:
    path = small_panel(tmp_path, 12)
    out = tmp_path / "mesas"
    result = CliRunner().invoke(
        cli,
        [
            "tables", str(path), "--table-size", "4", "--rounds", "3", "--balance", "gender",
            "--label", "first_name", "--method", "greedy", "--seed", "3", "--lang", "es",
            "--out", str(out),
        ],
        prog_name="sortition",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "repeats.csv" in result.output
    assert f"repeats.csv lista las {len(rows_of(out))} pareja(s)" in result.output
    text = (out / "repeats.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "the greedy seating of 12 at 3 tables over 3 rounds repeats some pairs"
    first = rows[0]
    later = [int(r) for r in first["rounds"].split()]
    page = (out / f"round-{later[1]}.html").read_text(encoding="utf-8")
    a, b = (f"Name{int(x[1:])}" for x in (first["id_a"], first["id_b"]))
    lines = AGAIN.findall(page)
    assert any(line.startswith("Ya compartieron mesa:") and f"{a} y {b} (ronda" in line
               for line in lines)  # fmt: skip


def rows_of(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "repeats.csv").read_text(encoding="utf-8"))))


def test_no_pair_meets_again_gives_a_header_and_no_lines(tmp_path: Path) -> None:
    problem = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=1, balance=["gender"])
    files = result_files(seat(problem, seed="1"))
    assert files["repeats.csv"] == b"id_a,id_b,rounds\n"
    assert not AGAIN.findall(files["round-1.html"].decode())


def test_repeated_meetings_matches_the_meeting_counts() -> None:
    problem = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=4, balance=["gender"])
    result = seat(problem, seed="5", method="greedy")
    listed = repeated_meetings(problem, result.seating)
    assert listed == sorted(listed)
    for i, j, rounds in listed:
        assert i < j and len(rounds) > 1
        assert [r for r in range(4) if result.seating[r, i] == result.seating[r, j]] == list(rounds)
    met = np.zeros((problem.n, problem.n), dtype=int)
    for tables in result.seating:
        met += tables[:, None] == tables[None, :]
    np.fill_diagonal(met, 0)
    assert len(listed) == int((np.triu(met, 1) > 1).sum())


@pytest.mark.parametrize(("members", "rounds", "thrice"), [(8, 4, True), (12, 2, False)])
def test_the_command_line_says_when_a_pair_meets_three_times(
    tmp_path: Path, members: int, rounds: int, thrice: bool
) -> None:
    """The figure counts a pair meeting three times twice; repeats.csv lists it once."""
    path = small_panel(tmp_path, members)
    out = tmp_path / "t"
    result = CliRunner().invoke(
        cli,
        ["tables", str(path), "--table-size", "4", "--rounds", str(rounds), "--balance",
         "gender", "--method", "greedy", "--seed", "1", "--out", str(out)],
        prog_name="sortition",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = rows_of(out)
    figure = sum(len(row["rounds"].split()) - 1 for row in rows)
    assert rows and f"repeated pairs {figure} " in result.output
    assert (figure > len(rows)) == thrice
    assert ("(a pair meeting three times counts twice above)" in result.output) == thrice
    assert f"repeats.csv lists the {len(rows)} pair(s)" in result.output
