"""The `sortition` command: parses options, calls one library function, prints the result.

No selection logic lives here; errors from the library become one-line messages and exit codes
(1 bad input, 2 bad usage, 3 infeasible quotas, 4 solver failure or time limit).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from sortition import __version__
from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_ALGORITHM
from sortition.errors import EXIT_INFEASIBLE, SortitionError
from sortition.feasibility import check as check_feasibility
from sortition.io import load_instance, quotas_to_csv_bytes
from sortition.options import SOLVERS, SolveOptions
from sortition.output import write_file_atomically
from sortition.report import selection_summary, table
from sortition.selection import SelectionRequest, select, write_selection


def _user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message on stderr and the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SortitionError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _columns(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in value.split(",") if c.strip()) if value else ()


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
@_user_errors
def check_command(
    pool: str,
    quotas: str,
    panel_size: int,
    id_column: str,
    household_columns: str | None,
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
        household_columns=_columns(household_columns),
    )
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
@click.option(
    "--algorithm",
    "-a",
    type=click.Choice(ALGORITHM_NAMES),
    default=DEFAULT_ALGORITHM,
    show_default=True,
    help="How to make the lottery fair; never replaced silently.",
)
@click.option(
    "--seed",
    default=None,
    help="Any integer or text; the same inputs and seed repeat the draw exactly. "
    "Without it a seed is generated, printed and logged.",
)
@click.option(
    "--legacy-draws",
    type=int,
    default=1000,
    show_default=True,
    help="For --algorithm legacy: draws used to estimate probabilities.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="selection",
    show_default=True,
    help="Directory for the output files.",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not report progress on stderr.")
@_user_errors
def select_command(
    pool: str,
    quotas: str,
    panel_size: int,
    id_column: str,
    household_columns: str | None,
    solver: str,
    time_limit: float | None,
    algorithm: str,
    seed: str | None,
    legacy_draws: int,
    out_dir: str,
    quiet: bool,
) -> None:
    """Draw one panel by a fair lottery and write selected/remaining/probabilities/log files.

    Example: sortition select pool.csv quotas.csv --panel-size 40 --seed 2026 --out selection
    """
    request = SelectionRequest(
        pool_path=pool,
        quota_path=quotas,
        panel_size=panel_size,
        algorithm=algorithm,
        seed=seed,
        id_column=id_column,
        household_columns=_columns(household_columns),
        options=SolveOptions(
            solver=solver,
            time_limit=time_limit,
            legacy_draws=legacy_draws,
            progress=None if quiet else _progress,
        ),
    )
    selection = select(request)
    write_selection(selection, out_dir)
    click.echo(selection_summary(selection))
    click.echo(
        f"\nWrote selected.csv, remaining.csv, probabilities.csv and selection-log.json "
        f"to {out_dir}/."
    )


def main() -> None:
    cli(prog_name="sortition")


if __name__ == "__main__":
    main()
