"""`--time-limit` keeps the work done: MAXIMIN and LEXIMIN stopped by the time limit return the
master's last distribution, labelled where they stopped, with a gap its certificate proves; with
nothing certified to offer they raise TimeLimitReached as before.

The deadline here counts clock reads instead of seconds, so every stopping point of a run is
tried deterministically (`budgets`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result
from helpers import make_instance
from helpers.invariants import assert_distribution_well_formed
from test_verify import EXIT_VERIFICATION_FAILED, statuses, tampered_copy

import sortition.algorithms.master as master_module
from sortition.algorithms import solve
from sortition.audit.log import certificate_record, distribution_record
from sortition.cli.main import cli
from sortition.distribution import Distribution
from sortition.errors import TimeLimitReached
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.model import PanelModel
from sortition.panel.solver import Deadline
from sortition.research.synthetic import synthetic_instance

RARE_ROWS = [(6, 0, 0), (2, 0, 1), (8, 1, 0), (4, 0, 2), (1, 1, 2)]
RARE_BOUNDS = [[(0, 4), (0, 1)], [(0, 4), (1, 1), (0, 4)]]


def run(name: str, instance: Instance, solver: str = "highs", **options: object) -> Distribution:
    return solve(
        name,
        instance,
        rng=np.random.default_rng(0),
        options=SolveOptions(solver=solver, **options),  # type: ignore[arg-type]
    )


@pytest.fixture
def clock_reads(monkeypatch: pytest.MonkeyPatch) -> list[Deadline]:
    """Make every Deadline count clock reads: a budget of b seconds lasts b reads."""
    clocks: list[Deadline] = []

    def count_reads(self: Deadline) -> float | None:
        if self.seconds is None:
            return None
        if not hasattr(self, "reads"):
            self.reads = 0  # type: ignore[attr-defined]
            clocks.append(self)
        self.reads += 1  # type: ignore[attr-defined]
        return float(self.seconds - self.reads)  # type: ignore[attr-defined]

    monkeypatch.setattr(Deadline, "remaining", count_reads)
    return clocks


def budgets(name: str, instance: Instance, clocks: list[Deadline], **options: object) -> range:
    """Every budget (in clock reads) from nothing to enough for the whole run."""
    run(name, instance, time_limit=10**9, **options)
    return range(1, clocks[-1].reads + 3)  # type: ignore[attr-defined]


def certified_bound(distribution: Distribution) -> float:
    """The best panel's weight under the logged certificate's weights (as verify computes it)."""
    record = certificate_record(distribution)
    assert record is not None
    instance = distribution.instance
    position = {person: i for i, person in enumerate(instance.ids)}
    weights = np.zeros(instance.size)
    for person, weight in record["weights"]:
        weights[position[person]] = weight
    groups = np.array([weights[members].max() for members in instance.groups.members])
    best = PanelModel(instance).best(groups)
    assert best is not None
    return float(groups @ best)


def outcomes(
    name: str, instance: Instance, budget_range: range, **options: object
) -> Iterator[Distribution | None]:
    for budget in budget_range:
        try:
            yield run(name, instance, time_limit=budget, **options)
        except TimeLimitReached:
            yield None


def assert_stopped_is_honest(stopped: Distribution, optimum: float) -> None:
    """A stopped result: valid panels, never labelled exact, its gap proved by its certificate
    and true of the optimum's lowest probability."""
    assert_distribution_well_formed(stopped)
    assert stopped.label.startswith("stopped by the time limit")
    record = distribution_record(stopped)
    assert record["exact"] is False
    assert record["stopped_at_time_limit"] == stopped.stopped
    gap = stopped.gap or 0.0
    lowest = float(stopped.marginals().min())
    assert lowest >= (1 - gap) * optimum - 1e-7
    bound = certified_bound(stopped)
    assert bound >= optimum - 1e-7  # a true bound ...
    assert bound * (1 - gap) <= lowest + 1e-6  # ... that proves the stated gap (verify's check)


@pytest.fixture(scope="module")
def rare_instance() -> Instance:
    rows = [[age, region] for count, age, region in RARE_ROWS for _ in range(count)]
    return make_instance(rows, RARE_BOUNDS, panel_size=4)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_leximin_stopped_at_any_point_is_full_labelled_or_an_error(
    rare_instance: Instance, clock_reads: list[Deadline], solver: str
) -> None:
    full = run("leximin", rare_instance, solver)
    optimum = float(full.marginals().min())
    stopped_stages = set()
    for result in outcomes(
        "leximin",
        rare_instance,
        budgets("leximin", rare_instance, clock_reads, solver=solver),
        solver=solver,
    ):
        if result is None:
            continue
        if result.stopped is None:  # finished: the full result, byte for byte
            assert np.array_equal(result.compositions, full.compositions)
            assert np.array_equal(result.probabilities, full.probabilities)
            continue
        assert_stopped_is_honest(result, optimum)
        stopped_stages.add(result.stopped["stage"])
        if result.stopped["stages_done"]:
            assert result.gap is None  # the first stage had ended: its lowest probability exact
            assert "higher probabilities not leximin-optimal" in result.label
    assert stopped_stages, "no budget stopped leximin with a result to return"


