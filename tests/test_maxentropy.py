"""MAXENTROPY and FAIR-MAXENTROPY (issue 18 items 1 and 2), checked against brute force: every
panel of people of a tiny pool enumerated, the uniform law's probabilities recounted, and the
maximum-entropy optimum certified by its optimality conditions."""

from __future__ import annotations

import collections
import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import example_large_200, example_small_20
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.algorithms import enumeration, fair_maxentropy, maxentropy, solve
from sortition.algorithms.entropy_dual import maximize_entropy, usable_columns
from sortition.cli.main import cli
from sortition.distribution import rotation_entropy_bits
from sortition.errors import InfeasibleQuotas, InputError, UsageError
from sortition.inputs.targets import read_targets
from sortition.instance import Instance
from sortition.options import SolveOptions
from sortition.panel.rules import meets_rules
from sortition.panel.solver import Deadline
from sortition.research.synthetic import synthetic_instance

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
TINY = [(12, 4, 2, 1, 0.0), (12, 4, 2, 2, 0.3), (14, 5, 3, 3, 0.0), (13, 4, 2, 4, 0.4)]


def tiny(case: tuple[int, int, int, int, float]) -> Instance:
    pool, panel, features, seed, households = case
    return synthetic_instance(pool, panel, features, seed=seed, household_share=households)


def every_panel(instance: Instance) -> list[tuple[int, ...]]:
    """Every panel of people that keeps the rules, by brute force."""
    return [
        panel
        for panel in itertools.combinations(range(instance.size), instance.panel_size)
        if meets_rules(instance, np.array(panel))
    ]


def composition_of(instance: Instance, panel: tuple[int, ...]) -> tuple[int, ...]:
    groups = instance.groups
    counts = np.bincount(groups.group_of_person[list(panel)], minlength=len(groups))
    return tuple(counts.tolist())


def run(name: str, instance: Instance, **options: object) -> object:
    return solve(name, instance, rng=np.random.default_rng(0), options=SolveOptions(**options))


# -- maxentropy: exact counting -------------------------------------------------------------


@pytest.mark.parametrize("case", TINY)
def test_maxentropy_equals_the_uniform_law_over_every_panel(case) -> None:
    instance = tiny(case)
    panels = every_panel(instance)
    chosen = collections.Counter(person for panel in panels for person in panel)
    exact = [Fraction(chosen[i], len(panels)) for i in range(instance.size)]
    result = run("maxentropy", instance)
    assert_distribution_well_formed(result)
    assert result.exact and result.label == "exact"
    assert int(result.details["valid_panels"]) == len(panels)
    assert result.details["uniform_entropy_bits"] == pytest.approx(math.log2(len(panels)))
    np.testing.assert_allclose(result.marginals(), [float(p) for p in exact], rtol=0, atol=1e-14)
    # the composition law is the uniform law's: probability = share of people-panels
    shares = collections.Counter(composition_of(instance, panel) for panel in panels)
    for row, q in zip(result.compositions, result.probabilities, strict=True):
        assert q == pytest.approx(shares[tuple(row.tolist())] / len(panels), abs=1e-15)
    assert len(shares) == result.num_panels


@pytest.mark.parametrize("case", TINY)
def test_enumeration_finds_exactly_the_valid_compositions(case) -> None:
    instance = tiny(case)
    expected = sorted({composition_of(instance, panel) for panel in every_panel(instance)})
    found = enumeration.valid_compositions(instance, 10_000)
    assert found is not None
    assert [tuple(row) for row in found.tolist()] == expected
    assert enumeration.valid_compositions(instance, len(expected) - 1) is None


