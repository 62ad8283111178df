"""Realistic synthetic instances for research: a self-selected pool and census-style quotas.

Why: benchmarks and comparisons need pools that look like real registrations (correlated
features, volunteers who are older and more educated than the population, households) at any
size, reproducibly. `generate` builds one from a named profile; `sortition generate` writes
pool.csv, quotas.csv and a README.md with every parameter.

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

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from sortition import __version__
from sortition.errors import InfeasibleQuotas, InputError, UsageError
from sortition.inputs.census import largest_remainder
from sortition.instance import NO_HOUSEHOLD, Feature, Instance, Quota
from sortition.outputs.files import dataframe_to_csv_bytes, quotas_to_csv_bytes
from sortition.outputs.result_set import write_result_set
from sortition.panel.feasibility import check
from sortition.randomness import generator_from_seed
from sortition.research.generator_tight import (
    HOUSEHOLD_SIZE_WEIGHTS,
    HOUSEHOLD_SIZES,
    MAX_HOUSEHOLD_SHARE,
    QUOTA_CLASSES,
    TightQuotas,
    assign_matched_households,
    draw_engaged_pool,
    exact_rows,
    tight_features,
    tight_readme_lines,
)
from sortition.text import quoted

PROFILES = ("uk", "chile", "skewed", "households")
MAX_FEATURES = 8
# Shipped inside the package (a copy of data/samples/census2017_rm_communes.csv) so that the
# chile profiles work from an installed package too.
CENSUS_CSV = Path(__file__).resolve().parent.parent / "data" / "census2017_rm_communes.csv"
HOUSEHOLD_SHARE = 0.30
_IPF_ROUNDS = 500


@dataclass(frozen=True)
class Category:
    """One feature of a profile: values, population shares, dependence and response propensity.

    `association[i][j]` is the relative weight of own value j given parent value i, before fitting
    to `shares`; `propensity[j]` multiplies the chance that a holder of value j registers.
    """

    name: str
    values: tuple[str, ...]
    shares: tuple[float, ...]
    parent: str | None = None
    association: tuple[tuple[float, ...], ...] | None = None
    propensity: tuple[float, ...] | None = None
    household_level: bool = False  # household members share it


@dataclass(frozen=True, eq=False)
class Profile:
    """A population model: categories in dependency order, an optional census joint of the first
    `root_joint.ndim` categories, the default number of features and the household share."""

    name: str
    summary: str
    categories: tuple[Category, ...]
    default_features: int
    root_joint: np.ndarray | None = None
    household_share: float = 0.0
    place: str = "Región Metropolitana"  # in addresses when no household-level feature is chosen
    streets: tuple[str, ...] = ()  # street names for addresses; () = Chilean ones


@dataclass(frozen=True)
class GeneratorSpec:
    """The arguments of one generated instance (everything needed to reproduce it)."""

    profile: str
    pool_size: int
    panel_size: int
    seed: str
    features: int | None = None  # None: the profile's default
    tolerance: int | None = None  # None: 1 for panels below 100, else 2
    census_path: str | None = None  # None: the bundled census file
    quotas: str = "loose"  # quota class: "loose" (target -/+ tolerance) or "tight"
    household_share: float | None = None  # None: the profile's own (0.3 households, else 0)


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


# ---------------------------------------------------------------------------------------------
# Profiles

UK_AGE = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
UK_REGIONS = (
    ("North East", 4.0, 1.0, (1.1, 0.3, 0.2, 0.6, 0.4)),
    ("North West", 11.0, 0.7, (1.0, 1.0, 0.5, 0.9, 0.6)),
    ("Yorkshire and The Humber", 8.2, 0.9, (1.0, 1.1, 0.5, 0.9, 0.6)),
    ("East Midlands", 7.3, 1.3, (1.0, 1.0, 0.6, 1.0, 0.7)),
    ("West Midlands", 8.9, 0.8, (0.95, 1.6, 1.1, 1.1, 1.0)),
    ("East of England", 9.4, 1.4, (1.05, 0.6, 0.7, 0.9, 0.8)),
    ("London", 13.2, 0.02, (0.6, 2.3, 3.3, 1.7, 2.5)),
    ("South East", 13.8, 1.0, (1.05, 0.7, 0.5, 1.0, 0.8)),
    ("South West", 8.5, 1.6, (1.1, 0.3, 0.2, 0.7, 0.4)),
    ("Wales", 4.7, 1.8, (1.1, 0.3, 0.2, 0.6, 0.4)),
    ("Scotland", 8.2, 1.2, (1.1, 0.4, 0.2, 0.5, 0.4)),
    ("Northern Ireland", 2.8, 2.0, (1.1, 0.2, 0.1, 0.4, 0.3)),
)  # name, share %, rural weight, ethnicity weights


def _uk_categories(strong_bias: bool) -> tuple[Category, ...]:
    age_bias = (1.0, 1.3, 1.7, 2.2, 3.0, 3.5) if strong_bias else (0.6, 0.8, 1.0, 1.2, 1.3, 1.4)
    education_bias = (1.0, 1.6, 2.5, 4.5) if strong_bias else (0.5, 0.9, 1.2, 1.8)
    return (
        Category("gender", ("Female", "Male"), (0.51, 0.49), propensity=(1.1, 1.0)),
        Category(
            "age_band",
            UK_AGE,
            (0.11, 0.17, 0.16, 0.17, 0.16, 0.23),
            parent="gender",
            association=((1, 1, 1, 1, 1, 1.15), (1, 1, 1, 1, 1, 0.87)),
            propensity=age_bias,
        ),
        Category(
            "region",
            tuple(r[0] for r in UK_REGIONS),
            tuple(r[1] / 100 for r in UK_REGIONS),
            household_level=True,
        ),
        Category(
            "education",
            ("No qualifications", "GCSE or equivalent", "A-level or apprenticeship", "Degree"),
            (0.18, 0.26, 0.22, 0.34),
            parent="age_band",
            association=(
                (0.5, 1.0, 1.8, 0.8),
                (0.5, 0.8, 1.0, 1.5),
                (0.6, 0.9, 0.9, 1.4),
                (0.9, 1.1, 1.0, 1.0),
                (1.3, 1.1, 0.9, 0.8),
                (2.2, 1.0, 0.8, 0.6),
            ),
            propensity=education_bias,
        ),
        Category(
            "ethnicity",
            ("White", "Asian", "Black", "Mixed", "Other"),
            (0.82, 0.09, 0.04, 0.03, 0.02),
            parent="region",
            association=tuple(r[3] for r in UK_REGIONS),
            propensity=(1.0, 0.6, 0.6, 0.6, 0.6) if strong_bias else None,
        ),
        Category(
            "urban_rural",
            ("Urban", "Rural"),
            (0.82, 0.18),
            parent="region",
            association=tuple((1.0, r[2]) for r in UK_REGIONS),
            household_level=True,
        ),
        Category(
            "employment",
            ("Employed", "Unemployed", "Retired", "Student or other inactive"),
            (0.58, 0.03, 0.22, 0.17),
            parent="age_band",
            association=(
                (0.8, 2.5, 0.01, 3.0),
                (1.4, 1.2, 0.01, 0.6),
                (1.4, 1.0, 0.01, 0.6),
                (1.3, 0.9, 0.05, 0.6),
                (1.0, 0.8, 0.6, 0.7),
                (0.15, 0.2, 4.0, 0.4),
            ),
            propensity=(1.0, 0.5, 2.0, 1.0) if strong_bias else None,
        ),
        Category(
            "marital_status",
            ("Never married", "Married or civil partnership", "Divorced or separated", "Widowed"),
            (0.38, 0.45, 0.11, 0.06),
            parent="age_band",
            association=(
                (3.0, 0.1, 0.02, 0.01),
                (2.0, 0.7, 0.2, 0.01),
                (1.0, 1.2, 0.8, 0.05),
                (0.7, 1.3, 1.3, 0.15),
                (0.5, 1.3, 1.4, 0.5),
                (0.25, 1.1, 0.9, 3.0),
            ),
        ),
    )


CL_AGE_BANDS = ("18-29", "30-44", "45-59", "60+")
CL_GENDERS = ("Mujer", "Hombre")
CL_SEX_TO_GENDER = {"female": "Mujer", "male": "Hombre"}
CL_EDUCATION = ("Básica o menos", "Media completa", "Técnica", "Universitaria")
CL_ADULT_BANDS: dict[str, tuple[str, float]] = {
    "15-19": ("18-29", 2 / 5),  # ages 18 and 19 of 15..19, ages uniform within a band
    "20-24": ("18-29", 1.0),
    "25-29": ("18-29", 1.0),
    **{b: ("30-44", 1.0) for b in ("30-34", "35-39", "40-44")},
    **{b: ("45-59", 1.0) for b in ("45-49", "50-54", "55-59")},
    **{
        b: ("60+", 1.0)
        for b in ("60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95-99", "100+")
    },
}


def _census_joint(path: Path) -> tuple[tuple[str, ...], np.ndarray]:
    """Provinces (in file order) and adults per province x gender x age band, as shares."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(
            f"cannot read the census file {quoted(str(path))}: {exc.strerror or exc}",
            hint="reinstall the package (it ships the census file) or pass census_path",
        ) from exc
    provinces = tuple(dict.fromkeys(row["province"] for row in rows))
    joint = np.zeros((len(provinces), len(CL_GENDERS), len(CL_AGE_BANDS)))
    for row in rows:
        band = CL_ADULT_BANDS.get(row["age_band"])
        if band is None:
            continue
        p = provinces.index(row["province"])
        g = CL_GENDERS.index(CL_SEX_TO_GENDER[row["sex"]])
        joint[p, g, CL_AGE_BANDS.index(band[0])] += float(row["population"]) * band[1]
    return provinces, joint / joint.sum()


