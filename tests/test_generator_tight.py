"""Tests of the tight-quota class of the generator (`sortition.research.generator_tight`, --quotas
tight).

Pools are small (200 to 3,000 registrants); the property test solves MAXIMIN on pools of at most
60 and keeps to a few examples so the file runs in well under a minute.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner
from helpers.budget import examples
from helpers.invariants import assert_distribution_well_formed, panel_meets_quotas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.algorithms import solve
from sortition.cli.generate_command import generate_command
from sortition.errors import UsageError
from sortition.inputs.build import load_instance
from sortition.panel.feasibility import check
from sortition.research.generator import GeneratedInstance, generate
from sortition.research.generator_files import generated_files
from sortition.research.generator_population import population_joint
from sortition.research.generator_profiles import PROFILES, GeneratorSpec
from sortition.research.generator_tight import MIN_EXACT_SHARE, choose_exact, exact_rows


def tight(profile: str, n: int, k: int, seed: str = "t", features: int | None = 7, **kw):
    return generate(GeneratorSpec(profile, n, k, seed, features, quotas="tight", **kw))


def readme(generated: GeneratedInstance) -> str:
    return generated_files(generated)["README.md"].decode("utf-8")


def assert_within_floor_ceil(generated: GeneratedInstance) -> None:
    """Every non-exact bound is [floor, ceil] of k x share; exact ones are the target."""
    k = generated.spec.panel_size
    for feature, shares, targets in zip(
        generated.features, generated.population_shares, generated.targets, strict=True
    ):
        exact = feature.name in generated.tight.exact
        for quota, share, target in zip(feature.quotas, shares, targets, strict=True):
            seats = k * share
            if exact:
                assert quota.min == quota.max == target
            else:
                assert quota.min == math.floor(seats + 1e-9), (feature.name, quota, seats)
                assert quota.max == math.ceil(seats - 1e-9), (feature.name, quota, seats)


# ---------------------------------------------------------------------------------------------
# Determinism and the loose class


def test_same_spec_gives_identical_bytes_and_seed_matters() -> None:
    first = generated_files(tight("households", 300, 30, "same", household_share=0.8))
    second = generated_files(tight("households", 300, 30, "same", household_share=0.8))
    assert first == second
    other = generated_files(tight("households", 300, 30, "other", household_share=0.8))
    assert other["pool.csv"] != first["pool.csv"]
    loose = generated_files(generate(GeneratorSpec("households", 300, 30, "same", 7)))
    assert loose["pool.csv"] != first["pool.csv"]


@pytest.mark.parametrize(
    ("args", "digest"),
    [
        (
            ("uk", 200, 20, "golden", 6),
            "4802c1eeede7dbd908431a859302464e885354f11c493e35629ffe488f2a461b",
        ),
        (
            ("households", 300, 30, "golden", 8),
            "896a1720122dad695eadcc2c54fb77b7e352b1fbcc0a3a9ad1b06c732c0b4615",
        ),
    ],
)
def test_loose_class_output_is_unchanged(args: tuple, digest: str) -> None:
    """Digests of pool.csv + quotas.csv from the generator before the tight class existed."""
    for spec in (GeneratorSpec(*args), GeneratorSpec(*args, quotas="loose", household_share=None)):
        files = generated_files(generate(spec))
        assert hashlib.sha256(files["pool.csv"] + files["quotas.csv"]).hexdigest() == digest


# ---------------------------------------------------------------------------------------------
# Quotas


@pytest.mark.parametrize("profile", PROFILES)
def test_tight_quotas_exact_rows_floor_ceil_and_feasible(profile: str) -> None:
    generated = tight(profile, 400, 40)
    assert generated.tight is not None and not generated.widened
    exact, rows = exact_rows(generated.features)
    assert exact == generated.exact_rows >= MIN_EXACT_SHARE * rows
    assert {"gender", "age_band"} <= set(generated.tight.exact)
    assert_within_floor_ceil(generated)
    assert check(generated.instance).feasible
    text = readme(generated)
    assert "quota class: `tight`" in text
    assert f"quota rows with min == max: {exact} of {rows}" in text
    assert "nothing loosened" in text
    assert "--quotas tight" in text and "--tolerance" not in text


def test_exact_categories_follow_the_preference_until_a_quarter_of_rows() -> None:
    generated = tight("uk", 400, 40, features=8)
    categories = generated.profile.categories[:8]
    assert choose_exact(categories, generated.population_shares, 40) == (
        "gender",
        "age_band",
        "education",
    )
    # two categories only: gender and age_band are exact whatever the share of rows
    assert tight("uk", 200, 20, features=2).tight.exact == ("gender", "age_band")
    # chile without gender or age_band among the first features: province is next in line
    assert tight("chile", 200, 20, features=1).tight.exact == ("province",)


def test_infeasible_tight_quotas_are_loosened_in_order_and_readme_says_so() -> None:
    # the skewed profile's 200 registrants hold too few without qualifications for exact quotas
    generated = tight("skewed", 200, 20, "2", 8, household_share=0.5)
    steps = generated.tight.steps
    assert generated.widened and steps
    assert steps[0].startswith("education=No qualifications minimum lowered")
    assert steps[1:4] == tuple(
        f"{name} un-fixed: floor/ceil bounds instead of exact"
        for name in ("education", "age_band", "gender")
    )
    assert generated.tight.widening == 1 and generated.tight.exact == ()
    assert check(generated.instance).feasible
    text = readme(generated)
    assert "**quotas loosened**" in text
    for step in steps:
        assert step in text


# ---------------------------------------------------------------------------------------------
# Self-selection and households


def _rank_correlation(table: np.ndarray) -> float:
    """Pearson correlation of the value indices of a two-way table of shares or counts."""
    table = table / table.sum()
    i = np.arange(table.shape[0])[:, None]
    j = np.arange(table.shape[1])[None, :]
    mi, mj = (table * i).sum(), (table * j).sum()
    cov = (table * (i - mi) * (j - mj)).sum()
    return float(cov / np.sqrt((table * (i - mi) ** 2).sum() * (table * (j - mj) ** 2).sum()))


def _cramers_v(table: np.ndarray) -> float:
    table = table / table.sum()
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True)
    return float(np.sqrt(((table - expected) ** 2 / expected).sum() / (min(table.shape) - 1)))


@pytest.mark.parametrize("profile", ["uk", "chile"])
def test_pool_associates_education_and_age_more_than_the_population(profile: str) -> None:
    generated = tight(profile, 3000, 100, "corr", 8)
    names = [f.name for f in generated.features]
    age, education, employment = (
        names.index("age_band"),
        names.index("education"),
        names.index("employment"),
    )
    joint = population_joint(generated.profile, 8)

    def population(a: int, b: int) -> np.ndarray:
        return joint.sum(axis=tuple(x for x in range(8) if x not in (a, b)))

    def pool(a: int, b: int) -> np.ndarray:
        values = generated.instance.values
        shape = (len(generated.features[a].values), len(generated.features[b].values))
        table = np.zeros(shape)
        np.add.at(table, (values[:, a], values[:, b]), 1)
        return table

    in_population, in_pool = population(age, education), pool(age, education)
    # in the population the old hold fewer degrees; in the pool they hold far more
    assert _rank_correlation(in_population) < 0
    assert _rank_correlation(in_pool) > _rank_correlation(in_population) + 0.4
    assert _rank_correlation(in_pool) > 0.25
    # unsigned association between the engagement categories grows too (age x education in the
    # uk reverses sign, so its Cramer's V is no measure there)
    marital = names.index("marital_status")
    for a, b in ((education, employment), (education, marital), (age, marital)):
        assert _cramers_v(pool(a, b)) > _cramers_v(population(a, b)) + 0.01
    if profile == "chile":
        assert _cramers_v(in_pool) > _cramers_v(in_population) + 0.05

    def top_given_old(table: np.ndarray) -> float:
        return float(table[-1, -1] / table[-1].sum())

    def top(table: np.ndarray) -> float:
        return float(table[:, -1].sum() / table.sum())

    # the old educated are over-represented far more than the educated as a whole
    old_educated = (in_pool[-1, -1] / in_pool.sum()) / in_population[-1, -1]
    assert old_educated > 3 * top(in_pool) / top(in_population)
    assert top_given_old(in_pool) > 3 * top_given_old(in_population)


@pytest.mark.parametrize("share", [0.1, 0.5, 0.8])
def test_household_share_is_respected_and_members_are_alike(share: float) -> None:
    generated = tight("households", 1000, 50, "hh", household_share=share)
    pool = generated.pool
    assert abs(generated.household_members / 1000 - share) <= 0.02
    sizes = pool.groupby("address").size()
    assert sizes[sizes >= 2].between(2, 4).all()
    assert (pool.groupby("address")["province"].nunique() == 1).all()
    # with probability 0.6 a member is matched on the head's education: far above chance
    shared = pool[pool["address"].map(sizes) >= 2]
    alike = shared.groupby("address")["education"].agg(lambda s: (s == s.iloc[0]).mean())
    chance = float((pool["education"].value_counts(normalize=True) ** 2).sum())
    assert alike.mean() > chance + 0.25
    assert f"household share: {share:g}" in readme(generated)


def test_household_share_applies_to_every_profile_and_to_loose_quotas() -> None:
    loose = generate(GeneratorSpec("uk", 400, 40, "s", 8, household_share=0.4))
    assert "address" in loose.pool.columns
    assert abs(loose.household_members / 400 - 0.4) <= 0.02
    assert (loose.pool.groupby("address")["region"].nunique() == 1).all()
    assert "--tolerance 1 --household-share 0.4 --out DIR" in readme(loose)
    none = tight("households", 300, 30, household_share=0.0)
    assert "address" not in none.pool.columns and none.household_members == 0


@pytest.mark.parametrize(
    "spec",
    [
        GeneratorSpec("uk", 200, 20, "s", 7, 1, quotas="tight"),
        GeneratorSpec("uk", 200, 20, "s", 7, quotas="medium"),
        GeneratorSpec("uk", 200, 20, "s", 7, household_share=0.95),
        GeneratorSpec("uk", 200, 20, "s", 7, household_share=-0.1),
    ],
)
def test_bad_tight_arguments_are_usage_errors(spec: GeneratorSpec) -> None:
    with pytest.raises(UsageError):
        generate(spec)


# ---------------------------------------------------------------------------------------------
# Property: generated tight instances are feasible and MAXIMIN's panels meet every rule


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=st.sampled_from(PROFILES),
    panel_size=st.integers(3, 8),
    ratio=st.integers(5, 8),
    features=st.integers(3, 8),
    share=st.sampled_from([None, 0.0, 0.3, 0.8]),
    seed=st.integers(0, 10**6),
)
def test_property_tight_instances_are_feasible_and_maximin_panels_meet_every_rule(
    profile: str, panel_size: int, ratio: int, features: int, share: float | None, seed: int
) -> None:
    generated = tight(
        profile, ratio * panel_size, panel_size, str(seed), features, household_share=share
    )
    instance = generated.instance
    assert check(instance).feasible
    if not generated.widened:
        assert generated.exact_rows >= MIN_EXACT_SHARE * sum(
            len(f.values) for f in generated.features
        )
        assert_within_floor_ceil(generated)
    dist = solve("maximin", instance, rng=np.random.default_rng(0))
    assert_distribution_well_formed(dist)
    for index in range(dist.num_panels):
        assert panel_meets_quotas(instance, dist.realize(index, 0.5))


# ---------------------------------------------------------------------------------------------
# Command line


def invoke(*args: object):
    group = click.Group("sortition")
    group.add_command(generate_command)
    return CliRunner().invoke(group, ["generate", *(str(a) for a in args)])


def test_cli_tight_households_writes_files_and_readme_reproduces(tmp_path: Path) -> None:
    args = (
        "--profile",
        "households",
        "--pool-size",
        200,
        "--panel-size",
        20,
        "--features",
        7,
        "--quotas",
        "tight",
        "--household-share",
        0.8,
        "--seed",
        1,
    )
    out = tmp_path / "tight"
    result = invoke(*args, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Tight quotas:" in result.output
    for name in ("README.md", "pool.csv", "quotas.csv"):
        assert (out / name).is_file()
    loaded = load_instance(
        out / "pool.csv", out / "quotas.csv", panel_size=20, household_columns=("address",)
    )
    assert check(loaded.instance).feasible
    text = (out / "README.md").read_text(encoding="utf-8")
    assert (
        "sortition generate --profile households --pool-size 200 --panel-size 20 --seed 1 "
        "--features 7 --quotas tight --household-share 0.8 --out DIR"
    ) in text
    assert "quota class: `tight`" in text and "household share: 0.8" in text

    again = tmp_path / "again"
    assert invoke(*args, "--out", again).exit_code == 0
    for name in ("README.md", "pool.csv", "quotas.csv"):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_cli_rejects_tolerance_with_tight_quotas_and_bad_shares(tmp_path: Path) -> None:
    base = ("--profile", "uk", "--pool-size", 100, "--panel-size", 10, "--out", tmp_path / "x")
    result = invoke(*base, "--quotas", "tight", "--tolerance", 1)
    assert result.exit_code == 2 and "--tolerance" in result.stderr
    assert invoke(*base, "--household-share", 0.95).exit_code == 2
    assert invoke(*base, "--quotas", "medium").exit_code == 2
