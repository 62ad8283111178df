"""Commit before the reveal: compute the ticket lottery and write the file to publish in advance.

The lottery file fixes everything except the random numbers: the published pool (ids, features,
households), the rules, the optimal distribution with its certificate, the M tickets and the
procedure that will turn public numbers into a ticket. Its fingerprint (SHA-256 of its canonical
JSON) is what the organizer announces before the numbers exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sortition.algorithms import get_algorithm
from sortition.audit.canonical import pool_record, rules_record
from sortition.audit.log import (
    LOTTERY_KIND,
    certificate_record,
    distribution_record,
    fairness_slack_option,
    fingerprinted,
    floor_details_record,
    gap_option,
    inputs_record,
    software_record,
    to_json_bytes,
)
from sortition.distribution import Distribution, fairness_summary
from sortition.i18n import Translator
from sortition.inputs.build import LoadedInstance
from sortition.inputs.privacy import Pseudonyms, pseudonym_option
from sortition.outputs.result_set import write_output_file
from sortition.process.inputs import (
    DrawInputs,
    DrawPool,
    exclusions_record,
    input_files,
    load_for_draw,
    require_factor_support,
    targets_record,
)
from sortition.process.lottery import DEFAULT_TICKETS, TicketLottery, check_ticket_count, to_tickets
from sortition.randomness import streams_from_seed

LOTTERY_SCHEMA_VERSION = "1"
ALGORITHM_SEED = "sortition-lottery"  # seeds LEGACY's sampling; the draw never depends on it

DRAW_PROCEDURE = (
    "Tickets are numbered 1..M. After the date announced, the public sources are read and "
    "turned into a key by RFC 3797 (each source's numbers sorted ascending, each followed by '.', "
    "each source ended by '/', sources in the order listed). For i = 0, 1, ...: h = MD5(i as 2 "
    "bytes big-endian + key + i as 2 bytes big-endian) as an unsigned big-endian integer; pick "
    "(h mod remaining) + 1 among the ticket numbers not yet picked, in increasing order. The first "
    "pick is the panel; further picks, if asked, are the published reserve tickets in order."
)


@dataclass(frozen=True)
class LotteryRequest:
    """What the organizer commits to before the public random numbers exist: what the draw
    reads, the number of tickets and the announcement."""

    inputs: DrawInputs
    num_tickets: int = DEFAULT_TICKETS
    planned_sources: str | None = None  # e.g. "the six numbers of Loto draw 5123"
    draw_date: str | None = None


@dataclass(frozen=True, eq=False)
class Lottery:
    """A computed ticket lottery with the inputs it came from."""

    request: LotteryRequest
    loaded: LoadedInstance
    distribution: Distribution
    tickets: TicketLottery
    record: dict[str, Any]
    pseudonyms: Pseudonyms | None = (
        None  # when the id column is personal (sortition.inputs.privacy)
    )

    @property
    def fingerprint(self) -> str:
        return str(self.record["fingerprint"])


def make_lottery(request: LotteryRequest) -> Lottery:
    """Load, solve with the requested algorithm (never another), round to tickets, fingerprint."""
    inputs = request.inputs
    algorithm = get_algorithm(inputs.algorithm)
    check_ticket_count(request.num_tickets)
    prepared = load_for_draw(inputs)
    loaded = prepared.loaded
    require_factor_support(inputs.algorithm, prepared)
    rng = streams_from_seed(ALGORITHM_SEED).algorithm
    distribution = algorithm.solve(
        loaded.instance, rng=rng, options=prepared.solve_options(inputs.options)
    )
    inputs.options.report(f"rounding to {request.num_tickets} tickets")
    tickets = to_tickets(distribution, request.num_tickets, solver=inputs.options.solver)
    record = lottery_record(request, loaded, distribution, tickets, prepared)
    return Lottery(request, loaded, distribution, tickets, record, prepared.pseudonyms)


def lottery_record(
    request: LotteryRequest,
    loaded: LoadedInstance,
    distribution: Distribution,
    tickets: TicketLottery,
    prepared: DrawPool,
) -> dict[str, Any]:
    """The publishable lottery file (ids, features and hashes only), fingerprinted."""
    inputs = request.inputs
    instance = loaded.instance
    ids = instance.ids
    pool = pool_record(instance, loaded.pool.id_column)
    rules = rules_record(instance)
    counts = tickets.ticket_counts.tolist()
    targets = tickets.targets.tolist()
    probabilities = {
        person: {"target": float(target), "tickets": int(count)}
        for person, target, count in sorted(zip(ids, targets, counts, strict=True))
    }
    return fingerprinted(
        {
            "schema_version": LOTTERY_SCHEMA_VERSION,
            "kind": LOTTERY_KIND,
            "software": software_record(),
            "inputs": inputs_record(loaded, pool, rules),
            "options": {
                "panel_size": instance.panel_size,
                "algorithm": distribution.algorithm,
                "solver": inputs.options.solver,
                **gap_option(inputs.options.gap),
                **fairness_slack_option(distribution),
                "legacy_draws": inputs.options.legacy_draws if not distribution.exact else None,
                "algorithm_seed": ALGORITHM_SEED if not distribution.exact else None,
                "tickets": tickets.num_tickets,
                "id_column": loaded.pool.id_column,
                **pseudonym_option(prepared.pseudonyms),
                "feature_columns": list(loaded.feature_columns),
                "household_columns": list(loaded.household_columns),
                "duplicate_groups_allowed": len(prepared.duplicates),
                **targets_record(inputs.targets_path, prepared.targets),
            },
            "announcement": {
                "public_sources": request.planned_sources,
                "draw_date": request.draw_date,
            },
            "draw_procedure": DRAW_PROCEDURE,
            "exclusions": exclusions_record(prepared.exclusions, inputs.history),
            "pool": pool,
            "rules": rules,
            **floor_details_record(distribution),
            "certificate": certificate_record(distribution),
            "distribution": distribution_record(distribution),
            "tickets": {
                str(number): sorted(ids[i] for i in row)
                for number, row in enumerate(tickets.tickets.tolist(), start=1)
            },
            "probabilities": probabilities,
            "rounding": {
                "max_deviation": float(tickets.max_deviation),
                "unrepresented": int(tickets.unrepresented),
            },
            "fairness": {
                "target": fairness_summary(tickets.targets, instance.panel_size).as_dict(),
                "tickets": fairness_summary(tickets.shares, instance.panel_size).as_dict(),
            },
        }
    )


def write_lottery(lottery: Lottery, path: str | Path, *, overwrite: bool = False) -> bytes:
    """Write the lottery file atomically (an existing file only replaced with `overwrite`);
    returns its bytes."""
    data = to_json_bytes(lottery.record)
    write_output_file(path, data, input_files(lottery.request.inputs), overwrite=overwrite)
    return data


def lottery_statement(lottery: Lottery, file_name: str, lang: str = "en") -> str:
    """One paragraph the organizer can publish before the draw, in `lang` ('en' or 'es')."""
    t = Translator(lang)
    request = lottery.request
    instance = lottery.loaded.instance
    return t(
        "cli.lottery.statement",
        k=instance.panel_size,
        n=instance.size,
        file=file_name,
        fingerprint=lottery.fingerprint,
        tickets=lottery.tickets.num_tickets,
        algorithm=lottery.distribution.algorithm,
        sources=request.planned_sources or t("cli.lottery.sources_missing"),
        date=request.draw_date or t("cli.lottery.date_missing"),
    )
