"""The Excel twins of the organizer's lists (`sortition.outputs.spreadsheet`): the same cells as
the CSV, as text, whatever they hold; the same bytes on every run and machine; beside every
private list of a result set, listed with its hash in the selection log."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli_language import select_args

from sortition.cli.main import cli
from sortition.errors import UsageError
from sortition.inputs.pool import read_pool
from sortition.invite import InviteRequest, invite
from sortition.invite.output import invitation_files, write_invitations
from sortition.outputs import spreadsheet
from sortition.outputs.files import dataframe_to_csv_bytes, personal_rows
from sortition.outputs.spreadsheet import csv_to_xlsx, spreadsheet_name

ROOT = Path(__file__).resolve().parent.parent
RENCA = ROOT / "data" / "samples" / "renca"
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cells(workbook: bytes) -> list[list[str]]:
    """Every row of the first sheet as Excel shows it: blank cells as '', and `_xHHHH_` escapes
    read as their character (openpyxl leaves them as written; Excel decodes them)."""
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = [
            "" if v is None else ESCAPE.sub(lambda m: chr(int(m[1], 16)), str(v)) for v in row
        ]
        rows.append(values)
    return rows


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def padded(rows: list[list[str]], width: int) -> list[list[str]]:
    return [row + [""] * (width - len(row)) for row in rows]


pieces = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from(["_x0041_", "_x005F_", "=", "+56", "\r\n", "\r", "\t", " ", "ñ", "\x01"]),
)
text = st.lists(pieces, max_size=6).map("".join)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.lists(text, min_size=3, max_size=3), min_size=1, max_size=6))
def test_the_workbook_holds_exactly_the_csv_cells(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["id", "name", "phone"], *rows])
    data = buffer.getvalue().encode("utf-8")
    workbook = csv_to_xlsx(data, "selected")
    expected = csv_rows(data)
    assert padded(cells(workbook), 3) == padded(expected, 3)[: len(cells(workbook))]
    # rows that are blank in every cell are kept by the CSV and carry no cell in the sheet
    assert all(not any(row) for row in expected[len(cells(workbook)) :])
    assert csv_to_xlsx(data, "selected") == workbook


def test_text_stays_text_and_the_header_is_bold_and_frozen() -> None:
    table = pd.DataFrame(
        {"id": ["R1", "R2"], "phone": ["+56 9 1234 5678", "0223456789"], "note": ["=1+1", "Ñuñoa"]}
    )
    files = personal_rows("private/selected.csv", table)
    assert list(files) == ["private/selected.csv", "private/selected.xlsx"]
    book = openpyxl.load_workbook(io.BytesIO(files["private/selected.xlsx"]))
    sheet = book.active
    assert sheet is not None and sheet.title == "selected"
    assert [c.value for c in sheet[2]] == ["R1", "+56 9 1234 5678", "=1+1"]
    assert sheet["C2"].data_type == "s" and sheet["B3"].value == "0223456789"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    read = pd.read_excel(io.BytesIO(files["private/selected.xlsx"]), dtype=str)
    assert read.equals(pd.read_csv(io.BytesIO(files["private/selected.csv"]), dtype=str))


def test_the_bytes_depend_on_the_csv_only() -> None:
    data = dataframe_to_csv_bytes(pd.DataFrame({"id": ["a"], "x": ["Peñalolén"]}))
    workbook = csv_to_xlsx(data, "remaining")
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_STORED and info.create_system == 3
    assert (
        hashlib.sha256(workbook).hexdigest()
        == hashlib.sha256(csv_to_xlsx(data, "remaining")).hexdigest()
    )
    assert spreadsheet_name("private/selected.csv") == "private/selected.xlsx"


def test_every_private_list_of_a_draw_has_its_workbook_listed_in_the_log(tmp_path: Path) -> None:
    out = tmp_path / "selection"
    args = select_args(out, "--reserves", "2")  # Renca, MAXIMIN, quiet
    result = CliRunner().invoke(cli, args, prog_name="sortition")
    assert result.exit_code == 0, result.output
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    for name in ("selected", "remaining", "reserves"):
        data = (out / "private" / f"{name}.csv").read_bytes()
        workbook = (out / "private" / f"{name}.xlsx").read_bytes()
        assert cells(workbook) == csv_rows(data)
        assert log["files"][f"private/{name}.xlsx"] == hashlib.sha256(workbook).hexdigest()
    assert not list((out / "public").glob("*.xlsx"))  # personal rows never go public


def test_invitations_named_xlsx_are_a_workbook_of_the_same_cells(tmp_path: Path) -> None:
    """`invite --out invitations.xlsx`: the mailing list as a workbook, with the cells the CSV
    would hold, whatever the register's delimiter; the log is the same either way."""
    register = tmp_path / "padron.csv"
    rows = [
        f"R{i:03d};Calle Ñandú {i}, depto {i % 4};{'Renca' if i % 3 else 'Buin'}" for i in range(40)
    ]
    register.write_text("id;dirección;comuna\n" + "\n".join(rows) + "\n", encoding="utf-8")
    drawn = invite(InviteRequest(str(register), 9, ("comuna",), seed="cartas"))
    write_invitations(drawn, tmp_path / "a" / "invitaciones.csv", tmp_path / "a" / "log.json")
    write_invitations(drawn, tmp_path / "b" / "invitaciones.xlsx", tmp_path / "b" / "log.json")
    data = (tmp_path / "a" / "invitaciones.csv").read_bytes()
    expected = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))
    assert cells((tmp_path / "b" / "invitaciones.xlsx").read_bytes()) == expected
    assert expected[0] == ["id", "dirección", "comuna"] and len(expected) == 10
    assert (tmp_path / "a" / "log.json").read_bytes() == (tmp_path / "b" / "log.json").read_bytes()


