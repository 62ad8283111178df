"""DIVERSIMAX: the fairness floor holds for every registrant, the expected balance is at least
MAXIMIN's and equals the brute-force LP optimum on tiny pools, every panel meets the quotas, the
single-panel mode finds the brute-force best panel on both objectives (the PEER one recounted
here the way the peer's code counts), the slack is validated, and a draw verifies via the CLI."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import example_small_20, make_instance
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed, panel_meets_quotas
from hypothesis import HealthCheck, given, settings
from test_algorithms import all_valid_panels, feasible_instances, lp_maximize

from sortition.algorithms import DEFAULT_COMPARISON, solve
from sortition.algorithms.diversimax import single_panel
from sortition.audit.log import fingerprinted, to_json_bytes
from sortition.cli.main import cli as main
from sortition.distribution import Distribution
from sortition.errors import UsageError
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.balance import PEER, PROPORTIONAL, balance_objective
from sortition.panel.rules import PanelRules
from sortition.research.intersections import intersectional_balance
from sortition.research.synthetic import synthetic_instance

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
FLOOR_TOL = 1e-9


def run(name: str, instance: Instance, **options) -> Distribution:
    return solve(name, instance, rng=np.random.default_rng(0), options=SolveOptions(**options))


# -- independent recounts of both objectives, person by person --------------------------------


def proportional_score(instance: Instance, panel: tuple[int, ...]) -> float:
    """Mean over feature pairs of 1 - sum |members - k x pool share| / (2k)."""
    k, n, values = instance.panel_size, instance.size, instance.values.tolist()
    pairs = list(itertools.combinations(range(len(instance.features)), 2))
    if not pairs:
        return 1.0
    total = 0.0
    for f, g in pairs:
        deviation = 0.0
        for a in range(len(instance.features[f].values)):
            for b in range(len(instance.features[g].values)):
                pool = sum(1 for row in values if row[f] == a and row[g] == b)
                members = sum(1 for p in panel if values[p][f] == a and values[p][g] == b)
                deviation += abs(members - k * pool / n)
        total += 1.0 - deviation / (2 * k)
    return total / len(pairs)


def peer_deviation(instance: Instance, panel: tuple[int, ...]) -> float:
    """The peer's DIVERSIMAX objective as its code counts it: every feature subset whose product
    of present values is <= k with >= 2 registrants per cell on average (at most 50), each cell
    of that product, target k / cells."""
    k, n = instance.panel_size, instance.size
    labels = [
        tuple(instance.features[f].values[v] for f, v in enumerate(row))
        for row in instance.values.tolist()
    ]
    columns = range(len(instance.features))
    total, used = 0.0, 0
    for size in range(1, len(instance.features) + 1):
        for subset in itertools.combinations(columns, size):
            present = [sorted({row[f] for row in labels}) for f in subset]
            cells = list(itertools.product(*present))
            if len(cells) > k or n / len(cells) < 2 or used >= 50:
                continue
            used += 1
            for cell in cells:
                members = sum(1 for p in panel if tuple(labels[p][f] for f in subset) == cell)
                total += abs(members - k / len(cells))
    return total


def people_of(distribution: Distribution, index: int) -> tuple[int, ...]:
    return tuple(distribution.realize(index, 0.0).tolist())


# -- the floor, the balance, the quotas -------------------------------------------------------


def check_diversimax(instance: Instance, slack: float = 0.05) -> tuple[Distribution, Distribution]:
    """Run MAXIMIN and DIVERSIMAX and check every claim that does not need brute force."""
    fair = run("maximin", instance)
    diverse = run("diversimax", instance, fairness_slack=slack)
    assert_distribution_well_formed(diverse)
    lowest = fair.group_marginals()[fair.group_marginals() > 0].min()
    assert diverse.details["maximin_min_probability"] == pytest.approx(lowest, abs=1e-9)
    floor = diverse.details["probability_floor"]
    assert floor == pytest.approx((1 - slack) * diverse.details["maximin_min_probability"])
    p = diverse.marginals()
    reachable = fair.marginals() > 0
    assert np.all(p[reachable] >= floor - FLOOR_TOL)  # every volunteer, one by one
    assert np.all(p[~reachable] == 0)
    rules = PanelRules.of(instance)
    for index, composition in enumerate(diverse.compositions):
        assert rules.holds(composition)
        assert panel_meets_quotas(instance, diverse.realize(index, 0.5))
    balance = intersectional_balance(diverse)
    assert diverse.details["expected_balance"] == pytest.approx(balance, abs=1e-12)
    assert balance >= intersectional_balance(fair) - 1e-9
    return fair, diverse


def test_example_small_20_balances_better_than_maximin():
    fair, diverse = check_diversimax(example_small_20())
    # (MAXIMIN's own balance depends on which of its optimal distributions it lands on: 0.948
    # before swap columns joined its rounds, 0.986 since; DIVERSIMAX reaches 0.991)
    assert intersectional_balance(diverse) > intersectional_balance(fair) + 0.004


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_generated_pools(seed):
    check_diversimax(synthetic_instance(60, 10, 3, seed=seed))


def test_no_slack_keeps_maximin_minimum_and_more_slack_never_lowers_balance():
    instance = synthetic_instance(50, 8, 3, seed=4)
    _fair, tight = check_diversimax(instance, slack=0.0)
    _fair, loose = check_diversimax(instance, slack=0.3)
    assert loose.details["expected_balance"] >= tight.details["expected_balance"] - 1e-9


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=feasible_instances(min_people=4, max_people=9, max_panel=4))
def test_lp_optimum_over_every_panel_of_tiny_pools(instance):
    """The expected balance equals the LP optimum over every quota-satisfying panel (counted
    person by person) under the same floor."""
    _fair, diverse = check_diversimax(instance, slack=0.1)
    panels = all_valid_panels(instance)
    n, count = instance.size, len(panels)
    incidence = np.zeros((n, count))
    for c, panel in enumerate(panels):
        incidence[list(panel), c] = 1.0
    scores = np.array([proportional_score(instance, panel) for panel in panels])
    reachable = incidence.sum(axis=1) > 0
    floor = diverse.details["probability_floor"]
    matrix = np.vstack([np.ones(count), incidence[reachable]])
    lower = np.concatenate(([1.0], np.full(int(reachable.sum()), floor)))
    upper = np.concatenate(([1.0], np.full(int(reachable.sum()), np.inf)))
    best = lp_maximize(scores, matrix, lower, upper, np.zeros(count), np.full(count, np.inf))
    assert diverse.details["expected_balance"] == pytest.approx(best, abs=1e-7)
    assert diverse.details["optimality_gap"] <= 1e-7


# -- single-panel mode --------------------------------------------------------------------------


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=feasible_instances(min_people=4, max_people=10, max_panel=5))
def test_single_panel_is_the_brute_force_best(instance):
    panels = all_valid_panels(instance)
    proportional = single_panel(instance, PROPORTIONAL)
    assert proportional.complete
    assert proportional.score == pytest.approx(
        max(proportional_score(instance, p) for p in panels), abs=1e-9
    )
    assert proportional.score == pytest.approx(
        proportional_score(instance, tuple(proportional.people.tolist())), abs=1e-12
    )
    peer = single_panel(instance, PEER)
    assert peer.deviation == pytest.approx(min(peer_deviation(instance, p) for p in panels))
    assert peer.deviation == pytest.approx(
        peer_deviation(instance, tuple(peer.people.tolist())), abs=1e-9
    )
    assert peer.score == pytest.approx(-peer.deviation)
    assert panel_meets_quotas(instance, peer.people)


def test_single_panel_is_deterministic_and_meets_the_quotas():
    instance = synthetic_instance(120, 12, 4, seed=5, household_share=0.2)
    first, second = single_panel(instance, PEER), single_panel(instance, PEER)
    assert np.array_equal(first.people, second.people)
    assert panel_meets_quotas(instance, first.people)
    assert first.bound >= first.score - 1e-9


def test_peer_objective_matches_the_recount_on_a_sample_panel():
    instance = synthetic_instance(80, 10, 3, seed=6)
    distribution = run("maximin", instance)
    objective = balance_objective(instance, PEER)
    for index in range(min(5, distribution.num_panels)):
        panel = people_of(distribution, index)
        composition = distribution.compositions[index]
        assert objective.deviations(composition)[0] == pytest.approx(
            peer_deviation(instance, panel)
        )


# -- options, registry and the CLI ---------------------------------------------------------------


@pytest.mark.parametrize("slack", [-0.01, 1.0, 1.5])
def test_fairness_slack_is_validated(slack):
    with pytest.raises(UsageError, match="fairness slack"):
        SolveOptions(fairness_slack=slack)


def test_not_in_compare_default_and_refuses_cbc():
    assert "diversimax" not in DEFAULT_COMPARISON
    with pytest.raises(UsageError, match="HiGHS"):
        run("diversimax", example_small_20(), solver="cbc")


def test_deterministic():
    instance = synthetic_instance(60, 10, 3, seed=7)
    a, b = run("diversimax", instance), run("diversimax", instance)
    assert np.array_equal(a.compositions, b.compositions)
    assert np.array_equal(a.probabilities, b.probabilities)


def test_a_diversimax_draw_verifies_end_to_end(tmp_path):
    pool, quotas = (
        SAMPLES / "example_small_20" / "pool.csv",
        SAMPLES / "example_small_20" / "quotas.csv",
    )
    out = tmp_path / "out"
    runner = CliRunner()
    selected = runner.invoke(
        main,
        ["select", str(pool), str(quotas), "--panel-size", "20", "--algorithm", "diversimax",
         "--fairness-slack", "0.2", "--seed", "9", "--out", str(out), "--quiet"],
    )  # fmt: skip
    assert selected.exit_code == 0, selected.output
    log_path = out / "public" / "selection-log.json"
    log = json.loads(log_path.read_text())
    assert log["options"]["fairness_slack"] == 0.2
    assert log["algorithm_details"]["probability_floor"] == pytest.approx(0.08)
    verified = runner.invoke(
        main,
        ["verify", str(log_path), "--pool", str(pool), "--quotas", str(quotas), "--deep"],
    )
    assert verified.exit_code == 0, verified.output
    assert "fairness floor" in verified.output
    # a probability pushed below the floor is caught (the fingerprint fails too)
    person = next(iter(log["probabilities"]))
    log["probabilities"][person] = 0.01
    log_path.write_text(json.dumps(log))
    tampered = runner.invoke(main, ["verify", str(log_path)])
    assert tampered.exit_code != 0
    assert "below the floor" in tampered.output


def test_a_diversimax_lottery_records_its_floor_and_verify_checks_it(tmp_path):
    """A committed DIVERSIMAX lottery carries the floor behind its slack, and `verify --lottery`
    checks the targets against it; a forger who raises the stated floor above a target and
    re-fingerprints the file is caught by that check."""
    pool, quotas = (
        SAMPLES / "example_small_20" / "pool.csv",
        SAMPLES / "example_small_20" / "quotas.csv",
    )
    runner = CliRunner()
    lottery = tmp_path / "lottery.json"
    made = runner.invoke(
        main,
        ["lottery", str(pool), str(quotas), "--panel-size", "20", "--algorithm", "diversimax",
         "--fairness-slack", "0.2", "--planned-sources", "the 7 numbers of Loto draw 5123",
         "--draw-date", "2026-12-01", "--out", str(lottery), "--quiet"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    record = json.loads(lottery.read_text())
    details = record["algorithm_details"]
    assert details["probability_floor"] == pytest.approx(0.8 * details["maximin_min_probability"])
    positive = [e["target"] for e in record["probabilities"].values() if e["target"] > 0]
    assert min(positive) >= details["probability_floor"] - 1e-9
    drawn = runner.invoke(
        main,
        ["draw", str(lottery), "--source", "17 20 22 35 36 38 48", "--pool", str(pool),
         "--out", str(tmp_path / "draw")],
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    log_path = tmp_path / "draw" / "public" / "selection-log.json"
    verified = runner.invoke(main, ["verify", str(log_path), "--lottery", str(lottery)])
    assert verified.exit_code == 0, verified.output
    assert "fairness floor" in verified.output
    # raise the stated floor above the lowest target, then re-fingerprint as a careful forger
    record["algorithm_details"]["probability_floor"] = min(positive) + 0.01
    forged = tmp_path / "forged.json"
    forged.write_bytes(to_json_bytes(fingerprinted(record)))
    caught = runner.invoke(main, ["verify", str(log_path), "--lottery", str(forged)])
    assert caught.exit_code != 0
    assert "below the floor" in caught.output


def test_bad_slack_on_the_command_line(tmp_path):
    pool, quotas = (
        SAMPLES / "example_small_20" / "pool.csv",
        SAMPLES / "example_small_20" / "quotas.csv",
    )
    result = CliRunner().invoke(
        main,
        ["select", str(pool), str(quotas), "--panel-size", "20", "--algorithm", "diversimax",
         "--fairness-slack", "1", "--out", str(tmp_path / "o")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "fairness slack" in result.output
    assert not (tmp_path / "o").exists()


def test_a_pool_with_one_feature_scores_one():
    instance = make_instance([[0], [0], [1], [1]], [[(1, 1), (1, 1)]], 2)
    diverse = run("diversimax", instance)
    assert diverse.details["expected_balance"] == 1.0


def test_a_replacement_keeps_the_logged_slack_and_verifies(tmp_path):
    pool, quotas = (
        SAMPLES / "example_small_20" / "pool.csv",
        SAMPLES / "example_small_20" / "quotas.csv",
    )
    runner = CliRunner()
    drawn = runner.invoke(
        main,
        ["select", str(pool), str(quotas), "--panel-size", "20", "--algorithm", "diversimax",
         "--fairness-slack", "0.1", "--seed", "3", "--out", str(tmp_path / "draw"), "--quiet"],
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    log_path = tmp_path / "draw" / "public" / "selection-log.json"
    selected = json.loads(log_path.read_text())["draw"]["selected"]
    dropouts = tmp_path / "dropouts.csv"
    dropouts.write_text("id\n" + "\n".join(selected[:2]) + "\n")
    for algorithm, slack in ((None, 0.1), ("maximin", None)):
        out = tmp_path / f"replacement-{algorithm}"
        extra = [] if algorithm is None else ["--algorithm", algorithm]
        result = runner.invoke(
            main,
            ["replace", str(log_path), "--dropouts", str(dropouts), "--pool", str(pool),
             "--seed", "7", "--out", str(out), "--quiet", *extra],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        replacement = out / "public" / "selection-log.json"
        assert json.loads(replacement.read_text())["options"].get("fairness_slack") == slack
        verified = runner.invoke(main, ["verify", str(replacement), "--deep"])
        assert verified.exit_code == 0, verified.output


def test_a_time_limit_returns_a_labelled_lottery_that_keeps_the_floor():
    """Stopped or not (the machine's speed decides), the result keeps every claim."""
    from sortition.errors import TimeLimitReached

    instance = synthetic_instance(200, 20, 5, seed=1)
    try:
        diverse = run("diversimax", instance, time_limit=3.0)
    except TimeLimitReached:
        return  # MAXIMIN itself did not finish: nothing to offer, and it says so
    fair = run("maximin", instance)
    p = diverse.marginals()
    assert np.all(p[fair.marginals() > 0] >= diverse.details["probability_floor"] - FLOOR_TOL)
    assert intersectional_balance(diverse) >= intersectional_balance(fair) - 1e-9
    if diverse.stopped is not None:
        assert diverse.label.startswith("stopped by the time limit: expected balance")
        assert 0 <= diverse.details["optimality_gap"] < 1


def test_infeasible_quotas_are_refused_by_both_modes():
    from sortition.errors import InfeasibleQuotas

    instance = make_instance([[0], [0], [1], [1]], [[(2, 2), (2, 2)]], 3)
    with pytest.raises(InfeasibleQuotas):
        single_panel(instance, PEER)
    with pytest.raises(InfeasibleQuotas):
        run("diversimax", instance)
