"""The smaller defects of issue 15 (item 5), each reproduced as a user meets it through the CLI:
every one is now a one-line coded error that says where and why, before any output is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sortition.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
SMALL_POOL = ROOT / "data" / "samples" / "example_small_20" / "pool.csv"
SMALL_QUOTAS = ROOT / "data" / "samples" / "example_small_20" / "quotas.csv"
POOL = (
    "id,name,gender,comuna\n1,Ana,f,Peñalolén\n2,Bruno,m,Ñuñoa\n3,Carla,f,Ñuñoa\n4,Dario,m,Renca\n"
)
QUOTAS = "feature,value,min,max\ngender,f,1,1\ngender,m,1,1\n"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_error(result: Result, code: str, exit_code: int) -> str:
    """The single stderr line of a refused command."""
    assert result.exit_code == exit_code, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"Error: [{code}] "), result.stderr
    assert "Traceback" not in result.output
    return result.stderr.strip()


def pool_and_quotas(tmp_path: Path, pool: str | bytes = POOL) -> tuple[Path, Path]:
    path = tmp_path / "pool.csv"
    path.write_bytes(pool.encode("utf-8") if isinstance(pool, str) else pool)
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    return path, quotas


def select(pool: Path, quotas: Path, out: Path, *extra: object) -> Result:
    return invoke("select", pool, quotas, "-k", 2, "--seed", 1, "-q", "--out", out, *extra)


def test_panels_that_run_out_of_people_name_the_panel_and_why(tmp_path: Path) -> None:
    pool = tmp_path / "pool.csv"
    pool.write_text("id,gender\n" + "".join(f"{i},{'ffmfmfmf'[i]}\n" for i in range(8)),
                    encoding="utf-8")  # fmt: skip
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    checked = invoke("check", pool, quotas, "-k", 2)
    assert checked.exit_code == 0 and "Feasible" in checked.stdout  # the whole pool is fine
    out = tmp_path / "out"
    result = invoke("select", pool, quotas, "-k", 2, "--panels", 4, "--seed", 1, "-q", "--out", out)
    line = one_error(result, "E301", 3)
    assert "panel 4 of 4 cannot be drawn" in line
    assert "after panels 1-3 took 6" in line
    assert "'gender' = 'm' needs at least 1 but only 0 registrants have it" in line
    assert "draw fewer panels (3 fit with this seed)" in line
    assert not out.exists()
    small = tmp_path / "four.csv"
    small.write_text("id,gender\n1,f\n2,m\n3,f\n4,m\n", encoding="utf-8")
    emptied = invoke("select", small, quotas, "-k", 2, "--panels", 3, "--seed", 1, "-q",
                     "--out", out)  # fmt: skip
    line = one_error(emptied, "E201", 2)
    assert (
        "panel 3 of 3 cannot be drawn: among the registrants left after panels 1-2 took 4" in line
    )
    assert "larger than the pool of 0" in line
    assert not out.exists()


def test_a_huge_cell_is_reported_as_too_long_with_row_and_column(tmp_path: Path) -> None:
    huge = POOL.replace("Bruno", "B" * 1_000_000)
    pool, quotas = pool_and_quotas(tmp_path, huge)
    line = one_error(select(pool, quotas, tmp_path / "out"), "E101", 1)
    assert "row 3, column 'name'" in line
    assert "longer than 131,072 characters" in line
    assert "check the quotes" not in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("seed", ["", "   "])
def test_an_empty_seed_is_refused_with_a_hint_about_shell_variables(
    tmp_path: Path, seed: str
) -> None:
    out = tmp_path / "out"
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", seed, "--out", out)
    line = one_error(result, "E200", 2)
    assert "seed" in line and "shell variable" in line
    assert not out.exists()
    invited = invoke("invite", SMALL_POOL, "-n", 3, "--seed", seed, "--out", tmp_path / "i.csv")
    assert "shell variable" in one_error(invited, "E200", 2)
    compared = invoke("compare", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", seed,
                      "--out", tmp_path / "c")  # fmt: skip
    assert "shell variable" in one_error(compared, "E200", 2)
    assert sorted(os.listdir(tmp_path)) == []


def test_an_empty_seed_is_refused_by_replace(tmp_path: Path) -> None:
    assert invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", 1, "-q", "--out",
                  tmp_path / "sel").exit_code == 0  # fmt: skip
    (tmp_path / "dropouts.csv").write_text("id\nP001\n", encoding="utf-8")
    result = invoke("replace", tmp_path / "sel" / "public" / "selection-log.json", "--dropouts",
                    tmp_path / "dropouts.csv", "--seed", "", "--out", tmp_path / "r")  # fmt: skip
    assert "shell variable" in one_error(result, "E200", 2)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("command", "options", "named"),
    [
        ("select", ["--cooldown", "12"], "--cooldown only works with --history"),
        ("select", ["--as-of", "2026-11-23", "--history-factor", "0.3"], "--history-factor and "
         "--as-of only work with --history"),
        ("lottery", ["--history-mode", "weight"], "--history-mode only works with --history"),
    ],
)  # fmt: skip
def test_history_options_without_history_are_refused(
    tmp_path: Path, command: str, options: list[str], named: str
) -> None:
    out = tmp_path / ("out.json" if command == "lottery" else "out")
    result = invoke(command, SMALL_POOL, SMALL_QUOTAS, "-k", 20, *options, "--out", out)
    assert named in one_error(result, "E200", 2)
    assert not out.exists()


def test_nul_characters_in_a_cell_are_refused_with_row_and_column(tmp_path: Path) -> None:
    pool, quotas = pool_and_quotas(tmp_path, POOL.replace("Carla", "Car\x00la"))
    line = one_error(select(pool, quotas, tmp_path / "out"), "E101", 1)
    assert "row 4, column 'name'" in line and "NUL" in line
    assert not (tmp_path / "out").exists()


def test_a_short_row_is_reported_as_short_not_as_a_blank_value(tmp_path: Path) -> None:
    pool, quotas = pool_and_quotas(tmp_path, POOL.replace("3,Carla,f,Ñuñoa", "3,Carla"))
    line = one_error(select(pool, quotas, tmp_path / "out"), "E101", 1)
    assert "row 4" in line and "fewer fields than the header (2 of 4)" in line
    assert "blank" not in line.split("Fix:")[0].replace("read as blank", "")
    assert not (tmp_path / "out").exists()


def test_a_latin1_file_names_the_row_not_a_byte_offset(tmp_path: Path) -> None:
    pool, quotas = pool_and_quotas(tmp_path, POOL.encode("latin-1"))
    line = one_error(select(pool, quotas, tmp_path / "out"), "E101", 1)
    assert "row 2, column 'comuna'" in line and "byte 0xf1" in line
    assert "offset" not in line
    assert "CSV UTF-8" in line  # the hint: save the file as UTF-8
