"""Seat a panel: check the rules, build the greedy seating, improve it, measure it, write it.

`seat` is what the command line calls. The same problem, method and seed give the same seating
on every machine and whatever PYTHONHASHSEED: every random choice comes from one generator made
from the seed text (`sortition.randomness.generator_from_seed`), the solvers are single-threaded,
and nothing iterates over hash-ordered collections. Only a time limit that stops the search before
it ends on its own makes the result depend on the machine's speed; the result then says so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sortition.i18n import Translator
from sortition.outputs.result_set import write_result_set
from sortition.randomness import generator_from_seed
from sortition.tables.feasibility import feasible_seating
from sortition.tables.greedy import greedy_seating
from sortition.tables.metrics import Quality, evaluate
from sortition.tables.model import SeatingProblem
from sortition.tables.output import seating_files
from sortition.tables.search import SearchProgress, local_search

METHODS = ("search", "greedy")
SEED_DOMAIN = "sortition tables\x00"


@dataclass(frozen=True, eq=False)
class SeatingResult:
    """A seating with its figures and how it was made."""

    problem: SeatingProblem
    seating: np.ndarray  # (rounds, members): 0-based table of each member in each round
    quality: Quality
    baseline: Quality  # the greedy seating the search started from
    method: str
    seed: str
    seconds: float
    steps: int
    stopped: str  # why the search ended ("greedy" for the greedy method)
    fallback_rounds: int  # greedy rounds that had to start from the feasibility seating

    @property
    def reproducible(self) -> bool:
        """False when a time limit cut the search short (the result depends on speed)."""
        return self.stopped != "time limit"


def seat(
    problem: SeatingProblem,
    *,
    seed: str,
    method: str = "search",
    time_limit: float | None = None,
    max_steps: int | None = None,
    patience: int | None = None,
    on_progress: Callable[[SearchProgress], None] | None = None,
) -> SeatingResult:
    """Seat the panel for every round (see the module docstring); raises InfeasibleSeating when
    the keep-together and keep-apart rules cannot all hold. `on_progress` receives the search's
    `SearchProgress` often (see `local_search`); it never changes the seating."""
    if method not in METHODS:
        raise ValueError(f"unknown seating method {method!r}")
    start = time.monotonic()
    feasible = feasible_seating(problem, time_limit=time_limit)
    rng = generator_from_seed(SEED_DOMAIN + seed)
    greedy, fallbacks = greedy_seating(problem, rng, feasible)
    baseline = evaluate(problem, greedy)
    if method == "greedy":
        seconds = time.monotonic() - start
        return SeatingResult(
            problem, greedy, baseline, baseline, method, seed, seconds, 0, "greedy", fallbacks
        )
    left = None if time_limit is None else max(time_limit - (time.monotonic() - start), 0.0)
    outcome = local_search(
        problem,
        greedy,
        rng,
        max_steps=max_steps,
        patience=patience,
        time_limit=left,
        on_progress=on_progress,
    )
    quality = evaluate(problem, outcome.seating)
    seconds = time.monotonic() - start
    return SeatingResult(
        problem,
        outcome.seating,
        quality,
        baseline,
        method,
        seed,
        seconds,
        outcome.steps,
        outcome.stopped,
        fallbacks,
    )


def result_files(result: SeatingResult, lang: str = "en") -> dict[str, bytes]:
    """Every output file of a seating, by name (no timings: same seating, same bytes); the
    printable pages in `lang` ('en' or 'es', the web app's language)."""
    caption = Translator(lang)("seating.caption", seed=repr(result.seed), method=result.method)
    return seating_files(result.problem, result.seating, result.quality, caption, lang)


def problem_inputs(problem: SeatingProblem) -> dict[str, str]:
    """The input files by role: no output may replace them."""
    return dict(problem.sources)


def write_seating(
    result: SeatingResult,
    out_dir: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    lang: str = "en",
) -> Path:
    """Write the files into `out_dir` as one result set (all or nothing)."""
    return write_result_set(
        out_dir, result_files(result, lang), problem_inputs(result.problem), overwrite=overwrite
    )
