"""Realistic synthetic instances for research: a self-selected pool and census-style quotas.

Why: benchmarks and comparisons need pools that look like real registrations (correlated
features, volunteers who are older and more educated than the population, households) at any
size, reproducibly. `generate` builds one from a named profile; `sortition generate` writes
pool.csv, quotas.csv and a README.md with every parameter.

Modules: `generator_profiles` (the profiles and `GeneratorSpec`), `generator_population` (steps
1-3), `generator_quotas` (step 4), `generator_tight` (the tight class) and `generator_files`
(pool.csv, quotas.csv, README.md); this module validates a spec and runs the steps (`generate`).

Method (all profiles):

1. Population. A joint distribution over the profile's first F categories (F = --features): the
   root categories are independent, or jointly given by the census (chile), and every other
   category depends on one earlier "parent" category through an association matrix (rows: parent
   values, columns: own values) fitted by iterative proportional fitting so that its population
   marginal equals the stated shares exactly. The joint is held as a dense array of cells.
2. Self-selection. Each cell's chance of registering is proportional to its population share
   times the product of the response-propensity multipliers of its values; registrants are drawn
   independently (with replacement from an infinite population) by inverse CDF from one
   Generator made from the seed text (`generator_from_seed`), so the same arguments give the same
   bytes.
3. Households (profile households, or any profile with --household-share s, 0 to 0.9). About
   30% (or s) of registrants are grouped into households of 2-4 (sizes 2, 3, 4 with weights 0.5,
   0.3, 0.2); members copy the household-level categories (province; region and urban_rural for
   uk) of the first member and share an `address`; everyone else has an address alone.
4. Quotas. For each category the panel's k seats are shared out by the population shares
   (largest remainder, `sortition.inputs.census.largest_remainder`); bounds are target -/+
   tolerance, clipped to 0..k. Default tolerance: 1 for panels below 100, else 2. The instance is
   checked with `sortition.panel.feasibility.check` (households included); if no panel meets the
   quotas the tolerance is widened by 1 and checked again, and README.md says so.

Steps 2-4 describe the default quota class, ``loose``. The ``tight`` class (``--quotas tight``,
any profile) replaces them: floor/ceil quotas with whole categories exact, self-selection through
a latent engagement that correlates education, age, employment and marital status within the
pool, and households matched on education and age; `sortition.research.generator_tight` documents
it.

Profiles (shares are adult population shares; all figures are illustrative assumptions unless
read from the census file, not estimates):

- ``uk``: gender (F 51%, M 49%; 65+ slightly more often female); age_band 18-24 11%, 25-34 17%,
  35-44 16%, 45-54 17%, 55-64 16%, 65+ 23%; region: the 12 UK nations and English regions at
  their approximate shares of the population (London 13.2%, South East 13.8%, ..., Northern
  Ireland 2.8%); education (highest qualification, depends on age: the old less often hold
  degrees) none 18%, GCSE 26%, A-level 22%, degree 34%; ethnicity (depends on region: London and
  the West Midlands more diverse) White 82%, Asian 9%, Black 4%, Mixed 3%, Other 2%;
  urban_rural (depends on region) urban 82%, rural 18%; with --features 7 or 8 also employment
  (depends on age) employed 58%, unemployed 3%, retired 22%, student or other inactive 17%; and
  marital_status (depends on age) never married 38%, married 45%, divorced/separated 11%,
  widowed 6%. Default 6 features. Mild self-selection: age multipliers 0.6 (18-24) rising to 1.4
  (65+), education 0.5 (none) to 1.8 (degree), women 1.1.
- ``chile``: province, gender and age_band from ``sortition/data/census2017_rm_communes.csv``
  (2017 census of the Santiago Metropolitan Region, adults 18+, 2/5 of the 15-19 band counted),
  keeping the census joint of the three; education depends on age band (``make_samples.py``'s
  association and regional shares 24/40/14/22%); indigenous Sí 10%, independent of the rest; with
  more features: employment (depends on age) ocupado 56%, desocupado 5%, jubilado 14%, inactivo
  25%; marital_status (depends on age) soltero 38%, casado 33%, conviviente 17%, separado,
  divorciado o viudo 12%; health_insurance (depends on education) FONASA 78%, ISAPRE 17%, otro o
  ninguno 5%. Default 5 features. Self-selection as in ``make_samples.py``: age 0.6 (18-29) to 1.4
  (60+), education 0.5 to 1.8, women 1.1.
- ``skewed``: the ``uk`` population with strong self-selection: education multipliers 1, 1.6,
  2.5, 4.5 (degree holders over-represented about 4.5x against people without qualifications),
  age 1 (18-24) to 3.5 (65+), ethnic minorities 0.6, retired 2, unemployed 0.5. Default 6.
- ``households``: the ``chile`` profile plus households (step 3); pool.csv gets an ``address``
  column (use ``--household-columns address``). Default 5 features.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sortition.errors import InfeasibleQuotas, UsageError
from sortition.instance import NO_HOUSEHOLD, Feature, Instance
from sortition.panel.feasibility import check
from sortition.randomness import generator_from_seed
from sortition.research.generator_population import (
    addresses,
    assign_households,
    draw_cells,
    population_joint,
    registration_weights,
)
from sortition.research.generator_profiles import (
    CL_STREETS,
    MAX_FEATURES,
    GeneratorSpec,
    Profile,
    get_profile,
)
from sortition.research.generator_quotas import default_tolerance, make_features
from sortition.research.generator_tight import (
    MAX_HOUSEHOLD_SHARE,
    QUOTA_CLASSES,
    TightQuotas,
    assign_matched_households,
    draw_engaged_pool,
    exact_rows,
    tight_features,
)
from sortition.text import quoted


@dataclass(frozen=True, eq=False)
class GeneratedInstance:
    """The pool (id, [address], features as text), the quotas and how they were made feasible."""

    spec: GeneratorSpec
    profile: Profile
    pool: pd.DataFrame
    features: tuple[Feature, ...]
    population_shares: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[int, ...], ...]
    requested_tolerance: int
    tolerance: int
    households: int  # households of 2 or more registrants
    household_members: int
    instance: Instance = field(repr=False)
    tight: TightQuotas | None = None  # how the tight quotas were made (None: loose class)

    @property
    def widened(self) -> bool:
        """Whether the quotas had to be loosened to admit a panel."""
        if self.tight is not None:
            return bool(self.tight.steps)
        return self.tolerance != self.requested_tolerance

    @property
    def exact_rows(self) -> int:
        """How many quota rows have min == max."""
        return exact_rows(self.features)[0]


def _validate(spec: GeneratorSpec, profile: Profile) -> int:
    count = profile.default_features if spec.features is None else spec.features
    limit = min(MAX_FEATURES, len(profile.categories))
    if not 1 <= count <= limit:
        raise UsageError(
            f"--features must be between 1 and {limit}, got {count}",
            hint=f"choose how many categories to use, 1 to {limit}",
        )
    if spec.pool_size < 1:
        raise UsageError(
            f"pool size must be positive, got {spec.pool_size}", hint="pass --pool-size N >= 1"
        )
    if spec.panel_size < 1 or spec.panel_size > spec.pool_size:
        raise UsageError(
            f"panel size must be between 1 and the pool size {spec.pool_size}, "
            f"got {spec.panel_size}",
            hint="pass a --panel-size no larger than --pool-size",
        )
    if spec.tolerance is not None and spec.tolerance < 0:
        raise UsageError(
            f"tolerance must not be negative, got {spec.tolerance}",
            hint="pass --tolerance 0 or more",
        )
    if spec.quotas not in QUOTA_CLASSES:
        raise UsageError(
            f"unknown quota class {quoted(spec.quotas)}",
            hint=f"choose one of {', '.join(QUOTA_CLASSES)}",
        )
    if spec.quotas == "tight" and spec.tolerance is not None:
        raise UsageError(
            "--tolerance applies to --quotas loose only",
            hint="tight quotas are floor/ceil of k x share; drop --tolerance",
        )
    share = spec.household_share
    if share is not None and not 0.0 <= share <= MAX_HOUSEHOLD_SHARE:
        raise UsageError(
            f"household share must be between 0 and {MAX_HOUSEHOLD_SHARE:g}, got {share:g}",
            hint=f"pass --household-share between 0 and {MAX_HOUSEHOLD_SHARE:g}",
        )
    return count


def generate(spec: GeneratorSpec) -> GeneratedInstance:
    """Build the pool and feasible quotas described by `spec` (deterministic in `spec`)."""
    profile = get_profile(spec.profile, spec.census_path, spec.household_share)
    count = _validate(spec, profile)
    categories = profile.categories[:count]
    joint = population_joint(profile, count)
    shares = tuple(
        tuple(float(x) for x in joint.sum(axis=tuple(a for a in range(count) if a != axis)))
        for axis in range(count)
    )
    tight = spec.quotas == "tight"
    people_rng, household_rng = generator_from_seed(
        f"sortition/generate/{'tight/' if tight else ''}{spec.profile}/{spec.seed}"
    ).spawn(2)
    if tight:
        values = draw_engaged_pool(people_rng, categories, joint, spec.pool_size)
    else:
        values = draw_cells(people_rng, registration_weights(categories, joint), spec.pool_size)

    households = np.full(spec.pool_size, NO_HOUSEHOLD, dtype=np.int64)
    if profile.household_share:
        if tight:
            households = assign_matched_households(
                household_rng, values, categories, profile.household_share
            )
        else:
            households = assign_households(household_rng, spec.pool_size, profile.household_share)
        shared = [a for a, c in enumerate(categories) if c.household_level]
        labels = households[households >= 0]
        members = np.flatnonzero(households >= 0)
        first: dict[int, int] = {}
        for person, label in zip(members.tolist(), labels.tolist(), strict=True):
            first.setdefault(label, person)
        heads = np.array([first[label] for label in labels.tolist()], dtype=np.int64)
        for axis in shared:
            values[members, axis] = values[heads, axis]

    width = len(str(spec.pool_size))
    ids = tuple(f"P{i:0{width}d}" for i in range(1, spec.pool_size + 1))
    columns: dict[str, list[str]] = {"id": list(ids)}
    if profile.household_share:
        place_axis = next((a for a, c in enumerate(categories) if c.household_level), None)
        place = (
            [categories[place_axis].values[v] for v in values[:, place_axis].tolist()]
            if place_axis is not None
            else [profile.place] * spec.pool_size
        )
        columns["address"] = addresses(
            household_rng, households, place, profile.streets or CL_STREETS
        )
    for axis, category in enumerate(categories):
        columns[category.name] = [category.values[v] for v in values[:, axis].tolist()]
    pool = pd.DataFrame(columns, dtype=object)

    def feasible(quotas: tuple[Feature, ...]) -> bool:
        return check(Instance(ids, quotas, values, spec.panel_size, households)).feasible

    tight_quotas = None
    if tight:
        available = [
            np.bincount(values[:, a], minlength=len(c.values)).tolist()
            for a, c in enumerate(categories)
        ]
        features, targets, tight_quotas = tight_features(
            categories, shares, spec.panel_size, available, feasible
        )
        requested = tolerance = 0
    else:
        requested = default_tolerance(spec.panel_size) if spec.tolerance is None else spec.tolerance
        tolerance = requested
        features, targets = make_features(categories, shares, spec.panel_size, tolerance)
        while not feasible(features):
            if tolerance >= spec.panel_size:
                raise InfeasibleQuotas(
                    f"no panel of {spec.panel_size} can be drawn from this pool even with every "
                    "quota widened to 0..k (too few households)",
                    hint="use a larger --pool-size or a smaller --panel-size",
                )
            tolerance += 1
            features, targets = make_features(categories, shares, spec.panel_size, tolerance)
    instance = Instance(ids, features, values, spec.panel_size, households)
    sizes = np.bincount(households[households >= 0]) if profile.household_share else np.zeros(0)
    return GeneratedInstance(
        spec=spec,
        profile=profile,
        pool=pool,
        features=features,
        population_shares=shares,
        targets=targets,
        requested_tolerance=requested,
        tolerance=tolerance,
        households=int(np.count_nonzero(sizes >= 2)),
        household_members=int(sizes[sizes >= 2].sum()),
        instance=instance,
        tight=tight_quotas,
    )
