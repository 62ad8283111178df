"""Generate the bundled sample instances in ``data/samples/`` (pools, quotas, panel sizes, READMEs).

Run ``python data/samples/make_samples.py`` from anywhere: every output file is rewritten and a
second run produces byte-identical files. The script uses numpy, pandas and the standard library
only; it deliberately does not import the ``sortition`` package, so the samples stay an independent
test of it.

Outputs, one directory per sample (``renca``, ``santiago-region``, ``example_small_20``,
``example_large_200``): ``pool.csv`` (``id``, the contact columns
``first_name,last_name,email,phone,address``, then the feature columns), ``quotas.csv``
(``feature,value,min,max``, integer bounds), ``panel_size.txt`` and a short ``README.md``; plus a
top-level ``README.md`` listing the samples. Files are UTF-8 without BOM with "\\n" line endings and
contain no floating-point numbers except percentages in the READMEs, written with fixed decimals.

Assumptions (everything not read from the census file is assumed, not measured):

1. Census. ``census2017_rm_communes.csv`` (a byte-for-byte copy of the project's shared file, CRLF
   line endings kept; not written by this script) holds the 2017 census population (INE) of the
   52 communes of the Santiago Metropolitan Region (RM) by sex and 5-year age band. Panels are
   drawn from adults (18+). Ages are taken as uniformly spread within a band, so 2/5 of the 15-19
   band (ages 18 and 19) counts as adult. The four panel age bands are
   18-29 = 2/5 x (15-19) + (20-24) + (25-29); 30-44; 45-59; 60+ = (60-64) ... (100+).
   Census sex ``female``/``male`` becomes ``gender`` ``Mujer``/``Hombre``.
2. Renca zones. Renca is split into five neighbourhood zones with assumed population shares
   (``RENCA_ZONE_SHARES``); names are familiar Renca sectors, not official boundaries, and the
   split is an assumption. Zone is drawn independently of the other features.
3. Education is the highest completed level: ``Básica o menos`` (none, primary, or secondary not
   completed), ``Media completa`` (secondary completed, no tertiary degree), ``Técnica`` (technical
   tertiary degree: CFT/IP) and ``Universitaria`` (university degree). Adult population shares are
   assumed (``RENCA_EDUCATION_SHARES``, ``REGION_EDUCATION_SHARES``). Education depends on age band
   through the association pattern ``EDUCATION_BY_AGE`` (older people less often past primary,
   18-29 not yet all graduated); iterative proportional fitting scales it so the population's
   education marginal equals the assumed shares exactly given the census age distribution.
   Education does not depend on commune, zone or gender (a simplification).
4. Indigenous. About 10% of the RM population declared belonging to an indigenous people in the
   2017 census; the pool model uses exactly ``INDIGENOUS_SHARE`` = 10% for adults, independent of
   all other features and with no effect on registering. Indigenous registrants get at least one
   Mapuche surname (the Mapuche are the large majority of the RM's indigenous population).
5. Self-selection. Who registers is skewed: a person's chance of registering is proportional to
   the product of the multipliers ``PROPENSITY_AGE``, ``PROPENSITY_EDUCATION`` and
   ``PROPENSITY_GENDER`` (older, more educated people and, slightly, women register more). These
   are illustrative values in line with the usual finding that volunteers for deliberative
   processes are older and more educated than the population; they are not estimates.
6. Pool draw. Each registrant is drawn independently (with replacement; the population is large)
   from the population cells (commune x gender x age band x education) with probability
   proportional to census adults x P(education | age band) x the three multipliers. The Renca
   pool has 400 registrants (panel 40), the regional pool 3,000 (panel 100).
7. Households. Renca has 30 households (22 pairs and 8 triples), the region 100 (75 pairs and 25
   triples). Members are chosen at random among the drawn registrants; all members copy the
   household-level columns of the first member (``address``, and ``zone`` in Renca or ``commune``
   and ``province`` in the region) and each later member shares the first member's first surname
   with probability 1/2 (a child or sibling; otherwise a partner or flatmate). Everyone else has a
   distinct address.
8. Quotas. For census features (gender, age band, province) the shares are the adult census
   shares of Renca or of the whole RM; for zone, education and indigenous they are the assumed
   shares above. The target for each value is share x k rounded by the largest-remainder method
   (floors first, then +1 to the largest fractional parts, ties to the earlier value), so the
   targets add up to k. Bounds are min = max(0, target - tol) and max = min(k, target + tol) with
   tol = 2 in Renca and, in the region, tol = 3 for targets of at least 10 and 2 below that (so
   small provinces keep a positive minimum). Because the pool is self-selected, several quotas
   bind: the pool's own proportions would break them.
9. Feasibility is asserted for every sample: a simple counting argument (per feature, the sum of
   mins <= k <= the sum of maxes, and each min <= the number of registrants holding the value),
   then a concrete panel of k registrants with at most one per household (address) that meets
   every quota is constructed (greedy fill, then best-improvement swaps) and checked directly.
10. Contact data are fake. Names are common Chilean first names (by gender, a younger and an older
   list) and two surnames (paternal, maternal) drawn with Zipf-like weights; e-mail addresses use
   the reserved ``.example`` top-level domain (RFC 2606), so no message can reach anyone; phones
   are random ``+56 9`` mobile numbers; addresses combine a common street name, a random number and
   the commune. These are personal-data columns: software must never write them to logs.
11. Published examples. ``example_small_20`` and ``example_large_200`` are the synthetic instances
   of Flanigan et al., "Fair algorithms for selecting citizens' assemblies", Nature 596 (2021), as
   described in ``shared/reference/published.md``: rows in the published order (female/liberal,
   then male/conservative, then the single female/conservative), feature values in the published
   English spelling, no households, synthetic contact columns.
12. Randomness. One seed (``SEED``) makes a ``numpy.random.default_rng``; each sample gets its own
   child generator (``spawn``), so samples do not shift when another changes. Only
   ``Generator.random()`` is called (categorical draws by inverse CDF, permutations by sorting
   uniforms), the most stable part of numpy's stream. No global random state, no set iteration.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20170419  # census day, 19 April 2017
HERE = Path(__file__).resolve().parent
CENSUS_CSV = HERE / "census2017_rm_communes.csv"
REGENERATE = "python data/samples/make_samples.py"

CONTACT_COLUMNS = ("first_name", "last_name", "email", "phone", "address")

# --- census mapping ---------------------------------------------------------------------------
AGE_BANDS = ("18-29", "30-44", "45-59", "60+")
ADULT_FRACTION_15_19 = 2 / 5  # ages 18 and 19 out of 15..19, ages uniform within the band
CENSUS_BAND_TO_AGE_BAND: dict[str, tuple[str, float]] = {
    "15-19": ("18-29", ADULT_FRACTION_15_19),
    "20-24": ("18-29", 1.0),
    "25-29": ("18-29", 1.0),
    "30-34": ("30-44", 1.0),
    "35-39": ("30-44", 1.0),
    "40-44": ("30-44", 1.0),
    "45-49": ("45-59", 1.0),
    "50-54": ("45-59", 1.0),
    "55-59": ("45-59", 1.0),
    "60-64": ("60+", 1.0),
    "65-69": ("60+", 1.0),
    "70-74": ("60+", 1.0),
    "75-79": ("60+", 1.0),
    "80-84": ("60+", 1.0),
    "85-89": ("60+", 1.0),
    "90-94": ("60+", 1.0),
    "95-99": ("60+", 1.0),
    "100+": ("60+", 1.0),
}
GENDERS = ("Mujer", "Hombre")
CENSUS_SEX_TO_GENDER = {"female": "Mujer", "male": "Hombre"}
PROVINCES = ("Santiago", "Cordillera", "Chacabuco", "Maipo", "Melipilla", "Talagante")

# --- assumed shares and propensities ----------------------------------------------------------
EDUCATION = ("Básica o menos", "Media completa", "Técnica", "Universitaria")
RENCA_EDUCATION_SHARES = (0.30, 0.42, 0.15, 0.13)
REGION_EDUCATION_SHARES = (0.24, 0.40, 0.14, 0.22)
# Relative association of education level (columns) with age band (rows), before fitting.
EDUCATION_BY_AGE = np.array(
    [
        [0.6, 1.3, 1.0, 1.0],  # 18-29
        [0.7, 1.0, 1.3, 1.3],  # 30-44
        [1.1, 1.0, 1.0, 0.9],  # 45-59
        [2.0, 0.8, 0.6, 0.7],  # 60+
    ]
)
RENCA_ZONES = ("Renca Centro", "Huamachuco", "Lo Velásquez", "Cerro Colorado", "Miraflores")
RENCA_ZONE_SHARES = (0.24, 0.22, 0.20, 0.16, 0.18)
INDIGENOUS = ("Sí", "No")
INDIGENOUS_SHARE = 0.10

PROPENSITY_AGE = {"18-29": 0.6, "30-44": 0.9, "45-59": 1.2, "60+": 1.4}
PROPENSITY_EDUCATION = {
    "Básica o menos": 0.5,
    "Media completa": 0.9,
    "Técnica": 1.2,
    "Universitaria": 1.8,
}
PROPENSITY_GENDER = {"Mujer": 1.1, "Hombre": 1.0}

# --- fake contact data ------------------------------------------------------------------------
FIRST_NAMES: dict[tuple[str, bool], tuple[str, ...]] = {
    ("Mujer", True): (
        "Constanza",
        "Catalina",
        "Javiera",
        "Francisca",
        "Valentina",
        "Camila",
        "Daniela",
        "Fernanda",
        "Carolina",
        "Paula",
        "Macarena",
        "Antonia",
        "Josefa",
        "Isidora",
        "Sofía",
        "Martina",
        "Florencia",
        "Trinidad",
        "Bárbara",
        "Nicole",
        "Tamara",
        "Karen",
        "Romina",
        "Belén",
        "María José",
        "María Paz",
        "Valeria",
        "Gabriela",
        "Natalia",
        "Ignacia",
    ),
    ("Mujer", False): (
        "María",
        "Rosa",
        "Gloria",
        "Margarita",
        "Luisa",
        "Inés",
        "Ana María",
        "Carmen",
        "Teresa",
        "Patricia",
        "Marcela",
        "Verónica",
        "Ximena",
        "Claudia",
        "Sandra",
        "Mónica",
        "Cecilia",
        "Silvia",
        "Juana",
        "Eliana",
        "Sonia",
        "Nelly",
        "Olga",
        "Elena",
        "Raquel",
        "Isabel",
        "Lorena",
        "Pamela",
        "Jacqueline",
        "Angélica",
    ),
    ("Hombre", True): (
        "Benjamín",
        "Vicente",
        "Matías",
        "Sebastián",
        "Nicolás",
        "Diego",
        "Tomás",
        "Joaquín",
        "Ignacio",
        "Felipe",
        "Martín",
        "Agustín",
        "Maximiliano",
        "Cristóbal",
        "Bastián",
        "Javier",
        "Gonzalo",
        "Rodrigo",
        "Cristián",
        "Francisco",
        "Álvaro",
        "Andrés",
        "Fabián",
        "Esteban",
        "Camilo",
        "Alonso",
        "Lucas",
        "Pablo",
        "Daniel",
        "Sergio",
    ),
    ("Hombre", False): (
        "José",
        "Juan",
        "Luis",
        "Carlos",
        "Jorge",
        "Manuel",
        "Pedro",
        "Héctor",
        "Raúl",
        "Patricio",
        "Mauricio",
        "Hernán",
        "Óscar",
        "Ricardo",
        "Fernando",
        "Jaime",
        "Eduardo",
        "Miguel",
        "Ramón",
        "Víctor",
        "Guillermo",
        "Alejandro",
        "Roberto",
        "Marcelo",
        "Juan Carlos",
        "Luis Alberto",
        "Hugo",
        "Nelson",
        "Arturo",
        "Enrique",
    ),
}
YOUNGER_AGE_BANDS = ("18-29", "30-44")
SURNAMES = (
    "González",
    "Muñoz",
    "Rojas",
    "Díaz",
    "Pérez",
    "Soto",
    "Contreras",
    "Silva",
    "Martínez",
    "Sepúlveda",
    "Morales",
    "Rodríguez",
    "López",
    "Fuentes",
    "Hernández",
    "Torres",
    "Araya",
    "Flores",
    "Espinoza",
    "Valenzuela",
    "Castillo",
    "Tapia",
    "Reyes",
    "Gutiérrez",
    "Castro",
    "Pizarro",
    "Álvarez",
    "Vásquez",
    "Sánchez",
    "Fernández",
    "Ramírez",
    "Carrasco",
    "Gómez",
    "Cortés",
    "Herrera",
    "Núñez",
    "Jara",
    "Vergara",
    "Rivera",
    "Figueroa",
    "Riquelme",
    "García",
    "Miranda",
    "Bravo",
    "Vera",
    "Molina",
    "Vega",
    "Campos",
    "Sandoval",
    "Orellana",
    "Cárdenas",
    "Olivares",
    "Alarcón",
    "Gallardo",
    "Ortiz",
    "Garrido",
    "Salazar",
    "Guzmán",
    "Henríquez",
    "Saavedra",
)
SURNAME_WEIGHTS = 1.0 / (np.arange(len(SURNAMES)) + 8.0)  # Zipf-like: González most common
MAPUCHE_SURNAMES = (
    "Huenchullán",
    "Millapán",
    "Painemal",
    "Catrileo",
    "Ñancupil",
    "Huaiquimil",
    "Curihuinca",
    "Llancaqueo",
    "Quilaqueo",
    "Antileo",
    "Marileo",
    "Cayupán",
    "Lincoqueo",
    "Calfucura",
    "Huenumán",
    "Nahuelpán",
    "Paillalef",
    "Cheuquepán",
    "Millaqueo",
    "Coñuecar",
)
STREETS = (
    "Avenida Bernardo O'Higgins",
    "Calle Arturo Prat",
    "Pasaje Los Aromos",
    "Calle Las Acacias",
    "Avenida Manuel Rodríguez",
    "Calle Los Carrera",
    "Pasaje Gabriela Mistral",
    "Calle Pablo Neruda",
    "Pasaje Violeta Parra",
    "Calle San Martín",
    "Calle Balmaceda",
    "Avenida Independencia",
    "Pasaje Los Olmos",
    "Calle Los Boldos",
    "Pasaje Las Araucarias",
    "Calle El Roble",
    "Pasaje Los Quillayes",
    "Calle Lautaro",
    "Calle Caupolicán",
    "Pasaje Colo Colo",
    "Calle Galvarino",
    "Calle Esmeralda",
    "Calle Almirante Latorre",
    "Avenida Los Libertadores",
    "Pasaje Los Peumos",
    "Calle Los Maitenes",
    "Pasaje Las Camelias",
    "Calle Santa Rosa",
    "Avenida Salvador Allende",
    "Calle Diego Portales",
    "Pasaje El Litre",
    "Calle Los Alerces",
    "Pasaje Río Maipo",
    "Calle Río Bueno",
    "Calle Chacabuco",
    "Pasaje Rancagua",
    "Calle Yungay",
    "Calle Janequeo",
    "Pasaje Los Copihues",
    "Calle Manuel Montt",
    "Avenida José Miguel Carrera",
    "Calle Teniente Merino",
)
EMAIL_DOMAINS = ("gmail.example", "hotmail.example", "outlook.example", "yahoo.example")
EMAIL_DOMAIN_WEIGHTS = (0.50, 0.25, 0.15, 0.10)


@dataclass(frozen=True)
class QuotaRow:
    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    about: str  # README paragraph(s) describing the sample
    panel_size: int
    pool: pd.DataFrame  # id, contact columns, extra columns, feature columns
    features: tuple[str, ...]
    quotas: tuple[QuotaRow, ...]


# --- random helpers (only Generator.random() is used) -----------------------------------------
def categorical(
    rng: np.random.Generator, weights: Sequence[float] | np.ndarray, size: int
) -> np.ndarray:
    """Indices drawn with probability proportional to `weights`, by inverse CDF."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    cdf /= cdf[-1]
    idx = np.searchsorted(cdf, rng.random(size), side="right")
    return np.minimum(idx, len(cdf) - 1).astype(np.int64)


