"""Side-by-side comparison of selection algorithms on one instance: fairness, runtime, a plot.

Why: choosing an algorithm (or showing an organizer why LEGACY is unfair) needs the same
instance solved by each, with the same fairness figures and a picture. `compare` runs every named
algorithm through `get_algorithm(name).solve`, each with a fresh copy of the algorithm stream of
`streams_from_seed(seed)` (the stream `sortition select` uses, so LEGACY's estimate matches a
`select --seed S --legacy-draws N`), and times each solve with `time.perf_counter`.

An algorithm that fails is never replaced by another: its row says "failed: <message>" and the
others still run. Non-exact algorithms (LEGACY) estimate probabilities from N seeded draws; their
minimum comes with a 99% Wilson score interval for the lowest-estimated registrant, computed as if
that registrant's estimate were a binomial proportion over N draws. Registrants with identical
features share one group estimate, whose variance is at most that of a single registrant's
count, so the interval is conservative for them; its upper end bounds the true minimum from above.

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
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from sortition.algorithms import get_algorithm
from sortition.distribution import Distribution, FairnessSummary
from sortition.errors import EXIT_BAD_INPUT, SortitionError, UsageError
from sortition.inputs.build import LoadedInstance
from sortition.inputs.privacy import Pseudonyms, load_pseudonymized
from sortition.options import SolveOptions
from sortition.outputs.files import dataframe_to_csv_bytes
from sortition.outputs.layout import private_files, public
from sortition.outputs.result_set import write_result_set
from sortition.randomness import check_seed, streams_from_seed
from sortition.text import one_line, quoted, table

DEFAULT_SEED = "0"
CONFIDENCE = 0.99
OUTPUT_FILES = tuple(
    public(name)
    for name in ("comparison.csv", "probabilities.csv", "expected_counts.csv", "probabilities.png")
)
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
    "runtime_s",
)
# Okabe-Ito colours (distinguishable with colour-vision deficiencies), in algorithm order.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


@dataclass(frozen=True)
class CompareRequest:
    """Which instance to load, which algorithms to run and how."""

    pool_path: str
    quota_path: str
    panel_size: int
    algorithms: tuple[str, ...]
    seed: str = DEFAULT_SEED
    id_column: str = "id"
    household_columns: tuple[str, ...] = ()
    options: SolveOptions = field(default_factory=SolveOptions)
    personal_columns: tuple[str, ...] = ()  # marked personal: an id column among them is hidden


@dataclass(frozen=True, eq=False)
class AlgorithmRun:
    """One algorithm's outcome: its distribution, or the failure message and exit code."""

    algorithm: str
    runtime: float
    distribution: Distribution | None = None
    error: str | None = None
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return self.distribution is not None

    @property
    def marginals(self) -> np.ndarray:
        if self.distribution is None:
            raise ValueError(f"{self.algorithm} failed: {self.error}")
        return self.distribution.marginals()

    @property
    def fairness(self) -> FairnessSummary:
        if self.distribution is None:
            raise ValueError(f"{self.algorithm} failed: {self.error}")
        return self.distribution.fairness()

    @property
    def draws(self) -> int | None:
        """Sampled draws behind the probabilities, None when they are exact."""
        if self.distribution is None or self.distribution.exact:
            return None
        return int(self.distribution.details.get("draws", 0)) or None  # type: ignore[call-overload]

    @property
    def result(self) -> str:
        if self.distribution is None:
            return f"failed: {self.error}"
        draws = self.draws
        return self.distribution.label if draws is None else f"estimate from {draws} draws"

    def min_interval(self) -> tuple[float, float] | None:
        """99% interval for the lowest-estimated registrant's probability (estimates only)."""
        draws = self.draws
        if draws is None:
            return None
        return wilson_interval(float(self.marginals.min()), draws, CONFIDENCE)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The loaded instance and one run per requested algorithm, in the requested order."""

    loaded: LoadedInstance
    runs: tuple[AlgorithmRun, ...]
    seed: str
    options: SolveOptions
    pseudonyms: Pseudonyms | None = (
        None  # when the id column is personal (sortition.inputs.privacy)
    )

    @property
    def succeeded(self) -> tuple[AlgorithmRun, ...]:
        return tuple(run for run in self.runs if run.ok)

    @property
    def fair_share(self) -> float:
        instance = self.loaded.instance
        return instance.panel_size / instance.size


def wilson_interval(
    estimate: float, trials: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion `estimate` observed over `trials`."""
    if trials < 1:
        raise ValueError("trials must be at least 1")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = min(max(estimate, 0.0), 1.0)
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    return (max(0.0, centre - half), min(1.0, centre + half))


