"""An optimality gap (`SolveOptions.gap`, `--gap`) lets the exact algorithms stop early, provably
within it; the audit log records the gap and `verify --deep` holds the certificate to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_algorithms import feasible_instances
from test_verify import POOL, QUOTAS, invoke, statuses, tampered_copy

import sortition.algorithms.master as master_module
from sortition.algorithms import solve
from sortition.algorithms.master import MasterLP
from sortition.distribution import Distribution
from sortition.errors import EXIT_BAD_USAGE, EXIT_VERIFICATION_FAILED, UsageError
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.model import PanelModel
from sortition.research.synthetic import synthetic_instance


def run(
    algorithm: str, instance: Instance, gap: float | None = None, messages: list[str] | None = None
) -> Distribution:
    options = SolveOptions(gap=gap, progress=None if messages is None else messages.append)
    return solve(algorithm, instance, rng=np.random.default_rng(0), options=options)


def certified_bound(distribution: Distribution) -> float:
    """The best panel's weight under the certificate weights, normalized as the audit log does."""
    instance = distribution.instance
    weights = np.asarray(distribution.details["certificate_weights"], dtype=np.float64)
    weights = weights / float(weights[instance.groups.group_of_person].sum())
    best = PanelModel(instance).best(weights)
    assert best is not None
    return float(weights @ best)


@pytest.fixture(scope="module")
def pool() -> Instance:
    return synthetic_instance(240, 24, 5, seed=11, household_share=0.2)


@pytest.fixture(scope="module")
def exact(pool: Instance) -> dict[str, Distribution]:
    return {name: run(name, pool) for name in ("maximin", "leximin")}


@pytest.mark.parametrize("bad", [0.0, -0.01, 0.2])
def test_a_gap_outside_its_range_is_refused(bad: float) -> None:
    with pytest.raises(UsageError, match="optimality gap"):
        SolveOptions(gap=bad)


def test_maximin_within_a_gap_is_close_and_certified(pool, exact) -> None:
    gap = 0.05
    loose = run("maximin", pool, gap)
    assert_distribution_well_formed(loose)
    best = exact["maximin"].marginals().min()
    lowest = loose.marginals().min()
    assert (1 - gap) * best - 1e-9 <= lowest <= best + 1e-9
    bound = certified_bound(loose)
    assert bound >= best - 1e-9  # the certificate bounds the true optimum ...
    assert bound * (1 - gap) <= lowest + 1e-9  # ... closely enough to prove the gap
    assert loose.details["gap"] == gap
    assert loose.details["panel_solves"] <= exact["maximin"].details["panel_solves"]


def test_batch_maximin_within_a_gap_is_close_and_certified(monkeypatch, pool, exact) -> None:
    monkeypatch.setattr(master_module, "BATCH_GROUPS", 1)
    gap = 0.05
    loose = run("maximin", pool, gap)
    assert_distribution_well_formed(loose)
    lowest = loose.marginals().min()
    assert lowest >= (1 - gap) * exact["maximin"].marginals().min() - 1e-9
    assert loose.details["min_probability"] == pytest.approx(lowest, abs=1e-12)
    assert certified_bound(loose) * (1 - gap) <= lowest + 1e-9


def test_leximin_stages_within_a_gap(pool, exact) -> None:
    gap = 0.02
    loose = run("leximin", pool, gap)
    assert_distribution_well_formed(loose)
    assert loose.marginals().min() >= (1 - gap) * exact["leximin"].marginals().min() - 1e-9
    assert certified_bound(loose) * (1 - gap) <= loose.marginals().min() + 1e-9


def test_realized_relaxation_leximin_within_a_gap(monkeypatch, pool, exact) -> None:
    """On the large-pool path every group gets at least (1 - gap) of its relaxation target,
    which here is the exact leximin."""
    monkeypatch.setattr(master_module, "BATCH_GROUPS", 1)
    accepted: list[object] = []
    original = MasterLP.loose_result

    def recorded(self, *args):
        result = original(self, *args)
        accepted.append(result)
        return result

    monkeypatch.setattr(MasterLP, "loose_result", recorded)
    gap = 0.05
    messages: list[str] = []
    loose = run("leximin", pool, gap, messages)
    # a loose interior point solve met the gap: no tight solve with crossover was needed
    assert accepted and accepted[-1] is not None
    assert any("realizing it with real panels" in m for m in messages)
    assert not any("--gap" in m for m in messages)  # the hint is only for exact runs
    assert not any("running the stages" in m for m in messages)
    assert_distribution_well_formed(loose)
    target = exact["leximin"].marginals()
    assert np.all(loose.marginals() >= (1 - gap - 1e-7) * target - 1e-9)
    assert certified_bound(loose) * (1 - gap) <= loose.marginals().min() + 1e-9


