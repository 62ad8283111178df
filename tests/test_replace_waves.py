"""Replacements in waves (`replace --after`) and checking a replacement against its original draw
(`verify --original [--after]`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result
from helpers.budget import examples
from helpers.invariants import panel_meets_quotas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.audit.canonical import instance_from_records
from sortition.cli.main import cli
from sortition.instance import Feature, Instance, Quota
from sortition.options import SolveOptions
from sortition.process import replace as replace_module
from sortition.process.replace import (
    ReplacementRequest,
    replace_dropouts,
    replacement_instance,
    write_replacement,
)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
POOL = SAMPLES / "renca" / "pool.csv"
QUOTAS = SAMPLES / "renca" / "quotas.csv"
LOG = Path("public") / "selection-log.json"


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_ids(path: Path, ids: list[str]) -> Path:
    path.write_text("id\n" + "".join(f"{i}\n" for i in ids), encoding="utf-8")
    return path


def read_json(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def waves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draw of 40 from Renca, then three waves of dropouts, each starting from the last."""
    base = tmp_path_factory.mktemp("waves")
    drawn = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "2026",
        "--out", base / "draw", "--quiet",
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    selected = read_json(base / "draw" / LOG)["draw"]["selected"]
    first = invoke(
        "replace", base / "draw" / LOG, "--dropouts", write_ids(base / "d1.csv", selected[:3]),
        "--seed", "w1", "--out", base / "wave1", "--quiet",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    joined = read_json(base / "wave1" / LOG)["draw"]["selected"]
    # the second wave: one member who joined in the first wave and one original member
    second = invoke(
        "replace", base / "draw" / LOG, "--after", base / "wave1" / LOG,
        "--dropouts", write_ids(base / "d2.csv", [joined[0], selected[5]]),
        "--seed", "w2", "--out", base / "wave2", "--quiet",
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    third = invoke(
        "replace", base / "draw" / LOG, "--after", base / "wave2" / LOG,
        "--dropouts", write_ids(base / "d3.csv", [selected[10]]),
        "--seed", "w3", "--out", base / "wave3", "--quiet",
    )  # fmt: skip
    assert third.exit_code == 0, third.output
    return base


def test_each_wave_starts_from_the_panel_the_last_one_completed(waves: Path) -> None:
    original = read_json(waves / "draw" / LOG)
    full = instance_from_records(original["pool"], original["rules"])
    position = {p: i for i, p in enumerate(full.ids)}
    panel = set(original["draw"]["selected"])
    drawn = set(panel)
    for n, name in enumerate(("wave1", "wave2", "wave3"), start=1):
        log = read_json(waves / name / LOG)
        block = log["replacement"]
        new = set(log["draw"]["selected"])
        assert set(block["dropouts"]) <= panel
        assert set(block["remaining"]) == panel - set(block["dropouts"])
        assert not new & drawn  # no one drawn before (dropped out or not) is drawn again
        panel = set(block["remaining"]) | new
        drawn |= new
        assert set(block["completed_panel"]) == panel and len(panel) == 40
        completed = np.array(sorted(position[p] for p in panel))
        assert panel_meets_quotas(full, completed)  # every quota, and one per household
        earlier = block.get("earlier_replacements", [])
        assert len(earlier) == n - 1
        assert [w["log_fingerprint"] for w in earlier] == [
            read_json(waves / f"wave{i}" / LOG)["fingerprint"] for i in range(1, n)
        ]
    selected = (waves / "wave3" / "private" / "selected.csv").read_text(encoding="utf-8")
    assert sorted(line.split(",")[0] for line in selected.splitlines()[1:]) == sorted(panel)


def test_the_first_waves_log_is_as_before_the_waves_existed(waves: Path) -> None:
    assert "earlier_replacements" not in read_json(waves / "wave1" / LOG)["replacement"]


def test_a_later_wave_says_so_in_its_public_report(waves: Path) -> None:
    report = (waves / "wave3" / "public" / "report.html").read_text(encoding="utf-8")
    assert "This is replacement 3 of the draw" in report
    wave1 = read_json(waves / "wave1" / LOG)["fingerprint"]
    assert wave1[:16] in report


def test_every_wave_verifies_against_the_original_and_the_wave_before(waves: Path) -> None:
    original = waves / "draw" / LOG
    first = invoke("verify", waves / "wave1" / LOG, "--original", original)
    assert first.exit_code == 0, first.output
    assert "replacement origin" in first.output and "as the original draw implies" in first.output
    for before, name in (("wave1", "wave2"), ("wave2", "wave3")):
        result = invoke(
            "verify", waves / name / LOG, "--original", original, "--after", waves / before / LOG
        )
        assert result.exit_code == 0, result.output
        assert f"replacement {name[-1]}: " in result.output


def test_a_later_wave_without_the_wave_before_skips_the_origin_check(waves: Path) -> None:
    result = invoke("verify", waves / "wave3" / LOG, "--original", waves / "draw" / LOG)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "replacement origin" in line)
    assert line.startswith("SKIP") and "--after" in line


def test_the_wrong_wave_before_fails_the_origin_check(waves: Path) -> None:
    result = invoke(
        "verify", waves / "wave3" / LOG, "--original", waves / "draw" / LOG,
        "--after", waves / "wave1" / LOG,
    )  # fmt: skip
    assert result.exit_code == 5, result.output  # verification failed
    assert "FAIL    replacement origin" in result.output


def test_a_replacements_log_is_refused_where_the_draws_is_wanted(waves: Path) -> None:
    result = invoke(
        "replace", waves / "wave1" / LOG, "--dropouts", waves / "d3.csv", "--seed", "x",
        "--out", waves / "nope",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "is the log of a replacement" in result.output and "--after" in result.output
    assert not (waves / "nope").exists()


def test_a_dropout_who_joined_in_a_wave_needs_that_waves_log(waves: Path) -> None:
    joined = read_json(waves / "wave1" / LOG)["draw"]["selected"]
    dropouts = write_ids(waves / "joined.csv", [joined[1]])
    result = invoke(
        "replace", waves / "draw" / LOG, "--dropouts", dropouts, "--seed", "x",
        "--out", waves / "nope",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "row 2, column 'id'" in result.output and "--after" in result.output
    assert not (waves / "nope").exists()


def test_a_member_already_replaced_is_refused_with_the_reason(waves: Path) -> None:
    gone = read_json(waves / "wave1" / LOG)["replacement"]["dropouts"][0]
    result = invoke(
        "replace", waves / "draw" / LOG, "--after", waves / "wave2" / LOG,
        "--dropouts", write_ids(waves / "gone.csv", [gone]), "--seed", "x",
        "--out", waves / "nope",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "already dropped out and was replaced" in result.output
    assert not (waves / "nope").exists()


def test_a_wave_of_another_draw_is_refused(waves: Path, tmp_path: Path) -> None:
    other = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "other",
        "--out", tmp_path / "other", "--quiet",
    )  # fmt: skip
    assert other.exit_code == 0, other.output
    selected = read_json(tmp_path / "other" / LOG)["draw"]["selected"]
    result = invoke(
        "replace", tmp_path / "other" / LOG, "--after", waves / "wave1" / LOG,
        "--dropouts", write_ids(tmp_path / "d.csv", selected[:1]), "--seed", "x",
        "--out", tmp_path / "nope",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "replaces members of another draw" in result.output
    assert not (tmp_path / "nope").exists()
    check = invoke("verify", waves / "wave1" / LOG, "--original", tmp_path / "other" / LOG)
    assert check.exit_code == 5 and "FAIL    replacement origin" in check.output


def test_origin_flags_on_a_draws_log_are_a_usage_error(waves: Path) -> None:
    result = invoke("verify", waves / "draw" / LOG, "--original", waves / "draw" / LOG)
    assert result.exit_code == 2 and "for a replacement's log" in result.output


def test_verify_original_catches_a_registrant_left_out_of_the_eligible(
    waves: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replacement whose eligible registrants were narrowed by hand passes the plain checks
    (its draw is internally consistent) but not the check against the original draw."""
    honest = replacement_instance

    def narrowed(full: Instance, *args: Any) -> Instance:
        instance = honest(full, *args)
        keep = np.arange(1, instance.size)  # the first eligible registrant silently left out
        return Instance(
            tuple(instance.ids[i] for i in keep), instance.features, instance.values[keep],
            instance.panel_size, instance.households[keep],
        )  # fmt: skip

    monkeypatch.setattr(replace_module, "replacement_instance", narrowed)
    request = ReplacementRequest(
        str(waves / "draw" / LOG), str(waves / "d1.csv"), seed="w1",
        options=SolveOptions(),
    )  # fmt: skip
    write_replacement(replace_dropouts(request), tmp_path / "narrowed")
    monkeypatch.undo()
    plain = invoke("verify", tmp_path / "narrowed" / LOG)
    assert plain.exit_code == 0, plain.output
    checked = invoke("verify", tmp_path / "narrowed" / LOG, "--original", waves / "draw" / LOG)
    assert checked.exit_code == 5
    assert "the eligible registrants differ: left out" in checked.output


def test_history_weights_of_the_draw_carry_over_to_its_replacements() -> None:
    feature = Feature("g", ("a", "b"), (Quota(1, 1), Quota(1, 1)))
    full = Instance(
        ("p0", "p1", "p2", "p3", "p4"), (feature,), np.array([[0], [1], [0], [1], [0]]), 2,
        factors=np.array([1.0, 1.0, 0.5, 1.0, 0.25]),
    )  # fmt: skip
    candidates = replacement_instance(full, ("p0", "p1"), ("p1",), 1)
    assert candidates.ids == ("p2", "p4")
    assert candidates.factors is not None
    assert candidates.factors.tolist() == [0.5, 0.25]


@given(data=st.data())
@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_sequence_of_waves_keeps_the_rules_and_never_redraws_anyone(
    waves: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    base = tmp_path_factory.mktemp("prop")
    original_path = waves / "draw" / LOG
    original = read_json(original_path)
    full = instance_from_records(original["pool"], original["rules"])
    position = {p: i for i, p in enumerate(full.ids)}
    panel = sorted(original["draw"]["selected"])
    drawn = set(panel)
    after: str | None = None
    for wave in range(data.draw(st.integers(1, 3), label="waves")):
        gone = data.draw(st.lists(st.sampled_from(panel), min_size=1, max_size=3, unique=True))
        request = ReplacementRequest(
            str(original_path), str(write_ids(base / f"d{wave}.csv", gone)), algorithm="maximin",
            seed=f"p{wave}", options=SolveOptions(), after_path=after,
        )  # fmt: skip
        try:
            replacement = replace_dropouts(request)
        except replace_module.InfeasibleQuotas:
            return  # quotas that cannot be restored are refused, as for a first wave
        new = set(replacement.replacement_ids)
        assert not new & drawn and len(new) == len(gone)
        panel = replacement.completed_panel
        drawn |= new
        assert panel_meets_quotas(full, np.array(sorted(position[p] for p in panel)))
        write_replacement(replacement, base / f"w{wave}")
        after = str(base / f"w{wave}" / LOG)


def test_a_second_wave_in_real_processes_gives_the_same_bytes(waves: Path, tmp_path: Path) -> None:
    args = [
        sys.executable, "-m", "sortition", "replace", str(waves / "draw" / LOG),
        "--after", str(waves / "wave1" / LOG), "--dropouts", str(waves / "d2.csv"),
        "--seed", "w2", "--quiet", "--out", str(tmp_path / "again"),
    ]  # fmt: skip
    for hash_seed in ("1", "2"):  # any process, any hash seed: the same bytes
        out = tmp_path / f"again-{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([*args[:-1], str(out)], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        for name in ("public/selection-log.json", "public/probabilities.csv"):
            assert (out / name).read_bytes() == (waves / "wave2" / name).read_bytes()


def test_a_replacement_after_a_weighted_draw_keeps_the_weights(tmp_path: Path) -> None:
    """`select --history-mode weight` lowers recent panelists' chances; their replacement draw
    must too (it used to forget the weights)."""
    history = tmp_path / "history.csv"
    history.write_text(
        "id,process,date\n" + "".join(f"R{n:04d},2025,2025-06-01\n" for n in range(1, 121)),
        encoding="utf-8",
    )
    drawn = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "h",
        "--history", history, "--history-mode", "weight", "--as-of", "2026-12-01",
        "--out", tmp_path / "draw", "--quiet",
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    original = read_json(tmp_path / "draw" / LOG)
    weighted = dict(original["rules"]["chance_factors"])
    assert weighted and set(weighted.values()) == {0.5}
    dropouts = write_ids(tmp_path / "d.csv", original["draw"]["selected"][:3])
    result = invoke(
        "replace", tmp_path / "draw" / LOG, "--dropouts", dropouts, "--seed", "r",
        "--out", tmp_path / "replacement", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    log = read_json(tmp_path / "replacement" / LOG)
    eligible = {row[0] for row in log["pool"]["people"]}
    assert dict(log["rules"]["chance_factors"]) == {
        person: factor for person, factor in weighted.items() if person in eligible
    }
    checked = invoke(
        "verify", tmp_path / "replacement" / LOG, "--original", tmp_path / "draw" / LOG
    )
    assert checked.exit_code == 0, checked.output