def _chile_profile(name: str, census_path: Path, household_share: float) -> Profile:
    provinces, joint = _census_joint(census_path)

    def margin(axis: int) -> tuple[float, ...]:
        others = tuple(a for a in range(3) if a != axis)
        return tuple(float(x) for x in joint.sum(axis=others))

    categories = (
        Category("province", provinces, margin(0), household_level=True),
        Category("gender", CL_GENDERS, margin(1), propensity=(1.1, 1.0)),
        Category("age_band", CL_AGE_BANDS, margin(2), propensity=(0.6, 0.9, 1.2, 1.4)),
        Category(
            "education",
            CL_EDUCATION,
            (0.24, 0.40, 0.14, 0.22),
            parent="age_band",
            association=(
                (0.6, 1.3, 1.0, 1.0),
                (0.7, 1.0, 1.3, 1.3),
                (1.1, 1.0, 1.0, 0.9),
                (2.0, 0.8, 0.6, 0.7),
            ),
            propensity=(0.5, 0.9, 1.2, 1.8),
        ),
        Category("indigenous", ("Sí", "No"), (0.10, 0.90)),
        Category(
            "employment",
            ("Ocupado", "Desocupado", "Jubilado o pensionado", "Inactivo"),
            (0.56, 0.05, 0.14, 0.25),
            parent="age_band",
            association=(
                (0.8, 2.0, 0.01, 1.8),
                (1.4, 1.0, 0.01, 0.6),
                (1.3, 0.9, 0.1, 0.7),
                (0.4, 0.4, 5.0, 1.2),
            ),
        ),
        Category(
            "marital_status",
            ("Soltero/a", "Casado/a", "Conviviente", "Separado/a, divorciado/a o viudo/a"),
            (0.38, 0.33, 0.17, 0.12),
            parent="age_band",
            association=(
                (3.0, 0.2, 1.3, 0.05),
                (0.9, 1.0, 1.5, 0.6),
                (0.5, 1.5, 0.8, 1.3),
                (0.4, 1.4, 0.4, 2.2),
            ),
        ),
        Category(
            "health_insurance",
            ("FONASA", "ISAPRE", "Otro o ninguno"),
            (0.78, 0.17, 0.05),
            parent="education",
            association=((1.2, 0.15, 1.0), (1.1, 0.5, 1.0), (1.0, 1.2, 1.0), (0.6, 3.0, 0.8)),
        ),
    )
    summary = (
        "Santiago Metropolitan Region adults (2017 census: province x gender x age band), "
        "education by age, indigenous 10%; older, more educated people and women register more"
    )
    if household_share:
        summary += f"; about {household_share:.0%} of registrants in households of 2-4"
    return Profile(name, summary, categories, 5, joint, household_share)


