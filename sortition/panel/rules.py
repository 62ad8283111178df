"""What a valid panel is: the one module that states the rules every panel must keep.

A panel is described over *units*: the groups of `Instance.groups` (interchangeable people; a
person sharing a household with another registrant is a group of one) when algorithms work on
compositions, or single people when a concrete panel is checked. A panel is valid when

- it holds exactly k members (`panel_size`), no unit more often than it has members, and
- in every *family* of classes, each class holds between its lower and upper number of members.

Two kinds of family exist today: one per feature (its values are the classes, each bounded by its
quota; every unit belongs to one value) and the households (each household of two or more
registrants is a class holding at most one member; other units belong to none). A new rule of the
same shape ("at most 2 from the same street") is one more family built in `PanelRules.of_units`;
every consumer below then keeps it without change, because they all read the rules from here:

- the linear rows of the panel problem (`rows`, `unit_rows`, `usage`): the HiGHS pricing problem
  (`sortition.panel.rows.PanelRows`), the PuLP model and its quota relaxation
  (`sortition.panel.model.build_panel_problem`), the lottery's seat plan and ticket redraws
  (`sortition.process.lottery_plan`, `sortition.process.lottery_swaps`);
- the one-swap test (`swap_allowed`): column-generation neighbours
  (`sortition.panel.model.improving_swaps`), the lottery's seat swaps and the reserves;
- the check of a concrete panel (`panel_problem`, `meets_rules`), used by `verify` and the tests.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sortition.instance import NO_HOUSEHOLD, Instance

QUOTA = "quota"
HOUSEHOLD = "household"


@dataclass(frozen=True, eq=False)
class RuleFamily:
    """Classes of units, each holding between `lower[c]` and `upper[c]` panel members.

    `of_unit[u]` is the class of unit u, or -1 for units in no class (only households have
    those). For a quota family, `index` is the feature's position and the classes are its values;
    for the household family, `labels[c]` is the household label of class c.
    """

    kind: str
    name: str
    index: int
    of_unit: np.ndarray  # (U,) int64
    lower: np.ndarray  # (C,) int64
    upper: np.ndarray  # (C,) int64
    labels: tuple[int, ...]

    @property
    def size(self) -> int:
        """Number of classes."""
        return len(self.lower)

    @cached_property
    def members(self) -> tuple[np.ndarray, ...]:
        """The units of each class, in unit order."""
        order = np.argsort(self.of_unit, kind="stable")
        starts = np.searchsorted(self.of_unit[order], np.arange(self.size + 1))
        return tuple(order[starts[c] : starts[c + 1]] for c in range(self.size))


@dataclass(frozen=True, eq=False)
class PanelRules:
    """Every rule a panel keeps, over units of `unit_sizes` members (see the module docstring).

    Rows: row 0 is the panel size; then every family's classes in order, family by family
    (features in order, then households), starting at `offsets[i]` for family i.
    """

    panel_size: int
    unit_sizes: np.ndarray  # (U,) int64
    families: tuple[RuleFamily, ...]

    @classmethod
    def of(cls, instance: Instance) -> PanelRules:
        """The rules over the groups of `instance.groups` (compositions); built once per
        instance (instances are immutable)."""
        rules = _OF_GROUPS.get(instance)
        if rules is None:
            groups = instance.groups
            rules = cls.of_units(instance, groups.profiles, groups.household, groups.sizes)
            _OF_GROUPS[instance] = rules
        return rules

    @classmethod
    def of_people(cls, instance: Instance) -> PanelRules:
        """The rules over single registrants (concrete panels); built once per instance."""
        rules = _OF_PEOPLE.get(instance)
        if rules is None:
            ones = np.ones(instance.size, dtype=np.int64)
            rules = cls.of_units(instance, instance.values, instance.households, ones)
            _OF_PEOPLE[instance] = rules
        return rules

    @classmethod
    def of_units(
        cls,
        instance: Instance,
        profiles: np.ndarray,
        households: np.ndarray,
        unit_sizes: np.ndarray,
    ) -> PanelRules:
        """Rules over units with the given feature values (U, F) and household labels (U,)."""
        families = [
            RuleFamily(
                QUOTA,
                feature.name,
                f,
                np.asarray(profiles[:, f], dtype=np.int64),
                np.asarray(feature.minimums, dtype=np.int64),
                np.asarray(feature.maximums, dtype=np.int64),
                tuple(range(len(feature.values))),
            )
            for f, feature in enumerate(instance.features)
        ]
        families.append(_household_family(np.asarray(households, dtype=np.int64)))
        return cls(instance.panel_size, np.asarray(unit_sizes, dtype=np.int64), tuple(families))

    # -- rows ----------------------------------------------------------------------------------

    @cached_property
    def offsets(self) -> np.ndarray:
        """First row of each family (row 0 is the panel size)."""
        sizes = [family.size for family in self.families]
        return 1 + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)

    @property
    def num_rows(self) -> int:
        return 1 + sum(family.size for family in self.families)

    @cached_property
    def row_lower(self) -> np.ndarray:
        """Lowest count of every row."""
        parts = [np.array([self.panel_size]), *(family.lower for family in self.families)]
        return np.concatenate(parts).astype(np.int64)

    @cached_property
    def row_upper(self) -> np.ndarray:
        """Highest count of every row."""
        parts = [np.array([self.panel_size]), *(family.upper for family in self.families)]
        return np.concatenate(parts).astype(np.int64)

    @cached_property
    def unit_rows(self) -> np.ndarray:
        """(U, families) row of each unit in each family, -1 where the unit is in no class."""
        columns = [
            np.where(family.of_unit >= 0, family.of_unit + self.offsets[i], -1)
            for i, family in enumerate(self.families)
        ]
        return np.column_stack(columns) if columns else np.zeros((len(self.unit_sizes), 0))

    def rows_of(self, unit: int) -> np.ndarray:
        """Every row unit `unit` counts in: the panel size, then its class in each family."""
        rows = self.unit_rows[unit]
        return np.concatenate([[0], rows[rows >= 0]]).astype(np.int64)

    @cached_property
    def _segments(self) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
        """Per family: its units sorted by class, where each non-empty class starts among them,
        and the rows of those classes (for `usage`)."""
        out = []
        for i, family in enumerate(self.families):
            inside = np.flatnonzero(family.of_unit >= 0)
            order = inside[np.argsort(family.of_unit[inside], kind="stable")]
            classes, starts = np.unique(family.of_unit[order], return_index=True)
            out.append((order, starts, classes + self.offsets[i]))
        return tuple(out)

    def usage(self, compositions: np.ndarray) -> np.ndarray:
        """(P, rows) members each composition (P, U) puts in each row; (rows,) for one."""
        comps = np.asarray(compositions, dtype=np.int64)
        flat = comps.reshape(-1, comps.shape[-1])
        used = np.zeros((len(flat), self.num_rows), dtype=np.int64)
        used[:, 0] = flat.sum(axis=1)
        for order, starts, rows in self._segments:
            if len(order):
                used[:, rows] = np.add.reduceat(flat[:, order], starts, axis=1)
        return used.reshape(*comps.shape[:-1], self.num_rows)

    def add_usage(self, usage: np.ndarray, units: np.ndarray, delta: np.ndarray) -> None:
        """Add `delta[i]` members of `units[i]` to one panel's row usage, in place."""
        rows = np.column_stack([np.zeros(len(units), dtype=np.int64), self.unit_rows[units]])
        amounts = np.broadcast_to(np.asarray(delta)[:, None], rows.shape)
        inside = rows >= 0
        np.add.at(usage, rows[inside], amounts[inside])

    def holds(self, composition: np.ndarray) -> bool:
        """True if the composition keeps every rule."""
        comps = np.asarray(composition, dtype=np.int64)
        if np.any(comps < 0) or np.any(comps > self.unit_sizes):
            return False
        used = self.usage(comps)
        return bool(np.all(used >= self.row_lower) and np.all(used <= self.row_upper))

    # -- one swap ------------------------------------------------------------------------------

    def swap_allowed(
        self, usage: np.ndarray, out_units: np.ndarray, in_units: np.ndarray
    ) -> np.ndarray:
        """May a panel with row usage `usage` (P, rows) trade a member of `out_units` for one of
        `in_units` and keep every class rule? Shape (P, *broadcast(out_units, in_units)).

        A class the two units share is unchanged; otherwise the leaver's class must stay at or
        above its lower bound and the newcomer's at or below its upper bound (so a housemate may
        only enter when the household is empty once the leaver is gone). Whether the units have
        a member on the panel and a member to spare is for the caller to check.
        """
        out_units, in_units = np.broadcast_arrays(np.asarray(out_units), np.asarray(in_units))
        usage = np.asarray(usage)
        ok = np.ones((usage.shape[0], *out_units.shape), dtype=bool)
        for i, family in enumerate(self.families):
            if not family.size:
                continue
            lose = family.of_unit[out_units]
            gain = family.of_unit[in_units]
            rows_lose = np.where(lose >= 0, lose + self.offsets[i], 0)
            rows_gain = np.where(gain >= 0, gain + self.offsets[i], 0)
            low = np.where(lose >= 0, family.lower[np.maximum(lose, 0)], 0)
            high = np.where(gain >= 0, family.upper[np.maximum(gain, 0)], 0)
            can_lose = (lose < 0)[None] | (usage[:, rows_lose] - 1 >= low[None])
            can_gain = (gain < 0)[None] | (usage[:, rows_gain] + 1 <= high[None])
            ok &= (lose == gain)[None] | (can_lose & can_gain)
        return ok

    def double_swap_tables(self, usage: np.ndarray, leaving: np.ndarray) -> list[np.ndarray]:
        """Per quota family: ok[p, a, b] = once the two units `leaving[p]` are gone from a panel
        with row usage `usage` (rows,), arrivals of classes a and b keep the family's bounds.

        Every class must end within its bounds: the classes the arrivals do not bring must
        already be in range, and those they bring must be in range after +1 (or +2 when both
        bring it). Households are the caller's: reserves never share a household with the panel.
        """
        tables = []
        for i, family in enumerate(self.families):
            if family.kind != QUOTA:
                continue
            start = int(self.offsets[i])
            base = np.tile(usage[start : start + family.size], (len(leaving), 1))
            np.subtract.at(base, (np.arange(len(leaving))[:, None], family.of_unit[leaving]), 1)
            low, high = family.lower, family.upper
            bad = (base < low) | (base > high)  # (P, C): out of range unless an arrival fixes it
            others_bad = bad.sum(axis=1)[:, None, None] - bad[:, :, None] - bad[:, None, :]
            plus_one = (base + 1 >= low) & (base + 1 <= high)
            ok = plus_one[:, :, None] & plus_one[:, None, :] & (others_bad == 0)
            same = np.arange(family.size)
            plus_two = (base + 2 >= low) & (base + 2 <= high)
            ok[:, same, same] = plus_two & (bad.sum(axis=1)[:, None] - bad == 0)
            tables.append(ok)
        return tables

    # -- concrete panels -----------------------------------------------------------------------

    @property
    def quota_families(self) -> tuple[RuleFamily, ...]:
        return tuple(family for family in self.families if family.kind == QUOTA)

    @property
    def household_family(self) -> RuleFamily:
        return next(family for family in self.families if family.kind == HOUSEHOLD)