def test_maximin_stopped_mid_stage_states_the_gap_its_bound_proves(
    clock_reads: list[Deadline],
) -> None:
    instance = synthetic_instance(240, 24, 5, seed=11, household_share=0.2)
    optimum = float(run("maximin", instance).marginals().min())
    gaps = []
    span = budgets("maximin", instance, clock_reads)
    for result in outcomes("maximin", instance, span[:: max(1, len(span) // 30)]):
        if result is not None and result.stopped is not None:
            assert_stopped_is_honest(result, optimum)
            gaps.append(result.gap or 0.0)
    assert any(gap > 0 for gap in gaps), gaps  # stopped before the optimum, and said so


def test_batch_rounds_and_the_realized_relaxation_stop_honestly(
    monkeypatch: pytest.MonkeyPatch, clock_reads: list[Deadline]
) -> None:
    monkeypatch.setattr(master_module, "BATCH_GROUPS", 1)  # take the large-pool paths
    instance = synthetic_instance(120, 12, 4, seed=5)
    for name in ("maximin", "leximin"):
        optimum = float(run(name, instance).marginals().min())
        seen = 0
        span = budgets(name, instance, clock_reads)
        for result in outcomes(name, instance, span[:: max(1, len(span) // 40)]):
            if result is not None and result.stopped is not None:
                assert_stopped_is_honest(result, optimum)
                seen += 1
        assert seen, name


def test_nothing_solved_yet_is_still_an_error(rare_instance: Instance) -> None:
    for name in ("maximin", "leximin"):
        with pytest.raises(TimeLimitReached, match="time limit"):
            run(name, rare_instance, time_limit=1e-9)


# -- through the CLI: labelled on screen and in the log, verified, tamper-evident -------------

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
RENCA = (SAMPLES / "renca" / "pool.csv", SAMPLES / "renca" / "quotas.csv")


def select(out: Path, budget: float) -> Result:
    pool, quotas = RENCA
    args = [pool, quotas, "-k", 40, "--household-columns", "address", "-a", "maximin"]
    args += ["--seed", 7, "--time-limit", budget, "--out", out]
    return CliRunner().invoke(cli, ["select", *[str(a) for a in args]])


def test_cli_publishes_a_stopped_run_labelled_and_verifiable(
    tmp_path: Path, clock_reads: list[Deadline]
) -> None:
    assert select(tmp_path / "full", 10**9).exit_code == 0
    reads = max(clock.reads for clock in clock_reads)  # type: ignore[attr-defined]
    result = select(tmp_path / "stopped", reads // 2)
    assert result.exit_code == 0, result.output
    assert "stopped by the time limit: lowest probability within gap" in result.stdout
    log_path = tmp_path / "stopped" / "public" / "selection-log.json"
    log = json.loads(log_path.read_text(encoding="utf-8"))
    distribution = log["distribution"]
    assert distribution["exact"] is False
    gap = distribution["within_gap"]
    assert gap > 0 and distribution["stopped_at_time_limit"]["gap"] == gap
    assert log["certificate"]["gap"] == gap
    report = (tmp_path / "stopped" / "public" / "report.html").read_text(encoding="utf-8")
    assert "The time limit" in report
    verified = CliRunner().invoke(cli, ["verify", str(log_path), "--deep"])
    assert verified.exit_code == 0, verified.output
    assert "reached before the time limit" in verified.stdout

    def understate(record: dict[str, Any]) -> None:  # claim a smaller gap than was reached
        record["distribution"]["within_gap"] = gap / 10
        record["distribution"]["stopped_at_time_limit"]["gap"] = gap / 10
        record["certificate"]["gap"] = gap / 10

    forged = tampered_copy(log_path, tmp_path, understate, refingerprint=True)
    failed = CliRunner().invoke(cli, ["verify", str(forged), "--deep"])
    assert failed.exit_code == EXIT_VERIFICATION_FAILED
    assert statuses(failed.stdout)["maximin certificate"] == "FAIL"


@pytest.mark.parametrize("name", ["nash", "goldilocks"])
def test_nash_and_goldilocks_stopped_keep_their_best_with_the_gap_reached(
    name: str, clock_reads: list[Deadline]
) -> None:
    instance = synthetic_instance(120, 12, 4, seed=5)
    full = run(name, instance)
    optimum = float(full.details["objective"])  # type: ignore[arg-type]
    n = float(instance.size)
    seen = 0
    span = budgets(name, instance, clock_reads)
    for result in outcomes(name, instance, span[:: max(1, len(span) // 40)]):
        if result is None or result.stopped is None:
            continue
        seen += 1
        assert_distribution_well_formed(result)
        assert result.label.startswith("stopped by the time limit: objective")
        assert distribution_record(result)["exact"] is False
        gap = result.gap or 0.0
        assert result.stopped["gap"] == gap
        value = float(result.details["objective"])  # type: ignore[arg-type]
        if name == "nash":  # log welfare, maximized: within n log(1 + gap) of the optimum
            assert value >= optimum - n * np.log1p(gap) - 1e-6
        else:  # minimized: within a factor 1 + gap of the optimum
            assert value <= (1 + gap) * optimum + 1e-6
    assert seen, name


def test_leximin_stopped_after_purged_stages_returns_a_valid_distribution(
    monkeypatch: pytest.MonkeyPatch, clock_reads: list[Deadline]
) -> None:
    """Columns purged between stages leave the kept solution aligned with the kept columns."""
    import sortition.algorithms.leximin as leximin_module

    monkeypatch.setattr(leximin_module, "PURGE_ABOVE", 0.0)
    monkeypatch.setattr(leximin_module, "PURGE_MARGIN", 0.0)
    monkeypatch.setattr(leximin_module, "FACE_REALIZE", False)  # the stages, not one realization
    instance = synthetic_instance(120, 12, 4, seed=5)
    optimum = float(run("leximin", instance).marginals().min())
    later = 0
    span = budgets("leximin", instance, clock_reads)
    for result in outcomes("leximin", instance, span[:: max(1, len(span) // 40)]):
        if result is not None and result.stopped is not None:
            assert_stopped_is_honest(result, optimum)
            later += result.stopped["stages_done"] > 0  # type: ignore[operator]
    assert later, "no stop after a purge"
