"""The `sortition` command: parses options, calls one library function, prints the result.

No selection logic lives here; errors from the library become one-line messages and exit codes
(1 bad input, 2 bad usage, 3 infeasible quotas, 4 solver failure or time limit).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cli.census_command import quotas_command
from cli.compare_command import compare_command
from cli.errors import column_list, user_errors
from cli.generate_command import generate_command
from cli.invite_command import invite_command
from sortition import __version__
from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_ALGORITHM
from sortition.draw import DrawRequest, draw_lottery, write_draw
from sortition.duplicates import scan_duplicates
from sortition.errors import EXIT_INFEASIBLE, EXIT_VERIFICATION_FAILED, UsageError
from sortition.feasibility import check as check_feasibility
from sortition.history import HistoryRule
from sortition.io import load_instance, quotas_to_csv_bytes
from sortition.lottery import DEFAULT_TICKETS
from sortition.options import SOLVERS, SolveOptions
from sortition.output import write_file_atomically
from sortition.publish import LotteryRequest, make_lottery, write_lottery
from sortition.replace import ReplacementRequest, replace_dropouts, write_replacement
from sortition.report import (
    draw_summary,
    duplicates_summary,
    lottery_summary,
    replacement_summary,
    selection_summary,
    table,
    verification_table,
)
from sortition.selection import SelectionRequest, select, select_panels, write_selection
from sortition.verify import VerifyRequest, log_kind, verify, verify_invitation_log


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _instance_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Arguments and options shared by every command that reads a pool and a quota table."""
    decorators = [
        click.argument("pool", type=click.Path(dir_okay=False)),
        click.argument("quotas", type=click.Path(dir_okay=False)),
        click.option(
            "--panel-size", "-k", type=int, required=True, help="Number of people on the panel."
        ),
        click.option(
            "--id-column",
            default="id",
            show_default=True,
            help="Column of the pool holding unique registrant ids.",
        ),
        click.option(
            "--household-columns",
            default=None,
            metavar="COL[,COL...]",
            help="Registrants equal on all these columns share a household; "
            "at most one per household is selected. Blank cells never match.",
        ),
        click.option(
            "--contact-columns",
            default=None,
            metavar="COL[,COL...]",
            help="Columns whose shared values reveal duplicate registrations "
            "(default: the pool's e-mail and phone columns, recognized by name).",
        ),
        click.option(
            "--solver",
            type=click.Choice(SOLVERS),
            default="highs",
            show_default=True,
            help="MILP solver: HiGHS (highspy) or CBC (bundled with PuLP).",
        ),
        click.option(
            "--time-limit",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Stop with an error if the computation takes longer.",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _draw_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that compute a distribution to draw from."""
    decorators = [
        click.option(
            "--algorithm",
            "-a",
            type=click.Choice(ALGORITHM_NAMES),
            default=DEFAULT_ALGORITHM,
            show_default=True,
            help="How to make the lottery fair; never replaced silently.",
        ),
        click.option(
            "--legacy-draws",
            type=int,
            default=1000,
            show_default=True,
            help="For --algorithm legacy: draws used to estimate probabilities.",
        ),
        click.option(
            "--allow-duplicates",
            is_flag=True,
            help="Draw even if registrants share an e-mail or phone (each would have two chances).",
        ),
        click.option(
            "--history",
            "history_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="CSV of earlier selections (id, process, date): keep out those selected "
            "within --cooldown months before --as-of.",
        ),
        click.option(
            "--cooldown",
            type=int,
            default=24,
            show_default=True,
            metavar="MONTHS",
            help="With --history: how long a selected registrant sits out.",
        ),
        click.option(
            "--history-mode",
            type=click.Choice(["exclude", "weight"]),
            default="exclude",
            show_default=True,
            help="With --history: keep recent panelists out, or keep them in with their chance "
            "multiplied by --history-factor (leximin and maximin only).",
        ),
        click.option(
            "--history-factor",
            type=float,
            default=0.5,
            show_default=True,
            help="With --history-mode weight: recent panelists' chance relative to others'.",
        ),
        click.option(
            "--as-of",
            default=None,
            metavar="YYYY-MM-DD",
            help="With --history: the date the cooldown counts back from (required, so the "
            "draw can be repeated).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Do not report progress on stderr."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _history(
    path: str | None, cooldown: int, as_of: str | None, mode: str, factor: float
) -> HistoryRule | None:
    if path is None:
        return None
    if as_of is None:
        raise UsageError(
            "--history needs --as-of, the date the cooldown counts back from",
            hint="pass --as-of YYYY-MM-DD (e.g. the date of the draw)",
        )
    return HistoryRule(path, cooldown, as_of, mode, factor)


def _draw_request_fields(
    pool: str,
    quotas: str,
    panel_size: int,
    algorithm: str,
    id_column: str,
    household_columns: str | None,
    contact_columns: str | None,
    allow_duplicates: bool,
    solver: str,
    time_limit: float | None,
    legacy_draws: int,
    quiet: bool,
    history: HistoryRule | None,
) -> dict[str, Any]:
    """The fields `select` and `lottery` share in their requests, from their common options."""
    return {
        "pool_path": pool,
        "quota_path": quotas,
        "panel_size": panel_size,
        "algorithm": algorithm,
        "id_column": id_column,
        "household_columns": column_list(household_columns),
        "contact_columns": column_list(contact_columns) if contact_columns is not None else None,
        "allow_duplicates": allow_duplicates,
        "history": history,
        "options": SolveOptions(
            solver=solver,
            time_limit=time_limit,
            legacy_draws=legacy_draws,
            progress=None if quiet else _progress,
        ),
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sortition")
def cli() -> None:
    """Fair, reproducible and auditable selection of citizens' panels by lottery."""


@cli.command("check")
@_instance_options
@click.option(
    "--write-corrected",
    type=click.Path(dir_okay=False),
    default=None,
    help="If infeasible, also write the corrected quota table to this CSV file.",
)
@user_errors
def check_command(
    pool: str,
    quotas: str,
    panel_size: int,
    id_column: str,
    household_columns: str | None,
    contact_columns: str | None,
    solver: str,
    time_limit: float | None,
    write_corrected: str | None,
) -> None:
    """Check that some panel meets every quota; if none does, suggest the smallest fix.

    Example: sortition check pool.csv quotas.csv --panel-size 40 --household-columns address
    """
    loaded = load_instance(
        pool,
        quotas,
        panel_size=panel_size,
        id_column=id_column,
        household_columns=column_list(household_columns),
    )
    contacts = None if contact_columns is None else column_list(contact_columns)
    click.echo(duplicates_summary(*scan_duplicates(loaded.pool, contacts)))
    report = check_feasibility(loaded.instance, solver=solver, time_limit=time_limit)
    instance = loaded.instance
    if report.feasible:
        click.echo(
            f"Feasible: a panel of {panel_size} from {instance.size} registrants can meet "
            "every quota" + (" and household rule." if loaded.household_columns else ".")
        )
        return
    click.echo(f"Infeasible: no panel of {panel_size} meets every quota.")
    for problem in report.problems:
        click.echo(f"- {problem.message}")
    if report.relaxed_features is None:
        click.echo("No change of the quotas within their flex limits makes a panel possible.")
        sys.exit(EXIT_INFEASIBLE)
    click.echo(f"\nSmallest relaxation: {report.relaxation_cost} unit(s) of quota change.")
    click.echo(
        table(
            ["feature", "value", "old min", "old max", "new min", "new max"],
            [
                [c.feature, c.value, c.old_min, c.old_max, c.new_min, c.new_max]
                for c in report.relaxation
            ],
        )
    )
    corrected = quotas_to_csv_bytes(report.relaxed_features)
    click.echo("\nCorrected quota table (CSV):")
    click.echo(corrected.decode("utf-8"), nl=False)
    if write_corrected:
        write_file_atomically(write_corrected, corrected)
        click.echo(f"Written to {write_corrected}.")
    sys.exit(EXIT_INFEASIBLE)


@cli.command("select")
@_instance_options
@_draw_options
@click.option(
    "--reserves",
    type=int,
    default=0,
    show_default=True,
    help="Also rank this many reserves who can replace dropouts without breaking quotas "
    "(reserves.csv); reports how many single and double dropouts they can repair.",
)
@click.option(
    "--panels",
    type=int,
    default=1,
    show_default=True,
    help="Draw this many disjoint panels from the pool, one after another, each meeting the "
    "quotas (written to OUT/panel-1, OUT/panel-2, ...).",
)
@click.option(
    "--seed",
    default=None,
    help="Any integer or text; the same inputs and seed repeat the draw exactly. "
    "Without it a seed is generated, printed and logged.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="selection",
    show_default=True,
    help="Directory for the output files.",
)
@user_errors
def select_command(
    pool: str,
    quotas: str,
    panel_size: int,
    id_column: str,
    household_columns: str | None,
    contact_columns: str | None,
    solver: str,
    time_limit: float | None,
    algorithm: str,
    seed: str | None,
    legacy_draws: int,
    out_dir: str,
    allow_duplicates: bool,
    history_path: str | None,
    cooldown: int,
    history_mode: str,
    history_factor: float,
    as_of: str | None,
    quiet: bool,
    reserves: int,
    panels: int,
) -> None:
    """Draw one panel by a fair lottery and write selected/remaining/probabilities/log files.

    Example: sortition select pool.csv quotas.csv --panel-size 40 --seed 2026 --out selection
    """
    request = SelectionRequest(
        **_draw_request_fields(
            pool, quotas, panel_size, algorithm, id_column, household_columns, contact_columns,
            allow_duplicates, solver, time_limit, legacy_draws, quiet,
            _history(history_path, cooldown, as_of, history_mode, history_factor),
        ),
        seed=seed,
        reserves=reserves,
    )  # fmt: skip
    if panels == 1:
        selection = select(request)
        write_selection(selection, out_dir)
        click.echo(selection_summary(selection))
        extra = " and reserves.csv" if reserves else ""
        click.echo(
            f"\nWrote selected.csv, remaining.csv, probabilities.csv, selection-log.json{extra} "
            f"to {out_dir}/."
        )
        return
    selections = select_panels(request, panels)
    for number, selection in enumerate(selections, start=1):
        write_selection(selection, Path(out_dir) / f"panel-{number}")
        click.echo(f"=== Panel {number} of {panels} ===")
        click.echo(selection_summary(selection) + "\n")
    click.echo(f"Wrote panel-1 ... panel-{panels} (four files each) to {out_dir}/.")


@cli.command("lottery")
@_instance_options
@_draw_options
@click.option(
    "--tickets",
    "-m",
    "num_tickets",
    type=int,
    default=DEFAULT_TICKETS,
    show_default=True,
    help="Number of equally likely tickets, each a panel meeting every quota.",
)
@click.option(
    "--planned-sources",
    default=None,
    metavar="TEXT",
    help="The public sources the draw will use, as announced (goes into the lottery file).",
)
@click.option("--draw-date", default=None, metavar="DATE", help="When the draw will take place.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default="lottery.json",
    show_default=True,
    help="The lottery file to publish before the draw.",
)
@user_errors
def lottery_command(
    pool: str,
    quotas: str,
    panel_size: int,
    id_column: str,
    household_columns: str | None,
    contact_columns: str | None,
    solver: str,
    time_limit: float | None,
    algorithm: str,
    num_tickets: int,
    legacy_draws: int,
    planned_sources: str | None,
    draw_date: str | None,
    out_path: str,
    allow_duplicates: bool,
    history_path: str | None,
    cooldown: int,
    history_mode: str,
    history_factor: float,
    as_of: str | None,
    quiet: bool,
) -> None:
    """Commit: compute a ticket lottery to publish before the public random numbers exist.

    Example: sortition lottery pool.csv quotas.csv --panel-size 40 --out lottery.json
    """
    request = LotteryRequest(
        **_draw_request_fields(
            pool, quotas, panel_size, algorithm, id_column, household_columns, contact_columns,
            allow_duplicates, solver, time_limit, legacy_draws, quiet,
            _history(history_path, cooldown, as_of, history_mode, history_factor),
        ),
        num_tickets=num_tickets,
        planned_sources=planned_sources,
        draw_date=draw_date,
    )  # fmt: skip
    lottery = make_lottery(request)
    write_lottery(lottery, out_path)
    click.echo(lottery_summary(lottery, out_path))


@cli.command("draw")
@click.argument("lottery", type=click.Path(dir_okay=False))
@click.option(
    "--source",
    "sources",
    multiple=True,
    required=True,
    metavar="NUMBERS",
    help='One public source of random numbers, e.g. "17 20 22 35 36 38 48"; repeat it for '
    "each source, in the announced order.",
)
@click.option(
    "--reserve-tickets",
    type=int,
    default=0,
    show_default=True,
    help="Also draw this many further tickets, in order, as a published reserve sequence.",
)
@click.option(
    "--pool",
    "pool_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The full pool file, to write every column in selected.csv and remaining.csv "
    "(checked against the lottery).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="selection",
    show_default=True,
    help="Directory for the output files.",
)
@user_errors
def draw_command(
    lottery: str,
    sources: tuple[str, ...],
    reserve_tickets: int,
    pool_path: str | None,
    out_dir: str,
) -> None:
    """Reveal: draw the winning ticket of a published lottery from public random numbers.

    Example: sortition draw lottery.json --source "17 20 22 35 36 38 48" --source 90193202
    """
    draw = draw_lottery(DrawRequest(lottery, sources, reserve_tickets, pool_path))
    write_draw(draw, out_dir)
    click.echo(draw_summary(draw))
    click.echo(
        f"\nWrote selected.csv, remaining.csv, probabilities.csv and selection-log.json "
        f"to {out_dir}/."
    )


@cli.command("verify")
@click.argument("log", type=click.Path(dir_okay=False))
@click.option(
    "--lottery",
    "lottery_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The published lottery file (needed for logs of 'sortition draw').",
)
@click.option(
    "--pool",
    "pool_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The original pool file, to check it against the log (with --quotas).",
)
@click.option(
    "--quotas",
    "quota_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The original quota table, to check it against the log (with --pool).",
)
@click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="For an invitation log: the register the invitations were drawn from.",
)
@click.option(
    "--deep",
    is_flag=True,
    help="Also re-check the fairness claim: re-solve the panel problem for the logged dual "
    "weights (a certificate that the lowest probability could not be raised).",
)
@click.option(
    "--solver",
    type=click.Choice(SOLVERS),
    default="highs",
    show_default=True,
    help="MILP solver for --deep.",
)
@user_errors
def verify_command(
    log: str,
    lottery_path: str | None,
    pool_path: str | None,
    quota_path: str | None,
    register_path: str | None,
    deep: bool,
    solver: str,
) -> None:
    """Re-check a draw from its selection log; exit 0 only if every check passes.

    Example: sortition verify selection/selection-log.json --lottery lottery.json --deep
    """
    request = VerifyRequest(log, lottery_path, pool_path, quota_path, deep, solver)
    if log_kind(log) == "invitation-log":
        report = verify_invitation_log(request, register_path)
    else:
        report = verify(request)
    click.echo(verification_table(report))
    if not report.passed:
        sys.exit(EXIT_VERIFICATION_FAILED)


@cli.command("replace")
@click.argument("log", type=click.Path(dir_okay=False))
@click.option(
    "--dropouts",
    "dropouts_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="CSV listing the ids of members who dropped out (column 'id', or the first column).",
)
@click.option(
    "--pool",
    "pool_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The full pool file, to write every column in the outputs.",
)
@click.option(
    "--algorithm",
    "-a",
    type=click.Choice(ALGORITHM_NAMES),
    default=None,
    help="Default: the algorithm of the original draw.",
)
@click.option("--seed", default=None, help="Seed text for the replacement draw.")
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="NUMBERS",
    help="Public random numbers instead of a seed (their RFC 3797 key is the seed).",
)
@click.option(
    "--solver",
    type=click.Choice(SOLVERS),
    default="highs",
    show_default=True,
    help="MILP solver.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="replacement",
    show_default=True,
    help="Directory for the output files.",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not report progress on stderr.")
@user_errors
def replace_command(
    log: str,
    dropouts_path: str,
    pool_path: str | None,
    algorithm: str | None,
    seed: str | None,
    sources: tuple[str, ...],
    solver: str,
    out_dir: str,
    quiet: bool,
) -> None:
    """Replace members who dropped out so that every quota holds again, as fairly as the draw.

    Example: sortition replace selection/selection-log.json --dropouts dropouts.csv --seed 7
    """
    replacement = replace_dropouts(
        ReplacementRequest(
            log,
            dropouts_path,
            pool_path,
            algorithm,
            seed,
            sources,
            SolveOptions(solver=solver, progress=None if quiet else _progress),
        )
    )
    write_replacement(replacement, out_dir)
    click.echo(replacement_summary(replacement))
    click.echo(
        f"\nWrote replacements.csv, selected.csv, remaining.csv, probabilities.csv and "
        f"selection-log.json to {out_dir}/."
    )


cli.add_command(quotas_command)
cli.add_command(invite_command)
cli.add_command(generate_command)
cli.add_command(compare_command)


def main() -> None:
    cli(prog_name="sortition")


if __name__ == "__main__":
    main()