def pick(
    rng: np.random.Generator,
    options: Sequence[str],
    weights: Sequence[float] | np.ndarray | None = None,
) -> str:
    """One element of `options` (uniform unless weighted)."""
    if weights is None:
        return options[int(rng.random() * len(options))]
    return options[int(categorical(rng, weights, 1)[0])]


def uniform_int(rng: np.random.Generator, low: int, high: int) -> int:
    """An integer in [low, high]."""
    return low + int(rng.random() * (high - low + 1))


def permutation(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.argsort(rng.random(n), kind="stable")


# --- census -----------------------------------------------------------------------------------
def adult_population(census: pd.DataFrame) -> pd.DataFrame:
    """Adults per commune, gender and panel age band (float: the 15-19 band is split)."""
    rows = census[census["age_band"].isin(list(CENSUS_BAND_TO_AGE_BAND))].copy()
    rows["gender"] = rows["sex"].map(CENSUS_SEX_TO_GENDER)
    rows["band"] = rows["age_band"].map(lambda b: CENSUS_BAND_TO_AGE_BAND[b][0])
    rows["adults"] = rows["population"] * rows["age_band"].map(
        lambda b: CENSUS_BAND_TO_AGE_BAND[b][1]
    )
    table = (
        rows.groupby(["commune_code", "commune", "province", "gender", "band"], sort=False)[
            "adults"
        ]
        .sum()
        .reset_index()
        .rename(columns={"band": "age_band"})
    )
    table["g_order"] = table["gender"].map(GENDERS.index)
    table["a_order"] = table["age_band"].map(AGE_BANDS.index)
    table = table.sort_values(["commune_code", "g_order", "a_order"], kind="stable")
    return table.drop(columns=["g_order", "a_order"]).reset_index(drop=True)


def shares(table: pd.DataFrame, column: str, values: Sequence[str]) -> np.ndarray:
    totals = table.groupby(column, sort=False)["adults"].sum()
    vec = np.array([float(totals[v]) for v in values])
    return vec / vec.sum()


def education_given_age(age_weights: np.ndarray, education_shares: Sequence[float]) -> np.ndarray:
    """P(education | age band): EDUCATION_BY_AGE fitted (IPF) to both marginals."""
    age = np.asarray(age_weights, dtype=np.float64) / np.sum(age_weights)
    edu = np.asarray(education_shares, dtype=np.float64)
    joint = EDUCATION_BY_AGE * age[:, None]
    for _ in range(500):
        joint *= (age / joint.sum(axis=1))[:, None]
        joint *= (edu / joint.sum(axis=0))[None, :]
    assert np.abs(joint.sum(axis=1) - age).max() < 1e-12, "IPF did not converge"
    return joint / joint.sum(axis=1, keepdims=True)


# --- quotas -----------------------------------------------------------------------------------
def largest_remainder(fractions: Sequence[float] | np.ndarray, k: int) -> list[int]:
    """Integers adding up to k, proportional to `fractions` (Hamilton / largest remainder)."""
    exact = np.asarray(fractions, dtype=np.float64) / np.sum(fractions) * k
    base = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: k - int(base.sum())]] += 1
    return [int(x) for x in base]


