"""Reveal: turn the public random numbers into the winning ticket of a published lottery.

The key and the ticket follow RFC 3797 (see `randomness`); the panel is that ticket's ids. The
outputs are those of `select` (public/: probabilities, selection log; private/: selected,
remaining), so one `verify` command checks logs from both paths. With the full pool (``--pool``)
and pseudonymous ids in the lottery, the pool's ids are pseudonymized as the lottery records
(`sortition.inputs.privacy`) and the private files show the real ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sortition.audit.canonical import instance_from_records, pool_record, record_hash
from sortition.audit.log import (
    LOG_SCHEMA_VERSION,
    LOTTERY_KIND,
    SELECTION_LOG_KIND,
    fingerprinted,
    probability_record,
    quota_record,
    read_record,
    software_record,
    to_json_bytes,
)
from sortition.distribution import fairness_summary
from sortition.errors import InputError, UsageError
from sortition.inputs.build import build_instance
from sortition.inputs.history import without
from sortition.inputs.pool import read_pool
from sortition.inputs.privacy import Pseudonyms, pseudonymize_as_recorded
from sortition.inputs.quotas import QuotaTable
from sortition.instance import Instance
from sortition.outputs.files import draw_output_files
from sortition.outputs.layout import private_files, with_log
from sortition.outputs.report_html import add_report
from sortition.outputs.result_set import write_result_set
from sortition.randomness import rfc3797_key, rfc3797_selection
from sortition.text import quoted_path


@dataclass(frozen=True)
class DrawRequest:
    """The published lottery, the public numbers as announced, and what else to write."""

    lottery_path: str
    sources: tuple[str, ...]
    reserve_tickets: int = 0
    pool_path: str | None = None  # the full pool, to write every column of selected.csv


@dataclass(frozen=True, eq=False)
class TicketDraw:
    """The winning ticket, the reserve tickets, the panel and the tables to write."""

    request: DrawRequest
    lottery: dict[str, Any]
    instance: Instance  # rebuilt from the lottery's published pool and rules
    key: str
    ticket: int
    reserves: tuple[int, ...]
    panel: np.ndarray  # person indices into `instance`
    table: pd.DataFrame  # pool rows to split into selected and remaining
    table_ids: tuple[str, ...]  # id of each row of `table` (pseudonyms if the lottery has them)
    pseudonyms: Pseudonyms | None = None  # from the full pool, when the lottery has pseudonyms

    @property
    def selected_ids(self) -> list[str]:
        return sorted(self.instance.ids[i] for i in self.panel.tolist())

    @property
    def shares(self) -> np.ndarray:
        """Each registrant's chance under the lottery: tickets holding them / M."""
        counts = np.zeros(self.instance.size)
        position = {person: i for i, person in enumerate(self.instance.ids)}
        for ids in self.lottery["tickets"].values():
            counts[[position[person] for person in ids]] += 1
        return counts / len(self.lottery["tickets"])


def draw_lottery(request: DrawRequest) -> TicketDraw:
    """Check the lottery's fingerprint, derive the key and pick the ticket (and reserves)."""
    lottery = read_record(request.lottery_path, LOTTERY_KIND)
    if request.reserve_tickets < 0:
        raise UsageError("the number of reserve tickets cannot be negative")
    num_tickets = len(lottery["tickets"])
    if request.reserve_tickets >= num_tickets:
        raise UsageError(
            f"cannot draw {request.reserve_tickets} reserve tickets from a lottery of "
            f"{num_tickets}",
            hint=f"pass --reserve-tickets below {num_tickets}",
        )
    key = rfc3797_key(request.sources)
    picks = rfc3797_selection(key, num_tickets, 1 + request.reserve_tickets)
    instance = instance_from_records(lottery["pool"], lottery["rules"])
    position = {person: i for i, person in enumerate(instance.ids)}
    panel = np.sort(np.array([position[p] for p in lottery["tickets"][str(picks[0])]]))
    table, table_ids, pseudonyms = _output_table(lottery, instance, request.pool_path)
    return TicketDraw(
        request, lottery, instance, key, picks[0], tuple(picks[1:]), panel, table, table_ids,
        pseudonyms,
    )  # fmt: skip


