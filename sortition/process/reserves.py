"""Reserves: a ranked list of registrants who can step in when panel members drop out.

Rule: when members drop out, the first reserve on the list (or the first pair, in list order)
whose arrival keeps every quota and household rule takes the place. The list is built greedily to
maximize how many single and double dropouts can be repaired that way: each step adds the
registrant who repairs the most not-yet-repairable dropouts (ties broken in a seeded random
order), so the list is also ranked by usefulness. Reserves never share a household with a
panel member.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from sortition.errors import UsageError
from sortition.instance import NO_HOUSEHOLD, Instance
from sortition.panel.rules import PanelRules


@dataclass(frozen=True)
class ReserveList:
    """Ranked reserves (person indices) and how many dropouts they can repair."""

    people: tuple[int, ...]
    singles_repaired: int
    singles: int  # k possible single dropouts
    doubles_repaired: int
    doubles: int  # k(k-1)/2 possible double dropouts

    @property
    def single_coverage(self) -> float:
        return self.singles_repaired / self.singles if self.singles else 1.0

    @property
    def double_coverage(self) -> float:
        return self.doubles_repaired / self.doubles if self.doubles else 1.0


def choose_reserves(
    instance: Instance, panel: np.ndarray, count: int, rng: np.random.Generator
) -> ReserveList:
    """Greedy ranked reserve list of `count` registrants for `panel` (sorted person indices)."""
    if count < 0:
        raise UsageError("the number of reserves cannot be negative", hint="pass --reserves 0+")
    panel = np.asarray(panel, dtype=np.int64)
    candidates = _candidates(instance, panel)
    k = len(panel)
    pairs = np.array(list(combinations(range(k), 2)), dtype=np.int64).reshape(-1, 2)
    singles_ok = _single_fits(instance, panel, candidates)  # (k, C)
    tables = _pair_tables(instance, panel, pairs)  # per feature (P, V, V)
    order = rng.permutation(len(candidates))  # seeded tie-break
    chosen: list[int] = []  # positions into candidates
    single_done = np.zeros(k, dtype=bool)
    double_done = np.zeros(len(pairs), dtype=bool)
    households = instance.households[candidates]
    with_chosen = np.zeros((len(pairs), len(candidates)), dtype=bool)  # pairs c repairs with L
    for _ in range(min(count, len(candidates))):
        gains = (singles_ok & ~single_done[:, None]).sum(axis=0).astype(np.int64)
        new_pairs = with_chosen & ~double_done[:, None]
        gains += new_pairs.sum(axis=0)
        gains[chosen] = -1
        best = int(order[np.argmax(gains[order])])  # first maximum in the seeded order
        chosen.append(best)
        single_done |= singles_ok[:, best]
        double_done |= new_pairs[:, best]
        fits = _pair_fits(instance, candidates, tables, best)  # (P, C) pairs fixed with `best`
        same_house = (households == households[best]) & (households != NO_HOUSEHOLD)
        fits[:, same_house] = False
        with_chosen |= fits
    return ReserveList(
        tuple(int(candidates[c]) for c in chosen),
        int(single_done.sum()),
        k,
        int(double_done.sum()),
        len(pairs),
    )


def _candidates(instance: Instance, panel: np.ndarray) -> np.ndarray:
    """Registrants not on the panel and not living with a panel member."""
    on_panel = np.zeros(instance.size, dtype=bool)
    on_panel[panel] = True
    taken = instance.households[panel]
    busy = np.isin(instance.households, taken[taken != NO_HOUSEHOLD])
    return np.flatnonzero(~on_panel & ~busy)


def _single_fits(instance: Instance, panel: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """fits[d, c]: swapping panel member d for candidate c keeps every rule."""
    rules = PanelRules.of_people(instance)
    chosen = np.zeros(instance.size, dtype=np.int64)
    chosen[panel] = 1
    usage = rules.usage(chosen)[None, :]
    fits: np.ndarray = rules.swap_allowed(usage, panel[:, None], candidates[None, :])[0]
    return fits


def _pair_tables(instance: Instance, panel: np.ndarray, pairs: np.ndarray) -> list[np.ndarray]:
    """Per quota: ok[p, a, b] = dropping pair p and adding values a and b keeps its quotas."""
    rules = PanelRules.of_people(instance)
    chosen = np.zeros(instance.size, dtype=np.int64)
    chosen[panel] = 1
    return rules.double_swap_tables(rules.usage(chosen), panel[pairs])


def _pair_fits(
    instance: Instance, candidates: np.ndarray, tables: list[np.ndarray], partner: int
) -> np.ndarray:
    """fits[p, c]: candidate c together with candidate `partner` repairs dropout pair p."""
    fits = np.ones((tables[0].shape[0] if tables else 0, len(candidates)), dtype=bool)
    for family, table in zip(PanelRules.of_people(instance).quota_families, tables, strict=True):
        mine = family.of_unit[candidates]
        theirs = int(family.of_unit[candidates[partner]])
        fits &= table[:, mine, theirs]
    fits[:, partner] = False
    return fits
