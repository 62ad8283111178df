"""The files of a comparison (`sortition.research.compare`): the tables and plots as one
result set.

Outputs (`comparison_files`): comparison.csv (one row per algorithm: the fairness summary of
`sortition.distribution.fairness_summary`, runtime, the interval), probabilities.csv (id and one
column per algorithm, blank for failed ones), expected_counts.csv (expected panel count of every
feature value under each algorithm next to the quota bounds), probabilities.png (sorted
probability curves with k/n dashed) and metrics.png (bar charts of the other figures); the plots
are drawn in `compare_plots`.
"""

from __future__ import annotations

from pathlib import Path

from sortition.outputs.files import dataframe_to_csv_bytes
from sortition.outputs.layout import private_files, public
from sortition.outputs.result_set import write_result_set
from sortition.research.compare import Comparison
from sortition.research.compare_plots import plot_metrics, plot_probabilities
from sortition.research.compare_tables import (
    comparison_table,
    expected_counts_table,
    probabilities_table,
)

OUTPUT_FILES = tuple(
    public(name)
    for name in (
        "comparison.csv",
        "probabilities.csv",
        "expected_counts.csv",
        "probabilities.png",
        "metrics.png",
    )
)


def comparison_files(comparison: Comparison) -> dict[str, bytes]:
    """The publishable files (OUTPUT_FILES, under public/) as bytes, and the private
    pseudonym mapping when the id column is personal."""
    table = comparison_table(comparison)
    files = {
        public("comparison.csv"): dataframe_to_csv_bytes(table),
        public("probabilities.csv"): dataframe_to_csv_bytes(probabilities_table(comparison)),
        public("expected_counts.csv"): dataframe_to_csv_bytes(expected_counts_table(comparison)),
        public("probabilities.png"): plot_probabilities(comparison),
        public("metrics.png"): plot_metrics(comparison, table),
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