def get_profile(
    name: str, census_path: str | Path | None = None, household_share: float | None = None
) -> Profile:
    """The named profile (see the module docstring); `household_share` overrides its own."""
    if name in ("uk", "skewed"):
        strong = name == "skewed"
        summary = (
            "UK adults: gender, age, region, education by age, ethnicity and urban/rural by "
            "region, employment and marital status by age; "
            + (
                "strong self-selection (degree holders ~4.5x, 65+ ~3.5x)"
                if strong
                else "mild self-selection (older, more educated people and women register more)"
            )
        )
        share = household_share or 0.0
        if share:
            summary += f"; about {share:.0%} of registrants in households of 2-4"
        return Profile(
            name,
            summary,
            _uk_categories(strong),
            6,
            household_share=share,
            place="United Kingdom",
            streets=_UK_STREETS,
        )
    if name in ("chile", "households"):
        path = Path(census_path) if census_path is not None else CENSUS_CSV
        if household_share is None:
            household_share = HOUSEHOLD_SHARE if name == "households" else 0.0
        return _chile_profile(name, path, household_share)
    raise UsageError(f"unknown profile {quoted(name)}", hint=f"choose one of {', '.join(PROFILES)}")


# ---------------------------------------------------------------------------------------------
# Population and pool


def fit_conditional(
    parent_shares: np.ndarray, association: np.ndarray, shares: np.ndarray
) -> np.ndarray:
    """P(own value | parent value): `association` scaled (IPF) to both marginals."""
    parent = np.asarray(parent_shares, dtype=np.float64)
    target = np.asarray(shares, dtype=np.float64) / np.sum(shares)
    joint = np.asarray(association, dtype=np.float64) * parent[:, None]
    for _ in range(_IPF_ROUNDS):
        joint *= (parent / np.maximum(joint.sum(axis=1), 1e-300))[:, None]
        joint *= (target / np.maximum(joint.sum(axis=0), 1e-300))[None, :]
    rows = joint.sum(axis=1, keepdims=True)
    conditional: np.ndarray = np.divide(
        joint, rows, out=np.full_like(joint, 1.0 / joint.shape[1]), where=rows > 0
    )
    return conditional