@pytest.mark.parametrize("case", TINY[1:2])
def test_maxentropy_estimates_the_uniform_law_when_it_cannot_count(case, monkeypatch) -> None:
    instance = tiny(case)
    exact = run("maxentropy", instance)
    monkeypatch.setattr(maxentropy, "ENUMERATION_LIMIT", 0)  # counting gives up at once
    estimated = run("maxentropy", instance)
    assert_distribution_well_formed(estimated)
    assert not estimated.exact
    assert estimated.label == f"estimated from {estimated.details['draws']} draws"
    assert estimated.details["largest_rhat"] <= 1.05
    miss = np.max(np.abs(estimated.marginals() - exact.marginals()))
    assert miss <= estimated.details["ci99_half_width"]
    again = run("maxentropy", instance)
    assert np.array_equal(again.probabilities, estimated.probabilities)


# -- fair-maxentropy: the optimum at LEXIMIN's marginals --------------------------------------


def brute_force_optimum(instance: Instance, target: np.ndarray) -> float:
    """The maximum entropy (bits) over every composition of the brute-force enumeration."""
    rows = sorted({composition_of(instance, panel) for panel in every_panel(instance)})
    columns = np.array(rows, dtype=np.int64)
    columns = columns[usable_columns(columns, target)]
    sizes = instance.groups.sizes
    bonus = np.array([rotation_entropy_bits(c, sizes) * math.log(2) for c in columns])
    optimum = maximize_entropy(columns, bonus, target, Deadline(None))
    return optimum.entropy / math.log(2)


@pytest.mark.parametrize("case", TINY)
def test_fair_maxentropy_is_the_brute_force_optimum_at_leximin_marginals(case) -> None:
    instance = tiny(case)
    leximin = run("leximin", instance)
    result = run("fair-maxentropy", instance)
    assert_distribution_well_formed(result)
    assert np.max(np.abs(result.marginals() - leximin.marginals())) <= 1e-6
    target = leximin.probabilities @ leximin.compositions
    assert result.entropy_bits() == pytest.approx(brute_force_optimum(instance, target), abs=1e-6)
    assert result.entropy_bits() >= leximin.entropy_bits() - 1e-9
    assert result.details["entropy_certified"] == "all panels"
    assert 0 <= result.details["entropy_gap_bits"] <= 1e-6
    # optimality conditions: on its support, log q_c - bonus_c is affine in the composition
    sizes = instance.groups.sizes
    bonus = np.array([rotation_entropy_bits(c, sizes) for c in result.compositions])
    design = np.column_stack([result.compositions, np.ones(result.num_panels)])
    logits = np.log2(result.probabilities) - bonus
    fit, *_ = np.linalg.lstsq(design, logits, rcond=None)
    assert np.max(np.abs(design @ fit - logits)) <= 1e-5


@pytest.mark.parametrize("case", TINY[:2])
def test_the_exchange_search_keeps_the_marginals_and_stays_below_the_optimum(
    case, monkeypatch
) -> None:
    instance = tiny(case)
    exact = run("fair-maxentropy", instance)
    monkeypatch.setattr(fair_maxentropy, "EXACT_LIMIT", 0)  # enumeration gives up at once
    searched = run("fair-maxentropy", instance)
    leximin = run("leximin", instance)
    assert_distribution_well_formed(searched)
    assert searched.details["entropy_certified"] == "binary entropy bound"
    assert np.max(np.abs(searched.marginals() - leximin.marginals())) <= 1e-6
    assert leximin.entropy_bits() - 1e-9 <= searched.entropy_bits() <= exact.entropy_bits() + 1e-6
    assert searched.details["entropy_upper_bound_bits"] >= exact.entropy_bits() - 1e-9
    again = run("fair-maxentropy", instance)
    assert np.array_equal(again.compositions, searched.compositions)
    assert np.array_equal(again.probabilities, searched.probabilities)


@pytest.mark.parametrize("sample", [example_small_20, example_large_200])
def test_fair_maxentropy_on_the_samples_keeps_leximin_marginals(sample) -> None:
    instance = sample()
    leximin = run("leximin", instance)
    result = run("fair-maxentropy", instance)
    assert np.max(np.abs(result.marginals() - leximin.marginals())) <= 1e-6
    assert result.entropy_bits() > leximin.entropy_bits()


