"""The `sortition select` and `sortition lottery` commands: draw a panel now, or publish a lottery
to draw later from public numbers.

Not registered here: `sortition.cli.main` adds them with `cli.add_command`.
"""

from __future__ import annotations

from typing import Any

import click

from sortition.cli.errors import language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import (
    draw_input_options,
    draw_inputs,
    overwrite_option,
    seed_option,
    selection_out_option,
)
from sortition.i18n import Translator
from sortition.outputs.layout import where_lines
from sortition.outputs.report import (
    lottery_summary,
    selection_summary,
)
from sortition.outputs.result_set import check_output_file, check_result_folder
from sortition.process.inputs import input_files
from sortition.process.lottery import DEFAULT_TICKETS
from sortition.process.publish import LotteryRequest, make_lottery, write_lottery
from sortition.process.selection import (
    SelectionRequest,
    select,
    select_panels,
    write_panels,
    write_selection,
)


@click.command("select", cls=LocalizedCommand)
@draw_input_options
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
@seed_option(
    "Any integer or text; the same inputs and seed repeat the draw exactly. "
    "Without it a seed is generated, printed and logged."
)
@selection_out_option
@overwrite_option
@language_option()
@user_errors
def select_command(
    reserves: int,
    panels: int,
    seed: str | None,
    out_dir: str,
    overwrite: bool,
    lang: str,
    **given: Any,  # the values of draw_input_options
) -> None:
    """Draw one panel by a fair lottery: publishable files (probabilities, selection log) go to
    OUT/public/, personal ones (selected, remaining, reserves) to OUT/private/.

    Example: sortition select pool.csv quotas.csv --panel-size 40 --seed 2026 --out selection
    """
    request = SelectionRequest(draw_inputs(**given, lang=lang), seed=seed, reserves=reserves)
    check_result_folder(out_dir, input_files(request.inputs), overwrite=overwrite)
    if panels == 1:
        selection = select(request)
        files = write_selection(selection, out_dir, overwrite=overwrite, lang=lang)
        t = Translator(lang)
        click.echo(selection_summary(selection, lang))
        click.echo("\n" + t("cli.summary.wrote", out=out_dir))
        click.echo(where_lines(out_dir, files, selection.pseudonyms, lang))
        return
    selections = select_panels(request, panels)
    files = write_panels(selections, out_dir, overwrite=overwrite, lang=lang)
    t = Translator(lang)
    for number, selection in enumerate(selections, start=1):
        click.echo(t("cli.summary.panel_heading", number=number, panels=panels))
        click.echo(selection_summary(selection, lang) + "\n")
    click.echo(t("cli.summary.wrote_panels", panels=panels, out=out_dir))
    click.echo(where_lines(out_dir, files, selections[0].pseudonyms, lang))


@click.command("lottery", cls=LocalizedCommand)
@draw_input_options
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
@language_option("the statement to publish, the summary on screen")
@user_errors
def lottery_command(
    num_tickets: int,
    planned_sources: str | None,
    draw_date: str | None,
    out_path: str,
    overwrite: bool,
    lang: str,
    **given: Any,  # the values of draw_input_options
) -> None:
    """Commit: compute a ticket lottery to publish before the public random numbers exist.

    Example: sortition lottery pool.csv quotas.csv --panel-size 40 --out lottery.json
    """
    request = LotteryRequest(
        draw_inputs(**given, lang=lang),
        num_tickets=num_tickets,
        planned_sources=planned_sources,
        draw_date=draw_date,
    )
    check_output_file(out_path, input_files(request.inputs), overwrite=overwrite)
    lottery = make_lottery(request)
    write_lottery(lottery, out_path, overwrite=overwrite)
    t = Translator(lang)
    click.echo(lottery_summary(lottery, out_path, lang))
    click.echo("\n" + t("cli.lottery.publish", path=out_path))
    if lottery.pseudonyms is not None:
        mapping_phrase = "'sortition draw --pool' with this pool"
        note = lottery.pseudonyms.note(mapping_phrase)
        click.echo(t.library_text(note) or note)
