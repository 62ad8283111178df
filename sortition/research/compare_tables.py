"""The figures of a comparison (`sortition.research.compare`): comparison, probability and
expected-count tables, and the on-screen summary.

Why: the same fairness figures feed the CSV files (`compare_files`) and the terminal; computing
them in one place from a `Comparison` keeps the two in agreement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sortition.process.self_selection import end_to_end_spread
from sortition.research.compare import Comparison
from sortition.research.intersections import intersectional_balance
from sortition.text import table

COMPARISON_COLUMNS = (
    "algorithm",
    "result",
    "min_probability",
    "max_probability",
    "gini",
    "geometric_mean",
    "share_below_k_over_n",
    "min_ci99_low",
    "min_ci99_high",
    "panels",
    "entropy_bits",
    "intersectional_balance",
    "runtime_s",
)
# with --correct-self-selection: spread of end-to-end chances (see sortition.process.self_selection)
SPREAD_COLUMNS = ("end_to_end_ratio", "end_to_end_variation")


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """One row per algorithm (COMPARISON_COLUMNS); blank figures for failed algorithms."""
    rows = []
    for run in comparison.runs:
        row: dict[str, object] = dict.fromkeys(COMPARISON_COLUMNS, "")
        row["algorithm"] = run.algorithm
        row["result"] = run.result
        row["runtime_s"] = round(run.runtime, 4)
        if run.ok:
            summary = run.fairness
            row["min_probability"] = summary.minimum
            row["max_probability"] = summary.maximum
            row["gini"] = summary.gini
            row["geometric_mean"] = summary.geometric_mean
            row["share_below_k_over_n"] = summary.share_below_fair
            row["panels"] = run.distribution.num_panels  # type: ignore[union-attr]
            row["entropy_bits"] = run.distribution.entropy_bits()  # type: ignore[union-attr]
            row["intersectional_balance"] = intersectional_balance(run.distribution)  # type: ignore[arg-type]
            interval = run.min_interval()
            if interval is not None:
                row["min_ci99_low"], row["min_ci99_high"] = interval
        rows.append(row)
    columns = list(COMPARISON_COLUMNS)
    if comparison.correction is not None:  # end-to-end spread under the estimated propensities
        columns += list(SPREAD_COLUMNS)
        for run, row in zip(comparison.runs, rows, strict=True):
            spread = (
                end_to_end_spread(run.marginals, comparison.correction.weights) if run.ok else None
            )
            row["end_to_end_ratio"] = "" if spread is None else spread.ratio
            row["end_to_end_variation"] = "" if spread is None else spread.variation
    return pd.DataFrame(rows, columns=columns, dtype=object)


def probabilities_table(comparison: Comparison) -> pd.DataFrame:
    """id and one column of selection probabilities per algorithm (blank if it failed)."""
    instance = comparison.loaded.instance
    columns: dict[str, list[object]] = {"id": list(instance.ids)}
    for run in comparison.runs:
        columns[run.algorithm] = (
            [float(p) for p in run.marginals] if run.ok else [""] * instance.size
        )
    return pd.DataFrame(columns, dtype=object)


def expected_counts_table(comparison: Comparison) -> pd.DataFrame:
    """Per feature value: quota bounds, registrants holding it, expected panel count per
    algorithm (sum of its holders' probabilities, 6 decimals; blank if it failed)."""
    instance = comparison.loaded.instance
    rows = []
    expected = {
        run.algorithm: [
            np.bincount(instance.values[:, f], weights=run.marginals, minlength=len(feature.values))
            for f, feature in enumerate(instance.features)
        ]
        for run in comparison.succeeded
    }
    for f, feature in enumerate(instance.features):
        held = instance.value_counts(f)
        for j, (value, quota) in enumerate(zip(feature.values, feature.quotas, strict=True)):
            row: dict[str, object] = {
                "feature": feature.name,
                "value": value,
                "min": quota.min,
                "max": quota.max,
                "in_pool": int(held[j]),
            }
            for run in comparison.runs:
                row[run.algorithm] = (
                    round(float(expected[run.algorithm][f][j]), 6) if run.ok else ""
                )
            rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def _number(value: object, digits: int = 4) -> str:
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def comparison_text(comparison: Comparison) -> str:
    """The on-screen table and notes: one row per algorithm, figures rounded for reading."""
    instance = comparison.loaded.instance
    headers = ["algorithm", "min", "max", "gini", "geo mean", "below k/n", "runtime s", "result"]
    rows = []
    notes = []
    for run in comparison.runs:
        if not run.ok:
            rows.append([run.algorithm, "", "", "", "", "", f"{run.runtime:.2f}", run.result])
            continue
        summary = run.fairness
        low = _number(summary.minimum)
        interval = run.min_interval()
        if interval is not None:
            low += f" (99% CI {interval[0]:.4f}-{interval[1]:.4f})"
            notes.append(
                f"{run.algorithm}: probabilities are estimates from {run.draws} seeded draws; "
                "the interval is a 99% Wilson score interval for the lowest-estimated "
                f"registrant, so the true minimum is at most {interval[1]:.4f} (99% confidence)."
            )
        rows.append(
            [
                run.algorithm,
                low,
                _number(summary.maximum),
                _number(summary.gini),
                _number(summary.geometric_mean),
                f"{100 * summary.share_below_fair:.1f}%",
                f"{run.runtime:.2f}",
                run.result,
            ]
        )
    gap = comparison.options.gap
    if gap is not None and any(
        run.distribution and run.distribution.exact for run in comparison.runs
    ):
        notes.append(
            f"The exact algorithms stopped once provably within a relative gap of {gap:g} "
            "(--gap); their figures may trail the optima by that much."
        )
    if comparison.correction is not None:
        corrected = comparison.correction
        equal = end_to_end_spread(np.full(instance.size, comparison.fair_share), corrected.weights)
        by_run = [
            f"{run.algorithm} {end_to_end_spread(run.marginals, corrected.weights).variation:.3f}"
            for run in comparison.succeeded
        ]
        notes.append(
            "Self-selection corrected on " + ", ".join(corrected.categories) + ": the algorithms "
            "aim at probabilities inversely proportional to estimated propensities. Coefficient "
            "of variation of end-to-end chances across residents: equal chances "
            f"{equal.variation:.3f}; " + ", ".join(by_run) + "."
        )
    lines = table(headers, rows).splitlines()
    head = (
        f"Compared on {instance.size} registrants, panel of {instance.panel_size} "
        f"(k/n = {comparison.fair_share:.4f}), seed {comparison.seed}:"
    )
    return "\n".join([head, "", *lines, *([""] if notes else []), *notes])