def make_quotas(
    feature: str,
    values: Sequence[str],
    fractions: Sequence[float] | np.ndarray,
    k: int,
    tolerance: Callable[[int], int],
) -> list[QuotaRow]:
    targets = largest_remainder(fractions, k)
    rows = [
        QuotaRow(feature, v, max(0, t - tolerance(t)), min(k, t + tolerance(t)))
        for v, t in zip(values, targets, strict=True)
    ]
    assert sum(r.min for r in rows) <= k <= sum(r.max for r in rows)
    return rows


# --- pools ------------------------------------------------------------------------------------
def draw_cells(
    rng: np.random.Generator, adults: pd.DataFrame, education_shares: Sequence[float], n: int
) -> pd.DataFrame:
    """n registrants from commune x gender x age band x education cells, propensity-weighted."""
    age_weights = np.array([adults.loc[adults["age_band"] == a, "adults"].sum() for a in AGE_BANDS])
    p_edu = education_given_age(age_weights, education_shares)
    cell_rows: list[int] = []
    cell_edu: list[int] = []
    weights: list[float] = []
    for i, row in enumerate(adults.itertuples(index=False)):
        a = AGE_BANDS.index(row.age_band)
        for e, level in enumerate(EDUCATION):
            cell_rows.append(i)
            cell_edu.append(e)
            weights.append(
                float(row.adults)
                * p_edu[a, e]
                * PROPENSITY_AGE[row.age_band]
                * PROPENSITY_EDUCATION[level]
                * PROPENSITY_GENDER[row.gender]
            )
    drawn = categorical(rng, weights, n)
    people = adults.iloc[[cell_rows[c] for c in drawn]].reset_index(drop=True)
    people = people[["commune", "province", "gender", "age_band"]].copy()
    people["education"] = [EDUCATION[cell_edu[c]] for c in drawn]
    return people


