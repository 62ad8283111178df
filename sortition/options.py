"""Settings shared by every algorithm: which solver, how long, how many sampled draws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sortition.errors import UsageError

SOLVERS = ("highs", "cbc")
MAX_GAP = 0.1  # a looser "optimum" would mislead more than it helps
DEFAULT_FAIRNESS_SLACK = 0.05  # DIVERSIMAX: probabilities stay >= (1 - slack) x MAXIMIN's minimum


@dataclass(frozen=True)
class Status:
    """Where a long computation stands, for a progress bar: the phase ("maximin", "leximin stage
    3"), the share of the work done when it is known (LEXIMIN: groups fixed), and the current
    lowest probability (stage level) with the best proven upper bound on it."""

    phase: str
    done: float | None = None
    level: float | None = None
    bound: float | None = None

    @property
    def gap(self) -> float | None:
        """The relative gap between level and bound, or None when there is no finite bound."""
        if self.level is None or self.bound is None:
            return None
        if not (np.isfinite(self.bound) and self.bound > 0):
            return None
        return max(self.bound - self.level, 0.0) / self.bound

    def describe(self) -> str:
        """One line: the phase, the level and the bound with the relative gap between them."""
        text = self.phase
        if self.level is not None:
            text += f": level {self.level:.6f}"
            gap = self.gap
            if gap is not None:
                text += f", bound {self.bound:.6f} (gap {gap:.2%})"
        return text


@dataclass(frozen=True)
class SolveOptions:
    """How to compute a distribution.

    solver: 'highs' (default, via highspy) or 'cbc' (bundled with PuLP).
    time_limit: seconds for the whole computation; None means no limit.
    legacy_draws: how many greedy draws estimate LEGACY's probabilities.
    gap: relative optimality tolerance of the exact algorithms, or None for their own (tight)
        defaults. With gap g, MAXIMIN's lowest probability is at least (1 - g) times the best
        possible, each LEXIMIN stage at least (1 - g) times its best level, and NASH's and
        GOLDILOCKS' objectives are provably within g of optimal, DIVERSIMAX's expected balance
        within g (absolute for scores up to 1, else relative). The audit log records it.
    fairness_slack: for DIVERSIMAX, epsilon in [0, 1): everyone's probability stays at least
        (1 - epsilon) times MAXIMIN's lowest probability. The audit log records it.
    progress: optional callback receiving one-line progress messages.
    status: optional callback receiving a `Status` often (after every master LP solve), then
        None once the algorithm has ended; it never changes the result.
    targets: per-registrant target probabilities (by position) for fair-maxentropy, or None
        for LEXIMIN's (`--targets FILE`).
    """

    solver: str = "highs"
    time_limit: float | None = None
    legacy_draws: int = 1000
    gap: float | None = None
    fairness_slack: float = DEFAULT_FAIRNESS_SLACK
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    status: Callable[[Status | None], None] | None = field(default=None, compare=False)
    targets: tuple[float, ...] | None = None

    def report(self, message: str) -> None:
        """Tell the caller how a long computation is going (no-op without a callback)."""
        if self.progress is not None:
            self.progress(message)

    def show(self, status: Status | None) -> None:
        """Tell the caller where the computation stands (None: it has ended)."""
        if self.status is not None:
            self.status(status)

    def __post_init__(self) -> None:
        if self.solver not in SOLVERS:
            raise UsageError(
                f"unknown solver '{self.solver}'", hint=f"choose one of {', '.join(SOLVERS)}"
            )
        if self.time_limit is not None and self.time_limit <= 0:
            raise UsageError(
                "the time limit must be positive", hint="pass --time-limit SECONDS > 0"
            )
        if self.gap is not None and not 0 < self.gap <= MAX_GAP:
            raise UsageError(
                f"the optimality gap must be above 0 and at most {MAX_GAP:g}, got {self.gap:g}",
                hint=f"pass --gap G with 0 < G <= {MAX_GAP:g} (e.g. 0.001), or leave it out",
            )
        if not 0 <= self.fairness_slack < 1:
            raise UsageError(
                f"the fairness slack must be at least 0 and below 1, got {self.fairness_slack:g}",
                hint="pass --fairness-slack E with 0 <= E < 1 (e.g. 0.05: everyone keeps at "
                "least 95% of the MAXIMIN minimum)",
            )
        if self.legacy_draws < 1:
            raise UsageError(
                "legacy draws must be at least 1", hint="pass --legacy-draws 1 or more"
            )
