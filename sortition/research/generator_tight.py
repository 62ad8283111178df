"""The tight-quota class of `sortition generate` (``--quotas tight``): census-exact quotas.

Why: real organizers fix a panel's composition to the census almost exactly (gender 10/10, each
age band exact), with 7-8 categories, from self-selected pools in which education, age and
attitude go together and many volunteers share a household. Such pools are much harder for the
fair algorithms than the loose (target -/+ 1-2 seats) quotas of the default class, so benchmarks
need them. Everything here is deterministic in the `GeneratorSpec` (one seeded Generator from
`generator_from_seed`), usable with every profile of `sortition.research.generator`.

Quotas. For each category the k seats are shared out by the population shares (largest
remainder, `sortition.inputs.census.largest_remainder`): target t. Every quota is bounded by
[floor(k*share), ceil(k*share)] (so min == max whenever k*share is whole), and whole categories
are exact (min == max == t): gender and age_band always (when among the chosen features: the two
categories a census states most reliably), then further categories in the order education, then
the rest in profile order, until at least a quarter of all quota rows have min == max, counting
the rows whose k*share is whole (uk with 7 or 8 features: gender, age_band and education;
chile/households with 7 features and k = 40: gender and age_band, 11 of 26 rows). The instance
is checked with `sortition.panel.feasibility.check` (households included). A minimum above the
number of registrants who hold the value is lowered to that number from the start (no panel could
reach it). If then no panel exists the quotas are loosened, one step at a time, until one does:
first the exact categories are un-fixed to floor/ceil, the last chosen first; then every
category is widened by one more seat either side of floor/ceil (1, 2, ... seats, clipped to
0..k). README.md lists the steps taken.

Self-selection with a latent engagement. Every member of the population has an engagement
e ~ Normal(0, 1), independent of their categories, and registers at the relative rate

    r(c, e) = b(c) * exp(LAMBDA * e * u(c)),        LAMBDA = 1.7,

where c is their cell (their values of the chosen categories), b(c) the profile's own response
propensity (the product of the multipliers of c's values, scaled to at most 1) and u(c) the
cell's engagement score minus its population mean. The score is a sum over the categories
present: age_band and education (weight 1 each, rising linearly from 0 for the first value to 1
for the last: the old and the educated), employment (weight 0.5; employed 0.5, unemployed 0,
retired 1, student or other inactive 0.25) and marital_status (weight 0.5; never married 0,
married 1, the other two 0.5). Engagement amplifies a profile: an engaged person (e > 0)
registers the more readily the higher their cell's score, a disengaged one the lower it is, so
the pool gathers two coherent kinds of volunteers instead of a blend.

Integrating e out (the normal moment generating function) gives each cell's registration chance, up
to a constant, as b(c) * exp(LAMBDA^2 * u(c)^2 / 2) (`registration_chances`); registrants are drawn
from the population times that chance, independently, by inverse CDF with one uniform per
registrant: exactly the registrants' distribution under the model, without simulating the candidates
who do not register (among registrants e | c ~ Normal(LAMBDA * u(c), 1), which nothing further
needs, so e is not drawn). Because the logarithm of the chance is quadratic in the score, its cross
terms reward the combination (old AND educated, retired AND educated) beyond the sum of its parts:
within the pool education, age, employment and marital status are far more strongly associated than
in the population (in the uk population with 8 features older people hold fewer degrees, correlation
of the age and education ranks -0.26; in the tight pool +0.35, 72% of the 65+ hold a degree against
20% in the population and 14% of the 18-24s), while together with b(c) the pool still
over-represents the old and educated (65+: 44% against 23%; degree: 59% against 34%). In the loose
class the chance is b(c) alone, a product of per-value multipliers, which leaves the population's
associations (as odds ratios) unchanged.

Households. A share s of registrants (the profile's own, or `--household-share`, 0 to 0.9) live
in households of 2-4 (sizes 2, 3, 4 weighted 0.5, 0.3, 0.2, as in the loose class). Households
are formed by matching, so every registrant keeps a whole, consistent drawn profile: registrants
are visited in a random order; the next one not yet placed heads a household; each further
member is the next unplaced registrant who, with probability 0.6, holds the head's education
level and, for the second member (the head's partner) with probability 0.8, is at most one age
band older or younger than the head (when those categories are among the features; if nobody
unplaced qualifies, the next unplaced registrant). Members then copy the head's household-level
categories (province; region and urban_rural for uk) as in the loose class.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from sortition.errors import InfeasibleQuotas
from sortition.inputs.census import largest_remainder
from sortition.instance import NO_HOUSEHOLD, Feature, Quota

if TYPE_CHECKING:
    from sortition.research.generator_profiles import Category

QUOTA_CLASSES = ("loose", "tight")
MAX_HOUSEHOLD_SHARE = 0.9

# Quotas
EXACT_ALWAYS = ("gender", "age_band")
EXACT_NEXT = ("education",)  # then the remaining categories in profile order
MIN_EXACT_SHARE = 0.25  # of all quota rows have min == max

# Engagement (see the module docstring)
LAMBDA = 1.7
# category name -> (weight, score per value; None: linear 0..1 in value order)
ENGAGEMENT_SCORES: dict[str, tuple[float, tuple[float, ...] | None]] = {
    "age_band": (1.0, None),
    "education": (1.0, None),
    "employment": (0.5, (0.5, 0.0, 1.0, 0.25)),
    "marital_status": (0.5, (0.0, 1.0, 0.5, 0.5)),
}

# Households
HOUSEHOLD_SIZES = (2, 3, 4)
HOUSEHOLD_SIZE_WEIGHTS = (0.5, 0.3, 0.2)
LIKE_EDUCATION = 0.6  # chance that a member is matched on the head's education
CLOSE_AGE = 0.8  # chance that the head's partner is matched within one age band


# ---------------------------------------------------------------------------------------------
# Self-selection


def _per_cell(
    categories: Sequence[Category],
    shape: tuple[int, ...],
    axis_values: Callable[[Category], np.ndarray | None],
) -> np.ndarray:
    """Sum over categories of a per-value array broadcast along its axis (0 where None)."""
    total = np.zeros(shape)
    for axis, category in enumerate(categories):
        per_value = axis_values(category)
        if per_value is None:
            continue
        broadcast = [1] * len(shape)
        broadcast[axis] = len(category.values)
        total = total + np.asarray(per_value, dtype=np.float64).reshape(broadcast)
    return total


def base_propensity(categories: Sequence[Category], shape: tuple[int, ...]) -> np.ndarray:
    """b(c): the product of the profile's response multipliers per cell, scaled to max 1."""
    logs = _per_cell(
        categories,
        shape,
        lambda c: None if c.propensity is None else np.log(np.asarray(c.propensity, dtype=float)),
    )
    weights: np.ndarray = np.exp(logs - logs.max())
    return weights