@pytest.mark.parametrize("algorithm", ["nash", "goldilocks"])
def test_nash_and_goldilocks_stop_within_the_gap(pool, algorithm: str) -> None:
    gap = 0.01
    loose = run(algorithm, pool, gap)
    assert_distribution_well_formed(loose)
    assert loose.details["optimality_gap"] <= gap


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=feasible_instances(), gap=st.sampled_from([1e-3, 0.03, 0.1]))
def test_gapped_distributions_meet_every_quota(instance: Instance, gap: float) -> None:
    for algorithm in ("maximin", "leximin"):
        loose = run(algorithm, instance, gap)
        assert_distribution_well_formed(loose)
        best = run("maximin", instance).marginals().min()
        assert loose.marginals().min() >= (1 - gap) * best - 1e-7


# ---------------------------------------------------------------------------------------------
# The command line and the audit log


@pytest.fixture(scope="module")
def gapped_select(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gapped") / "select"
    result = invoke(
        "select", POOL, QUOTAS, "-k", 40, "--household-columns", "address", "--seed", "7",
        "--algorithm", "maximin", "--gap", "0.05", "--out", out, "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_the_log_records_the_gap_and_verify_holds_the_certificate_to_it(gapped_select) -> None:
    log = json.loads((gapped_select / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert log["options"]["gap"] == 0.05
    assert log["certificate"]["gap"] == 0.05
    assert "(1 - gap), gap = 0.05" in log["certificate"]["claim"]
    result = invoke("verify", gapped_select / "public" / "selection-log.json", "--deep")
    assert result.exit_code == 0, result.output
    assert statuses(result.stdout)["maximin certificate"] == "PASS"
    assert "within the stated gap 0.05" in result.stdout


def _widen_certificate_gap(log: dict[str, Any]) -> None:
    log["certificate"]["gap"] = 0.09


def test_a_certificate_gap_unlike_the_logged_option_fails(gapped_select, tmp_path) -> None:
    log = tampered_copy(
        gapped_select / "public" / "selection-log.json",
        tmp_path,
        _widen_certificate_gap,
        refingerprint=True,
    )
    result = invoke("verify", log, "--deep")
    assert result.exit_code == EXIT_VERIFICATION_FAILED, result.output
    assert statuses(result.stdout)["maximin certificate"] == "FAIL"


def test_an_exact_run_logs_no_gap(tmp_path) -> None:
    out = tmp_path / "select"
    result = invoke(
        "select",
        POOL,
        QUOTAS,
        "-k",
        40,
        "--household-columns",
        "address",
        "--seed",
        "7",
        "--out",
        out,
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert "gap" not in log["options"]  # exact runs keep the records they always had
    assert "gap" not in log["certificate"]


def test_a_bad_gap_on_the_command_line_is_a_usage_error(tmp_path) -> None:
    result = invoke("select", POOL, QUOTAS, "-k", 40, "--gap", "0", "--out", tmp_path / "s")
    assert result.exit_code == EXIT_BAD_USAGE
    assert "optimality gap" in result.output
    assert not (tmp_path / "s").exists()


def test_compare_passes_the_gap_on_and_says_so(tmp_path) -> None:
    result = invoke(
        "compare",
        POOL,
        QUOTAS,
        "-k",
        40,
        "--household-columns",
        "address",
        "--algorithms",
        "maximin",
        "--gap",
        "0.05",
        "--out",
        tmp_path / "c",
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    assert "within a relative gap of 0.05 (--gap)" in result.output
    exact = invoke(
        "compare",
        POOL,
        QUOTAS,
        "-k",
        40,
        "--household-columns",
        "address",
        "--algorithms",
        "maximin",
        "--out",
        tmp_path / "e",
        "--quiet",
    )
    assert exact.exit_code == 0, exact.output
    assert "--gap" not in exact.output


def test_a_replacement_of_a_gapped_draw_logs_its_own_exact_run(gapped_select, tmp_path) -> None:
    log_path = gapped_select / "public" / "selection-log.json"
    log = json.loads(log_path.read_text(encoding="utf-8"))
    dropouts = tmp_path / "dropouts.csv"
    dropouts.write_text(
        "id\n" + "".join(f"{i}\n" for i in log["draw"]["selected"][:2]), encoding="utf-8"
    )
    out = tmp_path / "replacement"
    result = invoke(
        "replace",
        log_path,
        "--dropouts",
        dropouts,
        "--pool",
        POOL,
        "--seed",
        "7",
        "--out",
        out,
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    replacement = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert "gap" not in replacement["options"]  # replace ran exactly: the original's gap is gone
    assert "gap" not in (replacement.get("certificate") or {})