_OF_GROUPS: weakref.WeakKeyDictionary[Instance, PanelRules] = weakref.WeakKeyDictionary()
_OF_PEOPLE: weakref.WeakKeyDictionary[Instance, PanelRules] = weakref.WeakKeyDictionary()


def _household_family(labels: np.ndarray) -> RuleFamily:
    """Households of two or more units, in order of label (labels are numbered in order of
    first appearance, and units come in order of their first member)."""
    housed = labels != NO_HOUSEHOLD
    unique, counts = np.unique(labels[housed], return_counts=True)
    shared = unique[counts > 1]
    of_unit = np.full(len(labels), -1, dtype=np.int64)
    if len(shared):
        position = np.searchsorted(shared, labels)
        inside = housed & (position < len(shared))
        inside[inside] = shared[position[inside]] == labels[inside]
        of_unit[inside] = position[inside]
    return RuleFamily(
        HOUSEHOLD,
        HOUSEHOLD,
        0,
        of_unit,
        np.zeros(len(shared), dtype=np.int64),
        np.ones(len(shared), dtype=np.int64),
        tuple(int(label) for label in shared.tolist()),
    )


def panel_problem(instance: Instance, panel: np.ndarray) -> str | None:
    """Why a concrete panel (person indices) breaks the rules, or None if it keeps them all."""
    panel = np.asarray(panel, dtype=np.int64)
    if len(np.unique(panel)) != len(panel):
        return "lists someone twice"
    if len(panel) != instance.panel_size:
        return f"has {len(panel)} members, not {instance.panel_size}"
    rules = PanelRules.of_people(instance)
    chosen = np.zeros(instance.size, dtype=np.int64)
    chosen[panel] = 1
    used = rules.usage(chosen)
    for i, family in enumerate(rules.families):
        start = int(rules.offsets[i])
        counts = used[start : start + family.size]
        bad = np.flatnonzero((counts < family.lower) | (counts > family.upper))
        if not len(bad):
            continue
        c = int(bad[0])
        if family.kind == HOUSEHOLD:
            return "has two members of one household"
        feature = instance.features[family.index]
        return (
            f"has {counts[c]} with {feature.name}={feature.values[c]}, "
            f"outside the quota {family.lower[c]}..{family.upper[c]}"
        )
    return None


def meets_rules(instance: Instance, panel: np.ndarray) -> bool:
    """True if the panel (person indices) has size k, nobody twice, meets every quota and has at
    most one member per household."""
    return panel_problem(instance, panel) is None