def population_joint(profile: Profile, count: int) -> np.ndarray:
    """Population shares of every cell of the first `count` categories (dense, sums to 1)."""
    categories = profile.categories[:count]
    names = [c.name for c in categories]
    root = profile.root_joint
    roots = 0 if root is None else root.ndim
    joint: np.ndarray
    if root is not None and roots:
        joint = root
        if count < roots:
            joint = joint.sum(axis=tuple(range(count, roots)))
    else:
        joint = np.ones(())
    for position in range(min(roots, count), count):
        category = categories[position]
        own = np.asarray(category.shares, dtype=np.float64)
        if category.parent is None:
            table = own / own.sum()
            joint = joint[..., None] * table.reshape((1,) * joint.ndim + (-1,))
            continue
        axis = names.index(category.parent)
        others = tuple(a for a in range(joint.ndim) if a != axis)
        parent_shares = joint.sum(axis=others)
        conditional = fit_conditional(parent_shares, np.array(category.association), own)
        shape = [1] * joint.ndim + [len(own)]
        shape[axis] = len(parent_shares)
        joint = joint[..., None] * conditional.reshape(shape)
    shares: np.ndarray = joint / joint.sum()
    return shares


def registration_weights(categories: Sequence[Category], joint: np.ndarray) -> np.ndarray:
    """Population share x the product of the response propensities of each cell's values."""
    weights = joint.copy()
    for axis, category in enumerate(categories):
        if category.propensity is None:
            continue
        shape = [1] * joint.ndim
        shape[axis] = len(category.values)
        weights = weights * np.asarray(category.propensity, dtype=np.float64).reshape(shape)
    normalized: np.ndarray = weights / weights.sum()
    return normalized