def engagement_score(category: Category) -> np.ndarray | None:
    """Weight x score of each value of `category`, or None if it does not enter the score."""
    entry = ENGAGEMENT_SCORES.get(category.name)
    if entry is None:
        return None
    weight, scores = entry
    m = len(category.values)
    if scores is None:
        scores = tuple(j / (m - 1) if m > 1 else 0.0 for j in range(m))
    if len(scores) != m:
        raise ValueError(f"engagement scores of {category.name} do not match its values")
    return weight * np.asarray(scores, dtype=np.float64)


def engagement_deviation(categories: Sequence[Category], joint: np.ndarray) -> np.ndarray:
    """u(c): each cell's engagement score minus its mean over the population `joint`."""
    score = _per_cell(categories, joint.shape, engagement_score)
    return score - float(np.sum(joint * score))


def registration_chances(categories: Sequence[Category], joint: np.ndarray) -> np.ndarray:
    """P(register | c) up to a constant, e integrated out: b(c) * exp(LAMBDA^2 u(c)^2 / 2)."""
    deviation = engagement_deviation(categories, joint)
    return base_propensity(categories, joint.shape) * np.exp(LAMBDA**2 * deviation**2 / 2)


def draw_engaged_pool(
    rng: np.random.Generator, categories: Sequence[Category], joint: np.ndarray, n: int
) -> np.ndarray:
    """n registrants' value indices, (n, F): cells drawn from joint x registration chance.

    Inverse CDF with one uniform per registrant, like the loose class, so the pool depends on
    the seed alone.
    """
    weights = (joint * registration_chances(categories, joint)).ravel()
    cumulative = np.cumsum(weights)
    cells = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
    cells = np.minimum(cells, cumulative.size - 1)
    return np.stack(np.unravel_index(cells, joint.shape), axis=1).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Households


