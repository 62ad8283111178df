"""The `sortition check` command: can the quotas be met, and which duplicates are there?

Not registered here: `sortition.cli.main` adds it with `cli.add_command(check_command)`.
"""

from __future__ import annotations

import sys

import click

from sortition.cli.errors import column_list, user_errors
from sortition.cli.shared import instance_options, overwrite_option, time_limit_option
from sortition.errors import EXIT_INFEASIBLE
from sortition.inputs.build import load_instance
from sortition.inputs.duplicates import scan_duplicates
from sortition.outputs.files import quotas_to_csv_bytes
from sortition.outputs.report import duplicates_summary
from sortition.outputs.result_set import check_output_file, write_output_file
from sortition.panel.feasibility import check as check_feasibility
from sortition.text import table


@click.command("check")
@instance_options
@time_limit_option("Stop with an error if the check takes longer.")
@click.option(
    "--write-corrected",
    type=click.Path(dir_okay=False),
    default=None,
    help="If infeasible, also write the corrected quota table to this CSV file.",
)
@overwrite_option
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
    overwrite: bool,
) -> None:
    """Check that some panel meets every quota; if none does, suggest the smallest fix.

    Example: sortition check pool.csv quotas.csv --panel-size 40 --household-columns address
    """
    inputs = {"pool": pool, "quota table": quotas}
    if write_corrected:
        check_output_file(write_corrected, inputs, overwrite=overwrite)
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
        write_output_file(write_corrected, corrected, inputs, overwrite=overwrite)
        click.echo(f"Written to {write_corrected}.")
    sys.exit(EXIT_INFEASIBLE)
