"""Reading pools and quota tables, validation errors with locations, and atomic writing."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers.budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.errors import (
    BadPanelSize,
    BadQuotaNumber,
    BlankId,
    DuplicateId,
    DuplicateQuota,
    EmptyPool,
    InputError,
    MissingColumn,
    QuotaMinAboveMax,
    SortitionError,
    UnknownQuotaFormat,
    UnknownValue,
    UnreadableFile,
    UnwritableFile,
    UsageError,
)
from sortition.inputs.build import build_instance, load_instance
from sortition.inputs.pool import read_pool
from sortition.inputs.quotas import read_quotas
from sortition.inputs.tables import normalize
from sortition.instance import NO_HOUSEHOLD, Feature, Quota
from sortition.outputs.files import (
    dataframe_to_csv_bytes,
    quotas_to_csv_bytes,
    write_files_atomically,
)

POOL = "id,name,gender,comuna\n1,Ana,female,Peñalolén\n2,Bruno,male,Ñuñoa\n3,Carla,female,Ñuñoa\n"
QUOTAS = (
    "feature,value,min,max\n"
    "gender,female,1,2\ngender,male,1,2\n"
    "comuna,Peñalolén,0,2\ncomuna,Ñuñoa,0,2\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("ignored")
    other.append(["not", "read"])
    workbook.save(path)
    return path


def check_error(
    info: pytest.ExceptionInfo[SortitionError],
    cls: type[SortitionError],
    *,
    file: Path | str,
    row: int | None = None,
    column: str | None = None,
    mentions: tuple[str, ...] = (),
) -> None:
    error = info.value
    assert type(error) is cls
    assert error.code == cls.code
    assert error.location is not None
    assert error.location.file == str(file)
    assert error.location.row == row
    assert error.location.column == column
    assert error.hint
    text = str(error)
    assert "\n" not in text and "\n" not in error.message
    assert text.startswith(f"[{cls.code}] ")
    for needle in mentions:
        assert needle in error.message, (needle, error.message)


# ---------------------------------------------------------------------------------------------
# normalize


def test_normalize_trims_collapses_casefolds_and_composes():
    assert normalize("  Peñalolén \t  Alto ") == "peñalolén alto"
    decomposed = "Pen\u0303alole\u0301n"
    assert normalize(decomposed) == normalize("PEÑALOLÉN")
    assert normalize("Straße") == normalize("STRASSE")
    assert normalize("a\u00a0b") == "a b"
    assert normalize("") == ""


@given(st.text())
@settings(max_examples=examples(200))
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


# ---------------------------------------------------------------------------------------------
# Pools


def test_read_pool_csv_keeps_columns_order_and_spelling(tmp_path):
    path = write(tmp_path / "pool.csv", POOL)
    pool = read_pool(path)
    assert pool.path == str(path)
    assert list(pool.table.columns) == ["id", "name", "gender", "comuna"]
    assert pool.table["comuna"].tolist() == ["Peñalolén", "Ñuñoa", "Ñuñoa"]
    assert pool.table["id"].tolist() == ["1", "2", "3"]
    assert pool.id_column == "id"
    assert pool.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pool_cells_stay_text(tmp_path):
    path = write(tmp_path / "pool.csv", "id,zip,score,flag\n007,01234,3.50,NA\n008,,1e3,null\n")
    table = read_pool(path).table
    assert table.iloc[0].tolist() == ["007", "01234", "3.50", "NA"]
    assert table.iloc[1].tolist() == ["008", "", "1e3", "null"]
    assert all(isinstance(v, str) for v in table.to_numpy().ravel())


def test_accented_values_round_trip_unchanged(tmp_path):
    path = write(tmp_path / "pool.csv", POOL)
    assert dataframe_to_csv_bytes(read_pool(path).table) == path.read_bytes()


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_semicolon_pool_with_bom_and_quotes(tmp_path, line_end):
    text = line_end.join(
        ["\ufeff id ;Nombre;Comuna", '1;"Pérez; Ana";Peñalolén', '2;"Dice ""hola""";Ñuñoa', ""]
    )
    path = write(tmp_path / "pool.csv", text)
    pool = read_pool(path, id_column="ID")
    assert list(pool.table.columns) == ["id", "Nombre", "Comuna"]
    assert pool.id_column == "id"
    assert pool.table["Nombre"].tolist() == ["Pérez; Ana", 'Dice "hola"']
    assert pool.table["Comuna"].tolist() == ["Peñalolén", "Ñuñoa"]


