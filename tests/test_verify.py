"""Commit, reveal, verify: `lottery`, `draw` and `verify` end to end, and tampering caught.

A module-scoped fixture publishes a lottery for the Renca sample (households, leximin) and draws
from it; each tamper test edits one copy of one file and expects `verify` to fail the named check.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sortition.audit.log import fingerprinted, to_json_bytes
from sortition.cli.main import cli
from sortition.outputs.result_set import marker_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
POOL = SAMPLES / "renca" / "pool.csv"
QUOTAS = SAMPLES / "renca" / "quotas.csv"
SMALL_POOL = SAMPLES / "example_small_20" / "pool.csv"
SMALL_QUOTAS = SAMPLES / "example_small_20" / "quotas.csv"
AUDITOR_SCRIPT = ROOT / "docs" / "audit_draw.py"
SOURCES = ("17 20 22 35 36 38 48", "90193202", "55598744")
EXIT_VERIFICATION_FAILED = 5


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def save(path: Path, record: dict[str, Any]) -> None:
    path.write_bytes(to_json_bytes(record))


def statuses(output: str) -> dict[str, str]:
    """check name -> PASS/FAIL/SKIP from the verify table."""
    result = {}
    for line in output.splitlines():
        for status in ("PASS", "FAIL", "SKIP"):
            if line.startswith(status + " "):
                name = line[len(status) :].strip().split("  ")[0]
                result[name] = status
    return result


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A Renca lottery (households) and one draw from it with two reserve tickets."""
    base = tmp_path_factory.mktemp("published")
    lottery = base / "lottery.json"
    made = invoke(
        "lottery", POOL, QUOTAS, "-k", 40, "--household-columns", "address",
        "--planned-sources", "Loto draw 5123 and two Kino results", "--draw-date", "2026-12-01",
        "--out", lottery, "--quiet",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    draw = base / "draw"
    sources = [arg for source in SOURCES for arg in ("--source", source)]
    drawn = invoke("draw", lottery, *sources, "--reserve-tickets", 2, "--pool", POOL, "--out", draw)
    assert drawn.exit_code == 0, drawn.output
    select = base / "select"
    selected = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "2026",
        "--out", select, "--quiet",
    )  # fmt: skip
    assert selected.exit_code == 0, selected.output
    return {"lottery": lottery, "draw": draw, "select": select, "lottery_output": made}


def verify_draw(
    published: dict[str, Path], tmp_path: Path, *extra: object, **files: Path
) -> Result:
    log = files.get("log", published["draw"] / "public" / "selection-log.json")
    lottery = files.get("lottery", published["lottery"])
    return invoke("verify", log, "--lottery", lottery, *extra)


def tampered_copy(
    source: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None], *, refingerprint: bool
) -> Path:
    record = load(source)
    edit(record)
    if refingerprint:  # a careful forger recomputes the fingerprint
        record = fingerprinted(record)
    target = tmp_path / source.name
    save(target, record)
    return target


# ---------------------------------------------------------------------------------------------
# Commit and reveal


def test_lottery_prints_fingerprint_and_statement(published: dict[str, Any]) -> None:
    output = published["lottery_output"].stdout
    record = load(published["lottery"])
    assert record["fingerprint"] in output
    assert "Statement to publish before the draw" in output
    assert "Loto draw 5123 and two Kino results" in output and "2026-12-01" in output
    assert record["announcement"]["draw_date"] == "2026-12-01"
    assert len(record["tickets"]) == 1000


def test_lottery_rounding_is_close_to_the_optimum(published: dict[str, Path]) -> None:
    record = load(published["lottery"])
    assert record["rounding"]["max_deviation"] <= 0.002 + 1e-12
    assert record["rounding"]["unrepresented"] == 0
    for entry in record["probabilities"].values():
        if entry["target"] > 1e-9:
            assert entry["tickets"] >= 1
        assert abs(entry["tickets"] / 1000 - entry["target"]) <= 0.002 + 1e-12


