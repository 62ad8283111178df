"""What a draw reads, and the pool it draws from: shared by `select` and `lottery`.

`DrawInputs` is the one list of the inputs both kinds of draw take (pool and quota files, panel
size, algorithm and solve options, id, household and contact columns, who is kept out, personal
columns); `SelectionRequest` and `LotteryRequest` each hold one and add only what is theirs.
`load_for_draw` turns it into a `DrawPool` (the eligible instance, pseudonyms, who was kept
out), `require_factor_support` and `exclusions_record` are what both logs and checks need. Kept
apart from `selection.py` so that publishing a lottery does not depend on drawing one now.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sortition.algorithms import DEFAULT_ALGORITHM, FACTOR_ALGORITHMS
from sortition.errors import UsageError
from sortition.inputs.build import LoadedInstance, build_instance
from sortition.inputs.duplicates import DuplicateGroup, refuse_duplicates
from sortition.inputs.history import (
    Exclusions,
    HistoryRule,
    recently_selected,
    without,
)
from sortition.inputs.pool import read_pool
from sortition.inputs.population import read_population
from sortition.inputs.privacy import (
    Pseudonyms,
    pseudonymize_pool,
    refuse_personal_features,
    to_pseudonyms,
)
from sortition.inputs.quotas import read_quotas
from sortition.inputs.targets import TargetFile, read_targets
from sortition.options import SolveOptions
from sortition.process.self_selection import Correction, correction

TARGETS_ALGORITHM = "fair-maxentropy"  # the one algorithm that takes --targets


@dataclass(frozen=True)
class DrawInputs:
    """What both `select` and `lottery` read: pool, quotas, panel size, how to compute the
    distribution, and who is kept out."""

    pool_path: str
    quota_path: str
    panel_size: int
    algorithm: str = DEFAULT_ALGORITHM
    id_column: str = "id"
    household_columns: tuple[str, ...] = ()
    contact_columns: tuple[str, ...] | None = None  # None: the pool's e-mail and phone columns
    allow_duplicates: bool = False  # draw even if registrants share contact details
    history: HistoryRule | None = None  # keep out those selected within a cooldown
    exclude_ids: tuple[str, ...] = ()  # e.g. members of panels drawn earlier from this pool
    options: SolveOptions = field(default_factory=SolveOptions)
    personal_columns: tuple[str, ...] = ()  # marked personal: an id column among them is hidden
    population_path: str | None = None  # population per quota value: correct self-selection
    targets_path: str | None = None  # per-registrant target probabilities (fair-maxentropy)


def input_files(inputs: DrawInputs) -> dict[str, str | None]:
    """The input files of a draw, by role: no output may replace them."""
    history = inputs.history.path if inputs.history is not None else None
    return {
        "pool": inputs.pool_path,
        "quota table": inputs.quota_path,
        "history": history,
        "population table": inputs.population_path,
        "targets": inputs.targets_path,
    }


@dataclass(frozen=True, eq=False)
class DrawPool:
    """The eligible instance, the duplicate groups allowed, who was kept out, and the
    pseudonyms that replace a personal id column (ids in `loaded` are pseudonyms then)."""

    loaded: LoadedInstance
    duplicates: tuple[DuplicateGroup, ...]
    exclusions: Exclusions
    pseudonyms: Pseudonyms | None = None
    correction: Correction | None = None  # with a population table (self-selection)
    targets: TargetFile | None = None  # from --targets, by position in the instance

    def solve_options(self, options: SolveOptions) -> SolveOptions:
        """The options the algorithm runs with: the given ones and the targets read here."""
        return options if self.targets is None else replace(options, targets=self.targets.values)


def load_for_draw(inputs: DrawInputs) -> DrawPool:
    """Load, refuse duplicate registrations unless allowed, pseudonymize a personal id column,
    keep out history and earlier panels (ids given real or pseudonymous)."""
    pool = read_pool(inputs.pool_path, id_column=inputs.id_column)
    quotas = read_quotas(inputs.quota_path)
    duplicates = refuse_duplicates(pool, inputs.contact_columns, allow=inputs.allow_duplicates)
    pool, pseudonyms = pseudonymize_pool(pool, inputs.personal_columns)
    in_pool = {str(v).strip() for v in pool.table[pool.id_column]}
    by_history: tuple[str, ...] = ()
    history_sha = None
    weighted: tuple[str, ...] = ()
    if inputs.history is not None:
        recent, history_sha = recently_selected(inputs.history)
        found = tuple(p for p in to_pseudonyms(recent, pseudonyms) if p in in_pool)
        if inputs.history.mode == "weight":
            weighted = found
        else:
            by_history = found
    given = to_pseudonyms(inputs.exclude_ids, pseudonyms)
    earlier = tuple(sorted(person for person in set(given) if person in in_pool))
    exclusions = Exclusions(by_history, earlier, history_sha, weighted)
    loaded = build_instance(
        without(pool, exclusions.ids),
        quotas,
        panel_size=inputs.panel_size,
        household_columns=inputs.household_columns,
    )
    refuse_personal_features(loaded.pool, loaded.feature_columns, inputs.personal_columns)
    if weighted and inputs.history is not None:
        instance = loaded.instance
        lowered = set(weighted)
        factors = np.array(
            [inputs.history.factor if person in lowered else 1.0 for person in instance.ids]
        )
        loaded = replace(loaded, instance=instance.with_factors(factors))
    corrected = None
    if inputs.population_path is not None:
        if loaded.instance.factors is not None:
            raise UsageError(
                "--correct-self-selection and --history-mode weight both set chance factors",
                hint="use one of them (--history-mode exclude keeps history out instead)",
            )
        margins = read_population(inputs.population_path, loaded.instance)
        corrected = correction(loaded.instance, margins)
        loaded = replace(loaded, instance=loaded.instance.with_factors(corrected.factors))
    targets = None
    if inputs.targets_path is not None:
        if inputs.algorithm != TARGETS_ALGORITHM:
            raise UsageError(
                f"--targets sets the probabilities of {TARGETS_ALGORITHM}; {inputs.algorithm} "
                "computes its own",
                hint=f"use --algorithm {TARGETS_ALGORITHM}, or leave out --targets",
            )
        targets = read_targets(inputs.targets_path, loaded.instance, pseudonyms)
    return DrawPool(loaded, duplicates, exclusions, pseudonyms, corrected, targets)


def targets_record(path: str | None, targets: TargetFile | None) -> dict[str, Any]:
    """The targets file for a log's options (name and SHA-256), present only with --targets so
    other logs keep the records (and fingerprints) they always had."""
    if path is None or targets is None:
        return {}
    return {"targets": {"file": Path(path).name, "sha256": targets.sha256}}


def require_factor_support(algorithm: str, prepared: DrawPool) -> None:
    """Chance factors need an algorithm that honours them; never ignore them silently."""
    if prepared.loaded.instance.factors is not None and algorithm not in FACTOR_ALGORITHMS:
        raise factor_refusal(algorithm, corrected=prepared.correction is not None)


def factor_refusal(algorithm: str, *, corrected: bool) -> UsageError:
    """Why `algorithm` cannot run on chance factors set by the self-selection correction
    (`corrected`) or by --history-mode weight."""
    choices = " or ".join(FACTOR_ALGORITHMS)
    if corrected:
        return UsageError(
            f"{algorithm} does not honour chance factors, so it cannot aim at the "
            "self-selection targets",
            hint=f"use --algorithm {choices}",
        )
    return UsageError(
        f"--history-mode weight needs an algorithm that honours chance factors; "
        f"{algorithm} does not",
        hint=f"use --algorithm {choices}, or --history-mode exclude",
    )


def exclusions_record(exclusions: Exclusions, history: HistoryRule | None) -> dict[str, Any]:
    """Who was kept out of the draw (pseudonymous ids) and by which rule."""
    return {
        "history": None
        if history is None
        else {
            "file": Path(history.path).name,
            "sha256": exclusions.history_sha256,
            "cooldown_months": history.cooldown_months,
            "as_of": history.as_of,
            "mode": history.mode,
            "factor": history.factor if history.mode == "weight" else None,
        },
        "by_history": list(exclusions.by_history),
        "by_earlier_panels": list(exclusions.by_earlier_panels),
        "weighted_by_history": list(exclusions.weighted_by_history),
    }