def test_delimiter_is_chosen_by_the_header_line(tmp_path):
    # Commas inside values must not fool the sniffer: the header decides.
    path = write(tmp_path / "pool.txt", "id;address\n1;Av. Grecia 1, depto 2\n2;Calle 3, casa 4\n")
    pool = read_pool(path)
    assert pool.table["address"].tolist() == ["Av. Grecia 1, depto 2", "Calle 3, casa 4"]


def test_tab_separated_pool(tmp_path):
    path = write(tmp_path / "pool.txt", "id\tcomuna\n1\tRenca\n")
    assert read_pool(path).table["comuna"].tolist() == ["Renca"]


def test_multiline_quoted_cell_counts_as_one_row(tmp_path):
    path = write(tmp_path / "pool.csv", 'id,note\n1,"two\nlines"\n1,x\n')
    with pytest.raises(DuplicateId) as info:
        read_pool(path)
    check_error(info, DuplicateId, file=path, row=3, column="id", mentions=("'1'", "2", "3"))


def test_trailing_blank_rows_and_unnamed_empty_columns_are_dropped(tmp_path):
    path = write(tmp_path / "pool.csv", "id;comuna;\n1;Renca;\n2;Maipú\n;;\n\n")
    pool = read_pool(path)
    assert list(pool.table.columns) == ["id", "comuna"]
    assert pool.table.to_numpy().tolist() == [["1", "Renca"], ["2", "Maipú"]]


def test_row_with_extra_cells_is_unreadable(tmp_path):
    path = write(tmp_path / "pool.csv", "id,comuna\n1,Renca\n2,Maipú,extra\n")
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    check_error(info, UnreadableFile, file=path, row=3, mentions=("row 3", "3 cells"))


def test_read_pool_xlsx_first_sheet_numbers_as_text(tmp_path):
    path = write_xlsx(
        tmp_path / "pool.xlsx",
        [
            ["ID", "Comuna", "Edad", "Peso"],
            [101, "Peñalolén", 34, 70.5],
            [102, "Ñuñoa", 51.0, None],
        ],
    )
    pool = read_pool(path, id_column="id")
    assert pool.id_column == "ID"
    assert list(pool.table.columns) == ["ID", "Comuna", "Edad", "Peso"]
    assert pool.table.to_numpy().tolist() == [
        ["101", "Peñalolén", "34", "70.5"],
        ["102", "Ñuñoa", "51", ""],
    ]
    assert dataframe_to_csv_bytes(pool.table).decode() == (
        "ID,Comuna,Edad,Peso\n101,Peñalolén,34,70.5\n102,Ñuñoa,51,\n"
    )


def test_missing_id_column(tmp_path):
    path = write(tmp_path / "pool.csv", "rut,comuna\n1,Renca\n")
    with pytest.raises(MissingColumn) as info:
        read_pool(path, id_column="Folio")
    check_error(
        info, MissingColumn, file=path, column="Folio", mentions=("'Folio'", "'rut'", "'comuna'")
    )
    assert "--id-column" in info.value.hint


def test_id_column_matched_ignoring_case_and_spaces(tmp_path):
    path = write(tmp_path / "pool.csv", "  Registrant  ID ,comuna\nA-1,Renca\n")
    pool = read_pool(path, id_column="registrant id")
    assert pool.id_column == "Registrant  ID"


def test_ambiguous_id_column(tmp_path):
    path = write(tmp_path / "pool.csv", "id,ID\n1,2\n")
    with pytest.raises(InputError) as info:
        read_pool(path)
    assert "'id', 'ID'" in info.value.message


def test_blank_id(tmp_path):
    path = write(tmp_path / "pool.csv", "comuna,Id\nRenca,1\nMaipú,  \nLa Pintana,3\n")
    with pytest.raises(BlankId) as info:
        read_pool(path)
    check_error(info, BlankId, file=path, row=3, column="Id", mentions=("row 3", "blank"))


