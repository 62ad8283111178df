"""`tables --label`: columns such as names shown beside each id on the printable pages and in
members.csv, so that facilitators know who is who; they play no part in the seating."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sortition.cli.main import cli
from sortition.errors import MissingColumn
from sortition.tables import read_problem, seat
from sortition.tables.seating import result_files

ROOT = Path(__file__).resolve().parent.parent
RENCA = ROOT / "data" / "samples" / "renca"


def panel(tmp_path: Path) -> Path:
    """24 members of the Renca pool with names (one blank last name) and two features."""
    with (RENCA / "pool.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[:24]
    rows[5]["last_name"] = ""
    path = tmp_path / "panel.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_labels_reach_the_pages_and_members_csv_but_not_the_seating(tmp_path: Path) -> None:
    path = panel(tmp_path)
    plain = read_problem(path, table_size=6, rounds=2, balance=["gender"])
    named = read_problem(
        path,
        table_size=6,
        rounds=2,
        balance=["gender"],
        label=["First_Name", "last_name", "first_name"],  # one column named twice shows once
    )
    assert named.label_columns == ("first_name", "last_name")
    assert named.label(0) == " ".join(named.labels[0]) and named.labels[5][1] == ""
    first, second = seat(plain, seed="x"), seat(named, seed="x")
    assert (first.seating == second.seating).all()  # labels never change a seat
    files = result_files(second, "es")
    assert files["tables.csv"] == result_files(first, "es")["tables.csv"]
    members = list(csv.reader(io.StringIO(files["members.csv"].decode("utf-8"))))
    sheet = openpyxl.load_workbook(io.BytesIO(files["members.xlsx"])).active
    assert sheet is not None
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == [row + [""] * (len(members[0]) - len(row)) for row in members]
    assert members[0] == ["id", "first_name", "last_name", "round_1", "round_2"]
    assert members[6][:3] == [named.ids[5], named.labels[5][0], ""]
    page = files["round-1.html"].decode("utf-8")
    for i in range(named.n):
        assert f'<span class="id">{named.label(i)}</span>' in page
    # without labels the pages keep ids first, as before
    assert f'<span class="id">{plain.ids[0]}</span>' in result_files(first)["round-1.html"].decode()


def test_an_unknown_label_column_names_the_columns_found(tmp_path: Path) -> None:
    with pytest.raises(
        MissingColumn, match="no column 'nombre' to label; columns found: 'id', 'first_name'"
    ):
        read_problem(panel(tmp_path), table_size=6, rounds=1, balance=["gender"], label=["nombre"])


def test_the_command_takes_label_columns(tmp_path: Path) -> None:
    out = tmp_path / "mesas"
    args = ["tables", str(panel(tmp_path)), "-s", "6", "-r", "1", "--balance", "gender"]
    args += ["--label", "first_name,last_name", "--seed", "1", "--out", str(out), "--lang", "es"]
    result = CliRunner().invoke(cli, args, prog_name="sortition")
    assert result.exit_code == 0, result.output
    header = (out / "members.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,first_name,last_name,round_1"
    page = (out / "round-1.html").read_text(encoding="utf-8")
    first = (out / "members.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    assert f'<span class="id">{first[1]} {first[2]}</span>' in page
