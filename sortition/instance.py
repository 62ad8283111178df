"""The selection problem as plain data: people, features with quotas, households, panel size.

People are addressed by position 0..n-1; ids appear only at the edges. `Instance.groups` compresses
people with identical feature vectors and no household partner into interchangeable groups, so the
panel ILP can count per group instead of deciding per person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from sortition.errors import BadPanelSize, InputError, QuotaMinAboveMax

NO_HOUSEHOLD = -1


@dataclass(frozen=True)
class Quota:
    """Bounds on how many panel members may have one feature value.

    `min_flex`/`max_flex` (optional) are the furthest the bounds may be relaxed to when the quotas
    are infeasible: min_flex <= min and max_flex >= max.
    """

    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None

    def __post_init__(self) -> None:
        if self.min < 0 or self.max < 0:
            raise InputError(
                f"quota bounds must be non-negative, got min {self.min} max {self.max}"
            )
        if self.min > self.max:
            raise QuotaMinAboveMax(f"quota min {self.min} is above max {self.max}")


@dataclass(frozen=True)
class Feature:
    """A stratification category such as gender, with its values (original spelling) and quotas."""

    name: str
    values: tuple[str, ...]
    quotas: tuple[Quota, ...]

    def __post_init__(self) -> None:
        if len(self.values) != len(self.quotas):
            raise ValueError("a feature needs exactly one quota per value")

    @property
    def minimums(self) -> np.ndarray:
        return np.array([q.min for q in self.quotas], dtype=np.int64)

    @property
    def maximums(self) -> np.ndarray:
        return np.array([q.max for q in self.quotas], dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Groups:
    """Interchangeable people: each group shares a feature vector and has no household partner,
    or is a single person who lives with another registrant (then `household[g]` is set)."""

    members: tuple[np.ndarray, ...]
    profiles: np.ndarray  # (G, F) value index of each group per feature
    household: np.ndarray  # (G,) household label, NO_HOUSEHOLD for pure groups
    group_of_person: np.ndarray  # (n,)

    @property
    def sizes(self) -> np.ndarray:
        return np.array([len(m) for m in self.members], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.members)


@dataclass(frozen=True, eq=False)
class Instance:
    """A pool, its feature values per person, the quotas and the panel size k."""

    ids: tuple[str, ...]
    features: tuple[Feature, ...]
    values: np.ndarray  # (n, F) int: index into features[f].values
    panel_size: int
    # (n,) household label or NO_HOUSEHOLD; empty (the default) or None: nobody shares a household
    households: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    isolated: tuple[int, ...] = ()  # people kept out of compression (e.g. forced in or out)
    # Chance factors: fair algorithms equalize p_i / factor_i, so a factor of 0.5 halves a
    # person's chance relative to the others (e.g. recent panelists). None: all 1.
    factors: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.factors is not None:
            given = np.asarray(self.factors, dtype=np.float64).reshape(n)
            factors: np.ndarray | None = None
            if np.any(given <= 0) or np.all(given == 1.0):
                if np.any(given <= 0):
                    raise InputError("chance factors must be positive")
            else:
                factors = given.copy()
                factors.setflags(write=False)
            object.__setattr__(self, "factors", factors)
        values = np.asarray(self.values, dtype=np.int64).reshape(n, len(self.features))
        object.__setattr__(self, "values", values)
        households: np.ndarray
        if self.households is None or not len(self.households):
            households = np.full(n, NO_HOUSEHOLD, dtype=np.int64)
        else:
            households = _canonical_households(np.asarray(self.households, dtype=np.int64))
        object.__setattr__(self, "households", households)
        values.setflags(write=False)
        households.setflags(write=False)
        for f, feature in enumerate(self.features):
            if n and (values[:, f].min() < 0 or values[:, f].max() >= len(feature.values)):
                raise InputError(f"feature '{feature.name}' has a value index out of range")
        if self.panel_size <= 0:
            raise BadPanelSize(
                f"panel size must be positive, got {self.panel_size}",
                hint="pass --panel-size with a whole number of at least 1",
            )
        if self.panel_size > n:
            raise BadPanelSize(
                f"panel size {self.panel_size} is larger than the pool of {n}",
                hint="choose a panel size no larger than the number of registrants",
            )

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.features)

    @cached_property
    def groups(self) -> Groups:
        """Type compression, in order of each group's first member (deterministic)."""
        n = self.size
        label_counts = np.bincount(self.households[self.households >= 0]) if n else np.array([])
        shared = np.zeros(n, dtype=bool)
        has_label = self.households >= 0
        shared[has_label] = label_counts[self.households[has_label]] > 1
        shared[list(self.isolated)] = True
        members: list[np.ndarray] = []
        household: list[int] = []
        group_of_person = np.empty(n, dtype=np.int64)
        key_to_group: dict[bytes, int] = {}
        pending: list[list[int]] = []
        for person in range(n):
            if shared[person]:
                group_of_person[person] = len(pending)
                pending.append([person])
                household.append(int(self.households[person]))
                continue
            key = self.values[person].tobytes() + (
                b"" if self.factors is None else self.factors[person].tobytes()
            )
            g = key_to_group.get(key)
            if g is None:
                g = len(pending)
                key_to_group[key] = g
                pending.append([])
                household.append(NO_HOUSEHOLD)
            pending[g].append(person)
            group_of_person[person] = g
        members = [np.array(p, dtype=np.int64) for p in pending]
        profiles = (
            np.array([self.values[m[0]] for m in members], dtype=np.int64)
            if members
            else np.zeros((0, len(self.features)), dtype=np.int64)
        )
        return Groups(
            tuple(members), profiles, np.array(household, dtype=np.int64), group_of_person
        )

    def value_counts(self, f: int) -> np.ndarray:
        """How many registrants hold each value of feature f."""
        return np.bincount(self.values[:, f], minlength=len(self.features[f].values))

    def panel_counts(self, panel: np.ndarray, f: int) -> np.ndarray:
        """How many members of `panel` (person indices) hold each value of feature f."""
        return np.bincount(
            self.values[np.asarray(panel, dtype=np.int64), f],
            minlength=len(self.features[f].values),
        )

    def with_quotas(self, features: tuple[Feature, ...]) -> Instance:
        """The same pool with other quota bounds (same features and values)."""
        return Instance(
            self.ids,
            features,
            self.values,
            self.panel_size,
            self.households,
            self.isolated,
            self.factors,
        )

    def isolating(self, people: tuple[int, ...]) -> Instance:
        """The same instance with `people` in groups of their own, so they can be fixed."""
        merged = tuple(sorted(set(self.isolated) | set(people)))
        return Instance(
            self.ids,
            self.features,
            self.values,
            self.panel_size,
            self.households,
            merged,
            self.factors,
        )

    def with_factors(self, factors: np.ndarray | None) -> Instance:
        """The same instance with chance factors (see `factors`)."""
        return Instance(
            self.ids,
            self.features,
            self.values,
            self.panel_size,
            self.households,
            self.isolated,
            factors,
        )

    @property
    def group_factors(self) -> np.ndarray:
        """The chance factor of each group (1 everywhere without factors)."""
        if self.factors is None:
            return np.ones(len(self.groups))
        return np.array([self.factors[m[0]] for m in self.groups.members])


def _canonical_households(labels: np.ndarray) -> np.ndarray:
    """Renumber household labels 0.. in order of first appearance; -1 stays 'no household'."""
    out = np.full(labels.shape, NO_HOUSEHOLD, dtype=np.int64)
    seen: dict[int, int] = {}
    for i, label in enumerate(labels.tolist()):
        if label >= 0:
            out[i] = seen.setdefault(label, len(seen))
    return out