def test_duplicate_id_names_both_rows(tmp_path):
    path = write(tmp_path / "pool.csv", "id,comuna\nA7,Renca\nB2,Maipú\n A7 ,Lo Prado\n")
    with pytest.raises(DuplicateId) as info:
        read_pool(path)
    check_error(info, DuplicateId, file=path, row=4, column="id", mentions=("'A7'", "rows 2 and 4"))


@pytest.mark.parametrize("text", ["id,comuna\n", "id,comuna\n,\n\n", ""])
def test_empty_pool(tmp_path, text):
    path = write(tmp_path / "pool.csv", text)
    with pytest.raises(EmptyPool) as info:
        read_pool(path)
    check_error(info, EmptyPool, file=path, mentions=(str(path),))


# ---------------------------------------------------------------------------------------------
# Unreadable files


def test_latin1_file_is_unreadable_with_utf8_hint(tmp_path):
    path = write(tmp_path / "pool.csv", POOL, encoding="latin-1")
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    # issue 15: the row and column of the first byte that is not UTF-8, not a byte offset
    check_error(info, UnreadableFile, file=path, row=2, column="comuna", mentions=("UTF-8",))
    assert "offset" not in info.value.message
    assert "UTF-8" in info.value.hint


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    check_error(info, UnreadableFile, file=path, mentions=(str(path),))


def test_directory_is_unreadable(tmp_path):
    path = tmp_path / "dir.csv"
    path.mkdir()
    with pytest.raises(UnreadableFile) as info:
        read_quotas(path)
    check_error(info, UnreadableFile, file=path, mentions=(str(path), "directory"))


@pytest.mark.parametrize("name", ["pool.xlsx", "pool.xlsm"])
def test_damaged_workbook_is_unreadable(tmp_path, name):
    path = write(tmp_path / name, "id,comuna\n1,Renca\n")
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    check_error(info, UnreadableFile, file=path, mentions=(str(path),))


def test_workbook_with_csv_name_is_unreadable(tmp_path):
    source = write_xlsx(tmp_path / "real.xlsx", [["id"], [1]])
    path = tmp_path / "pool.csv"
    path.write_bytes(source.read_bytes())
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    assert ".xlsx" in info.value.hint


@pytest.mark.parametrize("name", ["pool.xls", "pool.json", "pool"])
def test_unsupported_extension(tmp_path, name):
    path = write(tmp_path / name, "id\n1\n")
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    check_error(info, UnreadableFile, file=path, mentions=(str(path),))


def test_a_long_path_is_named_whole_so_its_file_name_shows(tmp_path):
    # an organizer's folders can be long; the end of the path names the file to fix
    folder = tmp_path / "Municipalidad de Renca" / "Asamblea ciudadana 2026" / "convocatoria"
    folder.mkdir(parents=True)
    for name, content in (("voluntarios.json", "id\n1\n"), ("voluntarios.csv", "")):
        path = write(folder / name, content)
        assert len(str(path)) > 100
        with pytest.raises(SortitionError) as info:  # unsupported type; empty file
            read_pool(path)
        assert f"'{path}'" in info.value.message
        assert "..." not in info.value.message
    missing = folder / "no-existe" / "voluntarios.csv"
    with pytest.raises(SortitionError) as info:
        read_pool(missing)
    assert f"'{missing}'" in str(info.value)


def test_bad_quotes_are_unreadable(tmp_path):
    path = write(tmp_path / "pool.csv", 'id,comuna\n1,"Renca"x\n')
    with pytest.raises(UnreadableFile) as info:
        read_pool(path)
    check_error(info, UnreadableFile, file=path, mentions=(str(path),))


# ---------------------------------------------------------------------------------------------
# Quota tables


