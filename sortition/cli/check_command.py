"""The `sortition check` command: can the quotas be met, and which duplicates are there?

Not registered here: `sortition.cli.main` adds it with `cli.add_command(check_command)`.
"""

from __future__ import annotations

import sys

import click

from sortition.cli.errors import column_list, language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import instance_options, time_limit_option
from sortition.errors import EXIT_INFEASIBLE
from sortition.i18n import Translator
from sortition.inputs.build import load_instance
from sortition.inputs.duplicates import scan_duplicates
from sortition.outputs.files import quotas_to_csv_bytes
from sortition.outputs.report import duplicates_summary
from sortition.outputs.result_set import check_output_file, write_output_file
from sortition.panel.feasibility import check as check_feasibility
from sortition.text import table


@click.command("check", cls=LocalizedCommand)
@instance_options
@time_limit_option("Stop with an error if the check takes longer.")
@click.option(
    "--write-corrected",
    type=click.Path(dir_okay=False),
    default=None,
    help="If infeasible, also write the corrected quota table to this CSV file.",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an existing file at --write-corrected (without it, it is never overwritten).",
)
@language_option("the report on screen")
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
    lang: str,
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
    t = Translator(lang)
    click.echo(duplicates_summary(*scan_duplicates(loaded.pool, contacts), lang=lang))
    report = check_feasibility(loaded.instance, solver=solver, time_limit=time_limit)
    size = loaded.instance.size
    if report.feasible:
        key = "cli.check.feasible_households" if loaded.household_columns else "cli.check.feasible"
        click.echo(t(key, k=panel_size, n=size))
        return
    click.echo(t("cli.check.infeasible", k=panel_size))
    for problem in report.problems:
        click.echo(f"- {t.library_text(problem.message) or problem.message}")
    if report.relaxed_features is None:
        click.echo(t("cli.check.no_relaxation"))
        sys.exit(EXIT_INFEASIBLE)
    click.echo("\n" + t("cli.check.relaxation", cost=report.relaxation_cost))
    headers = ["cli.summary.feature", "cli.summary.value", "cli.check.old_min"]
    headers += ["cli.check.old_max", "cli.check.new_min", "cli.check.new_max"]
    click.echo(
        table(
            [t(h) for h in headers],
            [
                [c.feature, c.value, c.old_min, c.old_max, c.new_min, c.new_max]
                for c in report.relaxation
            ],
        )
    )
    corrected = quotas_to_csv_bytes(report.relaxed_features)
    click.echo("\n" + t("cli.check.corrected"))
    click.echo(corrected.decode("utf-8"), nl=False)
    if write_corrected:
        write_output_file(write_corrected, corrected, inputs, overwrite=overwrite)
        click.echo(t("cli.check.written", path=write_corrected))
    sys.exit(EXIT_INFEASIBLE)
