"""Runs stopped within an optimality gap (`--gap G`) are labelled "within gap G", never "exact",
on screen, in the selection log and in the comparison table (issue 15)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from test_verify import POOL, QUOTAS, invoke

GAPPED = ("--algorithm", "maximin", "--gap", "0.05")


def test_select_with_a_gap_is_labelled_within_the_gap(tmp_path: Path) -> None:
    out = tmp_path / "sel"
    result = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "7",
        *GAPPED, "--out", out, "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Selection probabilities (within gap 0.05," in result.stdout
    assert "(exact" not in result.stdout
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert log["distribution"]["exact"] is False
    assert log["distribution"]["within_gap"] == 0.05


def test_select_without_a_gap_stays_exact(tmp_path: Path) -> None:
    out = tmp_path / "sel"
    result = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--seed", "7", "-a", "maximin", "--out", out, "-q"
    )
    assert result.exit_code == 0, result.output
    assert "Selection probabilities (exact," in result.stdout
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert log["distribution"]["exact"] is True
    assert "within_gap" not in log["distribution"]  # exact runs keep the records they had


def test_compare_with_a_gap_labels_the_exact_algorithms_within_the_gap(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = invoke(
        "compare", POOL, QUOTAS, "-k", 40, "--algorithms", "maximin", "--gap", "0.05",
        "--out", out, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "public" / "comparison.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["result"] == "within gap 0.05"
    assert "within gap 0.05" in result.stdout


def test_nash_and_goldilocks_with_a_gap_are_labelled_within_it(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = invoke(
        "compare", POOL, QUOTAS, "-k", 40, "--algorithms", "nash,goldilocks", "--gap", "0.05",
        "--out", out, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "public" / "comparison.csv").open(encoding="utf-8") as handle:
        assert [row["result"] for row in csv.DictReader(handle)] == ["within gap 0.05"] * 2
