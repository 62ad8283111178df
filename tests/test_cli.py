"""End-to-end tests of the `sortition` command line: CliRunner in-process, plus real subprocesses.

Most tests use the bundled example_small_20 instance or tiny pools written to tmp_path; the Renca
sample (leximin takes several seconds there) is solved only twice, concurrently, by the
module-scoped `renca_runs` fixture, whose outputs serve the determinism and log-privacy tests.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sortition.cli.main import cli
from sortition.outputs.result_set import marker_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SMALL_POOL = SAMPLES / "example_small_20" / "pool.csv"
SMALL_QUOTAS = SAMPLES / "example_small_20" / "quotas.csv"
RENCA_POOL = SAMPLES / "renca" / "pool.csv"
RENCA_QUOTAS = SAMPLES / "renca" / "quotas.csv"
# moved into public/ and private/ by issue 15 (publishable files apart from personal ones)
OUTPUT_FILES = (
    "private/README.txt",
    "private/remaining.csv",
    "private/remaining.xlsx",  # Excel twins of the personal lists
    "private/selected.csv",
    "private/selected.xlsx",
    "public/probabilities.csv",
    "public/report.html",
    "public/selection-log.json",
)
PROGRESS = ("leximin stage", "leximin:", "maximin:")  # progress lines on stderr during a solve
CONTACT_COLUMNS = ("first_name", "last_name", "email", "phone", "address")
RENCA_SEED = "Renca 2026"
SUBPROCESS_TIMEOUT = 300


# ---------------------------------------------------------------------------------------------
# Helpers


def invoke(*args: object) -> Result:
    """Run the CLI in-process; stderr is kept apart from stdout (click >= 8.2)."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def run_module(
    *args: object, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m sortition ...` in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "sortition", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=cwd,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    return records[0], records[1:]


def read_quota_csv(path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    _, rows = read_csv(path)
    return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows}


def load_log(out: Path) -> dict:
    return json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(directory: Path) -> set[Path]:
    return {p.relative_to(directory) for p in directory.rglob("*")}


def file_names(directory: Path) -> list[str]:
    """Every file under `directory` by relative name ('/'-separated), sorted."""
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file())


def assert_one_line_error(text: str, code: str) -> str:
    """The error output is exactly one line, starts with 'Error: [code]', has no traceback."""
    assert "Traceback" not in text
    lines = text.strip().splitlines()
    assert len(lines) == 1, f"expected a one-line message, got: {text!r}"
    assert lines[0].startswith(f"Error: [{code}] "), lines[0]
    return lines[0]


def assert_panel_meets(
    selected_csv: Path, quotas: dict[tuple[str, str], tuple[int, int]], panel_size: int
) -> None:
    header, rows = read_csv(selected_csv)
    assert len(rows) == panel_size
    for feature in {f for f, _ in quotas}:
        column = header.index(feature)
        counts = Counter(row[column] for row in rows)
        for (f, value), (low, high) in quotas.items():
            if f == feature:
                assert low <= counts[value] <= high, (feature, value, counts[value], low, high)


# ---------------------------------------------------------------------------------------------
# 1. Help texts


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert f"sortition {command} " in result.stdout  # the example shows the command itself
    if command in ("check", "select", "lottery"):
        assert "--panel-size" in result.stdout


def test_commands_cover_the_whole_process() -> None:
    assert {"select", "check", "lottery", "draw", "verify"} <= set(cli.commands)


def test_group_help_and_version_through_python_dash_m() -> None:
    result = run_module("--help")
    assert result.returncode == 0, result.stderr
    assert "select" in result.stdout and "check" in result.stdout
    version = run_module("--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("sortition, version ")


def test_console_script_runs() -> None:
    script = Path(sys.executable).with_name("sortition")
    if not script.exists():
        pytest.skip("console script not installed next to the interpreter")
    result = subprocess.run(
        [str(script), "select", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout


# ---------------------------------------------------------------------------------------------
# 2. A complete draw on example_small_20


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("small") / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "--panel-size", 20, "--seed", 1, "--out", out
    )
    return result, out


def test_select_writes_the_four_files(small_run: tuple[Result, Path]) -> None:
    result, out = small_run
    assert result.exit_code == 0, result.output
    assert all(line.startswith(PROGRESS) for line in result.stderr.splitlines())
    assert file_names(out) == sorted([*OUTPUT_FILES, marker_name()])


def test_selected_and_remaining_split_the_pool(small_run: tuple[Result, Path]) -> None:
    _, out = small_run
    pool_header, pool_rows = read_csv(SMALL_POOL)
    selected_header, selected = read_csv(out / "private" / "selected.csv")
    remaining_header, remaining = read_csv(out / "private" / "remaining.csv")
    assert selected_header == pool_header == remaining_header  # all original columns, in order
    assert len(selected) == 20
    assert len(selected) + len(remaining) == len(pool_rows) == 200
    assert sorted(selected + remaining) == sorted(pool_rows)  # rows kept exactly as written
    assert not {r[0] for r in selected} & {r[0] for r in remaining}
    # raw line count: 20 rows + header (no embedded newlines in this sample)
    assert len((out / "private" / "selected.csv").read_text(encoding="utf-8").splitlines()) == 21
    # rows stay in pool order
    order = {row[0]: i for i, row in enumerate(pool_rows)}
    assert [order[r[0]] for r in selected] == sorted(order[r[0]] for r in selected)


def test_probabilities_are_all_one_tenth(small_run: tuple[Result, Path]) -> None:
    _, out = small_run
    header, rows = read_csv(out / "public" / "probabilities.csv")
    assert header == ["id", "probability"]
    _, pool_rows = read_csv(SMALL_POOL)
    assert [r[0] for r in rows] == [r[0] for r in pool_rows]  # one per registrant, pool order
    for person, probability in rows:
        assert float(probability) == pytest.approx(0.1, abs=1e-6), person
    assert sum(float(p) for _, p in rows) == pytest.approx(20, abs=1e-4)  # 6 decimals


def test_probabilities_csv_is_rounded_for_people_and_the_log_exact(
    small_run: tuple[Result, Path],
) -> None:
    _, out = small_run
    _, rows = read_csv(out / "public" / "probabilities.csv")
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    for person, shown in rows:
        assert re.fullmatch(r"[01]\.\d{6}", shown), shown  # PROBABILITY_DECIMALS = 6
        exact = log["probabilities"][person]
        assert float(shown) == pytest.approx(exact, abs=5e-7)
    assert any(len(repr(float(p))) > 8 for p in log["probabilities"].values())  # not rounded


def test_select_prints_quota_table_and_probabilities(small_run: tuple[Result, Path]) -> None:
    result, out = small_run
    text = result.stdout
    assert re.search(r"feature\s+value\s+min\s+max\s+selected", text)
    for feature, value in [
        ("gender", "female"),
        ("gender", "male"),
        ("leaning", "liberal"),
        ("leaning", "conservative"),
    ]:
        match = re.search(rf"^{feature}\s+{value}\s+9\s+20\s+(\d+)\s*$", text, re.MULTILINE)
        assert match, f"quota row {feature}/{value} missing from:\n{text}"
        assert 9 <= int(match.group(1)) <= 20
    assert re.search(r"min 0\.100000, max 0\.100000", text)
    assert "seed 1" in text
    log = load_log(out)
    _, selected = read_csv(out / "private" / "selected.csv")
    assert sorted(log["draw"]["selected"]) == sorted(r[0] for r in selected)
    assert log["randomness"]["seed"] == "1"
    assert log["randomness"]["seed_source"] == "given"
    assert log["randomness"]["committed_in_advance"] is False
    assert log["options"]["algorithm"] == "leximin"
    assert log["distribution"]["exact"] is True
    for quota in log["quotas"]:
        assert quota["min"] <= quota["selected"] <= quota["max"]


# ---------------------------------------------------------------------------------------------
# 3 and 5. Renca: byte-identical outputs whatever PYTHONHASHSEED; the log holds no contact data


@pytest.fixture(scope="module")
def renca_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two concurrent `python -m sortition select` runs on Renca, PYTHONHASHSEED 0 and 12345."""
    base = tmp_path_factory.mktemp("renca")
    processes = {}
    for hashseed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        out = base / f"out-{hashseed}"
        command = [
            sys.executable,
            "-m",
            "sortition",
            "select",
            str(RENCA_POOL),
            str(RENCA_QUOTAS),
            "--panel-size",
            "40",
            "--household-columns",
            "address",
            "--seed",
            RENCA_SEED,
            "--out",
            str(out),
        ]
        processes[hashseed] = (
            out,
            subprocess.Popen(
                command, env=env, cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            ),
        )
    outs = {}
    for hashseed, (out, process) in processes.items():
        stdout, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT)
        assert process.returncode == 0, stderr.decode("utf-8", "replace")
        assert b"Traceback" not in stderr
        assert b"seed Renca 2026" in stdout
        outs[hashseed] = out
    return outs


def test_renca_outputs_are_byte_identical_across_hash_seeds(renca_runs: dict[str, Path]) -> None:
    first, second = renca_runs["0"], renca_runs["12345"]
    assert file_names(first) == sorted([*OUTPUT_FILES, marker_name()])
    assert file_names(second) == sorted([*OUTPUT_FILES, marker_name()])
    for name in OUTPUT_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_renca_draw_meets_quotas_and_households(renca_runs: dict[str, Path]) -> None:
    out = renca_runs["0"]
    assert_panel_meets(out / "private" / "selected.csv", read_quota_csv(RENCA_QUOTAS), 40)
    header, selected = read_csv(out / "private" / "selected.csv")
    column = header.index("address")
    addresses = [" ".join(r[column].casefold().split()) for r in selected if r[column].strip()]
    assert len(addresses) == len(set(addresses)), "two panel members share a household"


def test_renca_log_has_no_contact_data(renca_runs: dict[str, Path]) -> None:
    log_text = (renca_runs["0"] / "public" / "selection-log.json").read_text(encoding="utf-8")
    with RENCA_POOL.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    secrets = {row[c].strip() for row in rows for c in CONTACT_COLUMNS if row[c].strip()}
    assert len(secrets) > 1000  # the check is not vacuous
    leaked = sorted(s for s in secrets if s in log_text)
    assert not leaked, f"contact data in the log: {leaked[:10]}"
    # the JSON-escaped form must not leak either (e.g. non-ASCII written as \\u escapes)
    escaped = sorted(s for s in secrets if json.dumps(s)[1:-1] in log_text)
    assert not escaped


def test_renca_log_records_input_hashes_and_options(renca_runs: dict[str, Path]) -> None:
    log = load_log(renca_runs["0"])
    assert log["inputs"]["pool"] == {"file": "pool.csv", "sha256": sha256(RENCA_POOL)}
    assert log["inputs"]["quotas"] == {"file": "quotas.csv", "sha256": sha256(RENCA_QUOTAS)}
    assert len(log["inputs"]["pool_record_sha256"]) == 64
    text = (renca_runs["0"] / "public" / "selection-log.json").read_text(encoding="utf-8")
    assert sha256(RENCA_POOL) in text and sha256(RENCA_QUOTAS) in text
    assert log["randomness"]["seed"] == RENCA_SEED
    assert log["randomness"]["seed_source"] == "given"
    assert log["options"]["panel_size"] == 40
    assert log["options"]["household_columns"] == ["address"]
    assert str(SAMPLES) not in text  # directories (possibly personal) are not logged
    probabilities = sum(p["probability"] for p in log["distribution"]["panels"])
    assert probabilities == pytest.approx(1, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# 4. A generated seed is printed, logged and repeats the draw


def test_generated_seed_is_printed_logged_and_repeatable(tmp_path: Path) -> None:
    first = tmp_path / "first"
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--out", first)
    assert result.exit_code == 0, result.output
    match = re.search(r"seed (\S+) \(generated; pass --seed (\S+) to repeat", result.stdout)
    assert match, result.stdout
    seed = match.group(1)
    assert match.group(2) == seed
    log = load_log(first)
    assert log["randomness"]["seed_source"] == "generated"
    assert log["randomness"]["seed"] == seed

    second = tmp_path / "second"
    again = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--seed", seed, "--out", second)
    assert again.exit_code == 0, again.output
    assert "(generated" not in again.stdout
    for name in ("private/selected.csv", "private/remaining.csv", "public/probabilities.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    relog = load_log(second)
    assert relog["randomness"]["seed"] == seed
    assert relog["randomness"]["seed_source"] == "given"
    assert relog["draw"] == log["draw"]


def test_two_generated_seeds_differ(tmp_path: Path) -> None:
    seeds = []
    for name in ("a", "b"):
        result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--out", tmp_path / name)
        assert result.exit_code == 0, result.output
        seeds.append(load_log(tmp_path / name)["randomness"]["seed"])
    assert seeds[0] != seeds[1]


# ---------------------------------------------------------------------------------------------
# 6 and 7. Feasibility check, corrected quota table, infeasible select


def write_conflict_instance(directory: Path) -> tuple[Path, Path]:
    """22 registrants, k = 6: gender minimums add up to 8 > 6, and every woman is young while
    'old' needs 4 (old people are all men), so f >= 4 and old >= 4 also conflict."""
    rows = ["id,name,email,gender,age"]
    rows += [f"w{i},Woman {i},w{i}@mail.example,f,young" for i in range(10)]
    rows += [f"m{i},Man {i},m{i}@mail.example,m,young" for i in range(6)]
    rows += [f"o{i},Old {i},o{i}@mail.example,m,old" for i in range(6)]
    pool = directory / "pool.csv"
    pool.write_text("\n".join(rows) + "\n", encoding="utf-8")
    quotas = directory / "quotas.csv"
    quotas.write_text(
        "feature,value,min,max\ngender,f,4,6\ngender,m,4,6\nage,young,0,6\nage,old,4,6\n",
        encoding="utf-8",
    )
    return pool, quotas


def test_check_feasible_small() -> None:
    result = invoke("check", SMALL_POOL, SMALL_QUOTAS, "--panel-size", 20)
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()[:2]
    assert first == "No duplicate registrations (compared email, phone)."
    assert second.startswith("Feasible")
    assert all(line.startswith(PROGRESS) for line in result.stderr.splitlines())


def test_check_feasible_renca_with_households() -> None:
    result = run_module(
        "check", RENCA_POOL, RENCA_QUOTAS, "--panel-size", 40, "--household-columns", "address"
    )
    assert result.returncode == 0, result.stderr
    assert "Feasible" in result.stdout and "household" in result.stdout


def test_check_infeasible_writes_corrected_table_that_select_accepts(tmp_path: Path) -> None:
    pool, quotas = write_conflict_instance(tmp_path)
    corrected = tmp_path / "fixed" / "quotas-fixed.csv"
    corrected.parent.mkdir()
    result = invoke("check", pool, quotas, "-k", 6, "--write-corrected", corrected)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "Infeasible" in result.stdout
    assert "minimums of 'gender' add up to 8, more than the panel size 6" in result.stdout
    assert "Corrected quota table (CSV):" in result.stdout
    assert corrected.exists()
    corrected_text = corrected.read_text(encoding="utf-8")
    assert corrected_text.startswith("feature,value,min,max\n")
    assert corrected_text in result.stdout  # the printed table is the written one

    old = read_quota_csv(quotas)
    new = read_quota_csv(corrected)
    assert set(new) == set(old)
    # only relaxations: minimums lowered, maximums raised
    assert all(new[key][0] <= old[key][0] and new[key][1] >= old[key][1] for key in old)
    cost = sum(abs(new[k][0] - old[k][0]) + abs(new[k][1] - old[k][1]) for k in old)
    match = re.search(r"Smallest relaxation: (\d+) unit", result.stdout)
    assert match and int(match.group(1)) == cost
    # the cheapest fix: 2 units (gender minimums must drop by 2, f + old <= 6 needs 2 as well)
    assert cost == 2
    assert sum(new[("gender", v)][0] for v in ("f", "m")) <= 6
    assert new[("gender", "f")][0] + new[("age", "old")][0] <= 6

    out = tmp_path / "out"
    selected = invoke("select", pool, corrected, "-k", 6, "--seed", 7, "--out", out)
    assert selected.exit_code == 0, selected.output
    assert_panel_meets(out / "private" / "selected.csv", new, 6)
    assert all(q["min"] <= q["selected"] <= q["max"] for q in load_log(out)["quotas"])


def test_check_infeasible_without_write_corrected_writes_nothing(tmp_path: Path) -> None:
    pool, quotas = write_conflict_instance(tmp_path)
    before = files_under(tmp_path)
    result = run_module("check", pool, quotas, "-k", 6, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Corrected quota table" in result.stdout
    assert files_under(tmp_path) == before


def test_select_infeasible_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    pool, quotas = write_conflict_instance(tmp_path)
    before = files_under(tmp_path)
    out = tmp_path / "out"
    result = invoke("select", pool, quotas, "-k", 6, "--seed", 1, "--out", out)
    assert result.exit_code == 3, result.output
    assert_one_line_error(result.stderr, "E301")
    assert result.stdout == ""
    assert not out.exists()
    assert files_under(tmp_path) == before


def test_select_infeasible_keeps_existing_out_dir_empty(tmp_path: Path) -> None:
    pool, quotas = write_conflict_instance(tmp_path)
    out = tmp_path / "existing"
    out.mkdir()
    result = run_module("select", pool, quotas, "-k", 6, "--out", out, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert_one_line_error(result.stderr, "E301")
    assert list(out.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# 8. Validation errors: exit code, one-line coded message with file/row/column, no outputs

POOL_HEADER = "id,name,gender\n"
GOOD_ROWS = "a1,Ann,f\na2,Bob,m\na3,Cat,f\na4,Dan,m\n"
QUOTAS = "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\n"

# id: (pool text or bytes, quota text, panel size, exit, code, file, row, column, must contain)
VALIDATION_CASES = {
    "missing id column": (
        "name,gender\nAnn,f\nBob,m\n",
        QUOTAS,
        2,
        1,
        "E103",
        "pool",
        None,
        "id",
        ["'name', 'gender'"],
    ),
    "blank id": (
        POOL_HEADER + "a1,Ann,f\n ,Bob,m\na3,Cat,f\n",
        QUOTAS,
        2,
        1,
        "E104",
        "pool",
        3,
        "id",
        ["blank id"],
    ),
    "duplicate id": (
        POOL_HEADER + "a1,Ann,f\na2,Bob,m\na1,Cat,f\n",
        QUOTAS,
        2,
        1,
        "E105",
        "pool",
        4,
        "id",
        ["'a1'", "rows 2 and 4"],
    ),
    "missing feature column": (
        "id,name\na1,Ann\na2,Bob\n",
        QUOTAS,
        2,
        1,
        "E103",
        "pool",
        None,
        "gender",
        ["'gender'"],
    ),
    "value not in quota table": (
        POOL_HEADER + GOOD_ROWS + "a5,Eve,x\n",
        QUOTAS,
        2,
        1,
        "E106",
        "pool",
        6,
        "gender",
        ["'x'", "allowed values: 'f', 'm'"],
    ),
    "non-integer quota": (
        POOL_HEADER + GOOD_ROWS,
        "feature,value,min,max\ngender,f,1.5,2\ngender,m,1,2\n",
        2,
        1,
        "E107",
        "quotas",
        2,
        "min",
        ["'1.5'", "whole number"],
    ),
    "non-numeric quota": (
        POOL_HEADER + GOOD_ROWS,
        "feature,value,min,max\ngender,f,1,2\ngender,m,1,lots\n",
        2,
        1,
        "E107",
        "quotas",
        3,
        "max",
        ["'lots'"],
    ),
    "negative quota": (
        POOL_HEADER + GOOD_ROWS,
        "feature,value,min,max\ngender,f,-1,2\ngender,m,1,2\n",
        2,
        1,
        "E107",
        "quotas",
        2,
        "min",
        ["negative"],
    ),
    "min above max": (
        POOL_HEADER + GOOD_ROWS,
        "feature,value,min,max\ngender,f,1,2\ngender,m,3,2\n",
        2,
        1,
        "E108",
        "quotas",
        3,
        None,
        ["min 3 is above max 2"],
    ),
    "panel size 0": (
        POOL_HEADER + GOOD_ROWS,
        QUOTAS,
        0,
        2,
        "E201",
        None,
        None,
        None,
        ["panel size"],
    ),
    "panel size above pool": (
        POOL_HEADER + GOOD_ROWS,
        QUOTAS,
        5,
        2,
        "E201",
        None,
        None,
        None,
        ["5", "pool of 4"],
    ),
    "empty pool file": ("", QUOTAS, 2, 1, "E109", "pool", None, None, ["empty"]),
    "pool without registrants": (
        POOL_HEADER,
        QUOTAS,
        2,
        1,
        "E109",
        "pool",
        None,
        None,
        ["no registrants"],
    ),
    "latin-1 pool": (
        (POOL_HEADER + GOOD_ROWS + "a5,Peñalolén,f\n").encode("latin-1"),
        QUOTAS,
        2,
        1,
        "E101",
        "pool",
        None,
        None,
        ["UTF-8"],
    ),
    "unknown quota format": (
        POOL_HEADER + GOOD_ROWS,
        "attr,level,lo,hi\ngender,f,1,2\n",
        2,
        1,
        "E102",
        "quotas",
        None,
        None,
        ["feature,value,min,max"],
    ),
    "duplicate quota row": (
        POOL_HEADER + GOOD_ROWS,
        "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\nGender,F,0,1\n",
        2,
        1,
        "E110",
        "quotas",
        4,
        None,
        ["rows 2 and 4"],
    ),
}


@pytest.mark.parametrize("command", ["select", "check"])
@pytest.mark.parametrize("case", list(VALIDATION_CASES))
def test_validation_error(tmp_path: Path, case: str, command: str) -> None:
    pool_text, quota_text, k, exit_code, code, file, row, column, snippets = VALIDATION_CASES[case]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    pool = inputs / "pool.csv"
    if isinstance(pool_text, bytes):
        pool.write_bytes(pool_text)
    else:
        pool.write_text(pool_text, encoding="utf-8")
    quotas = inputs / "quotas.csv"
    quotas.write_text(quota_text, encoding="utf-8")
    before = files_under(tmp_path)
    out = tmp_path / "out"
    extra = ["--out", out] if command == "select" else ["--write-corrected", out / "fixed.csv"]
    result = invoke(command, pool, quotas, "--panel-size", k, *extra)

    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    line = assert_one_line_error(result.stderr, code)
    assert "Traceback" not in result.output
    if file is not None:
        assert str(pool if file == "pool" else quotas) in line
    if row is not None:
        assert f"row {row}" in line
    if column is not None:
        assert f"column '{column}'" in line
    for snippet in snippets:
        assert snippet in line
    assert "Fix:" in line
    assert not out.exists()
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("which", ["pool", "quotas"])
def test_nonexistent_input_file(tmp_path: Path, which: str) -> None:
    missing = tmp_path / "no-such-dir" / f"{which}.csv"
    pool = missing if which == "pool" else SMALL_POOL
    quotas = missing if which == "quotas" else SMALL_QUOTAS
    out = tmp_path / "out"
    result = invoke("select", pool, quotas, "-k", 20, "--out", out)
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(result.stderr, "E101")
    assert str(missing) in line and "does not exist" in line
    assert not out.exists()


def test_validation_error_in_real_subprocess(tmp_path: Path) -> None:
    pool = tmp_path / "pool.csv"
    pool.write_bytes((POOL_HEADER + GOOD_ROWS + "a5,Peñalolén,f\n").encode("latin-1"))
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    before = files_under(tmp_path)
    result = run_module("select", "pool.csv", "quotas.csv", "-k", 2, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    line = assert_one_line_error(result.stderr, "E101")
    assert "pool.csv" in line and "UTF-8" in line
    assert files_under(tmp_path) == before  # not even the default ./selection directory


def test_unsupported_file_type(tmp_path: Path) -> None:
    pool = tmp_path / "pool.json"
    pool.write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("select", pool, SMALL_QUOTAS, "-k", 2, "--out", out)
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(result.stderr, "E101")
    assert "pool.json" in line
    assert not out.exists()


def test_semicolon_bom_pool_is_accepted(tmp_path: Path) -> None:
    """The README promises UTF-8 with BOM and ';' separators; spelling of values is kept."""
    pool = tmp_path / "pool.csv"
    rows = ["id;nombre;Comuna"] + [
        f"c{i};Persona {i};{'Peñalolén' if i % 2 else 'ÑUÑOA '}" for i in range(8)
    ]
    pool.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(rows) + "\r\n").encode("utf-8"))
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(
        "category,name,min,max\ncomuna,Peñalolén,2,2\ncomuna,Ñuñoa,2,2\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = invoke("select", pool, quotas, "-k", 4, "--seed", "x", "--out", out)
    assert result.exit_code == 0, result.output
    header, selected = read_csv(out / "private" / "selected.csv")
    assert header == ["id", "nombre", "Comuna"]
    assert sorted(r[2] for r in selected) == ["Peñalolén", "Peñalolén", "ÑUÑOA ", "ÑUÑOA "]


# ---------------------------------------------------------------------------------------------
# 9. Usage errors and the time limit


def test_unknown_algorithm_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--algorithm", "magic", "--out", out
    )
    assert result.exit_code == 2
    assert "Invalid value for '--algorithm'" in result.stderr
    assert "'magic'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_panel_size_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "--out", out)
    assert result.exit_code == 2
    assert "--panel-size" in result.stderr
    assert not out.exists()


def test_time_limit_exits_4_without_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select",
        RENCA_POOL,
        RENCA_QUOTAS,
        "-k",
        40,
        "--household-columns",
        "address",
        "--algorithm",
        "leximin",
        "--time-limit",
        "0.000001",
        "--seed",
        1,
        "--out",
        out,
    )
    assert result.exit_code == 4, result.output
    assert result.stdout == ""
    line = assert_one_line_error(result.stderr, "E402")
    assert "time limit" in line
    assert "--time-limit" in line  # tells how to fix it
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_check_time_limit_exits_4_without_corrected_table(tmp_path: Path) -> None:
    pool, quotas = write_conflict_instance(tmp_path)
    corrected = tmp_path / "fixed" / "quotas-fixed.csv"
    result = invoke(
        "check", pool, quotas, "-k", 6, "--time-limit", "0.000001", "--write-corrected", corrected
    )
    assert result.exit_code == 4, result.output
    line = assert_one_line_error(result.stderr, "E402")
    assert "time limit" in line
    assert not corrected.parent.exists()


def test_out_pointing_to_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me", encoding="utf-8")
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--out", target)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_unknown_household_column(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select",
        SMALL_POOL,
        SMALL_QUOTAS,
        "-k",
        20,
        "--household-columns",
        "address,flat",
        "--out",
        out,
    )
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(result.stderr, "E103")
    assert "column 'flat'" in line and str(SMALL_POOL) in line
    assert not out.exists()


def test_zero_legacy_draws_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select",
        SMALL_POOL,
        SMALL_QUOTAS,
        "-k",
        20,
        "-a",
        "legacy",
        "--legacy-draws",
        0,
        "--out",
        out,
    )
    assert result.exit_code == 2, result.output
    assert_one_line_error(result.stderr, "E200")
    assert not out.exists()


@pytest.mark.parametrize("limit", ["0", "-5"])
def test_nonpositive_time_limit_is_a_usage_error(tmp_path: Path, limit: str) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--time-limit", limit, "--out", out
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# 10. The legacy algorithm


def test_legacy_algorithm_logs_an_inexact_distribution(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select",
        SMALL_POOL,
        SMALL_QUOTAS,
        "-k",
        20,
        "--algorithm",
        "legacy",
        "--legacy-draws",
        50,
        "--seed",
        3,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert "estimated from 50 draws" in result.stdout
    log = load_log(out)
    assert log["distribution"]["exact"] is False
    assert log["options"]["algorithm"] == "legacy"
    assert log["options"]["legacy_draws"] == 50
    assert log["algorithm_details"]["draws"] == 50
    _, selected = read_csv(out / "private" / "selected.csv")
    assert len(selected) == 20
    assert_panel_meets(out / "private" / "selected.csv", read_quota_csv(SMALL_QUOTAS), 20)
    _, probabilities = read_csv(out / "public" / "probabilities.csv")
    assert len(probabilities) == 200
    assert sum(float(p) for _, p in probabilities) == pytest.approx(20, abs=1e-4)  # rounded


def test_legacy_draw_is_repeatable(tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = invoke(
            "select",
            SMALL_POOL,
            SMALL_QUOTAS,
            "-k",
            20,
            "-a",
            "legacy",
            "--legacy-draws",
            50,
            "--seed",
            3,
            "--out",
            out,
        )
        assert result.exit_code == 0, result.output
        outs.append(out)
    for name in OUTPUT_FILES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
