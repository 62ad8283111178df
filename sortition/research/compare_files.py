"""The files of a comparison (`sortition.research.compare`): the probability plot and the
result set.

Outputs (`comparison_files`): comparison.csv (one row per algorithm: the fairness summary of
`sortition.distribution.fairness_summary`, runtime, the interval), probabilities.csv (id and one
column per algorithm, blank for failed ones), expected_counts.csv (expected panel count of every
feature value under each algorithm next to the quota bounds) and probabilities.png (sorted
probability curves with k/n dashed).

Dependency: matplotlib, for plotting probabilities.png only (imported lazily; Agg canvas, no
display and no global pyplot state).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from sortition.outputs.files import dataframe_to_csv_bytes
from sortition.outputs.layout import private_files, public
from sortition.outputs.result_set import write_result_set
from sortition.research.compare import Comparison
from sortition.research.compare_tables import (
    comparison_table,
    expected_counts_table,
    probabilities_table,
)

OUTPUT_FILES = tuple(
    public(name)
    for name in ("comparison.csv", "probabilities.csv", "expected_counts.csv", "probabilities.png")
)
# Okabe-Ito colours (distinguishable with colour-vision deficiencies), in algorithm order.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


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


def comparison_files(comparison: Comparison) -> dict[str, bytes]:
    """The four publishable files (OUTPUT_FILES, under public/) as bytes, and the private
    pseudonym mapping when the id column is personal."""
    files = {
        public("comparison.csv"): dataframe_to_csv_bytes(comparison_table(comparison)),
        public("probabilities.csv"): dataframe_to_csv_bytes(probabilities_table(comparison)),
        public("expected_counts.csv"): dataframe_to_csv_bytes(expected_counts_table(comparison)),
        public("probabilities.png"): plot_probabilities(comparison),
    }
    if comparison.pseudonyms is not None:
        files.update(private_files(comparison.pseudonyms))
    return files


def write_comparison(
    comparison: Comparison, out_dir: str | Path, *, overwrite: bool = False
) -> dict[str, bytes]:
    """Write the files into `out_dir` as one result set (all or nothing; an earlier set only
    replaced with `overwrite`); returns what was written."""
    loaded = comparison.loaded
    inputs = {"pool": loaded.pool.path, "quota table": loaded.quotas.path}
    files = comparison_files(comparison)
    write_result_set(out_dir, files, inputs, overwrite=overwrite)
    return files