def test_fair_maxentropy_on_renca_keeps_leximin_marginals(monkeypatch) -> None:
    from sortition.inputs.build import load_instance

    folder = SAMPLES / "renca"
    instance = load_instance(
        folder / "pool.csv", folder / "quotas.csv", panel_size=40, household_columns=["address"]
    ).instance
    monkeypatch.setattr(fair_maxentropy, "ROUNDS", 1)  # one exchange round keeps the test short
    leximin = run("leximin", instance)
    result = run("fair-maxentropy", instance)
    assert np.max(np.abs(result.marginals() - leximin.marginals())) <= 1e-6
    assert result.entropy_bits() > leximin.entropy_bits() + 1.0
    assert result.details["entropy_upper_bound_bits"] >= result.entropy_bits()


# -- targets from a file ------------------------------------------------------------------------


def write_targets(path: Path, rows: list[tuple[str, str]]) -> str:
    path.write_text("id,probability\n" + "".join(f"{i},{p}\n" for i, p in rows))
    return str(path)


def test_fair_maxentropy_meets_targets_from_a_file(tmp_path) -> None:
    instance = tiny(TINY[1])
    nash = run("nash", instance)
    targets = nash.marginals()
    path = write_targets(
        tmp_path / "t.csv",
        [(i, repr(float(p))) for i, p in zip(instance.ids, targets, strict=True)],
    )
    read = read_targets(path, instance)
    assert len(read.sha256) == 64
    result = run("fair-maxentropy", instance, targets=read.values)
    assert np.max(np.abs(result.marginals() - targets)) <= 1e-6
    assert result.details["targets"] == "file"
    assert result.entropy_bits() >= nash.entropy_bits() - 1e-9


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows[:-1], "have no target"),
        (lambda rows: [*rows, rows[0]], "listed twice"),
        (lambda rows: [("nobody", "0"), *rows[1:]], "not a registrant"),
        (lambda rows: [(rows[0][0], "1.5"), *rows[1:]], "between 0 and 1"),
        (lambda rows: [(rows[0][0], "x"), *rows[1:]], "between 0 and 1"),
        (lambda rows: [(i, "0.5") for i, _ in rows], "sum to"),
    ],
)
def test_bad_targets_files_are_refused_with_their_place(tmp_path, change, message) -> None:
    instance = tiny(TINY[0])
    fair = instance.panel_size / instance.size
    rows = [(person, repr(fair)) for person in instance.ids]
    path = write_targets(tmp_path / "t.csv", change(rows))
    with pytest.raises(InputError, match=message) as error:
        read_targets(path, instance)
    assert "t.csv" in str(error.value)


def test_targets_unequal_within_a_group_or_unreachable_are_refused() -> None:
    instance = tiny(TINY[0])
    group = next(m for m in instance.groups.members if len(m) > 1)
    targets = np.full(instance.size, instance.panel_size / instance.size)
    targets[group[0]] += 0.01
    targets[group[1]] -= 0.01
    with pytest.raises(UsageError, match="same features"):
        run("fair-maxentropy", instance, targets=tuple(targets.tolist()))
    skewed = np.zeros(instance.size)
    skewed[: instance.panel_size] = 1.0  # one fixed panel of the first k: not a valid one here
    if not meets_rules(instance, np.arange(instance.panel_size)):
        with pytest.raises(UsageError, match="no lottery"):
            run("fair-maxentropy", instance, targets=tuple(skewed.tolist()))


# -- end to end: draws from both algorithms pass verify -----------------------------------------


