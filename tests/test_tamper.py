"""Issue 15: `verify` checks every file of a result set against the hashes its log records.

One tamper test per file type of a set: the publishable probabilities.csv and selection-log.json,
the lottery file, and the private selected.csv, remaining.csv, reserves.csv, replacements.csv,
pseudonyms.csv and README.txt. Each edits one copy of one file and expects `verify` to fail
(exit code 5) naming that file. The issue's own scenario comes first: swapping someone from
remaining.csv into selected.csv next to a verified log was still VERIFIED. The only plot,
compare's probabilities.png, belongs to a comparison, which has no log to verify against.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sortition.cli.main import cli
from sortition.errors import EXIT_VERIFICATION_FAILED

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "example_small_20"
POOL, QUOTAS = SAMPLE / "pool.csv", SAMPLE / "quotas.csv"
COMMON = [POOL, QUOTAS, "-k", 20, "-a", "maximin", "-q"]
SOURCES = ["--source", "4 8 15 16 23 42"]


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def failed_checks(output: str) -> list[str]:
    return [
        line[4:].strip().split("  ")[0] for line in output.splitlines() if line.startswith("FAIL")
    ]


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A select with reserves, a pseudonymized select, a lottery and its draw, a replacement."""
    base = tmp_path_factory.mktemp("sets")
    made = {
        "select": invoke("select", *COMMON, "--seed", 5, "--reserves", 2, "--out", base / "select"),
        "email": invoke("select", *COMMON, "--seed", 5, "--id-column", "email",
                        "--out", base / "email"),
        "lottery": invoke("lottery", *COMMON, "--tickets", 40, "--out", base / "lottery.json"),
    }  # fmt: skip
    made["draw"] = invoke(
        "draw", base / "lottery.json", *SOURCES, "--pool", POOL, "--out", base / "draw"
    )
    log = json.loads((base / "select" / "public" / "selection-log.json").read_text("utf-8"))
    (base / "dropouts.csv").write_text(f"id\n{log['draw']['selected'][0]}\n", encoding="utf-8")
    made["replace"] = invoke(
        "replace", base / "select" / "public" / "selection-log.json", "--dropouts",
        base / "dropouts.csv", "--pool", POOL, "--seed", 6, "--out", base / "replace", "-q",
    )  # fmt: skip
    for name, result in made.items():
        assert result.exit_code == 0, (name, result.output)
    return {
        "select": base / "select", "email": base / "email", "draw": base / "draw",
        "replace": base / "replace", "lottery": base / "lottery.json",
    }  # fmt: skip


def verify(folder: Path, *extra: object) -> Result:
    return invoke("verify", folder / "public" / "selection-log.json", *extra)


def copy(sets: dict[str, Path], name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(sets[name], target)
    return target


def rewrite_csv(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_issue_scenario_a_remaining_registrant_swapped_into_selected_csv(tmp_path: Path) -> None:
    # issue 15: editing selected.csv (swapping in someone from remaining.csv) next to a verified
    # log still gave VERIFIED; the files are found wherever the set keeps them
    out = tmp_path / "sel"
    assert invoke("select", *COMMON, "--seed", 5, "--out", out).exit_code == 0
    assert invoke("verify", *out.rglob("selection-log.json")).exit_code == 0
    (selected,) = out.rglob("selected.csv")
    (remaining,) = out.rglob("remaining.csv")
    with remaining.open(encoding="utf-8", newline="") as handle:
        outsider = list(csv.reader(handle))[1]
    rewrite_csv(selected, lambda rows: rows.__setitem__(1, outsider))
    result = invoke("verify", *out.rglob("selection-log.json"))
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    assert "NOT VERIFIED" in result.output
    assert failed_checks(result.output) == ["private/selected.csv"]
    assert "selected.csv was changed after the draw" in result.output


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("select", "public/probabilities.csv"),
        ("select", "private/selected.csv"),
        ("select", "private/remaining.csv"),
        ("select", "private/reserves.csv"),
        ("select", "private/README.txt"),
        ("email", "private/pseudonyms.csv"),
        ("email", "private/pseudonym-key.txt"),
        ("draw", "public/probabilities.csv"),
        ("draw", "private/selected.csv"),
        ("replace", "private/replacements.csv"),
        ("replace", "public/probabilities.csv"),
    ],
)
def test_a_changed_file_of_the_set_is_named(
    sets: dict[str, Path], tmp_path: Path, name: str, file: str
) -> None:
    out = copy(sets, name, tmp_path)
    extra = ["--lottery", sets["lottery"]] if name == "draw" else []
    assert verify(out, *extra).exit_code == 0
    path = out / file
    data = path.read_bytes()
    path.write_bytes(data.replace(b"0.", b"0.9", 1) if b"0." in data else data + b"x\n")
    result = verify(out, *extra)
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    assert failed_checks(result.output) == [file]
    assert f"{Path(file).name} was changed after the draw" in result.output
    assert f"NOT VERIFIED: 1 check(s) failed: {file}." in result.output


