"""Tests of the self-selection correction (`--correct-self-selection`, issue 18 item 4):
raking, capped targets, the end-to-end spread, and the draw through the CLI.

On generated pools the generator knows every registrant's true propensity to register (the
product of its categories' response propensities), so the estimate can be checked against it.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.cli.main import cli
from sortition.errors import InputError
from sortition.inputs.population import read_population
from sortition.process.self_selection import capped_targets, correction, end_to_end_spread, rake
from sortition.research.generator import GeneratedInstance, generate
from sortition.research.generator_profiles import GeneratorSpec

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def write_population(generated: GeneratedInstance, path: Path) -> Path:
    """The generator's population shares as a population table (per million residents)."""
    instance = generated.instance
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["feature", "value", "population"])
        for f, feature in enumerate(instance.features):
            for v, value in enumerate(feature.values):
                writer.writerow(
                    [feature.name, value, round(generated.population_shares[f][v] * 1e6)]
                )
    return path


def true_propensities(generated: GeneratedInstance) -> np.ndarray:
    instance = generated.instance
    categories = {c.name: c for c in generated.profile.categories}
    result = np.ones(instance.size)
    for f, feature in enumerate(instance.features):
        category = categories[feature.name]
        if category.propensity is not None:
            order = np.array([category.values.index(value) for value in feature.values])
            result *= np.asarray(category.propensity)[order[instance.values[:, f]]]
    return result


@pytest.mark.parametrize(("profile", "size", "k"), [("uk", 2000, 100), ("chile", 1000, 50)])
def test_estimated_propensities_follow_the_true_ones(tmp_path, profile, size, k) -> None:
    generated = generate(GeneratorSpec(profile, size, k, "1", features=6))
    instance = generated.instance
    margins = read_population(write_population(generated, tmp_path / "pop.csv"), instance)
    found = correction(instance, margins)
    truth = true_propensities(generated)
    assert np.corrcoef(found.propensities, truth)[0, 1] >= 0.8
    # end to end, with the true propensities: equal chances leave a wide spread, the targets
    # shrink it
    equal = end_to_end_spread(np.full(instance.size, k / instance.size), 1.0 / truth)
    aimed = end_to_end_spread(found.targets, 1.0 / truth)
    assert aimed.variation < 0.5 * equal.variation
    assert aimed.ratio < equal.ratio


def test_raking_matches_every_listed_share(tmp_path) -> None:
    generated = generate(GeneratorSpec("chile", 600, 40, "3", features=5))
    instance = generated.instance
    margins = read_population(write_population(generated, tmp_path / "pop.csv"), instance)
    weights, passes = rake(instance, margins)
    assert passes < 1000
    for f, counts in margins.counts.items():
        shares = np.bincount(instance.values[:, f], weights=weights) / weights.sum()
        wanted = np.asarray(counts) / sum(counts)
        assert np.allclose(shares, wanted, atol=1e-8)


@settings(max_examples=examples(50), deadline=None)
@given(
    st.lists(st.floats(0.01, 100.0), min_size=2, max_size=30),
    st.integers(1, 30),
)
def test_capped_targets_sum_to_k_and_stay_proportional(weights, k) -> None:
    weights_array = np.array(weights)
    k = min(k, len(weights))
    targets = capped_targets(weights_array, k)
    assert targets.sum() == pytest.approx(k)
    assert targets.max() <= 1.0 + 1e-12
    free = targets < 1.0 - 1e-12
    if free.sum() >= 2:
        ratios = targets[free] / weights_array[free]
        assert np.allclose(ratios, ratios[0])
    # nobody capped has a smaller weight than somebody free
    if free.any() and (~free).any():
        assert weights_array[~free].min() >= weights_array[free].max() - 1e-9


def _select(tmp_path: Path, *extra: str):
    renca = SAMPLES / "renca"
    return CliRunner().invoke(
        cli,
        [
            "select",
            str(renca / "pool.csv"),
            str(renca / "quotas.csv"),
            "--panel-size",
            "40",
            "--household-columns",
            "address",
            "--seed",
            "2026",
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            *extra,
        ],
    )


