"""Rotation: a history file keeps recent panelists out; --panels draws disjoint panels."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from helpers.budget import examples
from helpers.invariants import panel_meets_quotas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.audit.canonical import instance_from_records
from sortition.cli.main import cli
from sortition.inputs.history import HistoryRule, months_before, recently_selected
from sortition.options import SolveOptions
from sortition.process.inputs import DrawInputs
from sortition.process.selection import SelectionRequest, select_panels, selection_log

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SMALL_POOL = SAMPLES / "example_small_20" / "pool.csv"
SMALL_QUOTAS = SAMPLES / "example_small_20" / "quotas.csv"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_history(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["id,process,date"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 11, 23), 24) == dt.date(2024, 11, 23)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_recently_selected_counts_inside_the_cooldown_only(tmp_path: Path) -> None:
    history = write_history(
        tmp_path / "h.csv",
        [("a", "p1", "2024-11-23"), ("b", "p1", "2024-11-22"), ("c", "p2", "2026-11-23"),
         ("d", "p3", "2026-11-24"), ("a", "p2", "2020-01-01")],
    )  # fmt: skip
    recent, sha = recently_selected(HistoryRule(str(history), 24, "2026-11-23"))
    assert recent == ("a", "c")  # b is one day too early, d after the as-of date
    assert len(sha) == 64


def test_bad_history_date_names_row_and_column(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h.csv", [("a", "p1", "2024-11-23"), ("b", "p1", "23/11")])
    out = tmp_path / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--history", history, "--as-of",
        "2026-11-23", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "h.csv" in result.stderr and "row 3" in result.stderr and "date" in result.stderr
    assert not out.exists()


def test_nobody_inside_the_cooldown_is_selected(tmp_path: Path) -> None:
    recent = [f"P{i:03d}" for i in range(1, 200, 3)]  # a third of the pool, both leanings
    history = write_history(
        tmp_path / "h.csv", [(p, "Asamblea 2025", "2025-06-01") for p in recent]
    )
    out = tmp_path / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--history", history, "--cooldown", 24,
        "--as-of", "2026-11-23", "--seed", 4, "--out", out, "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert not set(log["draw"]["selected"]) & set(recent)
    assert log["exclusions"]["by_history"] == sorted(recent)
    assert log["exclusions"]["history"]["as_of"] == "2026-11-23"
    assert all(log["probabilities"].get(p, 0.0) == 0.0 for p in recent)
    checked = invoke(
        "verify",
        out / "public" / "selection-log.json",
        "--pool",
        SMALL_POOL,
        "--quotas",
        SMALL_QUOTAS,
    )
    assert checked.exit_code == 0, checked.output

    later = tmp_path / "later"  # after the cooldown the same people are eligible again
    again = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--history", history, "--cooldown", 12,
        "--as-of", "2026-11-23", "--seed", 4, "--out", later, "--quiet",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert (
        json.loads((later / "public" / "selection-log.json").read_text())["exclusions"][
            "by_history"
        ]
        == []
    )


def test_history_needs_an_as_of_date(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h.csv", [("P001", "p", "2025-01-01")])
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--history", history)
    assert result.exit_code == 2 and "--as-of" in result.stderr


@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), algorithm=st.sampled_from(["maximin", "legacy"]))
def test_three_panels_are_disjoint_and_each_meets_the_quotas(seed: int, algorithm: str) -> None:
    request = SelectionRequest(
        DrawInputs(
            str(SMALL_POOL), str(SMALL_QUOTAS), 20, algorithm=algorithm,
            options=SolveOptions(legacy_draws=50),
        ),
        seed=str(seed),
    )  # fmt: skip
    panels = select_panels(request, 3)
    seen: set[str] = set()
    for selection in panels:
        ids = set(selection.selected_ids)
        assert len(ids) == 20 and not ids & seen
        seen |= ids
        log = selection_log(selection)
        instance = instance_from_records(log["pool"], log["rules"])
        position = {p: i for i, p in enumerate(instance.ids)}
        assert panel_meets_quotas(instance, np.array([position[p] for p in ids]))


def test_panels_cli_writes_one_directory_per_panel(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--panels", 3, "--seed", 9, "--out", out,
        "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    logs = [
        json.loads((out / f"panel-{i}" / "public" / "selection-log.json").read_text())
        for i in (1, 2, 3)
    ]
    assert logs[1]["exclusions"]["by_earlier_panels"] == sorted(logs[0]["draw"]["selected"])
    assert logs[2]["randomness"]["seed"] == "9 / panel 3"
    for i in (1, 2, 3):
        checked = invoke(
            "verify", out / f"panel-{i}" / "public" / "selection-log.json", "--pool", SMALL_POOL,
            "--quotas", SMALL_QUOTAS,
        )  # fmt: skip
        assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("count", [0, -1])
def test_panels_must_be_positive(tmp_path: Path, count: int) -> None:
    result = invoke("select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--panels", count)
    assert result.exit_code == 2


def test_weight_mode_halves_recent_panelists_chances_and_verifies(tmp_path: Path) -> None:
    history = write_history(
        tmp_path / "h.csv", [("P001", "a", "2026-01-01"), ("P101", "a", "2026-01-01")]
    )
    out = tmp_path / "out"
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "--history", history, "--history-mode",
        "weight", "--history-factor", 0.5, "--as-of", "2026-11-23", "--seed", 1, "--out", out,
        "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    p = log["probabilities"]
    assert p["P101"] == pytest.approx(0.5 * p["P102"], rel=1e-6)  # same features, half the chance
    assert log["exclusions"]["weighted_by_history"] == ["P001", "P101"]
    assert log["exclusions"]["by_history"] == []
    assert log["rules"]["chance_factors"] == [["P001", 0.5], ["P101", 0.5]]
    assert sum(p.values()) == pytest.approx(20)
    checked = invoke(
        "verify", out / "public" / "selection-log.json", "--deep", "--pool", SMALL_POOL, "--quotas",
        SMALL_QUOTAS,
    )  # fmt: skip
    assert checked.exit_code == 0, checked.output


def test_weight_mode_refuses_an_algorithm_that_ignores_factors(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h.csv", [("P001", "a", "2026-01-01")])
    result = invoke(
        "select", SMALL_POOL, SMALL_QUOTAS, "-k", 20, "-a", "legacy", "--history", history,
        "--history-mode", "weight", "--as-of", "2026-11-23", "--out", tmp_path / "o",
    )  # fmt: skip
    assert result.exit_code == 2 and "chance factors" in result.stderr
    assert not (tmp_path / "o").exists()