def test_an_edited_log_fails_its_fingerprint(sets: dict[str, Path], tmp_path: Path) -> None:
    out = copy(sets, "select", tmp_path)
    log = out / "public" / "selection-log.json"
    record = json.loads(log.read_text(encoding="utf-8"))
    record["files"]["private/selected.csv"] = "0" * 64  # cover up an edit of selected.csv
    log.write_text(json.dumps(record), encoding="utf-8")
    result = verify(out)
    assert result.exit_code == EXIT_VERIFICATION_FAILED
    failed = set(failed_checks(result.output))  # the report, made from the log, differs too
    assert failed == {"log fingerprint", "private/selected.csv", "public/report.html"}


def test_an_edited_lottery_file_fails(sets: dict[str, Path], tmp_path: Path) -> None:
    lottery = tmp_path / "lottery.json"
    record = json.loads(sets["lottery"].read_text(encoding="utf-8"))
    record["announcement"]["draw_date"] = "another day"
    lottery.write_text(json.dumps(record), encoding="utf-8")
    result = verify(sets["draw"], "--lottery", lottery)
    assert result.exit_code == EXIT_VERIFICATION_FAILED
    assert failed_checks(result.output) == ["lottery fingerprint"]


def test_an_auditor_with_the_public_files_only_verifies_them(
    sets: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copytree(sets["select"] / "public", tmp_path / "downloaded")
    result = invoke("verify", tmp_path / "downloaded" / "selection-log.json")
    assert result.exit_code == 0, result.output
    assert "PASS    public/probabilities.csv" in result.output
    assert "private/selected.csv" in result.output and "not found beside the log" in result.output
    (tmp_path / "downloaded" / "probabilities.csv").write_text("id,probability\n", "utf-8")
    changed = invoke("verify", tmp_path / "downloaded" / "selection-log.json")
    assert changed.exit_code == EXIT_VERIFICATION_FAILED
    assert failed_checks(changed.output) == ["public/probabilities.csv"]


def test_files_the_log_does_not_list_are_reported_not_vouched_for(
    sets: dict[str, Path], tmp_path: Path
) -> None:
    out = copy(sets, "select", tmp_path)
    (out / "public" / "final-panel.csv").write_text("id\nP001\n", encoding="utf-8")
    result = verify(out)
    assert result.exit_code == 0, result.output
    assert "public/final-panel.csv: not part of this draw's set" in result.output


def test_every_file_of_the_set_is_listed_in_the_log(sets: dict[str, Path]) -> None:
    for name in ("select", "email", "draw", "replace"):
        folder = sets[name]
        log = json.loads((folder / "public" / "selection-log.json").read_text("utf-8"))
        written = {
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.parent != folder  # the set's marker file sits at the top
        }
        made_from_log = {"public/selection-log.json", "public/report.html"}
        assert set(log["files"]) == written - made_from_log, name
