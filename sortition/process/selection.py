"""One-step selection: load the inputs (`sortition.process.inputs`), compute the distribution,
draw a panel with a seed.

`select` returns a `Selection` holding everything; `selection_files` renders the output files as
bytes (public/probabilities.csv and public/selection-log.json; private/selected.csv,
private/remaining.csv and the private README, see `sortition.outputs.layout`), and `write_selection`
writes them all-or-nothing. A personal id column is replaced by pseudonyms from the moment the
pool is read (`sortition.inputs.privacy`); only the private files show the real ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sortition.algorithms import get_algorithm
from sortition.audit.canonical import pool_record, rules_record
from sortition.audit.log import (
    LOG_SCHEMA_VERSION,
    LOGGED_DETAILS,
    SEED_PROCEDURE,
    SELECTION_LOG_KIND,
    certificate_record,
    distribution_record,
    fairness_slack_option,
    fingerprinted,
    gap_option,
    inputs_record,
    probability_record,
    quota_record,
    software_record,
    to_json_bytes,
)
from sortition.distribution import Distribution, FairnessSummary
from sortition.errors import BadPanelSize, InfeasibleQuotas, UsageError
from sortition.inputs.build import LoadedInstance
from sortition.inputs.history import Exclusions
from sortition.inputs.privacy import Pseudonyms, pseudonym_option
from sortition.inputs.targets import TargetFile
from sortition.outputs.files import draw_output_files, personal_rows
from sortition.outputs.layout import private, private_files, under, with_log
from sortition.outputs.report_html import add_report
from sortition.outputs.result_set import write_result_set
from sortition.process.inputs import (
    DrawInputs,
    exclusions_record,
    input_files,
    load_for_draw,
    require_factor_support,
    targets_record,
)
from sortition.process.reserves import ReserveList, choose_reserves
from sortition.process.self_selection import Correction, correction_record
from sortition.randomness import Draw, check_seed, draw_panel, new_seed, streams_from_seed

OUTPUT_FILES: tuple[str, ...] = (
    "public/probabilities.csv",
    "public/selection-log.json",
    "private/selected.csv",
    "private/selected.xlsx",
)
OUTPUT_FILES += ("private/remaining.csv", "private/remaining.xlsx", "private/README.txt")


@dataclass(frozen=True)
class SelectionRequest:
    """What the organizer asked for: what the draw reads, the seed and the reserves."""

    inputs: DrawInputs
    seed: str | None = None  # None: a fresh seed from OS entropy, reported and logged
    reserves: int = 0  # length of the ranked reserve list


@dataclass(frozen=True, eq=False)
class Selection:
    """The outcome of one draw, with what is needed to repeat and check it."""

    request: SelectionRequest
    loaded: LoadedInstance
    distribution: Distribution
    seed: str
    seed_generated: bool
    draw: Draw
    duplicate_groups: int = 0  # groups sharing contact details, drawn anyway (--allow-duplicates)
    exclusions: Exclusions = field(default_factory=Exclusions)
    reserves: ReserveList | None = None
    pseudonyms: Pseudonyms | None = (
        None  # when the id column is personal (sortition.inputs.privacy)
    )
    correction: Correction | None = None  # self-selection corrected (population table)
    targets: TargetFile | None = None  # --targets (fair-maxentropy)

    @property
    def marginals(self) -> np.ndarray:
        return self.distribution.marginals()

    @property
    def fairness(self) -> FairnessSummary:
        return self.distribution.fairness()

    @property
    def selected_ids(self) -> list[str]:
        ids = self.loaded.instance.ids
        return [ids[i] for i in self.draw.panel.tolist()]


def select(request: SelectionRequest) -> Selection:
    """Load, solve with the requested algorithm (never another), and draw one panel."""
    check_seed(request.seed)
    inputs = request.inputs
    algorithm = get_algorithm(inputs.algorithm)
    prepared = load_for_draw(inputs)
    loaded = prepared.loaded
    require_factor_support(inputs.algorithm, prepared)
    seed_generated = request.seed is None
    seed = new_seed() if request.seed is None else request.seed
    streams = streams_from_seed(seed)
    distribution = algorithm.solve(
        loaded.instance, rng=streams.algorithm, options=prepared.solve_options(inputs.options)
    )
    draw = draw_panel(distribution, streams.draw)
    reserves = (
        choose_reserves(loaded.instance, draw.panel, request.reserves, streams.reserves)
        if request.reserves
        else None
    )
    return Selection(
        request, loaded, distribution, seed, seed_generated, draw, len(prepared.duplicates),
        prepared.exclusions, reserves, prepared.pseudonyms, prepared.correction, prepared.targets,
    )  # fmt: skip


def select_panels(request: SelectionRequest, count: int) -> tuple[Selection, ...]:
    """Several disjoint panels from one pool, one after another, each meeting the quotas.

    Panel i is drawn from the pool without the members of panels 1..i-1, with the seed
    "<seed> / panel i" (panel 1 uses the seed itself, so --panels 1 equals a single draw).
    """
    if count < 1:
        raise UsageError("the number of panels must be at least 1", hint="pass --panels 1 or more")
    check_seed(request.seed)
    seed = new_seed() if request.seed is None else request.seed
    selections: list[Selection] = []
    earlier = request.inputs.exclude_ids
    taken: list[str] = list(earlier)
    for number in range(1, count + 1):
        panel_seed = seed if number == 1 else f"{seed} / panel {number}"
        step = replace(
            request, inputs=replace(request.inputs, exclude_ids=tuple(taken)), seed=panel_seed
        )
        try:
            selection = select(step)
        except (InfeasibleQuotas, BadPanelSize) as error:
            if number == 1:
                raise
            taken_here = len(taken) - len(earlier)
            raise _later_panel_error(error, number, count, taken_here) from error
        if request.seed is None:
            selection = replace(selection, seed_generated=True)
        selections.append(selection)
        taken += selection.selected_ids
    return tuple(selections)


def _later_panel_error(
    error: InfeasibleQuotas | BadPanelSize, number: int, count: int, taken: int
) -> InfeasibleQuotas | BadPanelSize:
    """The error of panel `number` (> 1), saying which panel and that earlier ones took people."""
    earlier = "panel 1" if number == 2 else f"panels 1-{number - 1}"
    message = (
        f"panel {number} of {count} cannot be drawn: among the registrants left after {earlier} "
        f"took {taken}, {error.message}"
    )
    hint = (
        f"draw fewer panels ({number - 1} fit with this seed) or loosen the quotas "
        "('sortition check' looks at the whole pool, before any panel is drawn)"
    )
    if isinstance(error, InfeasibleQuotas):
        return InfeasibleQuotas(message, hint=hint, relaxation=error.relaxation)
    return BadPanelSize(message, hint=hint)


def selection_log(selection: Selection, files: dict[str, str] | None = None) -> dict[str, Any]:
    """The publishable record of the draw (ids, features and hashes only), fingerprinted; with
    `files`, the SHA-256 of every other file of its set (see `sortition.outputs.layout`)."""
    inputs = selection.request.inputs
    loaded = selection.loaded
    instance = loaded.instance
    distribution = selection.distribution
    details = {key: value for key, value in distribution.details.items() if key in LOGGED_DETAILS}
    pool = pool_record(instance, loaded.pool.id_column)
    rules = rules_record(instance)
    return fingerprinted(
        {
            "schema_version": LOG_SCHEMA_VERSION,
            "kind": SELECTION_LOG_KIND,
            "software": software_record(),
            "inputs": inputs_record(loaded, pool, rules),
            "options": {
                "panel_size": instance.panel_size,
                "algorithm": distribution.algorithm,
                "solver": inputs.options.solver,
                "time_limit": inputs.options.time_limit,
                **gap_option(inputs.options.gap),
                **fairness_slack_option(distribution),
                "legacy_draws": inputs.options.legacy_draws if not distribution.exact else None,
                "id_column": loaded.pool.id_column,
                **pseudonym_option(selection.pseudonyms),
                "feature_columns": list(loaded.feature_columns),
                "household_columns": list(loaded.household_columns),
                "duplicate_groups_allowed": selection.duplicate_groups,
                **targets_record(inputs.targets_path, selection.targets),
            },
            "randomness": {
                "method": "seed",
                "seed": selection.seed,
                "seed_source": "generated" if selection.seed_generated else "given",
                "committed_in_advance": False,
                "procedure": SEED_PROCEDURE,
            },
            "exclusions": exclusions_record(selection.exclusions, inputs.history),
            "pool": pool,
            "rules": rules,
            "algorithm_details": details,
            "certificate": certificate_record(distribution),
            "distribution": distribution_record(distribution),
            "probabilities": probability_record(instance, selection.marginals),
            "draw": {
                "panel_index": selection.draw.panel_index,
                "u": selection.draw.u,
                "selected": sorted(selection.selected_ids),
            },
            "quotas": quota_record(instance, selection.draw.panel),
            "fairness": selection.fairness.as_dict(),
            "reserves": reserves_record(selection),
            **(
                {}
                if selection.correction is None
                else {
                    "self_selection": correction_record(selection.correction, selection.marginals)
                }
            ),
            **({} if files is None else {"files": files}),
        }
    )


def reserves_record(selection: Selection) -> dict[str, Any] | None:
    """The ranked reserves (ids) and the share of single and double dropouts they can repair."""
    reserves = selection.reserves
    if reserves is None:
        return None
    ids = selection.loaded.instance.ids
    return {
        "ranked": [ids[i] for i in reserves.people],
        "rule": "a dropout is replaced by the first reserve in rank order (two dropouts by the "
        "first pair) whose arrival keeps every quota and household rule",
        "single_dropouts_repairable": reserves.singles_repaired,
        "single_dropouts": reserves.singles,
        "double_dropouts_repairable": reserves.doubles_repaired,
        "double_dropouts": reserves.doubles,
    }


def selection_files(selection: Selection) -> dict[str, bytes]:
    """The output files by relative name, as bytes, in a fixed order: public/ (probabilities,
    the log) then private/ (rows with real ids, reserves.csv with reserves, the README, and the
    pseudonym mapping and key when the id column is personal)."""
    table = selection.loaded.pool.table
    if selection.pseudonyms is not None:
        table = selection.pseudonyms.restore(table)
    chosen = np.zeros(len(table), dtype=bool)
    chosen[selection.draw.panel] = True
    files = draw_output_files(
        table, chosen, selection.loaded.instance.ids, selection.marginals.tolist()
    )
    if selection.reserves is not None:
        ranked = table.iloc[list(selection.reserves.people)].copy()
        ranked.insert(0, "reserve_rank", [str(r) for r in range(1, len(ranked) + 1)])
        files.update(personal_rows(private("reserves.csv"), ranked))
    files.update(private_files(selection.pseudonyms))
    return with_log(files, lambda hashes: to_json_bytes(selection_log(selection, hashes)))


def write_selection(
    selection: Selection, out_dir: str | Path, *, overwrite: bool = False, lang: str = "en"
) -> dict[str, bytes]:
    """Write every output file into out_dir as one result set (`sortition.outputs.result_set`:
    all or nothing; an earlier set only replaced with `overwrite`), report.html in `lang`;
    returns what was written."""
    files = add_report(selection_files(selection), lang)
    write_result_set(out_dir, files, input_files(selection.request.inputs), overwrite=overwrite)
    return files


def write_panels(
    selections: Sequence[Selection],
    out_dir: str | Path,
    *,
    overwrite: bool = False,
    lang: str = "en",
) -> dict[str, bytes]:
    """Write the panels of `select_panels` as one result set: panel-1/public/...,
    panel-1/private/..., panel-2/... (each report.html in `lang`)."""
    files: dict[str, bytes] = {}
    for number, selection in enumerate(selections, start=1):
        files.update(under(f"panel-{number}", add_report(selection_files(selection), lang)))
    inputs = input_files(selections[0].request.inputs) if selections else {}
    write_result_set(out_dir, files, inputs, overwrite=overwrite)
    return files
