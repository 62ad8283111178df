"""Tests of `sortition.panel.rules`, the one module that says what a valid panel is.

Every answer of the rules (row usage, `holds`, the one-swap and two-swap tests, the message for a
broken panel) is compared with an independent recount (`helpers.invariants.panel_meets_quotas`)
on small random pools with households, person by person and group by group.
"""

from __future__ import annotations

import itertools

import numpy as np
from helpers import make_instance
from helpers.budget import examples
from helpers.invariants import panel_meets_quotas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.instance import Instance
from sortition.panel.rules import HOUSEHOLD, QUOTA, PanelRules, meets_rules, panel_problem


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    n = draw(st.integers(3, 8))
    k = draw(st.integers(1, min(4, n)))
    cards = draw(st.lists(st.integers(2, 3), min_size=1, max_size=2))
    values = np.array(
        [draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)) for c in cards]
    ).T
    bounds = []
    for c in cards:
        row = []
        for _ in range(c):
            low = draw(st.integers(0, 2))
            row.append((low, low + draw(st.integers(0, 3))))
        bounds.append(row)
    households = draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))
    return make_instance(values, bounds, k, np.array(households))


def _people(instance: Instance, panel: tuple[int, ...]) -> np.ndarray:
    chosen = np.zeros(instance.size, dtype=np.int64)
    chosen[list(panel)] = 1
    return chosen


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_holds_and_messages_agree_with_a_recount(instance: Instance) -> None:
    people = PanelRules.of_people(instance)
    groups = PanelRules.of(instance)
    for size in (instance.panel_size - 1, instance.panel_size):
        for panel in itertools.combinations(range(instance.size), max(size, 0)):
            expected = panel_meets_quotas(instance, np.array(panel))
            assert meets_rules(instance, np.array(panel)) == expected
            assert (panel_problem(instance, np.array(panel)) is None) == expected
            assert people.holds(_people(instance, panel)) == expected
            composition = np.bincount(
                instance.groups.group_of_person[list(panel)], minlength=len(instance.groups)
            )
            assert groups.holds(composition) == expected


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_one_swap_agrees_with_checking_the_swapped_panel(instance: Instance) -> None:
    rules = PanelRules.of_people(instance)
    for panel in itertools.combinations(range(instance.size), instance.panel_size):
        if not panel_meets_quotas(instance, np.array(panel)):
            continue
        outside = np.array([p for p in range(instance.size) if p not in panel], dtype=np.int64)
        leaving = np.array(panel, dtype=np.int64)
        usage = rules.usage(_people(instance, panel))[None, :]
        allowed = rules.swap_allowed(usage, leaving[:, None], outside[None, :])[0]
        for i, out in enumerate(leaving.tolist()):
            for j, into in enumerate(outside.tolist()):
                swapped = sorted(set(panel) - {out} | {into})
                assert allowed[i, j] == panel_meets_quotas(instance, np.array(swapped))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_double_swap_tables_agree_with_checking_quotas(instance: Instance) -> None:
    rules = PanelRules.of_people(instance)
    for panel in itertools.combinations(range(instance.size), instance.panel_size):
        if len(panel) < 2 or not panel_meets_quotas(instance, np.array(panel)):
            continue
        pairs = np.array(list(itertools.combinations(panel, 2)), dtype=np.int64)
        tables = rules.double_swap_tables(rules.usage(_people(instance, panel)), pairs)
        assert len(tables) == len(instance.features)
        for f, (feature, table) in enumerate(zip(instance.features, tables, strict=True)):
            for p, pair in enumerate(pairs.tolist()):
                kept = [q for q in panel if q not in pair]
                base = np.bincount(instance.values[kept, f], minlength=len(feature.values))
                for a, b in itertools.product(range(len(feature.values)), repeat=2):
                    counts = base.copy()
                    counts[a] += 1
                    counts[b] += 1
                    inside = np.all(counts >= feature.minimums) and np.all(
                        counts <= feature.maximums
                    )
                    assert table[p, a, b] == inside