def assign_matched_households(
    rng: np.random.Generator, values: np.ndarray, categories: Sequence[Category], share: float
) -> np.ndarray:
    """Household label per registrant (-1: alone), members matched on education and age."""
    n = len(values)
    labels = np.full(n, NO_HOUSEHOLD, dtype=np.int64)
    wanted = round(share * n)
    names = [c.name for c in categories]
    order = np.argsort(rng.random(n), kind="stable")  # visiting order
    visited = values[order]
    free = np.ones(n, dtype=bool)  # in visiting order
    education = names.index("education") if "education" in names else None
    age = names.index("age_band") if "age_band" in names else None
    cumulative = np.cumsum(HOUSEHOLD_SIZE_WEIGHTS)
    next_head = 0
    placed = 0
    label = 0
    while wanted - placed >= HOUSEHOLD_SIZES[0]:
        pick = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
        size = min(HOUSEHOLD_SIZES[min(pick, len(HOUSEHOLD_SIZES) - 1)], wanted - placed)
        while not free[next_head]:
            next_head += 1
        head = next_head
        free[head] = False
        members = [head]
        for slot in range(1, size):
            like_education = rng.random() < LIKE_EDUCATION
            close_age = slot == 1 and rng.random() < CLOSE_AGE
            wish = free.copy()
            if like_education and education is not None:
                wish &= visited[:, education] == visited[head, education]
            if close_age and age is not None:
                wish &= np.abs(visited[:, age] - visited[head, age]) <= 1
            member = int(np.argmax(wish)) if wish.any() else int(np.argmax(free))
            free[member] = False
            members.append(member)
        labels[order[members]] = label
        placed += size
        label += 1
    return labels


# ---------------------------------------------------------------------------------------------
# Quotas


@dataclass(frozen=True)
class TightQuotas:
    """How the tight quotas were made: which categories are exact and what was loosened.

    `planned_exact` are the categories fixed to min == max == target before the feasibility
    check, `exact` those still fixed at the end; `widening` is how many seats every category got
    beyond floor/ceil (0: none); `steps` says in words what was loosened, in order.
    """

    planned_exact: tuple[str, ...]
    exact: tuple[str, ...]
    widening: int
    steps: tuple[str, ...]


def _snapped(seats: float) -> float:
    """k*share, with float noise around whole numbers removed (9.9999999999 -> 10)."""
    nearest = round(seats)
    return float(nearest) if abs(seats - nearest) < 1e-9 else seats


def tight_bounds(share: float, target: int, panel_size: int, exact: bool, widening: int) -> Quota:
    """[t, t] for an exact category, else [floor(k*share) - w, ceil(k*share) + w] in 0..k."""
    if exact:
        return Quota(target, target)
    seats = _snapped(panel_size * share)
    return Quota(max(0, math.floor(seats) - widening), min(panel_size, math.ceil(seats) + widening))


def choose_exact(
    categories: Sequence[Category], shares: Sequence[Sequence[float]], panel_size: int
) -> tuple[str, ...]:
    """gender, age_band, then education, then the rest, until >= a quarter of rows are exact."""
    names = [c.name for c in categories]
    preference = [n for n in EXACT_ALWAYS if n in names]
    preference += [n for n in EXACT_NEXT if n in names]
    preference += [n for n in names if n not in preference]
    rows = sum(len(c.values) for c in categories)
    whole = {
        name: sum(1 for s in share if float(_snapped(panel_size * s)).is_integer())
        for name, share in zip(names, shares, strict=True)
    }
    chosen: list[str] = []
    for name in preference:
        exact_rows = sum(
            len(categories[names.index(n)].values) if n in chosen else whole[n] for n in names
        )
        if name not in EXACT_ALWAYS and exact_rows >= MIN_EXACT_SHARE * rows:
            break
        chosen.append(name)
    return tuple(chosen)