def assign_households(
    rng: np.random.Generator, n: int, pairs: int, triples: int
) -> list[list[int]]:
    """Disjoint random households (lists of row indices, first = the member others copy)."""
    order = permutation(rng, n).tolist()
    sizes = [2] * pairs + [3] * triples
    households: list[list[int]] = []
    cursor = 0
    for size in sizes:
        households.append(order[cursor : cursor + size])
        cursor += size
    return households


def ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def make_contacts(
    rng: np.random.Generator,
    people: pd.DataFrame,
    communes: Sequence[str],
    households: list[list[int]],
    indigenous: Sequence[bool] | None = None,
) -> pd.DataFrame:
    """Fake first_name, last_name, email, phone, address for each row of `people`.

    `people` needs columns gender (Mujer/Hombre) and age_band; household members share the
    address of their household's first member and, with probability 1/2, its first surname.
    """
    n = len(people)
    head_of = list(range(n))
    for members in households:
        for m in members[1:]:
            head_of[m] = members[0]
    # Heads before the members who copy from them.
    order = sorted(range(n), key=lambda i: (head_of[i] != i, i))
    first = [""] * n
    last = [""] * n
    email = [""] * n
    phone = [""] * n
    address = [""] * n
    used_email: set[str] = set()
    used_phone: set[str] = set()
    used_address: set[str] = set()
    genders = people["gender"].tolist()
    bands = people["age_band"].tolist()
    for i in order:
        first[i] = pick(rng, FIRST_NAMES[(genders[i], bands[i] in YOUNGER_AGE_BANDS)])
        paternal = pick(rng, SURNAMES, SURNAME_WEIGHTS)
        maternal = pick(rng, SURNAMES, SURNAME_WEIGHTS)
        if indigenous is not None and indigenous[i]:
            which = uniform_int(rng, 0, 2)  # 0: paternal, 1: maternal, 2: both Mapuche
            if which in (0, 2):
                paternal = pick(rng, MAPUCHE_SURNAMES)
            if which in (1, 2):
                maternal = pick(rng, MAPUCHE_SURNAMES)
        if head_of[i] != i and rng.random() < 0.5:
            paternal = last[head_of[i]].split(" ")[0]
        last[i] = f"{paternal} {maternal}"

        given = ascii_slug(first[i])
        pat = ascii_slug(paternal)
        style = uniform_int(rng, 0, 3)
        if style == 0:
            local = f"{given}.{pat}"
        elif style == 1:
            local = f"{given}.{pat}{uniform_int(rng, 10, 99)}"
        elif style == 2:
            local = f"{given[0]}{pat}{ascii_slug(maternal)[0]}"
        else:
            local = f"{given}_{pat}{uniform_int(rng, 60, 99)}"
        domain = pick(rng, EMAIL_DOMAINS, EMAIL_DOMAIN_WEIGHTS)
        candidate = f"{local}@{domain}"
        suffix = 2
        while candidate in used_email:
            candidate = f"{local}{suffix}@{domain}"
            suffix += 1
        used_email.add(candidate)
        email[i] = candidate

        while True:
            digits = f"{uniform_int(rng, 3, 9)}{uniform_int(rng, 0, 9_999_999):07d}"
            candidate = f"+56 9 {digits[:4]} {digits[4:]}"
            if candidate not in used_phone:
                break
        used_phone.add(candidate)
        phone[i] = candidate

        if head_of[i] != i:
            address[i] = address[head_of[i]]
            continue
        while True:
            street = pick(rng, STREETS)
            number = uniform_int(rng, 10, 3999)
            unit = ""
            if street.startswith("Avenida") and rng.random() < 0.4:
                unit = f", depto {uniform_int(rng, 1, 20)}{uniform_int(rng, 1, 8):02d}"
            candidate = f"{street} {number}{unit}, {communes[i]}"
            if candidate not in used_address:
                break
        used_address.add(candidate)
        address[i] = candidate
    return pd.DataFrame(
        {"first_name": first, "last_name": last, "email": email, "phone": phone, "address": address}
    )