@pytest.mark.parametrize(
    ("header", "fmt"),
    [
        ("feature,value,min,max", "feature,value"),
        ("category,name,min,max", "category,name"),
        ("category,feature,min,max", "category,feature"),
        (" Category ; NAME ;Min;MAX ", "category,name"),
    ],
)
def test_quota_formats(tmp_path, header, fmt):
    delimiter = ";" if ";" in header else ","
    rows = [
        ["Gender", "Female", "3", "5"],
        ["Age", "16-29", " 1 ", "4.0"],
        ["gender", "Male", "3", "5"],
    ]
    text = "\n".join([header] + [delimiter.join(r) for r in rows]) + "\n"
    table = read_quotas(write(tmp_path / "quotas.csv", text))
    assert table.format == fmt
    assert table.features == (
        Feature("Gender", ("Female", "Male"), (Quota(3, 5), Quota(3, 5))),
        Feature("Age", ("16-29",), (Quota(1, 4),)),
    )


def test_quota_flex_columns_and_extra_columns(tmp_path):
    text = (
        "note,feature,value,min,max,Min Flex,max-flex\nx,sexo,mujer,3,5,2,\ny,sexo,hombre,3,5,,7\n"
    )
    table = read_quotas(write(tmp_path / "quotas.csv", text))
    assert table.features == (
        Feature("sexo", ("mujer", "hombre"), (Quota(3, 5, 2, None), Quota(3, 5, None, 7))),
    )


def test_quotas_xlsx_with_numeric_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "quotas.xlsx",
        [
            ["category", "name", "min", "max"],
            ["comuna", "Peñalolén", 2, 4.0],
            [None, None, None, None],
            ["comuna", "Ñuñoa", "1", 3],
        ],
    )
    table = read_quotas(path)
    assert table.format == "category,name"
    assert table.features == (
        Feature("comuna", ("Peñalolén", "Ñuñoa"), (Quota(2, 4), Quota(1, 3))),
    )
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_unknown_quota_format_lists_accepted_headers(tmp_path):
    path = write(tmp_path / "quotas.csv", "feature,option,minimum,max\ngender,f,1,2\n")
    with pytest.raises(UnknownQuotaFormat) as info:
        read_quotas(path)
    check_error(info, UnknownQuotaFormat, file=path, mentions=("'option'", "'minimum'"))
    for header in ("feature,value,min,max", "category,name,min,max", "category,feature,min,max"):
        assert header in info.value.hint


@pytest.mark.parametrize("text", ["feature,value,min,max\n", "feature,value,min,max\n,,,\n"])
def test_quota_table_without_rows(tmp_path, text):
    path = write(tmp_path / "quotas.csv", text)
    with pytest.raises(InputError) as info:
        read_quotas(path)
    check_error(info, InputError, file=path, mentions=("no rows",))


def test_empty_quota_file(tmp_path):
    path = write(tmp_path / "quotas.csv", "")
    with pytest.raises(UnknownQuotaFormat):
        read_quotas(path)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("3.5", "not a whole number"),
        ("-1", "negative"),
        ("abc", "not a number"),
        ("", "blank"),
        ("  ", "blank"),
    ],
)
@pytest.mark.parametrize("column", ["Min", "Max"])
def test_bad_quota_number(tmp_path, cell, problem, column):
    low, high = (cell, "5") if column == "Min" else ("1", cell)
    path = write(
        tmp_path / "quotas.csv", f"Feature,Value,Min,Max\ngender,f,1,2\ngender,m,{low},{high}\n"
    )
    with pytest.raises(BadQuotaNumber) as info:
        read_quotas(path)
    check_error(
        info,
        BadQuotaNumber,
        file=path,
        row=3,
        column=column,
        mentions=(problem, "gender = m", *([f"'{cell}'"] if cell.strip() else [])),
    )


def test_quota_min_above_max(tmp_path):
    path = write(tmp_path / "quotas.csv", "feature,value,min,max\nage,16-29,2,3\nage,30+,6,4\n")
    with pytest.raises(QuotaMinAboveMax) as info:
        read_quotas(path)
    check_error(
        info, QuotaMinAboveMax, file=path, row=3, column="min", mentions=("6", "4", "age = 30+")
    )


@pytest.mark.parametrize(
    ("flex", "column", "mentions"),
    [
        ("4,6", "min_flex", ("min_flex 4", "min 3")),
        ("2,4", "max_flex", ("max_flex 4", "max 5")),
        ("x,", "min_flex", ("'x'",)),
    ],
)
def test_bad_flex(tmp_path, flex, column, mentions):
    path = write(
        tmp_path / "quotas.csv", f"feature,value,min,max,min_flex,max_flex\nsex,f,3,5,{flex}\n"
    )
    with pytest.raises(BadQuotaNumber) as info:
        read_quotas(path)
    check_error(info, BadQuotaNumber, file=path, row=2, column=column, mentions=mentions)


