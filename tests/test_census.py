"""Quotas from census counts: largest remainder, age re-binning, names, errors and the CLI command.

Hand-made census tables are written to tmp_path; the acceptance test apportions the bundled 2017
census of the Santiago Metropolitan Region and checks the result against the santiago-region pool.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.cli.census_command import parse_relabel, parse_rename, quotas_command
from sortition.errors import (
    BadPanelSize,
    InputError,
    MissingColumn,
    SortitionError,
    UsageError,
)
from sortition.inputs.build import load_instance
from sortition.inputs.census import (
    BadCensusCount,
    CensusQuotas,
    census_quotas,
    largest_remainder,
    parse_bands,
    read_census,
)
from sortition.inputs.quotas import read_quotas
from sortition.instance import Feature, Quota
from sortition.outputs.files import quotas_to_csv_bytes
from sortition.panel.feasibility import check

ROOT = Path(__file__).resolve().parent.parent
CENSUS = ROOT / "data" / "samples" / "census2017_rm_communes.csv"
SANTIAGO_POOL = ROOT / "data" / "samples" / "santiago-region" / "pool.csv"
BANDS = ("18-29", "30-44", "45-59", "60+")
SEX_LABELS = {"sex": {"female": "Mujer", "male": "Hombre"}}

# A tiny census: children, the 15-19 band straddling age 18, and an open top band.
TINY = (
    "sex,age_band,population\n"
    "f,0-4,100\n"
    "f,15-19,50\n"
    "f,20-24,30\n"
    "f,25-29,20\n"
    "m,10-14,70\n"
    "m,15-19,25\n"
    "m,20-24,10\n"
    "m,25-29,40\n"
    "m,30+,60\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def seats(result: CensusQuotas) -> dict[str, dict[str, int]]:
    return {c.feature: {v.value: v.seats for v in c.values} for c in result.categories}


def bounds(result: CensusQuotas) -> dict[str, dict[str, tuple[int, int]]]:
    return {
        f.name: {v: (q.min, q.max) for v, q in zip(f.values, f.quotas, strict=True)}
        for f in result.features
    }


def check_error(
    info: pytest.ExceptionInfo[SortitionError],
    cls: type[SortitionError],
    *,
    file: Path | str | None = None,
    row: int | None = None,
    column: str | None = None,
    mentions: tuple[str, ...] = (),
) -> None:
    error = info.value
    assert type(error) is cls
    assert error.hint
    text = str(error)
    assert "\n" not in text
    assert text.startswith(f"[{cls.code}] ")
    if file is not None:
        assert error.location is not None
        assert error.location.file == str(file)
        assert error.location.row == row
        assert error.location.column == column
    for needle in mentions:
        assert needle in error.message, (needle, error.message)


# ---------------------------------------------------------------------------------------------
# Largest remainder


def test_largest_remainder_hand_worked_example():
    # 7 seats over 4500/3200/2300 (total 10000): exact quotas 3.15, 2.24, 1.61;
    # floors 3 + 2 + 1 = 6, the one seat left goes to the largest remainder (0.61).
    assert largest_remainder([4500, 3200, 2300], 7) == (3, 2, 2)


def test_largest_remainder_tie_goes_to_larger_population_then_earlier_value():
    # 4 seats over 1/5/2 (total 8): exact 0.5, 2.5, 1.0; floors 0+2+1 = 3; remainders 0.5 tie.
    assert largest_remainder([1, 5, 2], 4) == (0, 3, 1)
    assert largest_remainder([5, 1, 2], 4) == (3, 0, 1)
    # equal populations: the earlier value wins
    assert largest_remainder([1, 1, 1], 2) == (1, 1, 0)
    assert largest_remainder([1, 1, 1], 1) == (1, 0, 0)


def test_largest_remainder_is_exact_with_fractions_and_edge_cases():
    assert largest_remainder([Fraction(1, 3), Fraction(2, 3)], 3) == (1, 2)
    assert largest_remainder([10, 0, 30], 4) == (1, 0, 3)
    assert largest_remainder([0, 0], 0) == (0, 0)
    with pytest.raises(ValueError):
        largest_remainder([0, 0], 3)
    with pytest.raises(ValueError):
        largest_remainder([1, -1], 3)


@given(
    st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=500),
)
@settings(max_examples=examples(300), deadline=None)
def test_largest_remainder_sums_to_k_and_rounds_each_quota(populations, k):
    result = largest_remainder(populations, k)
    assert sum(result) == k
    total = sum(populations)
    for population, got in zip(populations, result, strict=True):
        exact = Fraction(population * k, total)
        assert got in (math.floor(exact), math.ceil(exact))


# ---------------------------------------------------------------------------------------------
# Age re-binning


def test_rebinning_counts_two_fifths_of_15_19_and_drops_children(tmp_path):
    census = read_census(write(tmp_path / "c.csv", TINY))
    result = census_quotas(census, ["sex", "age_band"], 19, tolerance=0, bands=["18-24", "25+"])
    sex, age = result.categories
    # f: 2/5 x 50 + 30 + 20 = 70; m: 2/5 x 25 + 10 + 40 + 60 = 120; children (0-4, 10-14) dropped
    assert [(v.value, v.population) for v in sex.values] == [("f", 70), ("m", 120)]
    # 18-24: 20 + 30 + 10 + 10 = 70; 25+: 20 + 40 + 60 = 120
    assert [(v.value, v.population) for v in age.values] == [("18-24", 70), ("25+", 120)]
    assert sex.population == age.population == 190
    assert [v.seats for v in sex.values] == [7, 12]  # 19 x 70/190 = 7 exactly
    assert result.partial_bands == (("15-19", Fraction(2, 5)),)
    assert result.bands == ("18-24", "25+")
    assert result.adult_age == 18


def test_split_follows_adult_age_uniformly(tmp_path):
    census = read_census(write(tmp_path / "c.csv", TINY))
    result = census_quotas(census, ["age_band"], 10, bands=["16-24", "25+"], adult_age=16)
    # 4/5 of the 15-19 band: 4/5 x 75 = 60, + 30 + 10
    assert result.categories[0].values[0].population == 100
    assert result.partial_bands == (("15-19", Fraction(4, 5)),)


def test_bands_restrict_other_categories_even_without_age_in_by(tmp_path):
    census = read_census(write(tmp_path / "c.csv", TINY))
    adults = census_quotas(census, ["sex"], 10, bands=["18-29", "30+"])
    assert [v.population for v in adults.categories[0].values] == [70, 120]
    everyone = census_quotas(census, ["sex"], 10)
    assert [v.population for v in everyone.categories[0].values] == [200, 205]
    assert everyone.adult_age is None and everyone.bands is None and not everyone.partial_bands


def test_requested_band_without_census_rows_gets_zero_seats(tmp_path):
    census = read_census(write(tmp_path / "c.csv", TINY.replace("30+", "30-34")))
    result = census_quotas(
        census, ["age_band"], 10, tolerance=1, bands=["18-24", "25-29", "30-34", "35+"]
    )
    # adults 70 / 60 / 60 / 0 of 190: exact 3.68, 3.16, 3.16, 0
    assert seats(result)["age_band"] == {"18-24": 4, "25-29": 3, "30-34": 3, "35+": 0}
    assert bounds(result)["age_band"]["35+"] == (0, 1)


def test_closed_requested_band_ending_inside_open_census_band(tmp_path):
    census = read_census(write(tmp_path / "c.csv", TINY))
    with pytest.raises(UsageError) as info:
        census_quotas(census, ["age_band"], 10, bands=["18-29", "30-79", "80+"])
    check_error(info, UsageError, mentions=("'30-79' ends inside census band '30+'",))


def test_parse_bands_accepts_contiguous_bands_from_the_adult_age():
    parsed = parse_bands(BANDS, 18)
    assert [(b.start, b.end) for b in parsed] == [(18, 30), (30, 45), (45, 60), (60, None)]


@pytest.mark.parametrize(
    ("bands", "adult_age", "mentions"),
    [
        (["20-29", "30+"], 18, "does not start at the adult age 18"),
        (["18-29", "31+"], 18, "leave a gap"),
        (["18-29", "25+"], 18, "overlap"),
        (["18-29", "30-44"], 18, "is closed"),
        (["18-29", "30+", "60+"], 18, "open band '30+' is followed"),
        (["18-29", "thirty+"], 18, "is not like"),
        (["29-18", "30+"], 18, "is not like"),
        ([], 18, "no age bands"),
    ],
)
def test_bad_bands_are_usage_errors(tmp_path, bands, adult_age, mentions):
    census = read_census(write(tmp_path / "c.csv", TINY))
    with pytest.raises(UsageError) as info:
        census_quotas(census, ["sex"], 10, bands=bands, adult_age=adult_age)
    check_error(info, UsageError, mentions=(mentions,))


def test_band_edge_inside_a_census_band_is_an_error(tmp_path):
    census = read_census(write(tmp_path / "c.csv", TINY))
    with pytest.raises(UsageError) as info:
        census_quotas(census, ["age_band"], 10, bands=["18-22", "23+"])
    check_error(info, UsageError, mentions=("'18-22' ends inside census band '20-24'",))
    assert "20, 25, 30" in info.value.hint


def test_open_census_band_straddling_adult_age_is_an_error(tmp_path):
    census = read_census(write(tmp_path / "c.csv", "age_band,population\n0-9,5\n10+,7\n"))
    with pytest.raises(UsageError) as info:
        census_quotas(census, ["age_band"], 2, bands=["18+"])
    check_error(info, UsageError, mentions=("open census band '10+' straddles",))


def test_unreadable_or_overlapping_census_bands_name_the_row(tmp_path):
    path = write(tmp_path / "c.csv", "age_band,population\n15-19,5\nveinte,7\n")
    with pytest.raises(InputError) as info:
        census_quotas(read_census(path), ["age_band"], 2, bands=["18+"])
    check_error(info, InputError, file=path, row=3, column="age_band", mentions=("'veinte'",))

    path = write(tmp_path / "d.csv", "age_band,population\n15-19,5\n20-24,7\n18-22,1\n")
    with pytest.raises(InputError) as info:
        census_quotas(read_census(path), ["age_band"], 2, bands=["18+"])
    check_error(info, InputError, file=path, row=4, column="age_band", mentions=("overlap",))


def test_missing_age_column_with_bands(tmp_path):
    path = write(tmp_path / "c.csv", "sex,population\nf,5\nm,7\n")
    with pytest.raises(MissingColumn) as info:
        census_quotas(read_census(path), ["sex"], 2, bands=["18+"])
    check_error(info, MissingColumn, file=path, column="age_band", mentions=("age column",))


# ---------------------------------------------------------------------------------------------
# Quotas, names and labels


def test_tolerance_is_clipped_at_zero_and_panel_size(tmp_path):
    census = read_census(write(tmp_path / "c.csv", "sex,population\na,1000\nb,1\n"))
    result = census_quotas(census, ["sex"], 3, tolerance=1)
    assert seats(result)["sex"] == {"a": 3, "b": 0}
    assert bounds(result)["sex"] == {"a": (2, 3), "b": (0, 1)}
    wide = census_quotas(census, ["sex"], 3, tolerance=5)
    assert bounds(wide)["sex"] == {"a": (0, 3), "b": (0, 3)}
    exact = census_quotas(census, ["sex"], 3, tolerance=0)
    assert bounds(exact)["sex"] == {"a": (3, 3), "b": (0, 0)}


def test_rename_relabel_and_merge(tmp_path):
    text = "Sex,region,population\nfemale,North,10\nmale,North,20\nfemale,South,30\nmale,East,40\n"
    census = read_census(write(tmp_path / "c.csv", text))
    result = census_quotas(
        census,
        ["sex", "REGION"],
        10,
        rename={"sex": "gender"},
        relabel={"gender": {"Female": "Mujer", "male": "Hombre"}, "region": {"East": "South"}},
    )
    assert [c.feature for c in result.categories] == ["gender", "region"]
    assert [c.column for c in result.categories] == ["Sex", "region"]
    assert seats(result) == {
        "gender": {"Mujer": 4, "Hombre": 6},
        "region": {"North": 3, "South": 7},
    }
    assert result.features[0] == Feature("gender", ("Mujer", "Hombre"), (Quota(3, 5), Quota(5, 7)))


def test_values_keep_first_spelling_and_file_order(tmp_path):
    text = "zone,population\nRural,1\nurbano,5\nRURAL ,2\n Urbano,1\n"
    result = census_quotas(read_census(write(tmp_path / "c.csv", text)), ["zone"], 9)
    values = result.categories[0].values
    assert [(v.value, v.population, v.seats) for v in values] == [("Rural", 3, 3), ("urbano", 6, 6)]
    assert values[0].share == Fraction(1, 3) and values[0].exact == 3


def test_same_input_gives_same_output(tmp_path):
    path = write(tmp_path / "c.csv", TINY)
    first = census_quotas(read_census(path), ["age_band", "sex"], 7, bands=["18-29", "30+"])
    second = census_quotas(read_census(path), ["age_band", "sex"], 7, bands=["18-29", "30+"])
    assert first == second
    assert quotas_to_csv_bytes(first.features) == quotas_to_csv_bytes(second.features)


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("cell", "mentions"),
    [
        ("12.5", "'12.5' in row 3 is not a whole number"),
        ("-4", "'-4' in row 3 is negative"),
        ("", "population in row 3 is blank"),
        ("many", "'many' in row 3 is not a whole number"),
    ],
)
def test_bad_count_names_file_row_and_column(tmp_path, cell, mentions):
    path = write(tmp_path / "c.csv", f"sex,population\nf,10\nm,{cell}\n")
    with pytest.raises(BadCensusCount) as info:
        read_census(path)
    check_error(info, BadCensusCount, file=path, row=3, column="population", mentions=(mentions,))
    assert isinstance(info.value, InputError)


def test_counts_with_whole_number_spellings_are_accepted(tmp_path):
    census = read_census(write(tmp_path / "c.csv", "sex,Population\nf, 10 \nm,+20\nx,3.0\n"))
    assert census.counts == (10, 20, 3)
    assert census.count_column == "Population"


def test_missing_count_column(tmp_path):
    path = write(tmp_path / "c.csv", "sex,people\nf,10\n")
    with pytest.raises(MissingColumn) as info:
        read_census(path)
    check_error(info, MissingColumn, file=path, column="population", mentions=("'people'",))
    assert "--count-column" in info.value.hint
    assert read_census(path, count_column="people").counts == (10,)


def test_missing_by_column(tmp_path):
    path = write(tmp_path / "c.csv", TINY)
    with pytest.raises(MissingColumn) as info:
        census_quotas(read_census(path), ["sex", "province"], 10)
    check_error(
        info, MissingColumn, file=path, column="province", mentions=("no column 'province'",)
    )
    assert "--by" in info.value.hint


def test_blank_category_cell_after_blank_row(tmp_path):
    path = write(tmp_path / "c.csv", "sex,population\nf,10\n,\n,4\n")
    census = read_census(path)
    assert census.row_numbers == (2, 4)
    with pytest.raises(InputError) as info:
        census_quotas(census, ["sex"], 10)
    check_error(info, InputError, file=path, row=4, column="sex", mentions=("row 4 is blank",))


def test_nobody_counted(tmp_path):
    path = write(tmp_path / "c.csv", "sex,population\nf,0\nm,0\n")
    with pytest.raises(InputError) as info:
        census_quotas(read_census(path), ["sex"], 10)
    check_error(info, InputError, file=path, column="sex", mentions=("counts nobody",))


def test_empty_census(tmp_path):
    path = write(tmp_path / "c.csv", "")
    with pytest.raises(InputError) as info:
        read_census(path)
    check_error(info, InputError, file=path, mentions=("empty",))
    path = write(tmp_path / "d.csv", "sex,population\n")
    with pytest.raises(InputError) as info:
        read_census(path)
    check_error(info, InputError, file=path, mentions=("no rows",))


@pytest.mark.parametrize(
    ("kwargs", "cls", "mentions"),
    [
        ({"by": []}, UsageError, "no census column"),
        ({"by": ["sex", "SEX"]}, UsageError, "named twice"),
        ({"by": ["population"]}, UsageError, "is the count column"),
        ({"panel_size": 0}, BadPanelSize, "must be positive"),
        ({"tolerance": -1}, UsageError, "must not be negative"),
        ({"rename": {"age": "x"}}, UsageError, "cannot rename 'age'"),
        ({"rename": {"sex": "age_band"}, "by": ["sex", "age_band"]}, UsageError, "both be named"),
        ({"relabel": {"age": {"a": "b"}}}, UsageError, "cannot relabel values of 'age'"),
        ({"relabel": {"sex": {"female": "F"}}}, UsageError, "cannot relabel 'female'"),
    ],
)
def test_usage_errors(tmp_path, kwargs, cls, mentions):
    census = read_census(write(tmp_path / "c.csv", TINY))
    arguments = {"by": ["sex"], "panel_size": 10, **kwargs}
    with pytest.raises(cls) as info:
        census_quotas(census, **arguments)
    check_error(info, cls, mentions=(mentions,))


# ---------------------------------------------------------------------------------------------
# Acceptance: the bundled census and the santiago-region pool


@pytest.fixture(scope="module")
def region() -> CensusQuotas:
    return census_quotas(
        read_census(CENSUS),
        ["province", "sex", "age_band"],
        100,
        tolerance=1,
        bands=BANDS,
        rename={"sex": "gender"},
        relabel=SEX_LABELS,
    )


def test_census_region_quotas(region):
    for category in region.categories:
        assert sum(v.seats for v in category.values) == 100
        assert category.population == Fraction(27196638, 5)  # 5,439,327.6 adults
    assert seats(region) == {
        "province": {
            "Santiago": 75,
            "Cordillera": 8,
            "Chacabuco": 3,
            "Maipo": 7,
            "Melipilla": 3,
            "Talagante": 4,
        },
        "gender": {"Mujer": 52, "Hombre": 48},
        "age_band": {"18-29": 26, "30-44": 29, "45-59": 25, "60+": 20},
    }
    assert all(
        (q.min, q.max) == (s - 1, s + 1)
        for category, feature in zip(region.categories, region.features, strict=True)
        for s, q in zip((v.seats for v in category.values), feature.quotas, strict=True)
    )
    assert region.partial_bands == (("15-19", Fraction(2, 5)),)


def test_census_quotas_are_feasible_for_the_santiago_pool(region, tmp_path):
    path = tmp_path / "quotas.csv"
    path.write_bytes(quotas_to_csv_bytes(region.features))
    assert read_quotas(path).features == region.features
    loaded = load_instance(SANTIAGO_POOL, path, panel_size=100, household_columns=("address",))
    report = check(loaded.instance)
    assert report.feasible, report.problems


# ---------------------------------------------------------------------------------------------
# The `quotas` command


def run(*args: str):
    group = click.Group("sortition")
    group.add_command(quotas_command)
    return CliRunner().invoke(group, ["quotas", *args])


def test_quotas_command_writes_the_table_and_prints_it(region, tmp_path):
    out = tmp_path / "out" / "quotas.csv"
    result = run(
        str(CENSUS),
        "--by",
        "province, sex,age_band",
        "--panel-size",
        "100",
        "--bands",
        ",".join(BANDS),
        "--rename",
        "sex=gender",
        "--relabel",
        "sex:female=Mujer,male=Hombre",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == quotas_to_csv_bytes(region.features)
    assert "15-19 counted as 2/5" in result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("feature"))
    assert header.split()[:4] == ["feature", "value", "population", "share"]
    assert header.split()[4:] == ["exact", "seats", "min", "max"]
    santiago = next(line for line in lines if line.startswith("province  Santiago"))
    assert santiago.split()[2:] == ["4,078,744.2", "75.0%", "74.99", "75", "74", "76"]
    assert f"Wrote {out}." in result.output


def test_quotas_command_reports_errors_in_one_line(tmp_path):
    census = write(tmp_path / "c.csv", TINY)
    out = tmp_path / "q.csv"
    result = run(str(census), "--by", "sex,region", "-k", "10", "--out", str(out))
    assert result.exit_code == 1
    assert "Error: [E103]" in result.output and "'region'" in result.output
    assert not out.exists()

    result = run(str(census), "--by", "sex", "-k", "10", "--relabel", "sex=f", "--out", str(out))
    assert result.exit_code == 2
    assert "Error: [E200]" in result.output and "COLUMN:OLD=NEW" in result.output

    result = run(str(census), "--by", "sex", "-k", "10", "--bands", "18-22,23+", "--out", str(out))
    assert result.exit_code == 2 and "ends inside census band" in result.output
    assert not out.exists()


def test_option_parsers():
    assert parse_rename(("sex=gender, a = b", "c=d")) == {"sex": "gender", "a": "b", "c": "d"}
    assert parse_relabel(("sex:female=Mujer,male=Hombre", "zone:R=Rural")) == {
        "sex": {"female": "Mujer", "male": "Hombre"},
        "zone": {"R": "Rural"},
    }
    for bad in (("sex",), ("=gender",), ("a=b", "a=c")):
        with pytest.raises(UsageError):
            parse_rename(bad)
    for bad in (("sex",), ("sex:female",), (":a=b",), ("sex:a=b", "sex:a=c")):
        with pytest.raises(UsageError):
            parse_relabel(bad)
