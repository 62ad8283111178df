"""Population profiles of `sortition generate` and the spec of one generated instance.

Why: the profiles (uk, chile, skewed, households) are data plus the census reading that builds
them; keeping them apart from the sampling (`generator_population`), the quotas
(`generator_quotas`) and the files (`generator_files`) lets each be read alone. The module
docstring of `sortition.research.generator` states what every profile assumes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sortition.errors import InputError, UsageError
from sortition.inputs.census.counts import BUNDLED_CENSUS
from sortition.text import quoted, quoted_path

PROFILES = ("uk", "chile", "skewed", "households")
MAX_FEATURES = 8
CENSUS_CSV = BUNDLED_CENSUS  # inside the package, so the chile profiles work when installed
HOUSEHOLD_SHARE = 0.30


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
            f"cannot read the census file {quoted_path(str(path))}: {exc.strerror or exc}",
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


CL_STREETS = (
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
UK_STREETS = (
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


def get_profile(
    name: str, census_path: str | Path | None = None, household_share: float | None = None
) -> Profile:
    """The named profile (described in `sortition.research.generator`); `household_share`
    overrides its own."""
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
            streets=UK_STREETS,
        )
    if name in ("chile", "households"):
        path = Path(census_path) if census_path is not None else CENSUS_CSV
        if household_share is None:
            household_share = HOUSEHOLD_SHARE if name == "households" else 0.0
        return _chile_profile(name, path, household_share)
    raise UsageError(f"unknown profile {quoted(name)}", hint=f"choose one of {', '.join(PROFILES)}")
