"""Plain-text summaries of the tools beside the draw, for the terminal: the census
apportionment (`sortition quotas`) and the invitation lottery (`sortition invite`), in the
command line's language (`--lang`)."""

from __future__ import annotations

from fractions import Fraction

from sortition.i18n import (
    Translator,
    format_integer,
    format_number,
    screen_number,
    screen_percent,
)
from sortition.inputs.census import CensusQuotas
from sortition.invite import MAX_STRATA_SHOWN, Invitations
from sortition.text import table


def _population(amount: Fraction, lang: str) -> str:
    if amount.denominator == 1:
        return format_integer(amount.numerator, lang)
    return format_number(float(amount), 1, lang)


def census_quota_table(result: CensusQuotas, lang: str = "en") -> str:
    """The apportionment as a text table: one row per value of every category (in `lang`)."""
    rows = [
        [
            category.feature,
            value.value,
            _population(value.population, lang),
            screen_percent(float(value.share), 1, lang),
            screen_number(float(value.exact), 2, lang),
            value.seats,
            value.quota.min,
            value.quota.max,
        ]
        for category in result.categories
        for value in category.values
    ]
    t = Translator(lang)
    headers = ["summary.feature", "summary.value", "census.population", "census.share"]
    headers += ["census.exact", "census.seats", "summary.min", "summary.max"]
    return table([t(f"cli.{h}") for h in headers], rows)


def invitation_summary(invitations: Invitations, lang: str = "en") -> str:
    """What `sortition invite` prints: the randomness, the allocation and the probabilities (in
    `lang`)."""
    t = Translator(lang)
    register = invitations.register
    request = invitations.request
    randomness = invitations.randomness
    population = register.population
    strata = t.integer(len(invitations.strata))
    drawn = {
        "invitations": t.integer(request.invitations),
        "population": t.integer(population),
        "path": register.path,
    }
    lines = [
        t(
            "cli.invite.stratified",
            **drawn,
            columns=", ".join(register.strata_columns),
            strata=strata,
        )
        if register.strata_columns
        else t("cli.invite.unstratified", **drawn)
    ]
    if randomness.sources:
        lines.append(t("cli.invite.key", seed=randomness.seed))
    elif randomness.seed_source == "generated":
        lines.append(t("cli.invite.generated", seed=randomness.seed))
    else:
        lines.append(t("cli.invite.given", seed=randomness.seed))
    shares = [s.invitations / s.population for s in invitations.strata]
    lines.append(
        t(
            "cli.invite.probability",
            overall=screen_number(request.invitations / population, 6, lang),
            low=screen_number(min(shares), 6, lang),
            high=screen_number(max(shares), 6, lang),
        )
    )
    if register.strata_columns and len(invitations.strata) <= MAX_STRATA_SHOWN:
        rows = [
            [
                " / ".join(s.key),
                t.integer(s.population),
                s.invitations,
                screen_number(s.invitations / s.population, 6, lang),
            ]
            for s in invitations.strata
        ]
        headers = [" / ".join(register.strata_columns)] + [
            t(f"cli.invite.{h}") for h in ("population", "invitations", "probability_header")
        ]
        lines += ["", table(headers, rows)]
    elif register.strata_columns:
        lines.append(t("cli.invite.in_log", strata=strata))
    return "\n".join(lines)