def test_duplicate_quota_after_normalize(tmp_path):
    path = write(
        tmp_path / "quotas.csv",
        "feature,value,min,max\nComuna,Ñuñoa,1,2\ncomuna,Renca,0,1\n COMUNA ,ñuñoa ,1,2\n",
    )
    with pytest.raises(DuplicateQuota) as info:
        read_quotas(path)
    check_error(
        info, DuplicateQuota, file=path, row=4, column="value", mentions=("ñuñoa", "rows 2 and 4")
    )


def test_blank_feature_name_in_quota_row(tmp_path):
    path = write(tmp_path / "quotas.csv", "feature,value,min,max\n,f,1,2\n")
    with pytest.raises(InputError) as info:
        read_quotas(path)
    check_error(info, InputError, file=path, row=2, column="feature", mentions=("blank",))


def test_quotas_to_csv_bytes_round_trips(tmp_path):
    features = (
        Feature("Comuna", ("Peñalolén", "a, b"), (Quota(0, 2), Quota(1, 1, 0, None))),
        Feature("sexo", ("f",), (Quota(1, 3, None, 4),)),
    )
    data = quotas_to_csv_bytes(features)
    assert data.decode().splitlines()[0] == "feature,value,min,max,min_flex,max_flex"
    assert b"\r" not in data
    path = tmp_path / "quotas.csv"
    path.write_bytes(data)
    assert read_quotas(path).features == features


def test_quotas_to_csv_bytes_without_flex():
    data = quotas_to_csv_bytes((Feature("sexo", ("f", "m"), (Quota(1, 2), Quota(0, 2))),))
    assert data == b"feature,value,min,max\nsexo,f,1,2\nsexo,m,0,2\n"


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=6))
@settings(max_examples=examples(30), deadline=None)
def test_quota_csv_round_trip_property(bounds):
    quotas = tuple(Quota(min(a, b), max(a, b)) for a, b in bounds)
    features = (Feature("feature", tuple(f"v{i}" for i in range(len(quotas))), quotas),)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "q.csv"
        path.write_bytes(quotas_to_csv_bytes(features))
        assert read_quotas(path).features == features


# ---------------------------------------------------------------------------------------------
# build_instance / load_instance


def test_load_instance_maps_values_and_keeps_spelling(tmp_path):
    pool = write(
        tmp_path / "pool.csv",
        "ID;Gender ;COMUNA\nx1;FEMALE;peñalolén\nx2; male ;ÑUÑOA\nx3;Female;Ñuñoa\n",
    )
    quotas = write(
        tmp_path / "quotas.csv",
        "category,feature,min,max\ncomuna,Ñuñoa,0,2\nComuna,Peñalolén,0,2\n"
        "gender,Female,1,2\ngender,Male,1,2\n",
    )
    loaded = load_instance(pool, quotas, panel_size=2, id_column="id")
    instance = loaded.instance
    assert instance.ids == ("x1", "x2", "x3")
    assert instance.feature_names == ("comuna", "gender")
    assert instance.features[0].values == ("Ñuñoa", "Peñalolén")
    assert loaded.feature_columns == ("COMUNA", "Gender")
    assert instance.values.tolist() == [[1, 0], [0, 1], [0, 0]]
    assert loaded.household_columns == ()
    assert instance.households.tolist() == [NO_HOUSEHOLD] * 3
    assert loaded.pool.table["Gender"].tolist() == ["FEMALE", " male ", "Female"]
    assert loaded.quotas.format == "category,feature"


def test_load_instance_does_not_change_input_files(tmp_path):
    pool = write(tmp_path / "pool.csv", "\ufeff" + POOL.replace("\n", "\r\n"))
    quotas = write_xlsx(
        tmp_path / "quotas.xlsx",
        [["feature", "value", "min", "max"], ["gender", "female", 1, 2], ["gender", "male", 1, 2]],
    )
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (pool, quotas)}
    load_instance(pool, quotas, panel_size=2)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (pool, quotas)} == before
    assert sorted(os.listdir(tmp_path)) == ["pool.csv", "quotas.xlsx"]


