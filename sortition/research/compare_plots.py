"""The figures of a comparison (`sortition.research.compare`) as PNG bytes.

- probabilities.png: each algorithm's selection probabilities sorted ascending, k/n dashed.
- metrics.png: one bar chart per figure of comparison.csv that is not a probability curve: the
  lowest probability, the entropy of the panel distribution (bits), the expected intersectional
  balance and, with a population table (`--correct-self-selection`), the spread of end-to-end
  chances; failed algorithms are named, not drawn.

Dependency: matplotlib (imported lazily; Agg canvas, no display and no global pyplot state). The
PNG metadata carries no software version, so the same comparison gives the same bytes.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from sortition.process.self_selection import end_to_end_spread
from sortition.research.compare import Comparison

# Okabe-Ito colours (distinguishable with colour-vision deficiencies), in algorithm order.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# comparison.csv column -> the panel title of metrics.png, in drawing order
METRICS = {
    "min_probability": "lowest selection probability",
    "entropy_bits": "entropy of the panel lottery (bits)",
    "intersectional_balance": "expected intersectional balance (1 = proportional)",
    "end_to_end_variation": "spread of end-to-end chances (coefficient of variation)",
}


def plot_probabilities(comparison: Comparison, *, title: str | None = None) -> bytes:
    """PNG: each algorithm's probabilities sorted ascending, k/n dashed; legend and sizes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    instance = comparison.loaded.instance
    n, k = instance.size, instance.panel_size
    figure = Figure(figsize=(9, 6), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x = np.arange(1, n + 1)
    top = comparison.fair_share
    successes = comparison.succeeded
    for position, run in enumerate(comparison.runs):
        if not run.ok:
            continue
        probabilities = np.sort(run.marginals)
        top = max(top, float(probabilities[-1]))
        label = run.algorithm
        if run.draws is not None:
            label += f" (estimate, {run.draws} draws)"
        label += f": min {probabilities[0]:.4f}"
        colour = COLOURS[position % len(COLOURS)]
        # Wider lines first, so curves that coincide stay visible as outlines.
        axes.plot(
            x,
            probabilities,
            color=colour,
            linewidth=max(1.2, 3.4 - 0.7 * position),
            label=label,
            zorder=2 + position,
        )
        axes.plot(  # the minimum is often one registrant: mark it
            [1], probabilities[:1], marker="o", markersize=6, color=colour, zorder=2 + position
        )
    axes.axhline(
        comparison.fair_share,
        color="#222222",
        linestyle="--",
        linewidth=1.0,
        label=f"k/n = {comparison.fair_share:.4f}",
        zorder=2 + len(comparison.runs),
    )
    failed = [run.algorithm for run in comparison.runs if not run.ok]
    if not successes:
        axes.text(0.5, 0.5, "no algorithm succeeded", transform=axes.transAxes, ha="center")
    if failed:
        axes.text(
            0.01,
            0.02,
            "failed: " + ", ".join(failed),
            transform=axes.transAxes,
            ha="left",
            color="#B00000",
        )
    axes.set_xlim(1 - 0.02 * n, n + 0.02 * n)
    axes.set_ylim(0, top * 1.08)
    axes.set_xlabel("registrants, sorted by selection probability")
    axes.set_ylabel("selection probability")
    axes.set_title(title or f"Selection probabilities: {n} registrants, panel of {k}")
    axes.grid(True, color="#DDDDDD", linewidth=0.6)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def plot_metrics(comparison: Comparison, table: pd.DataFrame) -> bytes:
    """PNG: one horizontal bar chart per figure in METRICS that `table` (comparison.csv) has,
    one bar per algorithm that succeeded, in the comparison's colours, each bar labelled."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    metrics = [column for column in METRICS if column in table.columns]
    figure = Figure(figsize=(9, 2.0 + 1.6 * len(metrics)), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    ok = [position for position, run in enumerate(comparison.runs) if run.ok]
    names = [comparison.runs[position].algorithm for position in ok]
    for row, column in enumerate(metrics):
        axes = figure.add_subplot(len(metrics), 1, row + 1)
        values = [float(table[column].iloc[position]) for position in ok]
        colours = [COLOURS[position % len(COLOURS)] for position in ok]
        y = np.arange(len(values))
        axes.barh(y, values, color=colours)
        for position, value in zip(y.tolist(), values, strict=True):
            axes.text(value, position, f" {value:.4g}", va="center", ha="left", fontsize=9)
        axes.set_yticks(y, names)
        axes.invert_yaxis()
        top = max(values, default=1.0)
        reference = _reference(comparison, column)
        if reference is not None:  # what equal chances for everyone would give
            value, label = reference
            axes.axvline(value, color="#222222", linestyle="--", linewidth=1.0, label=label)
            axes.legend(loc="lower right", fontsize=8, frameon=False)
            top = max(top, value)
        axes.set_xlim(0, top * 1.2 if top > 0 else 1.0)
        axes.set_title(METRICS[column], fontsize=10, loc="left")
        axes.grid(True, axis="x", color="#DDDDDD", linewidth=0.6)
    failed = [run.algorithm for run in comparison.runs if not run.ok]
    if failed or not ok:
        figure.suptitle(
            "failed: " + ", ".join(failed) if failed else "no algorithm succeeded",
            color="#B00000",
        )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _reference(comparison: Comparison, column: str) -> tuple[float, str] | None:
    """The dashed reference line of one chart, if it has one: k/n for the lowest probability,
    the spread that equal chances in the pool would give for the end-to-end spread."""
    if column == "min_probability":
        return comparison.fair_share, f"k/n = {comparison.fair_share:.4f}"
    if column == "end_to_end_variation" and comparison.correction is not None:
        size = comparison.loaded.instance.size
        equal = np.full(size, comparison.fair_share)
        variation = end_to_end_spread(equal, comparison.correction.weights).variation
        return variation, f"equal chances in the pool: {variation:.3f}"
    return None
