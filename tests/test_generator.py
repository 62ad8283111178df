"""Tests of the synthetic instance generator (`sortition.research.generator`) and `sortition
generate`.

Pools are small (a few hundred registrants) to keep the run short; one test times 10,000.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from sortition.cli.generate_command import generate_command
from sortition.inputs.build import load_instance
from sortition.outputs.result_set import marker_name
from sortition.panel.feasibility import check
from sortition.research.generator import generate
from sortition.research.generator_files import generated_files
from sortition.research.generator_population import population_joint
from sortition.research.generator_profiles import PROFILES, GeneratorSpec, get_profile


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def invoke(*args: object):
    group = click.Group("sortition")
    group.add_command(generate_command)
    return CliRunner().invoke(group, ["generate", *(str(a) for a in args)])


@pytest.mark.parametrize("profile", PROFILES)
def test_profiles_give_feasible_instances_with_default_features(profile: str) -> None:
    generated = generate(GeneratorSpec(profile, 400, 40, "t"))
    default = get_profile(profile).default_features
    assert len(generated.features) == default
    assert generated.pool.columns[0] == "id"
    assert generated.pool["id"].is_unique
    assert ("address" in generated.pool.columns) == (profile == "households")
    assert check(generated.instance).feasible
    for feature, targets in zip(generated.features, generated.targets, strict=True):
        assert sum(targets) == 40
        for quota, target in zip(feature.quotas, targets, strict=True):
            assert quota.min == max(0, target - generated.tolerance)
            assert quota.max == min(40, target + generated.tolerance)


def test_same_arguments_give_identical_bytes_and_seed_matters() -> None:
    spec = GeneratorSpec("households", 300, 30, "same", 8)
    first = generated_files(generate(spec))
    second = generated_files(generate(spec))
    assert first == second
    other = generated_files(generate(GeneratorSpec("households", 300, 30, "other", 8)))
    assert other["pool.csv"] != first["pool.csv"]


def test_population_marginals_match_stated_shares_and_features_correlate() -> None:
    profile = get_profile("uk")
    joint = population_joint(profile, 8)
    assert joint.sum() == pytest.approx(1.0)
    for axis, category in enumerate(profile.categories):
        others = tuple(a for a in range(8) if a != axis)
        assert joint.sum(axis=others) == pytest.approx(
            np.array(category.shares) / sum(category.shares), abs=1e-9
        )
    age_education = joint.sum(axis=(0, 2, 4, 5, 6, 7))  # age x education
    degree_given_age = age_education[:, 3] / age_education.sum(axis=1)
    assert degree_given_age[1] > 1.5 * degree_given_age[-1]  # 25-34 vs 65+


def test_self_selection_biases_the_pool() -> None:
    generated = generate(GeneratorSpec("skewed", 3000, 100, "bias"))
    education = generated.pool["education"]
    degree = float((education == "Degree").mean())
    none = float((education == "No qualifications").mean())
    assert degree > 0.34 * 1.4  # population 34%
    assert none < 0.18 * 0.6  # population 18%
    young = float((generated.pool["age_band"] == "18-24").mean())
    assert young < 0.11 * 0.6


def test_households_share_address_and_province() -> None:
    generated = generate(GeneratorSpec("households", 1000, 50, "h"))
    pool = generated.pool
    sizes = pool.groupby("address").size()
    shared = sizes[sizes >= 2]
    assert shared.between(2, 4).all()
    assert int(shared.sum()) == generated.household_members
    assert 0.27 <= generated.household_members / 1000 <= 0.31
    assert (pool.groupby("address")["province"].nunique() == 1).all()


def test_tolerance_is_widened_until_feasible_and_readme_says_so() -> None:
    generated = generate(GeneratorSpec("skewed", 300, 100, "x", 8, 0))
    assert generated.widened and generated.tolerance > generated.requested_tolerance == 0
    assert check(generated.instance).feasible
    readme = generated_files(generated)["README.md"].decode("utf-8")
    assert f"tolerance widened to {generated.tolerance}" in readme


@pytest.mark.parametrize(
    ("profile", "pool", "panel", "features", "tolerance"),
    [("uk", 100, 10, 9, None), ("uk", 10, 11, None, None), ("uk", 10, 5, None, -1)],
)
def test_bad_arguments_are_usage_errors(profile, pool, panel, features, tolerance) -> None:
    from sortition.errors import UsageError

    with pytest.raises(UsageError):
        generate(GeneratorSpec(profile, pool, panel, "s", features, tolerance))


def test_ten_thousand_people_in_a_few_seconds() -> None:
    start = time.perf_counter()
    generated = generate(GeneratorSpec("uk", 10_000, 150, "big", 8))
    assert time.perf_counter() - start < 15  # a few seconds on one shared core
    assert len(generated.pool) == 10_000


def test_cli_writes_files_that_load_and_readme_reproduces(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    result = invoke(
        "--profile",
        "households",
        "--pool-size",
        500,
        "--panel-size",
        40,
        "--seed",
        "cli",
        "--features",
        6,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["README.md", "pool.csv", "quotas.csv", marker_name()]
    )
    pool = read_rows(out / "pool.csv")
    assert len(pool) == 500
    assert list(pool[0]) == [
        "id",
        "address",
        "province",
        "gender",
        "age_band",
        "education",
        "indigenous",
        "employment",
    ]
    quotas = read_rows(out / "quotas.csv")
    assert list(quotas[0]) == ["feature", "value", "min", "max"]
    loaded = load_instance(
        out / "pool.csv", out / "quotas.csv", panel_size=40, household_columns=("address",)
    )
    assert check(loaded.instance).feasible
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "--profile households --pool-size 500 --panel-size 40 --seed cli --features 6" in readme

    again = tmp_path / "again"
    assert (
        invoke(
            "--profile",
            "households",
            "--pool-size",
            500,
            "--panel-size",
            40,
            "--seed",
            "cli",
            "--features",
            6,
            "--out",
            again,
        ).exit_code
        == 0
    )
    for name in ("README.md", "pool.csv", "quotas.csv"):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_cli_rejects_bad_input(tmp_path: Path) -> None:
    result = invoke("--profile", "uk", "--pool-size", 10, "--panel-size", 20, "--out", tmp_path)
    assert result.exit_code == 2
    assert "panel size" in result.stderr
    assert (
        invoke(
            "--profile", "mars", "--pool-size", 10, "--panel-size", 2, "--out", tmp_path
        ).exit_code
        == 2
    )


def test_bundled_census_copy_matches_the_sample() -> None:
    """The package ships the census so that `generate --profile chile` works once installed."""
    from sortition.research.generator_profiles import CENSUS_CSV

    root = Path(__file__).resolve().parents[1]
    sample = root / "data" / "samples" / "census2017_rm_communes.csv"
    assert CENSUS_CSV.read_bytes() == sample.read_bytes()
