"""The two plots a researcher reads at a glance after a sweep (matplotlib, Agg canvas, PNG bytes
without a timestamp, so equal tables give equal files):

- runtime.png: median runtime against pool size per algorithm, log-log;
- fairness.png: each cell's minimum probability relative to MAXIMIN's on the same instance, by
  algorithm (1 = as fair to the least-chosen volunteer as the maximin optimum).
"""

from __future__ import annotations

import io
from typing import Any

from sortition.algorithms import ALGORITHM_NAMES

ALGORITHM_ORDER = ALGORITHM_NAMES  # the registry's order


def _figure(title: str) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    return figure, axes


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _algorithms(frame: Any) -> list[str]:
    present = set(frame["algorithm"])
    return [a for a in ALGORITHM_ORDER if a in present] + sorted(present - set(ALGORITHM_ORDER))


def runtime_plot(frame: Any) -> bytes:
    """Median runtime (s) of the finished cells against pool size, one line per algorithm."""
    figure, axes = _figure("Runtime against pool size (median over instances)")
    ok = frame[frame["status"] == "ok"]
    for algorithm in _algorithms(ok):
        rows = ok[ok["algorithm"] == algorithm]
        medians = rows.groupby("pool_size")["runtime_s"].median().sort_index()
        axes.plot(medians.index.astype(float), medians.to_numpy(), marker="o", label=algorithm)
    if len(ok):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.legend()
    else:
        axes.text(0.5, 0.5, "no finished cells", ha="center", transform=axes.transAxes)
    axes.set_xlabel("pool size (registrants)")
    axes.set_ylabel("runtime (s)")
    return _png(figure)


def fairness_plot(frame: Any) -> bytes:
    """Minimum probability relative to MAXIMIN's on the same instance, per algorithm."""
    figure, axes = _figure("Lowest probability relative to MAXIMIN (same instance)")
    ok = frame[frame["status"] == "ok"]
    maximin = ok[(ok["algorithm"] == "maximin") & (ok["min_probability"] > 0)]
    reference = maximin.set_index("instance")["min_probability"]  # (a 0 gives no ratio)
    algorithms = _algorithms(ok)
    if reference.empty:
        axes.text(0.5, 0.5, "add maximin to the grid to compare", ha="center",
                  transform=axes.transAxes)  # fmt: skip
        return _png(figure)
    for position, algorithm in enumerate(algorithms):
        rows = ok[(ok["algorithm"] == algorithm) & ok["instance"].isin(reference.index)]
        ratios = rows["min_probability"].to_numpy() / reference[rows["instance"]].to_numpy()
        axes.scatter([position] * len(ratios), ratios, alpha=0.6)
    axes.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    axes.set_xticks(range(len(algorithms)), algorithms)
    axes.set_ylabel("min probability / MAXIMIN's min probability")
    return _png(figure)