def tight_features(
    categories: Sequence[Category],
    shares: Sequence[Sequence[float]],
    panel_size: int,
    available: Sequence[Sequence[int]],
    feasible: Callable[[tuple[Feature, ...]], bool],
) -> tuple[tuple[Feature, ...], tuple[tuple[int, ...], ...], TightQuotas]:
    """Tight quota features, the largest-remainder targets and how they were loosened.

    `available[f][v]` is how many registrants hold value v of category f: a minimum above it is
    lowered to it from the start (no panel could reach it). `feasible(features)` says whether
    some panel meets the quotas (with households); the quotas are then loosened step by step
    (module docstring) until it does.
    """
    targets = tuple(largest_remainder([Fraction(s) for s in share], panel_size) for share in shares)
    planned = choose_exact(categories, shares, panel_size)
    steps: list[str] = []

    def build(exact: Sequence[str], widening: int) -> tuple[Feature, ...]:
        features = []
        for category, share, seats, held in zip(
            categories, shares, targets, available, strict=True
        ):
            quotas = []
            for value, s, t, count in zip(category.values, share, seats, held, strict=True):
                quota = tight_bounds(s, t, panel_size, category.name in exact, widening)
                if quota.min > count:
                    note = f"{category.name}={value} minimum lowered to the {count} who hold it"
                    if note not in steps:
                        steps.append(note)
                    quota = Quota(int(count), quota.max)
                quotas.append(quota)
            features.append(Feature(category.name, category.values, tuple(quotas)))
        return tuple(features)

    exact = list(planned)
    widening = 0
    features = build(exact, widening)
    while not feasible(features):
        if exact:
            name = exact.pop()
            steps.append(f"{name} un-fixed: floor/ceil bounds instead of exact")
        elif widening < panel_size:
            widening += 1
            steps.append(f"every category widened to {widening} seat(s) beyond floor/ceil")
        else:
            raise InfeasibleQuotas(
                f"no panel of {panel_size} can be drawn from this pool even with every quota "
                "widened to 0..k (too few households)",
                hint="use a larger --pool-size, a smaller --panel-size or a lower "
                "--household-share",
            )
        features = build(exact, widening)
    return features, targets, TightQuotas(planned, tuple(exact), widening, tuple(steps))


def exact_rows(features: Sequence[Feature]) -> tuple[int, int]:
    """(quota rows with min == max, all quota rows)."""
    quotas = [q for feature in features for q in feature.quotas]
    return sum(1 for q in quotas if q.min == q.max), len(quotas)


def tight_readme_lines(
    tight: TightQuotas, features: Sequence[Feature], household_share: float
) -> list[str]:
    """The README.md parameter lines of a tight instance: quota class, exactness, loosening."""
    exact, rows = exact_rows(features)
    planned = ", ".join(tight.planned_exact) or "none"
    lines = [
        "- quota class: `tight`: every quota within floor/ceil of k x population share; whole "
        f"categories exact (min == max == target) as planned: {planned}",
        f"- quota rows with min == max: {exact} of {rows} ({100 * exact / rows:.0f}%)",
    ]
    if tight.steps:
        lines.append(
            "- **quotas loosened**: with the planned quotas no panel met every quota"
            + (" and household rule" if household_share else "")
            + " (checked with `sortition.panel.feasibility.check`), so, one step at a time "
            "until one did: "
            + "; ".join(tight.steps)
            + f"; exact at the end: {', '.join(tight.exact) or 'none'}"
        )
    else:
        lines.append(
            "- feasibility: checked with `sortition.panel.feasibility.check`: a panel exists "
            "with the quotas as planned (nothing loosened)"
        )
    scored = [f.name for f in features if f.name in ENGAGEMENT_SCORES]
    lines.append(
        "- self-selection: latent engagement e ~ Normal(0, 1) per person; relative registration "
        f"rate b(c) x exp({LAMBDA:g} x e x u(c)), b the profile's response propensity, u the "
        f"cell's engagement score ({', '.join(scored) or 'no scored category chosen'}) minus its "
        "population mean"
        + (f": {', '.join(scored)} correlate in the pool" if len(scored) > 1 else "")
    )
    lines.append(
        f"- household share: {household_share:g}"
        + (
            " (households matched on education and, for partners, age band)"
            if household_share
            else " (nobody shares a household)"
        )
    )
    return lines
