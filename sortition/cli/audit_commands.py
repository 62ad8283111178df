"""The `sortition draw` and `sortition verify` commands: draw a published lottery, re-check a log.

Not registered here: `sortition.cli.main` adds them with `cli.add_command`.
"""

from __future__ import annotations

import sys

import click

from sortition.audit.verify import VerifyRequest, verify_any
from sortition.cli.errors import language_option, user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import (
    overwrite_option,
    pool_file_option,
    selection_out_option,
    solver_option,
    sources_option,
)
from sortition.errors import EXIT_VERIFICATION_FAILED
from sortition.i18n import Translator
from sortition.outputs.layout import where_lines
from sortition.outputs.report import (
    draw_summary,
    verification_table,
)
from sortition.outputs.result_set import check_result_folder
from sortition.process.draw import DrawRequest, draw_inputs, draw_lottery, write_draw


@click.command("draw", cls=LocalizedCommand)
@click.argument("lottery", type=click.Path(dir_okay=False))
@sources_option(
    'One public source of random numbers, e.g. "17 20 22 35 36 38 48"; repeat it for '
    "each source, in the announced order.",
    required=True,
)
@click.option(
    "--reserve-tickets",
    type=int,
    default=0,
    show_default=True,
    help="Also draw this many further tickets, in order, as a published reserve sequence.",
)
@pool_file_option(
    "The full pool file, to write every column in private/selected.csv and "
    "private/remaining.csv (checked against the lottery)."
)
@selection_out_option
@overwrite_option
@language_option()
@user_errors
def draw_command(
    lottery: str,
    sources: tuple[str, ...],
    reserve_tickets: int,
    pool_path: str | None,
    out_dir: str,
    overwrite: bool,
    lang: str,
) -> None:
    """Reveal: draw the winning ticket of a published lottery from public random numbers.

    Example: sortition draw lottery.json --source "17 20 22 35 36 38 48" --source 90193202
    """
    request = DrawRequest(lottery, sources, reserve_tickets, pool_path)
    check_result_folder(out_dir, draw_inputs(request), overwrite=overwrite)
    draw = draw_lottery(request)
    files = write_draw(draw, out_dir, overwrite=overwrite, lang=lang)
    t = Translator(lang)
    click.echo(draw_summary(draw, lang))
    click.echo("\n" + t("cli.summary.wrote", out=out_dir))
    click.echo(where_lines(out_dir, files, draw.pseudonyms, lang))
    if draw.pseudonyms is None and draw.lottery["options"].get("id_pseudonyms"):
        click.echo(t("cli.draw.pseudonyms"))


@click.command("verify", cls=LocalizedCommand)
@click.argument("log", type=click.Path(dir_okay=False))
@click.option(
    "--lottery",
    "lottery_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The published lottery file (needed for logs of 'sortition draw').",
)
@pool_file_option("The original pool file, to check it against the log (with --quotas).")
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
    "--original",
    "original_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="For a replacement's log: the original draw's log, to re-derive who was eligible and "
    "the shifted quotas.",
)
@click.option(
    "--after",
    "after_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="For a second or later replacement (with --original): the log of the replacement "
    "before it.",
)
@click.option(
    "--deep",
    is_flag=True,
    help="Also re-check the fairness claim: re-solve the panel problem for the logged dual "
    "weights (a certificate that the lowest probability could not be raised).",
)
@solver_option("MILP solver for --deep.")
@language_option("the table of checks")
@user_errors
def verify_command(
    log: str,
    lottery_path: str | None,
    pool_path: str | None,
    quota_path: str | None,
    register_path: str | None,
    original_path: str | None,
    after_path: str | None,
    deep: bool,
    solver: str,
    lang: str,
) -> None:
    """Re-check a draw from its selection log; exit 0 only if every check passes.

    Every file of the result set found beside the log (its public/ folder, and ../private/ when
    present) is checked against the SHA-256 the log records; a changed file is named.

    Example: sortition verify selection/selection-log.json --lottery lottery.json --deep
    """
    request = VerifyRequest(
        log, lottery_path, pool_path, quota_path, deep, solver, original_path, after_path
    )
    report = verify_any(request, register_path)
    click.echo(verification_table(report, lang))
    if not report.passed:
        sys.exit(EXIT_VERIFICATION_FAILED)
