"""The web app's wording of the library's texts that name the command line.

The library writes its errors, hints, progress lines and verification details for the terminal
("pass --allow-duplicates", "run 'sortition check'"). An organizer in the browser has no
terminal: there the same advice names the page's field or step instead. `APP_TEXTS` maps each
such English template, as `scripts/library_templates.py` lists it, to a key of the app's
catalogs (`sortition.i18n.en_app`, `es_app`), whose text takes the template's fields as
``{f0}``, ``{f1}``... (values from the text, unchanged). A hint that names the command line and
has no app wording is not shown at all (the error's explanation and message remain): a page
never tells an organizer to type a command. Templates of errors the app cannot meet (options it
does not offer, such as ``--solver`` or ``--targets``) keep the terminal's wording; the tests
list them, so a new one must be placed on one side or the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sortition.i18n import Translator
from sortition.i18n.library_text import matching_order

COMMAND_LINE = re.compile(r"--[a-z]|['`]sortition [a-z]")  # an option, or a quoted command

APP_TEXTS: dict[str, str] = {
    # a draw's algorithm, options and time
    "raise --time-limit or leave it out; nothing else was tried in its place": "in_app.time_limit",
    "raise --time-limit": "in_app.time_limit_raise",
    "pass --time-limit SECONDS > 0": "in_app.time_limit_positive",
    "pass --gap G with 0 < G <= {0} (e.g. 0.001), or leave it out": "in_app.gap",
    "pass --fairness-slack E with 0 <= E < 1 (e.g. 0.05: everyone keeps at least 95% of the "
    "MAXIMIN minimum)": "in_app.fairness_slack",
    "leximin: realizing it exactly can take long; --gap 0.01 stops within 1%": "in_app.gap_advice",
    "use --algorithm leximin, or report this pool to the maintainers": "in_app.use_leximin",
    "use --algorithm fair-maxentropy, or loosen the quotas": "in_app.use_fair_maxentropy",
    "use --algorithm {0}": "in_app.use_algorithm",
    "run 'sortition check' to see which quotas conflict and get a corrected table": "in_app.check",
    "run 'sortition check' to see which quotas conflict": "in_app.check_conflicts",
    "remove duplicates or pass --allow-duplicates": "in_app.duplicates",
    "pass --id-column with the name of the column that holds registrant ids": "in_app.id_column",
    "pass --panel-size with a whole number of at least 1": "in_app.panel_size",
    "pass --reserves 0+": "in_app.reserves",
    "use another column as a feature, or leave it out of --personal-columns": "in_app.personal",
    # earlier selections
    "use leximin or maximin, or --history-mode exclude": "in_app.history_exclude",
    "use --algorithm {0}, or --history-mode exclude": "in_app.history_algorithm",
    "pass --cooldown MONTHS >= 0": "in_app.cooldown",
    "pass e.g. --history-factor 0.5 to halve recent panelists' chances": "in_app.history_factor",
    "--history-mode weight needs an algorithm that honours chance factors; {0} does not": (
        "in_app.history_weight_algorithm"
    ),
    "--correct-self-selection and --history-mode weight both set chance factors": (
        "in_app.two_factors"
    ),
    "use one of them (--history-mode exclude keeps history out instead)": "in_app.two_factors_fix",
    # the census page's age bands
    "write contiguous bands from the adult age {0}, ending with an open band, such as "
    '"18-29,30-44,45-59,60+" (or change --adult-age)': "in_app.bands_adult_age",
    # results already there
    "pass --overwrite to replace them as a whole, or choose a new folder": "in_app.overwrite",
    # seeds, public numbers, lotteries and replacements
    "give either --seed or --source, not both": "in_app.seed_or_source",
    "pass --source with the published numbers": "in_app.source",
    "give each source as numbers, e.g. --source '17 20 22 35'": "in_app.source_numbers",
    "pass --reserve-tickets below {0}": "in_app.reserve_tickets",
    "list only ids of members on the panel; if they joined in an earlier replacement, pass that "
    "replacement's log with --after": "in_app.dropouts",
    # verification
    "pass --register with the register file the invitations were drawn from": "in_app.register",
    "pass --lottery with the published lottery file": "in_app.lottery",
    "--pool and --quotas go together": "in_app.pool_quotas",
    "pass --pool and --quotas to compare the original files": "in_app.compare_inputs",
    "pass --deep to re-check the fairness claim": "in_app.deep",
    "--original and --after are for a replacement's log; this log is a draw's": (
        "in_app.not_replacement"
    ),
    "--after goes with --original": "in_app.after_original",
    "pass --original with the original draw's log to re-derive the eligible registrants and "
    "shifted quotas": "in_app.original",
    "this is replacement {0} of the draw: pass the log of the replacement before it with --after "
    "(and the original draw's with --original)": "in_app.after_both",
    "this is replacement {0} of the draw: pass the log of the replacement before it with --after": (
        "in_app.after"
    ),
    # quotas from the census
    "write census age bands as LOW-HIGH or LOW+, or leave out --bands": "in_app.bands",
    "name the census column holding age bands, or leave out --bands": "in_app.age_column",
    "pass --count-column with the name of the column holding the population counts": (
        "in_app.count_column"
    ),
    "pass --tolerance with a whole number of at least 0": "in_app.tolerance",
    "pass --by with one or more census columns, such as sex,age_band": "in_app.by",
    "name category columns in --by, and the counts in --count-column": "in_app.by_count",
    "relabel values as the census writes them (or as the --bands name them)": "in_app.relabel",
    "no census row meets every --where condition together": "in_app.where",
    # invitations
    "pass --invitations with a positive whole number": "in_app.invitations",
    "pass --invitations of at most {0}": "in_app.invitations_most",
    "fill in the resident's {0}, or leave {1} out of --strata": "in_app.strata",
    # seating at tables
    "remove some of these keep-apart pairs, or lower --table-size to get more tables": (
        "in_app.tables_apart"
    ),
    "split the group, or raise --table-size": "in_app.tables_split",
    "raise --time-limit, or simplify the rules": "in_app.tables_time",
    "drop or change one of them, or change --table-size": "in_app.tables_rules",
    "--table-size {0} is too small": "in_app.table_size_small",
    "--rounds {0} is too small": "in_app.rounds_small",
    "use the ids of the panel file (--id-column), or delete the row": "in_app.tables_ids",
    "name it in --balance or in --spread, not both": "in_app.balance_spread",
    # seating after sessions already held
    "give the tables.csv of the rounds already held, or a smaller --held": "in_app.held_smaller",
    "give the tables.csv of this panel's earlier rounds (same ids as --id-column)": (
        "in_app.earlier_ids"
    ),
}


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    return matching_order(APP_TEXTS)


def _app_wording(t: Translator, text: str) -> str | None:
    for compiled, key in _compiled():
        match = compiled.fullmatch(text)
        if match is not None:
            fields = {f"f{name[1:]}": value for name, value in match.groupdict().items()}
            return t(key, **fields)
    return None


def app_text(t: Translator, text: str) -> str | None:
    """A library text (error message, progress line, verification detail) as a page shows it:
    the app's wording when it names the command line, else in the page's language where the
    catalogs have it; None when they do not (the page then shows the English, labelled)."""
    return _app_wording(t, text) or t.library_text(text)


def app_hint(t: Translator, hint: str) -> str | None:
    """An error's hint as a page shows it; None (not shown) when it names the command line and
    the app has no wording for it."""
    wording = _app_wording(t, hint)
    if wording is not None:
        return wording
    if COMMAND_LINE.search(hint):
        return None
    return t.library_text(hint) or hint