def test_select_with_the_correction_logs_it_and_verifies(tmp_path) -> None:
    population = SAMPLES / "renca" / "population.csv"
    result = _select(tmp_path, "--correct-self-selection", str(population))
    assert result.exit_code == 0, result.output
    assert "Self-selection corrected on gender, age_band" in result.output
    log = json.loads((tmp_path / "out" / "public" / "selection-log.json").read_text())
    record = log["self_selection"]
    assert record["population_table"]["file"] == "population.csv"
    assert record["categories"] == ["gender", "age_band"]
    spread = record["end_to_end_spread"]
    assert spread["this_lottery"]["variation"] <= spread["equal_chances"]["variation"]
    assert log["rules"]["chance_factors"]  # the targets, published
    verified = CliRunner().invoke(
        cli,
        [
            "verify",
            str(tmp_path / "out" / "public" / "selection-log.json"),
            "--pool",
            str(SAMPLES / "renca" / "pool.csv"),
            "--quotas",
            str(SAMPLES / "renca" / "quotas.csv"),
        ],
    )
    assert verified.exit_code == 0, verified.output


def test_the_correction_needs_an_algorithm_that_honours_factors(tmp_path) -> None:
    population = SAMPLES / "renca" / "population.csv"
    result = _select(tmp_path, "--correct-self-selection", str(population), "--algorithm", "nash")
    assert result.exit_code == 2
    assert "nash does not honour" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["sex", "Mujer", "5"]], "row 2, column 'feature': 'sex' is not a quota category"),
        ([["gender", "Nope", "5"]], "row 2, column 'value': 'Nope' is not a value of 'gender'"),
        ([["gender", "Mujer", "many"]], "row 2, column 'population': population 'many'"),
        ([["gender", "Mujer", "5"]], "no population for gender=Hombre"),
        (
            [["gender", "Mujer", "5"], ["gender", "Hombre", "5"], ["gender", "Mujer", "6"]],
            "row 4, column 'value': gender=Mujer is listed twice",
        ),
    ],
)
def test_bad_population_tables_name_row_and_column(tmp_path, rows, message) -> None:
    path = tmp_path / "population.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["feature", "value", "population"], *rows])
    result = _select(tmp_path, "--correct-self-selection", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "out").exists()
    renca = SAMPLES / "renca"
    from sortition.inputs.build import load_instance

    instance = load_instance(renca / "pool.csv", renca / "quotas.csv", panel_size=40).instance
    with pytest.raises(InputError):
        read_population(path, instance)


def test_the_same_corrected_draw_in_a_fresh_process(tmp_path) -> None:
    renca = SAMPLES / "renca"
    out = [tmp_path / "a", tmp_path / "b"]
    for folder in out:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sortition",
                "select",
                str(renca / "pool.csv"),
                str(renca / "quotas.csv"),
                "--panel-size",
                "40",
                "--correct-self-selection",
                str(renca / "population.csv"),
                "--algorithm",
                "maximin",
                "--seed",
                "7",
                "--out",
                str(folder),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    for name in ("public/selection-log.json", "public/probabilities.csv"):
        assert (out[0] / name).read_bytes() == (out[1] / name).read_bytes()


def test_compare_with_the_correction_reports_the_spread(tmp_path) -> None:
    renca = SAMPLES / "renca"
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            str(renca / "pool.csv"),
            str(renca / "quotas.csv"),
            "--panel-size",
            "40",
            "--household-columns",
            "address",
            "--algorithms",
            "leximin,nash",
            "--correct-self-selection",
            str(renca / "population.csv"),
            "--out",
            str(tmp_path / "cmp"),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "nash does not honour chance factors" in result.output  # reported, not replaced
    assert "Coefficient of variation of end-to-end chances" in result.output
    header = (tmp_path / "cmp" / "public" / "comparison.csv").read_text().splitlines()[0]
    assert header.endswith("end_to_end_ratio,end_to_end_variation")
    import matplotlib.image

    # metrics.png gains a fourth chart, the end-to-end spread (taller than the three of a plain run)
    image = matplotlib.image.imread(tmp_path / "cmp" / "public" / "metrics.png")
    assert image.shape[0] > (2.0 + 1.6 * 3.5) * 110