def test_ids_are_stripped(tmp_path):
    pool = write(tmp_path / "pool.csv", "id,gender\n a ,female\nb  ,male\n")
    quotas = write(
        tmp_path / "quotas.csv", "feature,value,min,max\ngender,female,0,1\ngender,male,0,1\n"
    )
    loaded = build_instance(read_pool(pool), read_quotas(quotas), panel_size=1)
    assert loaded.instance.ids == ("a", "b")
    assert loaded.pool.table["id"].tolist() == [" a ", "b  "]


def test_feature_column_missing(tmp_path):
    pool = write(tmp_path / "pool.csv", "id,sexo\n1,female\n")
    quotas = write(tmp_path / "quotas.csv", QUOTAS)
    with pytest.raises(MissingColumn) as info:
        load_instance(pool, quotas, panel_size=1)
    check_error(
        info,
        MissingColumn,
        file=pool,
        column="gender",
        mentions=("'gender'", str(quotas), "'sexo'"),
    )


def test_unknown_value(tmp_path):
    pool = write(tmp_path / "pool.csv", POOL + "4,Dario,other,Renca\n")
    quotas = write(tmp_path / "quotas.csv", QUOTAS)
    with pytest.raises(UnknownValue) as info:
        load_instance(pool, quotas, panel_size=1)
    check_error(
        info,
        UnknownValue,
        file=pool,
        row=5,
        column="gender",
        mentions=("'other'", "'female'", "'male'"),
    )
    assert str(quotas) in info.value.hint


def test_blank_value_is_unknown(tmp_path):
    pool = write(tmp_path / "pool.csv", "id,gender,comuna\n1,female,Ñuñoa\n2, ,Ñuñoa\n")
    quotas = write(tmp_path / "quotas.csv", QUOTAS)
    with pytest.raises(UnknownValue) as info:
        load_instance(pool, quotas, panel_size=1)
    check_error(
        info, UnknownValue, file=pool, row=3, column="gender", mentions=("blank", "'female'")
    )


@pytest.mark.parametrize("panel_size", [0, 4])
def test_bad_panel_size_comes_from_instance(tmp_path, panel_size):
    pool = write(tmp_path / "pool.csv", POOL)
    quotas = write(tmp_path / "quotas.csv", QUOTAS)
    with pytest.raises(BadPanelSize):
        load_instance(pool, quotas, panel_size=panel_size)


def test_households_blank_cells_never_match(tmp_path):
    pool = write(
        tmp_path / "pool.csv",
        (
            "id,gender,Street,Number\n"
            "1,female,Los Aromos,12\n"
            "2,male, los  AROMOS ,12\n"
            "3,female,Los Aromos,14\n"
            "4,male,,14\n"
            "5,female,,14\n"
            "6,male,Los Aromos,\n"
            "7,female,Los Aromos,14\n"
            "8,male,Grecia,1\n"
        ),
    )
    quotas = write(
        tmp_path / "quotas.csv", "feature,value,min,max\ngender,female,0,4\ngender,male,0,4\n"
    )
    loaded = load_instance(pool, quotas, panel_size=3, household_columns=["street", " NUMBER"])
    assert loaded.household_columns == ("Street", "Number")
    assert loaded.instance.households.tolist() == [
        0,
        0,
        1,
        NO_HOUSEHOLD,
        NO_HOUSEHOLD,
        NO_HOUSEHOLD,
        1,
        2,
    ]
    assert loaded.pool.table["Street"].tolist()[1] == " los  AROMOS "


def test_single_household_column(tmp_path):
    pool = write(tmp_path / "pool.csv", "id,gender,home\n1,female,A\n2,male,B\n3,male,a\n4,male,\n")
    quotas = write(
        tmp_path / "quotas.csv", "feature,value,min,max\ngender,female,0,2\ngender,male,0,2\n"
    )
    loaded = load_instance(pool, quotas, panel_size=2, household_columns=("home",))
    assert loaded.instance.households.tolist() == [0, 1, 0, NO_HOUSEHOLD]