def test_more_rows_than_a_sheet_holds_keep_the_csv_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Excel holds 1,048,576 rows: a longer list keeps only its CSV, and invitations asked for
    as a workbook are refused before anything is written (here with a sheet of 4 rows)."""
    monkeypatch.setattr(spreadsheet, "SHEET_ROWS", 4)
    table = pd.DataFrame({"id": ["a", "b", "c", "d"]})
    assert list(personal_rows("private/remaining.csv", table)) == ["private/remaining.csv"]
    assert list(personal_rows("private/selected.csv", table[:3])) == [
        "private/selected.csv",
        "private/selected.xlsx",
    ]
    with pytest.raises(ValueError, match="do not fit"):
        csv_to_xlsx(dataframe_to_csv_bytes(table), "remaining")
    register = tmp_path / "padron.csv"
    register.write_text("id;comuna\n" + "\n".join(f"R{i};Renca" for i in range(9)) + "\n")
    drawn = invite(InviteRequest(str(register), 5, (), seed="s"))
    with pytest.raises(UsageError, match="holds at most 3 rows and a header; these are 5"):
        write_invitations(drawn, tmp_path / "inv.xlsx", tmp_path / "log.json")
    assert not list(tmp_path.glob("inv*")) and not (tmp_path / "log.json").exists()
    assert "private/invitations.xlsx" not in invitation_files(drawn)


def test_our_workbooks_read_back_as_the_csv_they_copy(tmp_path: Path) -> None:
    """An organizer may seat selected.xlsx or draw again from remaining.xlsx: sortition's own
    reader gives the same table from the workbook as from the CSV."""
    table = pd.read_csv(RENCA / "pool.csv", dtype=str, keep_default_na=False)[:60]
    table.loc[3, "phone"] = "0223456789"
    table.loc[4, "address"] = '=HYPERLINK("x")'
    for name, data in personal_rows("private/remaining.csv", table).items():
        (tmp_path / name.rsplit("/", 1)[1]).write_bytes(data)
    from_csv = read_pool(tmp_path / "remaining.csv").table
    from_workbook = read_pool(tmp_path / "remaining.xlsx").table
    assert from_workbook.equals(from_csv)
    assert from_workbook.loc[3, "phone"] == "0223456789"


def test_table_numbers_are_numbers_so_that_excel_sorts_them() -> None:
    data = b"id,round_1,round_2\n007,2,10\nR2,,01\n"
    sheet = openpyxl.load_workbook(
        io.BytesIO(csv_to_xlsx(data, "members", numbers=["round_1", "round_2"]))
    ).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == ["007", 2, 10]  # ids stay text, leading zero and all
    assert sheet["C3"].value == "01" and sheet["C3"].data_type == "s"  # not a plain number
    assert sheet["B1"].value == "round_1" and sheet["B1"].data_type == "s"  # the header is text
    default = openpyxl.load_workbook(io.BytesIO(csv_to_xlsx(data, "members"))).active
    assert default is not None and default["B2"].value == "2"  # without `numbers`, all text
