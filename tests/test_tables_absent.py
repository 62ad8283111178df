"""Members absent from the rounds seated now (`sortition tables --absent`).

An absent member is left out as if their panel row were not there: the tables are balanced among
those who attend, rule rows naming them are set aside, and with --earlier their held seats stay in
the next tables.csv, so that they keep their history when they come back. Unknown ids and an
all-absent panel are refused with the file and column.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.cli.main import cli
from sortition.errors import UsageError
from sortition.tables import absent_line, evaluate, read_problem, seat
from sortition.tables.earlier import ABSENT
from sortition.tables.metrics import rule_violations
from sortition.tables.seating import result_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "assembly-150"
COLUMNS = ["gender", "age_band"]


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines()))


def without(path: Path, target: Path, away: set[str]) -> Path:
    """The panel file without the rows of the members in `away`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.split(",")[0] not in away]
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def test_absent_members_are_left_out_as_if_their_rows_were_not_there(tmp_path):
    away = {"P007", "P050", "P121"}
    problem = read_problem(
        SAMPLE / "panel.csv", table_size=10, rounds=2, balance=COLUMNS, absent=sorted(away)
    )
    smaller = read_problem(
        without(SAMPLE / "panel.csv", tmp_path / "p.csv", away),
        table_size=10,
        rounds=2,
        balance=COLUMNS,
    )
    assert problem.n == 147 and not away & set(problem.ids)
    assert problem.absent == ("P007", "P050", "P121")  # panel order
    assert problem.ids == smaller.ids
    for mine, theirs in zip(problem.balance, smaller.balance, strict=True):
        assert np.array_equal(mine.codes, theirs.codes) and mine.values == theirs.values
    first, second = seat(problem, seed="4"), seat(smaller, seed="4")
    assert np.array_equal(first.seating, second.seating)
    tables = rows_of(result_files(first)["tables.csv"].decode())
    assert len(tables) == 2 * 147 and not away & {r["id"] for r in tables}
    page = result_files(first)["round-2.html"].decode()
    assert "Absent, not seated: P007, P050, P121." in page
    assert (
        "Ausentes, sin mesa: P007, P050, P121."
        in result_files(first, "es")["round-1.html"].decode()
    )
    assert "Absent" not in result_files(second)["round-1.html"].decode()
    line = absent_line(problem)
    assert "Absent from rounds 1-2: 3 member(s), P007, P050, P121." in line
    assert "Ausentes en las rondas 1-2: 3 integrante(s)" in absent_line(problem, "es")


def test_no_absent_members_changes_nothing():
    plain = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=1, balance=COLUMNS)
    empty = read_problem(
        SAMPLE / "panel.csv", table_size=10, rounds=1, balance=COLUMNS, absent=["", " "]
    )
    assert plain.ids == empty.ids and empty.absent == () and absent_line(empty) == ""
    assert np.array_equal(seat(plain, seed="1").seating, seat(empty, seed="1").seating)


def test_rule_rows_naming_an_absent_member_are_set_aside(tmp_path):
    together = tmp_path / "together.csv"
    together.write_text(
        "group,id\npair,P001\npair,P002\ntrio,P010\ntrio,P011\ntrio,P012\nsolo,P020\n",
        encoding="utf-8",
    )
    apart = tmp_path / "apart.csv"
    apart.write_text("id_a,id_b\nP001,P030\nP040,P041\nP010,P042\n", encoding="utf-8")
    problem = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=2,
        balance=COLUMNS,
        keep_together=together,
        keep_apart=apart,
        absent=["P002", "P012", "P041"],
    )
    index = {person: i for i, person in enumerate(problem.ids)}
    groups = {g.name: {problem.ids[i] for i in g.members} for g in problem.together}
    # 'pair' lost a member and is set aside; 'trio' keeps two; 'solo' was alone all along
    assert groups == {"trio": {"P010", "P011"}, "solo": {"P020"}}
    pairs = {(problem.ids[p.a], problem.ids[p.b]) for p in problem.apart}
    assert pairs == {("P001", "P030"), ("P010", "P042")}
    result = seat(problem, seed="2")
    assert not rule_violations(problem, result.seating)
    for r in range(2):
        assert result.seating[r, index["P010"]] == result.seating[r, index["P011"]]


def test_unknown_or_all_absent_ids_are_refused_with_the_file_and_column(tmp_path):
    with pytest.raises(UsageError) as caught:
        read_problem(
            SAMPLE / "panel.csv", table_size=10, rounds=1, balance=COLUMNS, absent=["P001", "X9"]
        )
    text = str(caught.value)
    assert "absent id 'X9' is not in the panel" in text
    assert "panel.csv" in text and "column 'id'" in text
    assert "separated by commas" in text
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("id,gender,age_band\na,M,1\nb,F,2\n", encoding="utf-8")
    with pytest.raises(UsageError, match="every member of the panel is absent"):
        read_problem(tiny, table_size=2, rounds=1, balance=COLUMNS, absent=["a", "b"])