def test_household_column_missing(tmp_path):
    pool = write(tmp_path / "pool.csv", POOL)
    quotas = write(tmp_path / "quotas.csv", QUOTAS)
    with pytest.raises(MissingColumn) as info:
        load_instance(pool, quotas, panel_size=1, household_columns=["address"])
    check_error(info, MissingColumn, file=pool, column="address", mentions=("'address'", "'id'"))


def test_xlsx_pool_with_csv_quotas(tmp_path):
    pool = write_xlsx(
        tmp_path / "pool.xlsx", [["Folio", "Comuna"], [1, "Peñalolén"], [2, "Ñuñoa"], [3, "ñuñoa"]]
    )
    quotas = write(
        tmp_path / "quotas.csv", "feature;value;min;max\ncomuna;Ñuñoa;1;2\ncomuna;Peñalolén;0;1\n"
    )
    loaded = load_instance(pool, quotas, panel_size=2, id_column="folio")
    assert loaded.instance.ids == ("1", "2", "3")
    assert loaded.instance.values[:, 0].tolist() == [1, 0, 0]
    assert loaded.pool.id_column == "Folio"


# ---------------------------------------------------------------------------------------------
# Writing


def test_dataframe_to_csv_bytes_is_deterministic_with_lf():
    table = pd.DataFrame({"id": ["1", "2"], "nota": ['dice "sí"', "a,b\nc"], "p": [0.1, 1 / 3]})
    data = dataframe_to_csv_bytes(table)
    assert data == dataframe_to_csv_bytes(table.copy())
    assert b"\r" not in data
    assert data.decode("utf-8").startswith('id,nota,p\n1,"dice ""sí""",0.1\n')
    assert repr(1 / 3).encode() in data


def test_write_files_atomically_creates_directory_and_overwrites(tmp_path):
    target = tmp_path / "out" / "run1"
    write_files_atomically(target, {"a.csv": b"one\n", "b.json": "ñ".encode()})
    assert (target / "a.csv").read_bytes() == b"one\n"
    assert (target / "b.json").read_text("utf-8") == "ñ"
    write_files_atomically(target, {"a.csv": b"two\n"})
    assert (target / "a.csv").read_bytes() == b"two\n"
    assert sorted(os.listdir(target)) == ["a.csv", "b.json"]


def test_write_files_atomically_leaves_nothing_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.csv").write_bytes(b"old\n")
    calls = []
    real_fsync = os.fsync

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(UnwritableFile) as info:
        write_files_atomically(target, {"a.csv": b"new\n", "b.csv": b"new\n"})
    assert "No space left" in info.value.message
    assert "\n" not in str(info.value)
    assert os.listdir(target) == ["a.csv"]
    assert (target / "a.csv").read_bytes() == b"old\n"


def test_write_files_atomically_removes_created_directories_on_failure(tmp_path, monkeypatch):
    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(UnwritableFile):
        write_files_atomically(tmp_path / "new" / "deeper", {"a.csv": b"x"})
    assert os.listdir(tmp_path) == []


def test_write_files_atomically_rejects_paths_in_names(tmp_path):
    with pytest.raises(UsageError):
        write_files_atomically(tmp_path, {"../escape.csv": b"x"})
    assert os.listdir(tmp_path) == []


def test_write_files_atomically_target_is_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    with pytest.raises(UnwritableFile):
        write_files_atomically(blocker / "sub", {"a.csv": b"x"})
    assert os.listdir(tmp_path) == ["file"]


# ---------------------------------------------------------------------------------------------
# Errors survive pickling (used when work runs in other processes)


def test_errors_pickle_with_location(tmp_path):
    path = write(tmp_path / "pool.csv", "id\n1\n1\n")
    with pytest.raises(DuplicateId) as info:
        read_pool(path)
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value)
    assert copy.location == info.value.location


def test_values_array_is_int(tmp_path):
    loaded = load_instance(
        write(tmp_path / "pool.csv", POOL), write(tmp_path / "quotas.csv", QUOTAS), panel_size=2
    )
    assert loaded.instance.values.dtype == np.int64
    assert loaded.instance.values.tolist() == [[0, 0], [1, 1], [0, 1]]
