"""Quotas from part of a census (`census_rows`, `sortition quotas --where`): a commune's own
population out of the bundled regional census."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.cli.census_command import parse_where, quotas_command
from sortition.errors import InputError, MissingColumn, UnknownValue, UsageError
from sortition.inputs.census import census_quotas, census_rows, read_census
from sortition.outputs.files import quotas_to_csv_bytes

ROOT = Path(__file__).resolve().parent.parent
CENSUS = ROOT / "data" / "samples" / "census2017_rm_communes.csv"
BANDS = ("18-29", "30-44", "45-59", "60+")


def only(path: Path, keep: dict[str, set[str]]) -> Path:
    """A copy of the census holding only the rows whose cells are among `keep`'s values."""
    with CENSUS.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    header = rows[0]
    kept = [r for r in rows[1:] if all(r[header.index(c)] in v for c, v in keep.items())]
    with path.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target, lineterminator="\n").writerows([header, *kept])
    return path


def quotas(census, panel_size: int = 40):
    return census_quotas(
        census, ["sex", "age_band"], panel_size, bands=BANDS, rename={"sex": "gender"}
    ).features


def test_a_communes_rows_give_the_quotas_of_a_file_holding_only_them(tmp_path):
    census = read_census(CENSUS)
    renca = census_rows(census, {"Commune": ["renca"]})  # names and values: case aside
    assert len(renca.rows) == 2 * 21 and {r[1] for r in renca.rows} == {"Renca"}
    own = read_census(only(tmp_path / "renca.csv", {"commune": {"Renca"}}))
    assert renca.counts == own.counts and renca.rows == own.rows
    assert quotas(renca) == quotas(own)
    assert renca.row_numbers[0] == census.row_numbers[census.rows.index(renca.rows[0])]
    assert 0 < sum(renca.counts) < sum(census.counts) / 40  # Renca: about 2% of the region


def test_several_values_and_several_conditions(tmp_path):
    census = read_census(CENSUS)
    two = census_rows(census, {"commune": ["Renca", "Quilicura"], "sex": ["female"]})
    own = read_census(
        only(tmp_path / "two.csv", {"commune": {"Renca", "Quilicura"}, "sex": {"female"}})
    )
    assert two.rows == own.rows and two.counts == own.counts
    assert {r[1] for r in two.rows} == {"Renca", "Quilicura"} and {r[3] for r in two.rows} == {
        "female"
    }


def test_bad_conditions_name_the_file_and_column():
    census = read_census(CENSUS)
    with pytest.raises(MissingColumn) as missing:
        census_rows(census, {"comuna": ["Renca"]})
    assert "columns found: 'commune_code', 'commune'" in missing.value.message
    with pytest.raises(UnknownValue) as unknown:
        census_rows(census, {"commune": ["Rengo"]})
    error = unknown.value
    assert error.location is not None and error.location.column == "commune"
    assert error.location.file == str(CENSUS) and "\n" not in str(error)
    assert "'Rengo'" in error.message and "'Renca'" in error.message and error.hint
    with pytest.raises(UsageError):
        census_rows(census, {"commune": []})
    with pytest.raises(InputError) as disjoint:
        census_rows(census, {"commune": ["Renca"], "province": ["Cordillera"]})
    assert "no census row meets every --where condition" in disjoint.value.message


def run(*args: str):
    group = click.Group("sortition")
    group.add_command(quotas_command)
    return CliRunner().invoke(group, ["quotas", *args])


def test_quotas_command_where(tmp_path):
    out = tmp_path / "quotas.csv"
    args = [str(CENSUS), "--by", "sex,age_band", "-k", "40", "--bands", ",".join(BANDS)]
    result = run(*args, "--rename", "sex=gender", "--where", "commune=Renca", "--out", str(out))
    assert result.exit_code == 0, result.output
    renca = census_rows(read_census(CENSUS), {"commune": ["Renca"]})
    assert out.read_bytes() == quotas_to_csv_bytes(quotas(renca))
    assert "(ages 18 and over, commune = Renca; largest remainder" in result.output

    other = tmp_path / "other.csv"
    result = run(*args, "--where", "commune=Rengo", "--out", str(other))
    assert result.exit_code == 1 and "Error: [E106]" in result.output
    assert not other.exists()
    result = run(*args, "--where", "commune", "--out", str(other))
    assert result.exit_code == 2 and "COLUMN=VALUE" in result.output
    assert not other.exists()


def test_where_parser():
    assert parse_where(("commune=Renca, Quilicura", "sex=female", "commune=Lampa")) == {
        "commune": ["Renca", "Quilicura", "Lampa"],
        "sex": ["female"],
    }
    for bad in (("commune",), ("=Renca",), ("commune=",), ("commune= , ",)):
        with pytest.raises(UsageError):
            parse_where(bad)


CENSUS_TABLE = read_census(CENSUS)
COMMUNES = sorted({row[1] for row in CENSUS_TABLE.rows})


@given(
    st.lists(st.sampled_from(COMMUNES), min_size=1, max_size=6, unique=True),
    st.sampled_from([(), ("female",), ("male",), ("female", "male")]),
    st.booleans(),
)
@settings(max_examples=examples(60), deadline=None)
def test_property_rows_kept_are_exactly_those_meeting_every_condition(communes, sexes, shout):
    """Any communes (spelled in any case) and sexes: the rows kept are the census's rows that
    hold one of the chosen values in every named column, in file order, with their counts and
    row numbers; their total is the chosen communes' population."""
    where = {"commune": [c.upper() if shout else c for c in communes]}
    if sexes:
        where["sex"] = list(sexes)
    part = census_rows(CENSUS_TABLE, where)
    expected = [
        i
        for i, row in enumerate(CENSUS_TABLE.rows)
        if row[1] in communes and (not sexes or row[3] in sexes)
    ]
    assert part.rows == tuple(CENSUS_TABLE.rows[i] for i in expected)
    assert part.counts == tuple(CENSUS_TABLE.counts[i] for i in expected)
    assert part.row_numbers == tuple(CENSUS_TABLE.row_numbers[i] for i in expected)
    assert part.sha256 == CENSUS_TABLE.sha256 and part.header == CENSUS_TABLE.header


def test_a_real_subprocess_writes_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """`python -m sortition quotas --where` in real processes: exit 0, the table the library
    makes, byte-identical under two hash seeds; a misspelled commune exits 1 writing nothing."""
    args = [
        "--by",
        "sex,age_band",
        "-k",
        "40",
        "--bands",
        ",".join(BANDS),
        "--rename",
        "sex=gender",
    ]
    command = [sys.executable, "-m", "sortition", "quotas", str(CENSUS), *args]
    written = []
    for hashseed in ("0", "4242"):
        out = tmp_path / f"quotas-{hashseed}.csv"
        done = subprocess.run(
            [*command, "--where", "commune=Renca", "--out", str(out)],
            env={**os.environ, "PYTHONHASHSEED": hashseed},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        written.append(out.read_bytes())
    assert written[0] == written[1]
    renca = census_rows(read_census(CENSUS), {"commune": ["Renca"]})
    assert written[0] == quotas_to_csv_bytes(quotas(renca))
    bad = tmp_path / "bad.csv"
    done = subprocess.run(
        [*command, "--where", "commune=Renka", "--out", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and not bad.exists()
    assert done.stderr.count("\n") == 1 and "[E106]" in done.stderr and "'Renca'" in done.stderr