def _output_table(
    lottery: dict[str, Any], instance: Instance, pool_path: str | None
) -> tuple[pd.DataFrame, tuple[str, ...], Pseudonyms | None]:
    """The full pool if given (and it matches the published one), else ids and features."""
    options = lottery["options"]
    if pool_path is None:
        columns = [options["id_column"], *options["feature_columns"]]
        table = pd.DataFrame(lottery["pool"]["people"], columns=columns, dtype=object)
        return table, tuple(str(row[0]) for row in lottery["pool"]["people"]), None
    exclusions = lottery.get("exclusions") or {}
    excluded = [*exclusions.get("by_history", []), *exclusions.get("by_earlier_panels", [])]
    full, pseudonyms = pseudonymize_as_recorded(
        read_pool(pool_path, id_column=options["id_column"]), options
    )
    pool = without(full, excluded)
    quotas = QuotaTable("the lottery's rules", instance.features, "lottery", "")
    loaded = build_instance(
        pool,
        quotas,
        panel_size=instance.panel_size,
        household_columns=options["household_columns"],
    )
    published = pool_record(loaded.instance, pool.id_column)
    if record_hash(published) != lottery["inputs"]["pool_record_sha256"]:
        shown = quoted_path(pool_path)
        raise InputError(
            f"the pool {shown} differs from the one the lottery was made from in its ids, "
            "feature values or households (its ids are pseudonyms derived from every cell of the "
            "pool, so a change in any column gives other pseudonyms)"
            if pseudonyms is not None
            else f"the pool {shown} differs from the one the lottery was made from in its ids, "
            "feature values or households",
            hint="pass the pool file the lottery was computed from, or leave out --pool",
        )
    return pool.table, loaded.instance.ids, pseudonyms


def draw_log(draw: TicketDraw, files: dict[str, str] | None = None) -> dict[str, Any]:
    """The publishable selection log of a committed draw, fingerprinted; with `files`, the
    SHA-256 of every other file of its set (see `sortition.outputs.layout`)."""
    lottery = draw.lottery
    instance = draw.instance
    shares = draw.shares
    return fingerprinted(
        {
            "schema_version": LOG_SCHEMA_VERSION,
            "kind": SELECTION_LOG_KIND,
            "software": software_record(),
            "inputs": lottery["inputs"],
            "options": lottery["options"],
            "randomness": {
                "method": "rfc3797",
                "sources": list(draw.request.sources),
                "key": draw.key,
                "committed_in_advance": True,
                "procedure": "RFC 3797 ticket pick; see draw_procedure in the lottery file",
            },
            "lottery": {
                "file": Path(draw.request.lottery_path).name,
                "fingerprint": lottery["fingerprint"],
                "tickets": len(lottery["tickets"]),
                "announcement": lottery["announcement"],
            },
            "exclusions": lottery["exclusions"],
            "pool": lottery["pool"],
            "rules": lottery["rules"],
            "probabilities": probability_record(instance, shares),
            "draw": {
                "ticket": draw.ticket,
                "reserve_tickets": list(draw.reserves),
                "selected": draw.selected_ids,
            },
            "quotas": quota_record(instance, draw.panel),
            "fairness": fairness_summary(shares, instance.panel_size).as_dict(),
            **({} if files is None else {"files": files}),
        }
    )


def draw_files(draw: TicketDraw) -> dict[str, bytes]:
    """public/probabilities.csv, public/selection-log.json, private/selected.csv,
    private/remaining.csv and the private README (and pseudonym mapping), as bytes."""
    chosen_ids = set(draw.selected_ids)
    chosen = np.array([person in chosen_ids for person in draw.table_ids], dtype=bool)
    position = {person: i for i, person in enumerate(draw.instance.ids)}
    shares = draw.shares
    table = draw.table
    if draw.pseudonyms is not None:
        table = draw.pseudonyms.restore(table)
    files = draw_output_files(
        table,
        chosen,
        draw.table_ids,
        [float(shares[position[person]]) for person in draw.table_ids],
    )
    files.update(private_files(draw.pseudonyms))
    return with_log(files, lambda hashes: to_json_bytes(draw_log(draw, hashes)))


def draw_inputs(request: DrawRequest) -> dict[str, str | None]:
    """The input files of a draw, by role: no output may replace them."""
    return {"lottery file": request.lottery_path, "pool": request.pool_path}


def write_draw(
    draw: TicketDraw, out_dir: str | Path, *, overwrite: bool = False, lang: str = "en"
) -> dict[str, bytes]:
    """Write every output file into out_dir as one result set (all or nothing; an earlier set
    only replaced with `overwrite`), report.html in `lang`; returns what was written."""
    files = add_report(draw_files(draw), lang)
    write_result_set(out_dir, files, draw_inputs(draw.request), overwrite=overwrite)
    return files
