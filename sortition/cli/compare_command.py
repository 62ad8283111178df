"""The `sortition compare` command: several algorithms on one instance
(see `sortition.research.compare`).

Not registered here: `sortition.cli.main` adds it with `cli.add_command(compare_command)`.
Exit status: 0 when at least one algorithm succeeded (failures are rows of the table); when every
algorithm failed, the first failure's exit code (3 infeasible quotas, 4 solver failure or time
limit, 1 otherwise). Bad input or usage fails before any algorithm runs, as in other commands.
"""

from __future__ import annotations

import sys

import click

from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_COMPARISON
from sortition.cli.errors import column_list, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.progress_display import ProgressDisplay
from sortition.cli.shared import (
    TIME_LIMIT_HELP,
    correct_self_selection_option,
    fairness_slack_option,
    gap_option,
    household_columns_option,
    id_column_option,
    overwrite_option,
    panel_size_option,
    personal_columns_option,
    pool_argument,
    quiet_option,
    quotas_argument,
    seed_option,
    solver_option,
    time_limit_option,
)
from sortition.options import SolveOptions
from sortition.outputs.layout import where_lines
from sortition.outputs.result_set import check_result_folder
from sortition.research.compare import (
    DEFAULT_SEED,
    CompareRequest,
    compare,
    compare_inputs,
    failure_exit_code,
    parse_algorithms,
)
from sortition.research.compare_files import write_comparison
from sortition.research.compare_tables import comparison_text


@click.command("compare", cls=LocalizedCommand)
@pool_argument
@quotas_argument
@panel_size_option
@click.option(
    "--algorithms",
    default=",".join(DEFAULT_COMPARISON),
    show_default=True,
    metavar="NAME[,NAME...]",
    help=f"Algorithms to run, in this order (registered: {', '.join(ALGORITHM_NAMES)}).",
)
@click.option(
    "--draws",
    type=int,
    default=1000,
    show_default=True,
    help="Seeded draws that estimate the probabilities of sampling algorithms (legacy).",
)
@household_columns_option(
    "Registrants equal on all these columns share a household; at most one per household "
    "is selected."
)
@id_column_option("Column of the pool holding unique ids.")
@seed_option(
    "Any integer or text; the same inputs and seed give the same figures (except runtimes).",
    default=DEFAULT_SEED,
)
@solver_option()
@time_limit_option("Per algorithm, as in select: " + TIME_LIMIT_HELP)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="comparison",
    show_default=True,
    help="New or empty folder for public/comparison.csv, probabilities.csv, expected_counts.csv, "
    "probabilities.png and metrics.png (written all or nothing).",
)
@gap_option
@fairness_slack_option
@correct_self_selection_option
@personal_columns_option
@overwrite_option
@quiet_option
@user_errors
def compare_command(
    pool: str,
    quotas: str,
    panel_size: int,
    algorithms: str,
    draws: int,
    household_columns: str | None,
    id_column: str,
    seed: str,
    solver: str,
    time_limit: float | None,
    out_dir: str,
    gap: float | None,
    fairness_slack: float,
    population_path: str | None,
    personal_columns: str | None,
    overwrite: bool,
    quiet: bool,
) -> None:
    """Run several algorithms on one instance and compare their fairness and runtime.

    A failing algorithm is reported in the table and never replaced; the exit status is non-zero
    only if every algorithm failed.

    \b
    Example: sortition compare pool.csv quotas.csv --panel-size 20
      --algorithms legacy,maximin,leximin --draws 1000 --seed 7 --out comparison
    """
    display = None if quiet else ProgressDisplay()
    request = CompareRequest(
        pool_path=pool,
        quota_path=quotas,
        panel_size=panel_size,
        algorithms=parse_algorithms(algorithms),
        seed=seed,
        id_column=id_column,
        household_columns=column_list(household_columns),
        personal_columns=column_list(personal_columns),
        population_path=population_path,
        options=SolveOptions(
            solver=solver,
            time_limit=time_limit,
            legacy_draws=draws,
            gap=gap,
            fairness_slack=fairness_slack,
            **({} if display is None else display.callbacks()),
        ),
    )
    check_result_folder(out_dir, compare_inputs(request), overwrite=overwrite)
    comparison = compare(request, progress=None if display is None else display.line)
    files = write_comparison(comparison, out_dir, overwrite=overwrite)
    click.echo(comparison_text(comparison))
    click.echo(f"\nWrote the comparison to {out_dir}/.")
    click.echo(where_lines(out_dir, files, comparison.pseudonyms))
    code = failure_exit_code(comparison.runs)
    if code:
        click.echo("Error: every algorithm failed.", err=True)
        sys.exit(code)