def test_draw_outputs_match_select_and_name_key_and_ticket(published: dict[str, Path]) -> None:
    draw = published["draw"]
    written = sorted(p.relative_to(draw).as_posix() for p in draw.rglob("*") if p.is_file())
    assert written == sorted(  # public/ and private/ since issue 15
        ["private/selected.csv", "private/remaining.csv", "private/README.txt",
         "private/selected.xlsx", "private/remaining.xlsx",
         "public/probabilities.csv", "public/report.html", "public/selection-log.json",
         marker_name()]
    )  # fmt: skip
    log = load(draw / "public" / "selection-log.json")
    assert log["randomness"]["key"] == "17.20.22.35.36.38.48./90193202./55598744./"
    assert log["randomness"]["committed_in_advance"] is True
    lottery = load(published["lottery"])
    assert sorted(lottery["tickets"][str(log["draw"]["ticket"])]) == log["draw"]["selected"]
    assert len(log["draw"]["reserve_tickets"]) == 2
    with (draw / "private" / "selected.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["id"] for row in rows) == log["draw"]["selected"]
    assert "email" in rows[0]  # --pool: every column of the pool is written


def test_draw_twice_is_byte_identical(published: dict[str, Path], tmp_path: Path) -> None:
    sources = [arg for source in SOURCES for arg in ("--source", source)]
    again = invoke(
        "draw", published["lottery"], *sources, "--reserve-tickets", 2, "--pool", POOL,
        "--out", tmp_path / "again",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    for path in published["draw"].rglob("*"):
        if path.is_file():
            name = path.relative_to(published["draw"])
            assert (tmp_path / "again" / name).read_bytes() == path.read_bytes(), name


def test_draw_refuses_a_lottery_whose_content_does_not_match(
    published: dict[str, Path], tmp_path: Path
) -> None:
    def edit(record: dict[str, Any]) -> None:
        outsider = next(
            row[0] for row in record["pool"]["people"] if row[0] not in record["tickets"]["1"]
        )
        record["tickets"]["1"][0] = outsider

    lottery = tampered_copy(published["lottery"], tmp_path, edit, refingerprint=False)
    result = invoke("draw", lottery, "--source", "1 2 3", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "[E112]" in result.stderr and "fingerprint" in result.stderr
    assert not (tmp_path / "out").exists()


def test_draw_without_pool_writes_ids_and_features_only(
    published: dict[str, Path], tmp_path: Path
) -> None:
    result = invoke("draw", published["lottery"], "--source", "5 6 7", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    header = (
        (tmp_path / "o" / "private" / "selected.csv").read_text(encoding="utf-8").splitlines()[0]
    )
    assert header == "id,gender,age_band,zone,education"


def test_draw_rejects_a_pool_that_is_not_the_lottery_pool(
    published: dict[str, Path], tmp_path: Path
) -> None:
    result = invoke(
        "draw", published["lottery"], "--source", "5", "--pool", SMALL_POOL, "--out", tmp_path / "o"
    )
    assert result.exit_code == 1
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------------------------------------
# Untouched files verify


def test_verify_passes_on_an_untouched_draw(published: dict[str, Path]) -> None:
    result = invoke(
        "verify", published["draw"] / "public" / "selection-log.json",
        "--lottery", published["lottery"], "--pool", POOL, "--quotas", QUOTAS, "--deep",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    checks = statuses(result.stdout)
    assert "FAIL" not in checks.values() and "SKIP" not in checks.values(), checks
    for name in ("key from sources", "ticket from key", "selected panel", "maximin certificate"):
        assert checks[name] == "PASS"
    assert "VERIFIED" in result.stdout


def test_verify_passes_on_an_untouched_select_log(published: dict[str, Path]) -> None:
    result = invoke(
        "verify", published["select"] / "public" / "selection-log.json", "--pool", POOL,
        "--quotas", QUOTAS, "--deep",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    checks = statuses(result.stdout)
    assert checks["seed gives the panel"] == "PASS"
    assert checks["maximin certificate"] == "PASS"
    assert "not committed in advance" in result.stdout


def test_verify_in_a_real_subprocess(published: dict[str, Path]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "sortition", "verify",
         str(published["draw"] / "public" / "selection-log.json"),
         "--lottery", str(published["lottery"])],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "VERIFIED: every check passed." in completed.stdout


def test_verify_asks_for_the_lottery_of_a_committed_draw(published: dict[str, Path]) -> None:
    result = invoke("verify", published["draw"] / "public" / "selection-log.json")
    assert result.exit_code == 2
    assert "--lottery" in result.stderr


def test_legacy_select_log_verifies_without_a_certificate(tmp_path: Path) -> None:
    out = tmp_path / "legacy"
    made = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "-a", "legacy", "--legacy-draws", 200,
        "--seed", 3, "--out", out, "--quiet",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    result = invoke("verify", out / "public" / "selection-log.json", "--deep")
    assert result.exit_code == 0, result.output
    assert "not applicable: legacy makes no optimality claim" in result.stdout


# ---------------------------------------------------------------------------------------------
# Tampering with the input files


def _edit_csv(source: Path, target: Path, row: int, column: str, value: str) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row][column] = value
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        ("id", "R9999", "R9999"),
        ("gender", "Hombre", "gender"),
        ("age_band", "60+", "age_band"),
        ("zone", "Huamachuco", "zone"),
        ("education", "Universitaria", "education"),
        ("address", "Pasaje Nuevo 1, Renca", "households"),
    ],
)
def test_changing_one_pool_value_fails_the_input_check(
    published: dict[str, Path], tmp_path: Path, column: str, value: str, named: str
) -> None:
    pool = tmp_path / "pool.csv"
    with POOL.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    addresses = [r["address"].strip().casefold() for r in rows]
    row = next(
        i
        for i, r in enumerate(rows)
        if r[column] != value and (column != "address" or addresses.count(addresses[i]) > 1)
    )
    _edit_csv(POOL, pool, row, column, value)
    for log, extra in (
        (published["draw"] / "public" / "selection-log.json", ["--lottery", published["lottery"]]),
        (published["select"] / "public" / "selection-log.json", []),
    ):
        result = invoke("verify", log, *extra, "--pool", pool, "--quotas", QUOTAS)
        assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
        assert statuses(result.stdout)["input files"] == "FAIL"
        failing = next(line for line in result.stdout.splitlines() if "input files" in line)
        assert named in failing


def test_changing_one_quota_fails_the_input_check(
    published: dict[str, Path], tmp_path: Path
) -> None:
    quotas = tmp_path / "quotas.csv"
    _edit_csv(QUOTAS, quotas, 3, "max", "39")
    result = verify_draw(published, tmp_path, "--pool", POOL, "--quotas", quotas)
    assert result.exit_code == EXIT_VERIFICATION_FAILED
    failing = next(line for line in result.stdout.splitlines() if "input files" in line)
    assert "FAIL" in failing and "quota" in failing


def test_changing_an_unpublished_column_still_verifies(
    published: dict[str, Path], tmp_path: Path
) -> None:
    pool = tmp_path / "pool.csv"
    _edit_csv(POOL, pool, 0, "first_name", "Someone Else")
    result = verify_draw(published, tmp_path, "--pool", pool, "--quotas", QUOTAS)
    assert result.exit_code == 0, result.output
    assert "other columns or formatting differ" in result.stdout


# ---------------------------------------------------------------------------------------------
# Tampering with the lottery file


def _swap_member(record: dict[str, Any], number: str) -> None:
    ticket = record["tickets"][number]
    outsider = next(row[0] for row in record["pool"]["people"] if row[0] not in ticket)
    ticket[0] = outsider


def _change_quota(record: dict[str, Any]) -> None:
    record["rules"]["quotas"][0][3] -= 1


def _change_pool_value(record: dict[str, Any]) -> None:
    row = record["pool"]["people"][5]
    row[1] = "Mujer" if row[1] == "Hombre" else "Hombre"


def _change_pool_id(record: dict[str, Any]) -> None:
    record["pool"]["people"][7][0] = "R9999"


@pytest.mark.parametrize("refingerprint", [False, True])
@pytest.mark.parametrize(
    "edit", [_change_quota, _change_pool_value, _change_pool_id], ids=["quota", "value", "id"]
)
def test_editing_the_lottery_fails_its_fingerprint(
    published: dict[str, Path],
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None],
    refingerprint: bool,
) -> None:
    lottery = tampered_copy(published["lottery"], tmp_path, edit, refingerprint=refingerprint)
    result = verify_draw(published, tmp_path, lottery=lottery)
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    checks = statuses(result.stdout)
    assert checks["lottery fingerprint"] == "FAIL"
    assert checks["lottery and log agree"] == "FAIL"


@pytest.mark.parametrize("refingerprint", [False, True])
def test_changing_a_ticket_member_fails(
    published: dict[str, Path], tmp_path: Path, refingerprint: bool
) -> None:
    winning = str(load(published["draw"] / "public" / "selection-log.json")["draw"]["ticket"])
    lottery = tampered_copy(
        published["lottery"],
        tmp_path,
        lambda r: _swap_member(r, winning),
        refingerprint=refingerprint,
    )
    result = verify_draw(published, tmp_path, lottery=lottery)
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    checks = statuses(result.stdout)
    assert checks["lottery fingerprint"] == "FAIL"
    assert checks["selected panel"] == "FAIL"
    assert checks["ticket shares"] == "FAIL"


# ---------------------------------------------------------------------------------------------
# Tampering with the selection log of a draw


def _other_id(log: dict[str, Any]) -> str:
    return next(row[0] for row in log["pool"]["people"] if row[0] not in log["draw"]["selected"])


def _set_sources(log: dict[str, Any]) -> None:
    log["randomness"]["sources"][0] = "17 20 22 35 36 38 49"


def _set_sources_and_key(log: dict[str, Any]) -> None:
    log["randomness"]["sources"] = ["1 2 3"]
    log["randomness"]["key"] = "1.2.3./"


def _set_ticket(log: dict[str, Any]) -> None:
    log["draw"]["ticket"] = log["draw"]["ticket"] % 1000 + 1


def _set_selected(log: dict[str, Any]) -> None:
    log["draw"]["selected"] = sorted([*log["draw"]["selected"][1:], _other_id(log)])


def _set_reserve(log: dict[str, Any]) -> None:
    log["draw"]["reserve_tickets"][1] = log["draw"]["reserve_tickets"][0]


@pytest.mark.parametrize("refingerprint", [False, True])
@pytest.mark.parametrize(
    ("edit", "check"),
    [
        (_set_sources, "key from sources"),
        (_set_sources_and_key, "ticket from key"),
        (_set_ticket, "ticket from key"),
        (_set_reserve, "ticket from key"),
        (_set_selected, "selected panel"),
    ],
    ids=["sources", "sources+key", "ticket", "reserve", "selected"],
)
def test_editing_the_draw_log_fails_the_named_check(
    published: dict[str, Path],
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None],
    check: str,
    refingerprint: bool,
) -> None:
    log = tampered_copy(
        published["draw"] / "public" / "selection-log.json",
        tmp_path,
        edit,
        refingerprint=refingerprint,
    )
    result = verify_draw(published, tmp_path, log=log)
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    checks = statuses(result.stdout)
    assert checks[check] == "FAIL"
    assert checks["log fingerprint"] == ("PASS" if refingerprint else "FAIL")
    assert "NOT VERIFIED" in result.stdout and check in result.stdout.splitlines()[-1]


# ---------------------------------------------------------------------------------------------
# Tampering with the log of a one-step selection


def _set_seed(log: dict[str, Any]) -> None:
    log["randomness"]["seed"] = "2027"


def _move_panel_member(log: dict[str, Any]) -> None:
    panels = log["distribution"]["panels"]
    panel = next(p for p in panels if p["ids"])
    panel["ids"][0] = next(
        row[0]
        for row in log["pool"]["people"]
        if row[0] not in panel["ids"]
        and all(row[0] not in m for m in log["distribution"]["groups"].values())
    )


def _boost_probability(log: dict[str, Any]) -> None:
    first = next(iter(log["probabilities"]))
    log["probabilities"][first] += 0.01


def _skew_certificate(log: dict[str, Any]) -> None:
    weights = log["certificate"]["weights"]
    weights[0][1] = 1000.0


@pytest.mark.parametrize(
    ("edit", "check"),
    [
        (_set_seed, "seed gives the panel"),
        (_set_selected, "selected panel"),
        (_move_panel_member, "probabilities"),
        (_boost_probability, "probabilities"),
        (_skew_certificate, "maximin certificate"),
    ],
    ids=["seed", "selected", "panel-member", "probability", "certificate"],
)
def test_editing_a_select_log_fails_the_named_check(
    published: dict[str, Path],
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None],
    check: str,
) -> None:
    log = tampered_copy(
        published["select"] / "public" / "selection-log.json", tmp_path, edit, refingerprint=True
    )
    result = invoke("verify", log, "--deep")
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    assert statuses(result.stdout)[check] == "FAIL"