def draw_cells(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """n cells by inverse CDF: (n, F) value indices."""
    cumulative = np.cumsum(weights.ravel())
    cells = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
    cells = np.minimum(cells, cumulative.size - 1)
    return np.stack(np.unravel_index(cells, weights.shape), axis=1).astype(np.int64)


def assign_households(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Household label per registrant (-1: alone): about `share` of them in households of 2-4."""
    labels = np.full(n, NO_HOUSEHOLD, dtype=np.int64)
    wanted = round(share * n)
    order = np.argsort(rng.random(n), kind="stable")
    cumulative = np.cumsum(HOUSEHOLD_SIZE_WEIGHTS)
    cursor = 0
    label = 0
    while wanted - cursor >= HOUSEHOLD_SIZES[0]:
        pick = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
        size = min(HOUSEHOLD_SIZES[min(pick, len(HOUSEHOLD_SIZES) - 1)], wanted - cursor)
        labels[order[cursor : cursor + size]] = label
        cursor += size
        label += 1
    return labels


_STREETS = (
    "Avenida Los Libertadores",
    "Calle Arturo Prat",
    "Pasaje Los Aromos",
    "Calle Las Acacias",
    "Avenida Manuel Rodríguez",
    "Calle Los Carrera",
    "Pasaje Gabriela Mistral",
    "Calle San Martín",
    "Calle Balmaceda",
    "Avenida Independencia",
    "Pasaje Los Olmos",
    "Calle Lautaro",
)
_UK_STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Mill Lane",
    "Park Road",
    "London Road",
    "The Green",
    "Manor Road",
    "Queens Road",
    "School Lane",
    "Kings Road",
)


def _addresses(
    rng: np.random.Generator,
    households: np.ndarray,
    place: Sequence[str],
    streets: Sequence[str] = _STREETS,
) -> list[str]:
    """A distinct fake address per household (or per person living alone), ending in `place`."""
    n = len(households)
    keys = [f"h{h}" if h >= 0 else f"p{i}" for i, h in enumerate(households.tolist())]
    distinct = list(dict.fromkeys(keys))
    slots = np.argsort(rng.random(len(distinct)), kind="stable")
    number = {key: int(s) for key, s in zip(distinct, slots.tolist(), strict=True)}
    out = []
    for i in range(n):
        slot = number[keys[i]]
        street = streets[slot % len(streets)]
        out.append(f"{street} {10 + slot // len(streets)}, {place[i]}")
    return out


# ---------------------------------------------------------------------------------------------
# Quotas


def default_tolerance(panel_size: int) -> int:
    """1 seat either side for panels below 100, 2 from 100 up."""
    return 1 if panel_size < 100 else 2


def make_features(
    categories: Sequence[Category],
    shares: Sequence[Sequence[float]],
    panel_size: int,
    tolerance: int,
) -> tuple[tuple[Feature, ...], tuple[tuple[int, ...], ...]]:
    """Quota features (target -/+ tolerance within 0..k) and the largest-remainder targets."""
    features = []
    targets = []
    for category, share in zip(categories, shares, strict=True):
        seats = largest_remainder([Fraction(s) for s in share], panel_size)
        quotas = tuple(Quota(max(0, t - tolerance), min(panel_size, t + tolerance)) for t in seats)
        features.append(Feature(category.name, category.values, quotas))
        targets.append(seats)
    return tuple(features), tuple(targets)


# ---------------------------------------------------------------------------------------------
# Generating


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
        columns["address"] = _addresses(
            household_rng, households, place, profile.streets or _STREETS
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


def command_line(spec: GeneratorSpec, features: int, tolerance: int) -> str:
    """The `sortition generate` call that reproduces `spec` (output directory left as DIR)."""
    quotas = "--quotas tight" if spec.quotas == "tight" else f"--tolerance {tolerance}"
    share = "" if spec.household_share is None else f" --household-share {spec.household_share:g}"
    return (
        f"sortition generate --profile {spec.profile} --pool-size {spec.pool_size} "
        f"--panel-size {spec.panel_size} --seed {_shell_word(spec.seed)} --features {features} "
        f"{quotas}{share} --out DIR"
    )


def _shell_word(text: str) -> str:
    safe = text and all(c.isalnum() or c in "-_.:/+@%" for c in text)
    return text if safe else "'" + text.replace("'", "'\\''") + "'"


def readme_text(generated: GeneratedInstance) -> str:
    """README.md: parameters, the command that reproduces the files, quotas against the pool."""
    spec = generated.spec
    profile = generated.profile
    count = len(generated.features)
    n = spec.pool_size
    categories = profile.categories[:count]
    lines = [
        f"# Synthetic instance: profile `{spec.profile}`",
        "",
        f"Generated by `sortition generate` (sortition {__version__}); the module docstring of "
        "`sortition/research/generator.py` states every assumption"
        + (
            " (of the tight quota class: `sortition/research/generator_tight.py`)"
            if generated.tight is not None
            else ""
        )
        + ". Same arguments, same bytes.",
        "",
        "## Parameters",
        "",
        f"- profile: `{spec.profile}` ({profile.summary})",
        f"- pool size: {n}",
        f"- panel size: {spec.panel_size}",
        f"- seed: `{spec.seed}`",
        f"- features: {count} ({', '.join(c.name for c in categories)})",
    ]
    if generated.tight is not None:
        lines += tight_readme_lines(generated.tight, generated.features, profile.household_share)
    else:
        lines.append(
            f"- tolerance: {generated.requested_tolerance} seat(s) either side of each target"
            + ("" if spec.tolerance is not None else " (default)")
        )
        if generated.widened:
            lines.append(
                f"- **tolerance widened to {generated.tolerance}**: with tolerance "
                f"{generated.tolerance - 1} no panel met every quota"
                + (" and household rule" if profile.household_share else "")
                + " (checked with `sortition.panel.feasibility.check`), so every quota was "
                "widened by one seat at a time until one did"
            )
        else:
            lines.append(
                "- feasibility: checked with `sortition.panel.feasibility.check`: a panel exists"
            )
    if profile.household_share:
        lines.append(
            f"- households: {generated.household_members} registrants "
            f"({100 * generated.household_members / n:.1f}%) live in {generated.households} "
            "households of 2-4 (same `address`); use `--household-columns address`"
            + (
                f" (household share {profile.household_share:g} requested)"
                if generated.tight is None and spec.household_share is not None
                else ""
            )
        )
    lines += [
        "",
        "Reproduce with:",
        "",
        "```",
        command_line(spec, count, generated.requested_tolerance),
        "```",
        "",
        "## Quotas against the population and the pool",
        "",
        "| feature | value | population share | response propensity | in pool | pool share "
        "| target | min | max |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for axis, (category, feature) in enumerate(zip(categories, generated.features, strict=True)):
        column = generated.pool[category.name]
        for j, (value, quota) in enumerate(zip(feature.values, feature.quotas, strict=True)):
            held = int((column == value).sum())
            propensity = 1.0 if category.propensity is None else category.propensity[j]
            lines.append(
                f"| {feature.name} | {value} | {100 * generated.population_shares[axis][j]:.1f}% "
                f"| {propensity:.2f} | {held} | {100 * held / n:.1f}% "
                f"| {generated.targets[axis][j]} | {quota.min} | {quota.max} |"
            )
    dependent = [f"{c.name} on {c.parent}" for c in categories if c.parent]
    lines += [
        "",
        "Dependencies in the population model: "
        + (", ".join(dependent) if dependent else "none among the chosen features")
        + (
            "; province, gender and age band keep the census joint"
            if profile.root_joint is not None and count >= 2
            else ""
        )
        + ".",
        "",
    ]
    return "\n".join(lines)


def generated_files(generated: GeneratedInstance) -> dict[str, bytes]:
    """pool.csv, quotas.csv and README.md as bytes (UTF-8, \\n line endings)."""
    return {
        "pool.csv": dataframe_to_csv_bytes(generated.pool),
        "quotas.csv": quotas_to_csv_bytes(generated.features),
        "README.md": readme_text(generated).encode("utf-8"),
    }


def write_generated(
    generated: GeneratedInstance, out_dir: str | Path, *, overwrite: bool = False
) -> None:
    """Write the three files into `out_dir` as one result set (all or nothing; an earlier set
    only replaced with `overwrite`)."""
    write_result_set(out_dir, generated_files(generated), overwrite=overwrite)