def test_select_and_lottery_with_the_new_algorithms_pass_verify(tmp_path) -> None:
    folder = SAMPLES / "example_small_20"
    pool, quotas = str(folder / "pool.csv"), str(folder / "quotas.csv")
    runner = CliRunner()
    common = [pool, quotas, "--panel-size", "20", "--quiet"]
    selected = runner.invoke(
        cli,
        [
            "select",
            *common,
            "--algorithm",
            "maxentropy",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "s"),
        ],
    )
    assert selected.exit_code == 0, selected.output
    checked = runner.invoke(
        cli, ["verify", str(tmp_path / "s/public/selection-log.json"), "--deep"]
    )
    assert checked.exit_code == 0, checked.output
    log = json.loads((tmp_path / "s/public/selection-log.json").read_text())
    assert int(log["algorithm_details"]["valid_panels"]) > 0
    assert log["algorithm_details"]["uniform_entropy_bits"] > 0
    targets = tmp_path / "s/public/probabilities.csv"  # maxentropy's, rounded to 6 decimals
    out = tmp_path / "t"
    aimed = runner.invoke(
        cli,
        ["select", *common, "--algorithm", "fair-maxentropy", "--targets", str(targets),
         "--seed", "3", "--out", str(out)],
    )  # fmt: skip
    assert aimed.exit_code == 0, aimed.output
    log = json.loads((out / "public/selection-log.json").read_text())
    assert log["options"]["targets"]["file"] == "probabilities.csv"
    assert (
        log["algorithm_details"]["entropy_bits"]
        <= log["algorithm_details"]["entropy_upper_bound_bits"]
    )
    checked = runner.invoke(cli, ["verify", str(out / "public/selection-log.json")])
    assert checked.exit_code == 0, checked.output
    lottery = tmp_path / "lottery.json"
    made = runner.invoke(
        cli,
        ["lottery", *common, "--algorithm", "fair-maxentropy", "--out", str(lottery)],
    )
    assert made.exit_code == 0, made.output
    drawn = runner.invoke(
        cli, ["draw", str(lottery), "--source", "1 2 3", "--out", str(tmp_path / "d")]
    )
    assert drawn.exit_code == 0, drawn.output
    log = str(tmp_path / "d/public/selection-log.json")
    checked = runner.invoke(cli, ["verify", log, "--lottery", str(lottery), "--deep"])
    assert checked.exit_code == 0, checked.output
    assert "maximin certificate" in checked.output
    refused = runner.invoke(
        cli,
        ["select", *common, "--algorithm", "leximin", "--targets", str(lottery), "--seed", "1",
         "--out", str(tmp_path / "x")],
    )  # fmt: skip
    assert refused.exit_code == 2 and "--targets" in refused.output


def test_fair_maxentropy_keeps_leximin_marginals_under_chance_factors() -> None:
    instance = synthetic_instance(30, 6, 2, seed=1)
    factors = np.ones(instance.size)
    factors[:5] = 0.5  # e.g. recent panelists (--history-mode weight)
    instance = instance.with_factors(factors)
    leximin = run("leximin", instance)
    result = run("fair-maxentropy", instance)
    assert np.max(np.abs(result.marginals() - leximin.marginals())) <= 1e-6
    assert result.entropy_bits() >= leximin.entropy_bits()


@settings(max_examples=examples(12), deadline=None)
@given(
    pool=st.integers(8, 12),
    panel=st.integers(2, 4),
    features=st.integers(1, 3),
    seed=st.integers(0, 10_000),
    households=st.sampled_from([0.0, 0.3]),
)
def test_maxentropy_matches_brute_force_on_random_tiny_pools(
    pool, panel, features, seed, households
) -> None:
    instance = synthetic_instance(pool, panel, features, seed=seed, household_share=households)
    panels = every_panel(instance)
    if not panels:
        with pytest.raises(InfeasibleQuotas):
            run("maxentropy", instance)
        return
    chosen = collections.Counter(person for p in panels for person in p)
    result = run("maxentropy", instance)
    expected = [chosen[i] / len(panels) for i in range(instance.size)]
    np.testing.assert_allclose(result.marginals(), expected, rtol=0, atol=1e-13)
    assert int(result.details["valid_panels"]) == len(panels)