# ---------------------------------------------------------------------------------------------
# Privacy and the standalone auditor


def test_lottery_and_logs_hold_only_ids_and_feature_values(published: dict[str, Path]) -> None:
    with POOL.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    private = ("first_name", "last_name", "email", "phone", "address")
    texts = {
        "lottery": published["lottery"].read_text(encoding="utf-8"),
        "draw log": (published["draw"] / "public" / "selection-log.json").read_text(
            encoding="utf-8"
        ),
        "select log": (published["select"] / "public" / "selection-log.json").read_text(
            encoding="utf-8"
        ),
        "probabilities": (published["draw"] / "public" / "probabilities.csv").read_text(
            encoding="utf-8"
        ),
    }
    for name, text in texts.items():
        for row in rows:
            for column in private:
                assert row[column] not in text, f"{column} of {row['id']} leaked into the {name}"


def test_standalone_auditor_script_reproduces_the_draw(published: dict[str, Path]) -> None:
    lottery = load(published["lottery"])
    log = load(published["draw"] / "public" / "selection-log.json")
    sources = [arg for source in SOURCES for arg in ("--source", source)]
    # -I -S: isolated, no site-packages, so neither sortition nor numpy can be imported
    completed = subprocess.run(
        [sys.executable, "-I", "-S", str(AUDITOR_SCRIPT), str(published["lottery"]), *sources,
         "--fingerprint", lottery["fingerprint"], "--reserves", "2",
         "--log", str(published["draw"] / "public" / "selection-log.json")],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    out = completed.stdout
    assert f"ticket: {log['draw']['ticket']} of 1000" in out
    assert "panel: " + ", ".join(log["draw"]["selected"]) in out
    assert "reserve tickets: " + ", ".join(map(str, log["draw"]["reserve_tickets"])) in out
    assert "the log lists exactly this panel" in out
    assert "public/probabilities.csv: SHA-256 as the log records" in out


def test_standalone_auditor_script_needs_only_public_files_and_catches_an_edit(
    published: dict[str, Path], tmp_path: Path
) -> None:
    public = tmp_path / "public"
    shutil.copytree(published["draw"] / "public", public)  # what an auditor downloads
    sources = [arg for source in SOURCES for arg in ("--source", source)]
    command = [sys.executable, "-I", "-S", str(AUDITOR_SCRIPT), str(published["lottery"]),
               *sources, "--log", str(public / "selection-log.json")]  # fmt: skip
    run = {"capture_output": True, "text": True, "encoding": "utf-8", "timeout": 120}
    assert subprocess.run(command, check=False, **run).returncode == 0
    probabilities = public / "probabilities.csv"
    probabilities.write_text(probabilities.read_text("utf-8").replace("0.", "0.9", 1), "utf-8")
    completed = subprocess.run(command, check=False, **run)
    assert completed.returncode == 1
    assert "FAIL: public/probabilities.csv was changed after the draw" in completed.stdout


def test_standalone_auditor_script_catches_an_edited_lottery(
    published: dict[str, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "lottery.json"
    shutil.copy(published["lottery"], copy)
    record = load(copy)
    _change_quota(record)
    save(copy, record)
    completed = subprocess.run(
        [sys.executable, "-I", "-S", str(AUDITOR_SCRIPT), str(copy), "--source", "1 2 3"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 1
    assert "FAIL: the file's content does not match the fingerprint" in completed.stdout


def test_standalone_auditor_script_reproduces_the_rfc_example() -> None:
    spec = importlib.util.spec_from_file_location("audit_draw", AUDITOR_SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    key = script.rfc3797_key(
        ["17 20 22 35 36 38 48", "90193202", "55598744", "9 10 11 17 21 48 50"]
    )
    assert key == "17.20.22.35.36.38.48./90193202./55598744./9.10.11.17.21.48.50./"
    assert script.rfc3797_picks(key, 134, 12) == [90, 25, 92, 126, 24, 31, 122, 96, 81, 132, 2, 41]