def test_an_absent_member_keeps_their_history_for_when_they_come_back(tmp_path):
    """Rounds 1-2 with everyone, round 3 without P012, round 4 with them again: their held
    seats stay in round 3's tables.csv, so round 4 counts whom they met in rounds 1-2."""
    everyone = read_problem(SAMPLE / "panel.csv", table_size=10, rounds=2, balance=COLUMNS)
    first = seat(everyone, seed="a")
    (tmp_path / "s1.csv").write_text(result_files(first)["tables.csv"].decode(), encoding="utf-8")
    third = read_problem(
        SAMPLE / "panel.csv",
        table_size=10,
        rounds=1,
        balance=COLUMNS,
        earlier=tmp_path / "s1.csv",
        absent=["P012"],
    )
    assert third.n == 149 and third.earlier is not None and third.earlier.left == 1
    seated = seat(third, seed="b")
    kept = result_files(seated)["tables.csv"].decode()
    mine = [r for r in rows_of(kept) if r["id"] == "P012"]
    assert [(r["round"], r["table"]) for r in mine] == [
        (str(r + 1), str(int(first.seating[r, 11]) + 1)) for r in range(2)
    ]
    (tmp_path / "s3.csv").write_text(kept, encoding="utf-8")
    back = read_problem(
        SAMPLE / "panel.csv", table_size=10, rounds=1, balance=COLUMNS, earlier=tmp_path / "s3.csv"
    )
    assert back.n == 150 and back.held == 3 and back.earlier is not None
    assert back.earlier.left == 0 and back.earlier.tables[2, 11] == ABSENT
    assert np.array_equal(back.earlier.tables[:2, 11], first.seating[:, 11])
    met = back.earlier_meetings[11]
    assert met.sum() == sum(
        int((first.seating[r] == first.seating[r, 11]).sum()) - 1 for r in range(2)
    )


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_absences_keep_every_rule_and_balance_among_those_who_attend(tmp_path, data):
    ids = [f"P{k:03d}" for k in range(1, 151)]
    away = data.draw(st.lists(st.sampled_from(ids), max_size=20, unique=True))
    size = data.draw(st.integers(4, 10))
    problem = read_problem(
        SAMPLE / "panel.csv",
        table_size=size,
        rounds=2,
        balance=COLUMNS,
        keep_together=SAMPLE / "keep-together.csv",
        keep_apart=SAMPLE / "keep-apart.csv",
        absent=away,
    )
    assert problem.n == 150 - len(away) and set(problem.absent) == set(away)
    result = seat(problem, seed="h", max_steps=300)
    quality = evaluate(problem, result.seating)
    assert not quality.rule_violations
    sizes = np.bincount(result.seating[0])
    assert sizes.max() - sizes.min() <= 1 and sizes.sum() == problem.n
    seated = {r["id"] for r in rows_of(result_files(result)["tables.csv"].decode())}
    assert seated == set(problem.ids) and not seated & set(away)


def test_command_line_leaves_absent_members_out(tmp_path):
    first = tmp_path / "first"
    common = ["--table-size", "10", "--balance", "gender,age_band", "--seed", "3"]
    runner = CliRunner()
    done = runner.invoke(
        cli,
        ["tables", str(SAMPLE / "panel.csv"), "--rounds", "2", *common, "--out", str(first)],
        prog_name="sortition",
    )
    assert done.exit_code == 0, done.output
    second = tmp_path / "second"
    args = ["tables", str(SAMPLE / "panel.csv"), "--rounds", "1", *common, "--out", str(second)]
    args += ["--earlier", str(first / "tables.csv"), "--absent", "P003, P010"]
    done = runner.invoke(cli, [*args, "--lang", "es"], prog_name="sortition")
    assert done.exit_code == 0, done.output
    assert "Ausentes en las rondas 3-3: 2 integrante(s), P003, P010." in done.output
    assert "ya no están en el panel: 0 de quienes se sentaron allí" in done.output
    rows = rows_of((second / "tables.csv").read_text(encoding="utf-8"))
    assert len([r for r in rows if r["round"] == "3"]) == 148
    assert {r["round"] for r in rows if r["id"] in ("P003", "P010")} == {"1", "2"}
    # a real process, in English: an unknown id is refused, nothing written
    third = ["--rounds", "1", *common, "--out", str(tmp_path / "third"), "--absent", "P999"]
    refused = subprocess.run(
        [sys.executable, "-m", "sortition", "tables", str(SAMPLE / "panel.csv"), *third],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "absent id 'P999' is not in the panel" in refused.stderr
    assert "panel.csv" in refused.stderr and "column 'id'" in refused.stderr
    assert not (tmp_path / "third").exists()
