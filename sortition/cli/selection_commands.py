"""The `sortition select` and `sortition lottery` commands: draw a panel now, or publish a lottery
to draw later from public numbers.

Not registered here: `sortition.cli.main` adds them with `cli.add_command`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import user_errors
from sortition.cli.shared import (
    draw_options,
    draw_request_fields,
    history_rule,
    instance_options,
    overwrite_option,
    selection_out_option,
)
from sortition.outputs.layout import where_lines
from sortition.outputs.report import (
    lottery_summary,
    selection_summary,
)
from sortition.outputs.result_set import check_output_file, check_result_folder
from sortition.process.lottery import DEFAULT_TICKETS
from sortition.process.publish import LotteryRequest, lottery_inputs, make_lottery, write_lottery
from sortition.process.selection import (
    SelectionRequest,
    select,
    select_panels,
    selection_inputs,
    write_panels,
    write_selection,
)


@click.command("select")
@instance_options
@draw_options
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
@selection_out_option
@overwrite_option
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
    gap: float | None,
    personal_columns: str | None,
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
    overwrite: bool,
) -> None:
    """Draw one panel by a fair lottery: publishable files (probabilities, selection log) go to
    OUT/public/, personal ones (selected, remaining, reserves) to OUT/private/.

    Example: sortition select pool.csv quotas.csv --panel-size 40 --seed 2026 --out selection
    """
    request = SelectionRequest(
        **draw_request_fields(
            pool, quotas, panel_size, algorithm, id_column, household_columns, contact_columns,
            allow_duplicates, solver, time_limit, legacy_draws, gap, quiet,
            history_rule(history_path, cooldown, as_of, history_mode, history_factor),
            personal_columns,
        ),
        seed=seed,
        reserves=reserves,
    )  # fmt: skip
    check_result_folder(out_dir, selection_inputs(request), overwrite=overwrite)
    if panels == 1:
        selection = select(request)
        files = write_selection(selection, out_dir, overwrite=overwrite)
        click.echo(selection_summary(selection))
        click.echo(f"\nWrote the results to {out_dir}/.")
        click.echo(where_lines(out_dir, files, selection.pseudonyms))
        return
    selections = select_panels(request, panels)
    files = write_panels(selections, out_dir, overwrite=overwrite)
    for number, selection in enumerate(selections, start=1):
        click.echo(f"=== Panel {number} of {panels} ===")
        click.echo(selection_summary(selection) + "\n")
    click.echo(f"Wrote panel-1 ... panel-{panels} to {out_dir}/.")
    click.echo(where_lines(out_dir, files, selections[0].pseudonyms))


@click.command("lottery")
@instance_options
@draw_options
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
@overwrite_option
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
    gap: float | None,
    personal_columns: str | None,
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
    overwrite: bool,
) -> None:
    """Commit: compute a ticket lottery to publish before the public random numbers exist.

    Example: sortition lottery pool.csv quotas.csv --panel-size 40 --out lottery.json
    """
    request = LotteryRequest(
        **draw_request_fields(
            pool, quotas, panel_size, algorithm, id_column, household_columns, contact_columns,
            allow_duplicates, solver, time_limit, legacy_draws, gap, quiet,
            history_rule(history_path, cooldown, as_of, history_mode, history_factor),
            personal_columns,
        ),
        num_tickets=num_tickets,
        planned_sources=planned_sources,
        draw_date=draw_date,
    )  # fmt: skip
    check_output_file(out_path, lottery_inputs(request), overwrite=overwrite)
    lottery = make_lottery(request)
    write_lottery(lottery, out_path, overwrite=overwrite)
    click.echo(lottery_summary(lottery, out_path))
    click.echo(f"\nPublish: {out_path} (no personal data).")
    if lottery.pseudonyms is not None:
        click.echo(lottery.pseudonyms.note("'sortition draw --pool' with this pool"))