def parse_algorithms(text: str) -> tuple[str, ...]:
    """'legacy, maximin,leximin' -> names, each checked against the registry; no repeats."""
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    if not names:
        raise UsageError("no algorithm given", hint="pass --algorithms legacy,maximin,leximin")
    for name in names:
        get_algorithm(name)  # raises UsageError listing the registered names
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(
            f"algorithm {quoted(repeated[0])} is named twice", hint="name each algorithm once"
        )
    return names


def run_algorithm(
    name: str, loaded: LoadedInstance, seed: str, options: SolveOptions
) -> AlgorithmRun:
    """Solve with one algorithm; a failure becomes a failed run, never another algorithm."""
    solve = get_algorithm(name).solve
    rng = streams_from_seed(seed).algorithm
    start = time.perf_counter()
    try:
        distribution = solve(loaded.instance, rng=rng, options=options)
    except SortitionError as error:
        return AlgorithmRun(
            name, time.perf_counter() - start, error=one_line(str(error)), exit_code=error.exit_code
        )
    except Exception as error:  # a bug in one algorithm must not stop the comparison
        message = one_line(f"{type(error).__name__}: {error}")
        return AlgorithmRun(name, time.perf_counter() - start, error=message, exit_code=1)
    return AlgorithmRun(name, time.perf_counter() - start, distribution=distribution)


def compare(
    request: CompareRequest, *, progress: Callable[[str], None] | None = None
) -> Comparison:
    """Load the instance and run every requested algorithm on it, in order."""
    check_seed(request.seed)
    algorithms = parse_algorithms(",".join(request.algorithms))
    loaded, pseudonyms = load_pseudonymized(
        request.pool_path,
        request.quota_path,
        panel_size=request.panel_size,
        id_column=request.id_column,
        household_columns=request.household_columns,
        personal_columns=request.personal_columns,
    )
    runs = []
    for name in algorithms:
        if progress is not None:
            progress(f"compare: running {name} ...")
        run = run_algorithm(name, loaded, request.seed, request.options)
        if progress is not None:
            progress(f"compare: {name} {run.result} in {run.runtime:.2f} s")
        runs.append(run)
    return Comparison(loaded, tuple(runs), request.seed, request.options, pseudonyms)


# ---------------------------------------------------------------------------------------------
# Tables


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
            interval = run.min_interval()
            if interval is not None:
                row["min_ci99_low"], row["min_ci99_high"] = interval
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS), dtype=object)


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
    lines = table(headers, rows).splitlines()
    head = (
        f"Compared on {instance.size} registrants, panel of {instance.panel_size} "
        f"(k/n = {comparison.fair_share:.4f}), seed {comparison.seed}:"
    )
    return "\n".join([head, "", *lines, *([""] if notes else []), *notes])


# ---------------------------------------------------------------------------------------------
# Plot


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


# ---------------------------------------------------------------------------------------------
# Files


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


def compare_inputs(request: CompareRequest) -> dict[str, str | None]:
    """The input files of a comparison, by role: no output may replace them."""
    return {"pool": request.pool_path, "quota table": request.quota_path}


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


def failure_exit_code(runs: Sequence[AlgorithmRun]) -> int:
    """0 if any algorithm succeeded, else the first failure's exit code (1 if it had none)."""
    if any(run.ok for run in runs) or not runs:
        return 0
    return runs[0].exit_code or EXIT_BAD_INPUT
