"""The `sortition generate` command: a synthetic pool and quotas
(see `sortition.research.generator`).

Not registered here: `sortition.cli.main` adds it with `cli.add_command(generate_command)`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.cli.shared import overwrite_option, panel_size_option, seed_option
from sortition.outputs.result_set import check_result_folder
from sortition.research.generator import generate
from sortition.research.generator_files import write_generated
from sortition.research.generator_profiles import MAX_FEATURES, PROFILES, GeneratorSpec
from sortition.research.generator_tight import MAX_HOUSEHOLD_SHARE, QUOTA_CLASSES


@click.command("generate", cls=LocalizedCommand)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    required=True,
    help="Population model: uk, chile (2017 census), skewed (strong self-selection), "
    "households (chile with households).",
)
@click.option("--pool-size", "-n", type=int, required=True, help="Number of registrants.")
@panel_size_option
@seed_option(
    "Any integer or text; the same arguments and seed give the same files, byte for byte.",
    default="1",
)
@click.option(
    "--features",
    "-f",
    type=click.IntRange(1, MAX_FEATURES),
    default=None,
    help=f"How many categories (1 to {MAX_FEATURES}; default: 6 for uk/skewed, 5 for "
    "chile/households).",
)
@click.option(
    "--tolerance",
    type=int,
    default=None,
    help="Quota bounds are the target seats -/+ this (default: 1 for panels below 100, else "
    "2); widened by 1 until a panel exists. Loose quotas only.",
)
@click.option(
    "--quotas",
    type=click.Choice(QUOTA_CLASSES),
    default="loose",
    show_default=True,
    help="Quota class: loose (target -/+ tolerance) or tight (floor/ceil of k x share, whole "
    "categories exact, a pool correlated through a latent engagement; see "
    "sortition/research/generator_tight.py).",
)
@click.option(
    "--household-share",
    type=click.FloatRange(0.0, MAX_HOUSEHOLD_SHARE),
    default=None,
    help=f"Share of registrants in households of 2-4, 0 to {MAX_HOUSEHOLD_SHARE:g} (default: "
    "0.3 for households, else 0); any profile.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="New or empty folder for pool.csv, quotas.csv and README.md (written all or nothing).",
)
@overwrite_option
@user_errors
def generate_command(
    profile: str,
    pool_size: int,
    panel_size: int,
    seed: str,
    features: int | None,
    tolerance: int | None,
    quotas: str,
    household_share: float | None,
    out_dir: str,
    overwrite: bool,
) -> None:
    """Generate a realistic synthetic pool (self-selected, correlated features) and quotas.

    \b
    Example: sortition generate --profile uk --pool-size 5000 --panel-size 150
      --features 8 --seed 7 --out generated/uk-5000

    \b
    Tight quotas, 4 in 5 volunteers sharing a household:
      sortition generate --profile households --pool-size 200 --panel-size 20
      --features 7 --quotas tight --household-share 0.8 --out generated/tight-200
    """
    check_result_folder(out_dir, overwrite=overwrite)
    spec = GeneratorSpec(
        profile,
        pool_size,
        panel_size,
        seed,
        features,
        tolerance,
        quotas=quotas,
        household_share=household_share,
    )
    generated = generate(spec)
    write_generated(generated, out_dir, overwrite=overwrite)
    names = ", ".join(f.name for f in generated.features)
    click.echo(
        f"Generated {pool_size} registrants (profile {profile}, seed {seed}) with "
        f"{len(generated.features)} features ({names}) and quotas for a panel of {panel_size}."
    )
    if generated.tight is not None:
        exact, rows = generated.exact_rows, sum(len(f.values) for f in generated.features)
        click.echo(
            f"Tight quotas: {exact} of {rows} quota rows have min == max (exact categories: "
            f"{', '.join(generated.tight.exact) or 'none'})."
        )
        if generated.widened:
            click.echo("Loosened to admit a panel: " + "; ".join(generated.tight.steps) + ".")
        else:
            click.echo("A panel meeting every quota exists.")
    elif generated.widened:
        click.echo(
            f"Tolerance widened from {generated.requested_tolerance} to {generated.tolerance}: "
            "the narrower quotas admitted no panel."
        )
    else:
        click.echo(f"Tolerance {generated.tolerance}; a panel meeting every quota exists.")
    if generated.household_members:
        click.echo(
            f"{generated.household_members} registrants share {generated.households} households "
            "(column address; pass --household-columns address)."
        )
    click.echo(f"Wrote pool.csv, quotas.csv and README.md to {out_dir}/.")