def test_rows_follow_the_documented_layout() -> None:
    # two features (2 and 3 values), households {0, 1} and {3, 4}; person 2 alone
    instance = make_instance(
        [[0, 0], [1, 1], [0, 2], [1, 0], [0, 1]],
        [[(1, 2), (0, 2)], [(0, 1), (0, 1), (0, 1)]],
        2,
        np.array([0, 0, -1, 1, 1]),
    )
    rules = PanelRules.of_people(instance)
    assert [family.kind for family in rules.families] == [QUOTA, QUOTA, HOUSEHOLD]
    assert rules.offsets.tolist() == [1, 3, 6]
    assert rules.row_lower.tolist() == [2, 1, 0, 0, 0, 0, 0, 0]
    assert rules.row_upper.tolist() == [2, 2, 2, 1, 1, 1, 1, 1]
    assert rules.rows_of(0).tolist() == [0, 1, 3, 6]
    assert rules.rows_of(2).tolist() == [0, 1, 5]
    assert rules.usage(np.array([1, 0, 1, 0, 0])).tolist() == [2, 2, 0, 1, 0, 1, 1, 0]
    assert panel_problem(instance, np.array([0, 1])) == "has two members of one household"
    assert panel_problem(instance, np.array([1, 3])) == ("has 0 with f0=v0, outside the quota 1..2")
    assert panel_problem(instance, np.array([0, 2])) is None


def test_a_new_rule_family_is_kept_by_every_consumer(monkeypatch) -> None:
    """The claim of docs/architecture.md: a new rule is one family in `PanelRules.of_units`, and
    pricing, swaps, every algorithm and the lottery's tickets then keep it. The rule added here
    is an intersectional cap (at most `cap` members holding values (a, b) of the first two
    features), set one below what an unconstrained MAXIMIN panel holds."""
    from sortition.algorithms import solve
    from sortition.panel import rules as rules_module
    from sortition.process.lottery import to_tickets
    from sortition.research.synthetic import synthetic_instance

    instance = synthetic_instance(40, 8, 3, seed=4)
    uncapped = solve("maximin", instance, rng=np.random.default_rng(0))
    panels = [uncapped.realize(i, 0.0) for i in range(uncapped.num_panels)]
    values = instance.values
    most, a, b = max(
        (max(int(((values[p, 0] == a) & (values[p, 1] == b)).sum()) for p in panels), a, b)
        for a in range(len(instance.features[0].values))
        for b in range(len(instance.features[1].values))
    )
    assert most >= 2
    cap = most - 1
    holders = (values[:, 0] == a) & (values[:, 1] == b)
    original = PanelRules.of_units.__func__

    def with_cap(cls, instance, profiles, households, unit_sizes):
        rules = original(cls, instance, profiles, households, unit_sizes)
        inside = np.where((profiles[:, 0] == a) & (profiles[:, 1] == b), 0, -1)
        family = rules_module.RuleFamily(
            QUOTA, "cap", -1, inside, np.array([0]), np.array([cap]), (0,)
        )
        return PanelRules(rules.panel_size, rules.unit_sizes, (*rules.families, family))

    monkeypatch.setattr(PanelRules, "of_units", classmethod(with_cap))
    instance = synthetic_instance(40, 8, 3, seed=4)  # a fresh instance: no cached rules
    for algorithm in ("maximin", "leximin", "nash", "goldilocks"):
        distribution = solve(algorithm, instance, rng=np.random.default_rng(0))
        for i in range(distribution.num_panels):
            assert holders[distribution.realize(i, 0.0)].sum() <= cap, algorithm
    lottery = to_tickets(solve("leximin", instance, rng=np.random.default_rng(0)), 50)
    assert all(holders[ticket].sum() <= cap for ticket in lottery.tickets)
