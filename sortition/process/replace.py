"""Replacements after dropouts: refill a drawn panel so that every quota holds again, fairly.

The remaining members stay. Replacements come from registrants not drawn, outside the households
of the remaining members. Choosing them is a selection problem of its own (the replacement
instance): panel size = number of dropouts, each quota shifted by what the remaining members
already hold (min' = max(0, min - held), max' = max - held). The same algorithm as the main draw
computes the fairest distribution over replacement sets, and a seed draws one; the log is an
ordinary selection log of the replacement instance, so `verify` checks it, plus a `replacement`
block tying it to the original draw (`sortition.process.replace_log`).

Outputs follow `sortition.outputs.layout`: public/ (probabilities, log), private/ (replacements,
selected, remaining). When the original log lists pseudonymous ids, dropouts may be given by
pseudonym or by real id; real ids are mapped with the pool (``--pool``) or with the mapping in
the private folder beside the log's public folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sortition.algorithms import get_algorithm
from sortition.audit.canonical import instance_from_records
from sortition.audit.log import SELECTION_LOG_KIND, read_record, to_json_bytes
from sortition.distribution import Distribution
from sortition.errors import InfeasibleQuotas, InputError, Location, UsageError
from sortition.inputs.history import without
from sortition.inputs.pool import Pool, read_pool
from sortition.inputs.privacy import Pseudonyms, to_pseudonyms
from sortition.instance import Feature, Instance, Quota
from sortition.options import SolveOptions
from sortition.outputs.files import draw_output_files, personal_rows
from sortition.outputs.layout import logged_pool, private, private_files, with_log
from sortition.outputs.report_html import add_report
from sortition.outputs.result_set import write_result_set
from sortition.panel.feasibility import check as check_feasibility
from sortition.process.replace_chain import (
    PanelState,
    original_panel,
    panel_after,
    require_original,
)
from sortition.process.replace_log import replacement_log
from sortition.randomness import (
    Draw,
    check_seed,
    draw_panel,
    new_seed,
    rfc3797_key,
    streams_from_seed,
)
from sortition.text import phrase_list


@dataclass(frozen=True)
class ReplacementRequest:
    log_path: str
    dropouts_path: str  # CSV with an id column (or ids in the first column)
    pool_path: str | None = None  # the full pool, to write every column of the outputs
    algorithm: str | None = None  # None: the algorithm of the original draw
    seed: str | None = None
    sources: tuple[str, ...] = ()  # public numbers: their RFC 3797 key is used as the seed
    options: SolveOptions = field(default_factory=SolveOptions)
    after_path: str | None = None  # the latest earlier replacement's log of the same draw


@dataclass(frozen=True, eq=False)
class Replacement:
    request: ReplacementRequest
    original: dict[str, Any]
    full: Instance  # the original instance, rebuilt from the log
    remaining: tuple[str, ...]
    dropouts: tuple[str, ...]
    candidates: Instance  # the replacement instance
    distribution: Distribution
    seed: str
    seed_source: str
    draw: Draw
    before: PanelState  # the panel before this replacement (the draw's, or the last wave's)
    pool: Pool | None = None  # the full pool (--pool), ids pseudonymized as the log records
    pseudonyms: Pseudonyms | None = None  # when the log lists pseudonymous ids and we know them

    @property
    def replacement_ids(self) -> list[str]:
        return sorted(self.candidates.ids[i] for i in self.draw.panel.tolist())

    @property
    def completed_panel(self) -> list[str]:
        return sorted([*self.remaining, *self.replacement_ids])


def replace_dropouts(request: ReplacementRequest) -> Replacement:
    """Refill the panel: fix the remaining members, draw replacements fairly among the rest."""
    if request.seed is not None and request.sources:
        raise UsageError("give either --seed or --source, not both")
    check_seed(request.seed)
    original = read_record(request.log_path, SELECTION_LOG_KIND)
    require_original(original, request.log_path)
    before = original_panel(original)
    if request.after_path is not None:
        latest = read_record(request.after_path, SELECTION_LOG_KIND)
        before = panel_after(original, latest, request.after_path)
    full = instance_from_records(original["pool"], original["rules"])
    pool, pseudonyms = logged_pool(request.pool_path, request.log_path, original["options"])
    dropouts = _read_dropouts(request.dropouts_path, before, pseudonyms, original)
    remaining = tuple(sorted(set(before.panel) - set(dropouts)))
    candidates = replacement_instance(full, before.drawn, remaining, len(dropouts))
    require_feasible(candidates, full, remaining, request.options.solver)
    algorithm_name = request.algorithm or str(original["options"]["algorithm"])
    if request.sources:
        seed, seed_source = rfc3797_key(request.sources), "rfc3797 key of the public sources"
    elif request.seed is not None:
        seed, seed_source = request.seed, "given"
    else:
        seed, seed_source = new_seed(), "generated"
    streams = streams_from_seed(seed)
    options = request.options
    if "fairness_slack" in original["options"]:  # the replacement keeps the logged slack
        options = replace(options, fairness_slack=float(original["options"]["fairness_slack"]))
    distribution = get_algorithm(algorithm_name).solve(
        candidates, rng=streams.algorithm, options=options
    )
    draw = draw_panel(distribution, streams.draw)
    return Replacement(
        request, original, full, remaining, dropouts, candidates, distribution, seed,
        seed_source, draw, before, pool, pseudonyms,
    )  # fmt: skip


def replacement_instance(
    full: Instance, drawn: tuple[str, ...], remaining: tuple[str, ...], seats: int
) -> Instance:
    """Registrants who may replace: never drawn (in the draw or an earlier replacement), not
    living with a remaining member, holding no value whose maximum the remaining members already
    reach; quotas shifted by their counts. Chance factors (history weights) carry over."""
    position = {person: i for i, person in enumerate(full.ids)}
    kept = np.array([position[p] for p in remaining], dtype=np.int64)
    busy = {int(h) for h in full.households[kept].tolist() if h >= 0}
    ever = {position[p] for p in drawn}
    at_maximum = [
        np.array(
            [
                q.max <= h
                for q, h in zip(feature.quotas, full.panel_counts(kept, f).tolist(), strict=True)
            ]
        )
        for f, feature in enumerate(full.features)
    ]  # per feature: values whose maximum the remaining members already reach
    eligible = [
        i
        for i in range(full.size)
        if i not in ever
        and int(full.households[i]) not in busy
        and not any(at_maximum[f][full.values[i, f]] for f in range(len(full.features)))
    ]
    features = []
    for f, feature in enumerate(full.features):
        held = full.panel_counts(kept, f)
        quotas = tuple(
            Quota(max(0, q.min - int(h)), max(0, q.max - int(h)))
            for q, h in zip(feature.quotas, held.tolist(), strict=True)
        )
        features.append(Feature(feature.name, feature.values, quotas))
    rows = np.array(eligible, dtype=np.int64)
    if len(eligible) < seats:
        short = [
            _shortage_phrase(f"{feature.name}={value}", quota.min, available)
            for f, feature in enumerate(features)
            for v, (value, quota) in enumerate(zip(feature.values, feature.quotas, strict=True))
            for available in [int(np.sum(full.values[rows, f] == v)) if len(rows) else 0]
            if quota.min > available
        ]
        message = (
            f"the quotas cannot be restored: only {len(eligible)} registrants can replace "
            f"{seats} dropouts ({phrase_list(short)})"
            if short
            else f"the quotas cannot be restored: only {len(eligible)} registrants can replace "
            f"{seats} dropouts"
        )
        raise InfeasibleQuotas(
            message,
            hint="recruit more registrants, or relax the quotas and keep the panel smaller",
        )
    return Instance(
        tuple(full.ids[i] for i in eligible),
        tuple(features),
        full.values[rows],
        seats,
        full.households[rows],
        factors=None if full.factors is None else full.factors[rows],
    )


def require_feasible(
    candidates: Instance, full: Instance, remaining: tuple[str, ...], solver: str
) -> None:
    """Exit 3 naming the quotas that cannot be restored and the smallest deviation, if any."""
    report = check_feasibility(candidates, solver=solver)
    if report.feasible:
        return
    position = {person: i for i, person in enumerate(full.ids)}
    kept = np.array([position[p] for p in remaining], dtype=np.int64)
    held = {
        (feature.name, value): int(count)
        for f, feature in enumerate(full.features)
        for value, count in zip(feature.values, full.panel_counts(kept, f).tolist(), strict=True)
    }
    if report.relaxation:
        changes = "; ".join(
            f"{c.feature}={c.value} {c.old_min + held[(c.feature, c.value)]}.."
            f"{c.old_max + held[(c.feature, c.value)]} -> "
            f"{c.new_min + held[(c.feature, c.value)]}..{c.new_max + held[(c.feature, c.value)]}"
            for c in report.relaxation
        )
        raise InfeasibleQuotas(
            f"the quotas cannot all be restored; the smallest deviation changes {changes}",
            hint="accept the deviation (edit the quota table and draw replacements from it) or "
            "keep the panel smaller",
        )
    reason = report.problems[0].message if report.problems else "no replacement set fits"
    raise InfeasibleQuotas(f"the quotas cannot be restored: {reason}")


def _read_dropouts(
    path: str, before: PanelState, pseudonyms: Pseudonyms | None, original: dict[str, Any]
) -> tuple[str, ...]:
    """Dropout ids from a CSV (the log's id column or 'id', else the first column); each must be
    on the panel as it stands. Real ids become the log's pseudonyms when those are known."""
    column = next(
        (name for name in (str(original["options"]["id_column"]), "id") if _has_column(path, name)),
        None,
    )
    table = read_pool(path, id_column=column) if column is not None else None
    if table is not None:
        ids = [str(v).strip() for v in table.table[table.id_column]]
        column = table.id_column
    else:
        frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
        ids = [str(v).strip() for v in frame.iloc[:, 0]]
        column = "1"
    ids = to_pseudonyms(ids, pseudonyms)
    on_panel = set(before.panel)
    hidden = bool(original["options"].get("id_pseudonyms")) and pseudonyms is None
    for row, person in enumerate(ids, start=2 if table is not None else 1):
        if person not in on_panel:
            message = (
                f"dropout id '{person}' is not on the panel as the earlier replacement left it"
                if before.earlier
                else f"dropout id '{person}' is not on the drawn panel"
            )
            raise InputError(
                message,
                location=Location(file=path, row=row, column=column),
                hint=_not_on_panel_hint(person, before, hidden),
            )
    if not ids:
        raise InputError(f"no dropout ids in {path}", hint="list one id per row")
    return tuple(sorted(ids))


def _shortage_phrase(value: str, needed: int, available: int) -> str:
    """Why the eligible registrants cannot restore one quota: 'gender=f needs 2 more but 1
    eligible hold it'."""
    return f"{value} needs {needed} more but {available} eligible hold it"


def _not_on_panel_hint(person: str, before: PanelState, hidden: bool) -> str:
    if person in before.drawn:
        return "this member already dropped out and was replaced; list only current members"
    if hidden:
        return (
            "the log lists pseudonymous ids: give those (private/pseudonyms.csv maps them) or "
            "pass --pool to map real ids"
        )
    if not before.earlier:
        return (
            "list only ids of members on the panel; if they joined in an earlier replacement, "
            "pass that replacement's log with --after"
        )
    return "list only ids of members on the panel now"


def _has_column(path: str, name: str) -> bool:
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline()
    cells = [cell.strip().casefold() for cell in header.replace(";", ",").split(",")]
    return name.strip().casefold() in cells


def replacement_files(replacement: Replacement) -> dict[str, bytes]:
    """public/probabilities.csv (chances of the eligible; 0 for others) and the log;
    private/replacements.csv (the new members), selected.csv (the completed panel),
    remaining.csv and the README (and the pseudonym mapping when known)."""
    table, table_ids = _table(replacement)
    if replacement.pseudonyms is not None:
        table = replacement.pseudonyms.restore(table)
    completed = set(replacement.completed_panel)
    new = set(replacement.replacement_ids)
    candidates = {p: i for i, p in enumerate(replacement.candidates.ids)}
    marginals = replacement.distribution.marginals()
    files = draw_output_files(
        table,
        np.array([p in completed for p in table_ids], dtype=bool),
        table_ids,
        [float(marginals[candidates[p]]) if p in candidates else 0.0 for p in table_ids],
    )
    files.update(
        personal_rows(
            private("replacements.csv"),
            table[np.array([p in new for p in table_ids], dtype=bool)],
        )
    )
    files.update(private_files(replacement.pseudonyms))
    return with_log(files, lambda hashes: to_json_bytes(replacement_log(replacement, hashes)))


def _table(replacement: Replacement) -> tuple[pd.DataFrame, tuple[str, ...]]:
    original = replacement.original
    options = original["options"]
    if replacement.pool is None:
        columns = [options["id_column"], *options["feature_columns"]]
        if replacement.pseudonyms is not None:
            columns[0] = replacement.pseudonyms.column
        people = original["pool"]["people"]
        return pd.DataFrame(people, columns=columns, dtype=object), tuple(r[0] for r in people)
    exclusions = original.get("exclusions") or {}
    excluded = [*exclusions.get("by_history", []), *exclusions.get("by_earlier_panels", [])]
    pool = without(replacement.pool, excluded)
    ids = tuple(str(v).strip() for v in pool.table[pool.id_column])
    known = {row[0] for row in original["pool"]["people"]}
    if set(ids) != known:
        raise InputError(
            f"the pool {replacement.request.pool_path} does not hold the registrants of the log",
            hint="pass the pool file of the original draw, or leave out --pool",
        )
    return pool.table, ids


def replacement_inputs(request: ReplacementRequest) -> dict[str, str | None]:
    """The input files of a replacement, by role: no output may replace them."""
    return {
        "selection log": request.log_path,
        "dropouts file": request.dropouts_path,
        "pool": request.pool_path,
        "earlier replacement log": request.after_path,
    }


def write_replacement(
    replacement: Replacement, out_dir: str | Path, *, overwrite: bool = False, lang: str = "en"
) -> dict[str, bytes]:
    """Write every output file into out_dir as one result set (all or nothing; an earlier set
    only replaced with `overwrite`), report.html in `lang`; returns what was written."""
    files = add_report(replacement_files(replacement), lang)
    inputs = replacement_inputs(replacement.request)
    write_result_set(out_dir, files, inputs, overwrite=overwrite)
    return files