def assemble_pool(
    id_prefix: str, width: int, contacts: pd.DataFrame, columns: pd.DataFrame
) -> pd.DataFrame:
    ids = [f"{id_prefix}{i:0{width}d}" for i in range(1, len(columns) + 1)]
    pool = pd.concat([contacts.reset_index(drop=True), columns.reset_index(drop=True)], axis=1)
    pool.insert(0, "id", ids)
    return pool


def composition(pool: pd.DataFrame, quotas: Sequence[QuotaRow]) -> str:
    """A markdown table: quota bounds next to the pool's own counts and shares."""
    lines = [
        "| feature | value | min | max | in pool | pool share |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for q in quotas:
        count = int((pool[q.feature] == q.value).sum())
        lines.append(
            f"| {q.feature} | {q.value} | {q.min} | {q.max} | {count} | "
            f"{100 * count / len(pool):.1f}% |"
        )
    return "\n".join(lines)


# --- samples ----------------------------------------------------------------------------------
def build_renca(rng: np.random.Generator, adults_rm: pd.DataFrame) -> Sample:
    k, n = 40, 400
    adults = adults_rm[adults_rm["commune"] == "Renca"].reset_index(drop=True)
    people = draw_cells(rng, adults, RENCA_EDUCATION_SHARES, n)
    people["zone"] = [RENCA_ZONES[z] for z in categorical(rng, RENCA_ZONE_SHARES, n)]
    households = assign_households(rng, n, pairs=22, triples=8)
    for members in households:
        people.loc[members[1:], "zone"] = people.at[members[0], "zone"]
    contacts = make_contacts(rng, people, people["commune"].tolist(), households)
    features = ("gender", "age_band", "zone", "education")
    pool = assemble_pool("R", 4, contacts, people[list(features)])

    def tolerance(_: int) -> int:
        return 2

    quotas = (
        make_quotas("gender", GENDERS, shares(adults, "gender", GENDERS), k, tolerance)
        + make_quotas("age_band", AGE_BANDS, shares(adults, "age_band", AGE_BANDS), k, tolerance)
        + make_quotas("zone", RENCA_ZONES, RENCA_ZONE_SHARES, k, tolerance)
        + make_quotas("education", EDUCATION, RENCA_EDUCATION_SHARES, k, tolerance)
    )
    about = (
        "Municipal pool for a citizens' assembly of Renca (Santiago, Chile; 147,151 inhabitants "
        f"in the 2017 census): {n} registrants, panel of {k}. Features gender, age band, zone "
        "(five neighbourhood zones; the zone split is assumed) and education. Registration is "
        "self-selected (older, more educated people and women register more), so several quotas "
        f"bind. {sum(len(h) for h in households)} registrants live in {len(households)} shared "
        "households (same address and zone): at most one per household may sit on a panel.\n\n"
        "Gender and age-band quotas follow Renca's adult census shares (ages 18-19 taken as 2/5 "
        "of the 15-19 band); zone and education quotas follow assumed shares; each target is "
        "rounded by largest remainder and widened by 2 either side.\n\n"
        "`population.csv` lists Renca's adults by gender and by age band (the same census "
        "figures, rounded), for `sortition select --correct-self-selection`; zone and education "
        "have no census figures here, so the correction leaves them alone."
    )
    return Sample("renca", "Renca municipal assembly", about, k, pool, features, tuple(quotas))


def build_region(rng: np.random.Generator, adults_rm: pd.DataFrame) -> Sample:
    k, n = 100, 3000
    people = draw_cells(rng, adults_rm, REGION_EDUCATION_SHARES, n)
    is_indigenous = rng.random(n) < INDIGENOUS_SHARE
    people["indigenous"] = [INDIGENOUS[0] if x else INDIGENOUS[1] for x in is_indigenous]
    households = assign_households(rng, n, pairs=75, triples=25)
    for members in households:
        for column in ("commune", "province"):
            people.loc[members[1:], column] = people.at[members[0], column]
    contacts = make_contacts(
        rng, people, people["commune"].tolist(), households, indigenous=is_indigenous.tolist()
    )
    features = ("province", "gender", "age_band", "education", "indigenous")
    pool = assemble_pool("S", 5, contacts, people[["commune", *features]])

    def tolerance(target: int) -> int:
        return 3 if target >= 10 else 2

    quotas = (
        make_quotas("province", PROVINCES, shares(adults_rm, "province", PROVINCES), k, tolerance)
        + make_quotas("gender", GENDERS, shares(adults_rm, "gender", GENDERS), k, tolerance)
        + make_quotas("age_band", AGE_BANDS, shares(adults_rm, "age_band", AGE_BANDS), k, tolerance)
        + make_quotas("education", EDUCATION, REGION_EDUCATION_SHARES, k, tolerance)
        + make_quotas(
            "indigenous", INDIGENOUS, (INDIGENOUS_SHARE, 1 - INDIGENOUS_SHARE), k, tolerance
        )
    )
    about = (
        "Regional pool for a citizens' assembly of Chile's Santiago Metropolitan Region "
        f"(7,112,808 inhabitants in 52 communes and 6 provinces, 2017 census): {n} registrants "
        f"from all communes, panel of {k}. Features province, gender, age band, education and "
        "indigenous (Sí/No); the `commune` column is informative, not a quota feature. "
        "Registration is self-selected (older, more educated people and women register more), "
        f"so several quotas bind. {sum(len(h) for h in households)} registrants live in "
        f"{len(households)} shared households (same address, commune and province): at most one "
        "per household may sit on a panel.\n\n"
        "Province, gender and age-band quotas follow the region's adult census shares (ages "
        "18-19 taken as 2/5 of the 15-19 band); education and indigenous (10%) quotas follow "
        "assumed shares; each target is rounded by largest remainder and widened by 3 either "
        "side (by 2 for targets below 10)."
    )
    return Sample(
        "santiago-region",
        "Santiago Metropolitan Region assembly",
        about,
        k,
        pool,
        features,
        tuple(quotas),
    )


def build_example(
    rng: np.random.Generator,
    communes_rm: Sequence[str],
    name: str,
    k: int,
    liberal_women: int,
    conservative_men: int,
    conservative_women: int,
    quota_min: int,
    figures: str,
) -> Sample:
    gender = (
        ["female"] * liberal_women + ["male"] * conservative_men + ["female"] * conservative_women
    )
    leaning = (
        ["liberal"] * liberal_women
        + ["conservative"] * conservative_men
        + ["conservative"] * conservative_women
    )
    n = len(gender)
    columns = pd.DataFrame({"gender": gender, "leaning": leaning})
    # Synthetic contacts: Spanish names matching gender, an age band only to choose the name
    # list, a random commune of the region for the address.
    name_people = pd.DataFrame(
        {
            "gender": [CENSUS_SEX_TO_GENDER[g] for g in gender],
            "age_band": [AGE_BANDS[a] for a in categorical(rng, [1, 1, 1, 1], n)],
        }
    )
    communes = [communes_rm[c] for c in categorical(rng, [1] * len(communes_rm), n)]
    contacts = make_contacts(rng, name_people, communes, households=[])
    pool = assemble_pool("P", len(str(n)), contacts, columns)
    quotas = tuple(
        QuotaRow(f, v, quota_min, k)
        for f, values in (("gender", ("female", "male")), ("leaning", ("liberal", "conservative")))
        for v in values
    )
    about = (
        'Synthetic instance published by Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair '
        "algorithms for selecting citizens' assemblies\", Nature 596 (2021): "
        f"k = {k}; pool of {n}: {liberal_women} female/liberal, {conservative_men} "
        f"male/conservative, {conservative_women} female/conservative; features gender "
        f"{{female, male}} and leaning {{liberal, conservative}}; every value min {quota_min}, "
        f"max {k}. Rows are in that published order; there are no households; the contact "
        f"columns are synthetic.\n\n{figures}"
    )
    return Sample(name, "Published example instance", about, k, pool, ("gender", "leaning"), quotas)


# --- feasibility ------------------------------------------------------------------------------
def households_by_address(pool: pd.DataFrame) -> np.ndarray:
    """Household label per row: index of the first row with the same address."""
    first_row: dict[str, int] = {}
    return np.array(
        [first_row.setdefault(a, i) for i, a in enumerate(pool["address"])], dtype=np.int64
    )


def check_counting_argument(sample: Sample) -> None:
    k = sample.panel_size
    for feature in sample.features:
        rows = [q for q in sample.quotas if q.feature == feature]
        assert sum(q.min for q in rows) <= k <= sum(q.max for q in rows), feature
        for q in rows:
            assert q.min <= int((sample.pool[feature] == q.value).sum()), (feature, q.value)
            assert 0 <= q.min <= q.max, (feature, q.value)


def find_panel(sample: Sample) -> np.ndarray:
    """Row indices of k registrants, at most one per household, meeting every quota."""
    k = sample.panel_size
    household = households_by_address(sample.pool)
    eligible = np.flatnonzero(household == np.arange(len(household)))  # one per household
    codes = []
    lo: list[int] = []
    hi: list[int] = []
    offset = 0
    for feature in sample.features:
        rows = [q for q in sample.quotas if q.feature == feature]
        index = {q.value: j for j, q in enumerate(rows)}
        codes.append(np.array([offset + index[v] for v in sample.pool[feature]], dtype=np.int64))
        lo += [q.min for q in rows]
        hi += [q.max for q in rows]
        offset += len(rows)
    code_matrix = np.stack(codes, axis=1)[eligible]
    profiles, inverse, capacity = np.unique(
        code_matrix, axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    incidence = np.zeros((offset, len(profiles)), dtype=np.int64)
    for f in range(profiles.shape[1]):
        incidence[profiles[:, f], np.arange(len(profiles))] = 1
    low, high = np.array(lo), np.array(hi)

    def violation(counts: np.ndarray) -> np.ndarray:
        return np.maximum(low[:, None] - counts, 0).sum(axis=0) + np.maximum(
            counts - high[:, None], 0
        ).sum(axis=0)

    chosen = np.zeros(len(profiles), dtype=np.int64)
    for _ in range(k):  # greedy: fewest quotas pushed over max, then most unmet minimums served
        counts = incidence @ chosen
        gain = (counts < low).astype(np.int64) @ incidence
        overflow = (counts >= high).astype(np.int64) @ incidence
        score = gain - (offset + 1) * overflow
        score[chosen >= capacity] = np.iinfo(np.int64).min
        chosen[int(np.argmax(score))] += 1
    for _ in range(10 * k):  # best-improvement swaps of one member for another
        counts = incidence @ chosen
        current = int(violation(counts[:, None])[0])
        if current == 0:
            break
        best = (current, -1, -1)
        for out in np.flatnonzero(chosen > 0):
            after = violation((counts - incidence[:, out])[:, None] + incidence)
            after[chosen >= capacity] = np.iinfo(np.int64).max
            t_in = int(np.argmin(after))
            if after[t_in] < best[0]:
                best = (int(after[t_in]), int(out), t_in)
        if best[1] < 0:
            break
        chosen[best[1]] -= 1
        chosen[best[2]] += 1
    assert int(violation((incidence @ chosen)[:, None])[0]) == 0, f"{sample.name}: no panel found"
    panel = np.concatenate([eligible[inverse == t][: chosen[t]] for t in range(len(profiles))])
    return np.sort(panel)


def check_panel(sample: Sample, panel: np.ndarray) -> None:
    """Direct check, independent of the search: size, distinct, quotas, one per household."""
    assert len(panel) == sample.panel_size == len(np.unique(panel))
    members = sample.pool.iloc[panel]
    assert members["address"].is_unique, "two panel members share a household"
    for q in sample.quotas:
        count = int((members[q.feature] == q.value).sum())
        assert q.min <= count <= q.max, (sample.name, q)


def uniform_success_rate(rng: np.random.Generator, sample: Sample, trials: int) -> float:
    """Share of uniformly random k-subsets of the pool that meet every quota (ignoring
    households): low values show that the quotas bind."""
    k = sample.panel_size
    n = len(sample.pool)
    value_cols = [sample.pool[q.feature].to_numpy() == q.value for q in sample.quotas]
    hits = 0
    for _ in range(trials):
        panel = permutation(rng, n)[:k]
        hits += all(
            q.min <= int(col[panel].sum()) <= q.max
            for q, col in zip(sample.quotas, value_cols, strict=True)
        )
    return hits / trials


# --- output -----------------------------------------------------------------------------------
def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_sample(sample: Sample, success_rate: float, trials: int) -> None:
    folder = HERE / sample.name
    folder.mkdir(exist_ok=True)
    pool = sample.pool
    write_csv(folder / "pool.csv", list(pool.columns), pool.itertuples(index=False, name=None))
    write_csv(
        folder / "quotas.csv",
        ["feature", "value", "min", "max"],
        [(q.feature, q.value, q.min, q.max) for q in sample.quotas],
    )
    write_text(folder / "panel_size.txt", f"{sample.panel_size}\n")
    readme = (
        f"# {sample.title} (`{sample.name}`)\n\n"
        f"{sample.about}\n\n"
        f"- Panel size: {sample.panel_size} (`panel_size.txt`)\n"
        f"- Pool: {len(pool)} registrants (`pool.csv`); ids {pool['id'].iloc[0]}.."
        f"{pool['id'].iloc[-1]}\n"
        f"- Quotas: `quotas.csv` (feature, value, min, max)\n"
        "- Contact columns `first_name, last_name, email, phone, address` are fake personal data "
        "(e-mails use the reserved `.example` domain); they must never reach logs.\n"
        f"- A uniformly random panel from this pool meets all quotas in {100 * success_rate:.1f}% "
        f"of {trials} trials (households ignored).\n\n"
        "## Quotas and pool composition\n\n"
        f"{composition(pool, sample.quotas)}\n\n"
        "## How it was made\n\n"
        "Generated by `make_samples.py` (its docstring lists every assumption) from a fixed seed; "
        "a concrete panel meeting all quotas with at most one member per household is constructed "
        "and checked when generating. Regenerate (byte-identical) from the repository root with\n\n"
        f"```\n{REGENERATE}\n```\n"
    )
    write_text(folder / "README.md", readme)


def write_population(folder: Path, adults: pd.DataFrame) -> None:
    """Adults by gender and by age band (rounded), the population table of
    `--correct-self-selection`."""
    rows: list[tuple[object, ...]] = []
    for column, values in (("gender", GENDERS), ("age_band", AGE_BANDS)):
        totals = adults.groupby(column, sort=False)["adults"].sum()
        rows += [(column, value, round(float(totals[value]))) for value in values]
    write_csv(folder / "population.csv", ["feature", "value", "population"], rows)


def write_index(samples: Sequence[Sample]) -> None:
    lines = [
        "# Sample instances\n",
        "Bundled pools, quotas and panel sizes for trying and testing the engine. Every file here "
        "except `census2017_rm_communes.csv` (2017 census, INE: population by commune, sex and "
        f"5-year age band in the Santiago Metropolitan Region) is generated by `{REGENERATE}`; the "
        "script's docstring states every assumption. Contact columns are fake personal data and "
        "must never reach logs.\n",
        "| sample | registrants | panel size | features |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| [{s.name}]({s.name}/README.md) | {len(s.pool)} | {s.panel_size} | "
        f"{', '.join(s.features)} |"
        for s in samples
    ]
    write_text(HERE / "README.md", "\n".join(lines) + "\n")


def main() -> None:
    census = pd.read_csv(CENSUS_CSV, encoding="utf-8")
    assert len(census) == 52 * 2 * 21 and census["commune"].nunique() == 52
    assert int(census["population"].sum()) == 7_112_808
    adults = adult_population(census)
    communes = tuple(dict.fromkeys(adults["commune"]))  # in commune-code order
    rng = np.random.default_rng(SEED)
    renca_rng, region_rng, small_rng, large_rng, check_rng = rng.spawn(5)
    samples = [
        build_renca(renca_rng, adults),
        build_region(region_rng, adults),
        build_example(
            small_rng,
            communes,
            "example_small_20",
            20,
            99,
            100,
            1,
            9,
            "Published figures (Gurobi reference): LEGACY minimum selection "
            "probability <= 1.21% (99% upper confidence bound), LEXIMIN minimum "
            "10.0%.",
        ),
        build_example(
            large_rng,
            communes,
            "example_large_200",
            200,
            999,
            1000,
            1,
            99,
            "Published figures (Gurobi reference): LEGACY minimum selection "
            "probability <= 0.25% (99% upper confidence bound), LEXIMIN minimum "
            "10.0%.",
        ),
    ]
    trials = 2000
    for sample in samples:
        assert sample.pool["id"].is_unique
        check_counting_argument(sample)
        panel = find_panel(sample)
        check_panel(sample, panel)
        rate = uniform_success_rate(check_rng, sample, trials)
        write_sample(sample, rate, trials)
        households = len(sample.pool) - sample.pool["address"].nunique()
        print(
            f"{sample.name}: {len(sample.pool)} registrants, k={sample.panel_size}, "
            f"{households} registrants share an address with an earlier one, "
            f"feasible (panel found), uniform draw meets quotas {100 * rate:.1f}%"
        )
    write_population(HERE / "renca", adults[adults["commune"] == "Renca"])
    write_index(samples)


if __name__ == "__main__":
    main()
