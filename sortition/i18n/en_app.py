"""English of the web app's wording of library texts that name the command line (keys ``in_app.*``;
see `sortition.web.app_texts`): the same advice, naming the page's field or step."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "in_app.time_limit": (
        "raise the time limit (Advanced options) or leave it empty; nothing else was tried in "
        "its place"
    ),
    "in_app.time_limit_raise": "raise the time limit (Advanced options)",
    "in_app.time_limit_positive": "enter a time limit above 0 seconds, or leave it empty",
    "in_app.gap": (
        "enter an optimality gap above 0 and at most {f0} (e.g. 0.001), or leave it empty"
    ),
    "in_app.fairness_slack": (
        "enter a fairness slack from 0 to below 1 (e.g. 0.05: everyone keeps at least 95% of the "
        "MAXIMIN minimum)"
    ),
    "in_app.gap_advice": (
        "leximin: realizing it exactly can take long; an optimality gap of 0.01 (Advanced "
        "options) stops within 1%"
    ),
    "in_app.use_leximin": "choose the LEXIMIN algorithm, or report this pool to the maintainers",
    "in_app.use_fair_maxentropy": "choose the FAIR-MAXENTROPY algorithm, or loosen the quotas",
    "in_app.use_algorithm": "choose the {f0} algorithm",
    "in_app.check": (
        'step 3, "Check the quotas", shows which quotas conflict and proposes a corrected table'
    ),
    "in_app.check_conflicts": 'step 3, "Check the quotas", shows which quotas conflict',
    "in_app.duplicates": (
        'remove the duplicates from the volunteer list, or tick "Draw even though some '
        'volunteers registered twice" (Advanced options)'
    ),
    "in_app.id_column": "choose the column with each volunteer's unique id (step 2)",
    "in_app.panel_size": "enter the panel size: a whole number of at least 1",
    "in_app.reserves": "enter 0 or more reserves to rank",
    "in_app.personal": "use another column as a category of the quotas",
    "in_app.history_exclude": (
        "choose LEXIMIN or MAXIMIN, or keep recent panelists out of this draw (Advanced options)"
    ),
    "in_app.history_algorithm": (
        "choose {f0}, or keep recent panelists out of this draw (Advanced options)"
    ),
    "in_app.cooldown": "enter 0 or more months for a selected person to sit out",
    "in_app.history_factor": (
        "enter their chance relative to others' between 0 and 1, e.g. 0.5 to halve it"
    ),
    "in_app.history_weight_algorithm": (
        "keeping recent panelists in with a lower chance needs an algorithm that honours chance "
        "factors; {f0} does not"
    ),
    "in_app.two_factors": (
        "correcting self-selection and keeping recent panelists in with a lower chance both set "
        "chance factors"
    ),
    "in_app.two_factors_fix": (
        "use one of them (keeping recent panelists out of this draw works with either)"
    ),
    "in_app.overwrite": (
        "tick the box that replaces the earlier results, to replace them as a whole"
    ),
    "in_app.seed_or_source": "give either a seed or public numbers, not both",
    "in_app.source": "enter the published numbers",
    "in_app.source_numbers": "write each source as numbers, e.g. 17 20 22 35, one source per line",
    "in_app.reserve_tickets": "draw fewer than {f0} reserve tickets",
    "in_app.dropouts": "list only ids of members of the panel as the last replacement left it",
    "in_app.register": "upload the register the invitations were drawn from as well",
    "in_app.lottery": "upload the published lottery file (lottery.json) as well",
    "in_app.pool_quotas": "the volunteer list and the quota table go together",
    "in_app.compare_inputs": (
        "upload the volunteer list and the quota table to compare the original files"
    ),
    "in_app.deep": 'tick "Also re-check the fairness claim" to re-check it',
    "in_app.not_replacement": (
        "the original draw's log and the previous replacement's log are only for a "
        "replacement's log; this log is a draw's"
    ),
    "in_app.after_original": "the previous replacement's log goes with the original draw's log",
    "in_app.original": (
        "upload the original draw's log as well, to re-derive the eligible registrants and "
        "shifted quotas"
    ),
    "in_app.after_both": (
        "this is replacement {f0} of the draw: upload the log of the replacement before it as "
        "well (and the original draw's log)"
    ),
    "in_app.after": (
        "this is replacement {f0} of the draw: upload the log of the replacement before it as well"
    ),
    "in_app.bands": (
        "write the age bands as LOW-HIGH or LOW+ (such as 18-29, 60+), or leave them empty"
    ),
    "in_app.age_column": "choose the census column with age bands, or leave the bands empty",
    "in_app.count_column": "choose the column with the number of people",
    "in_app.tolerance": "enter a tolerance of 0 or more seats",
    "in_app.by": "tick one or more categories to make quotas for",
    "in_app.by_count": (
        "tick category columns as categories, and the counts as the column with the number of "
        "people"
    ),
    "in_app.relabel": "write the values as the census writes them (or as the age bands name them)",
    "in_app.where": 'no census row meets every choice under "Whose population" together',
    "in_app.invitations": "enter a number of invitations of at least 1",
    "in_app.invitations_most": "enter at most {f0} invitations",
    "in_app.strata": "fill in the resident's {f0}, or leave {f1} out of the strata",
    "in_app.tables_apart": (
        "remove some of these keep-apart pairs, or lower the most members at one table to get "
        "more tables"
    ),
    "in_app.tables_split": "split the group, or raise the most members at one table",
    "in_app.tables_time": "raise the time limit, or simplify the rules",
    "in_app.tables_rules": "drop or change one of them, or change the most members at one table",
    "in_app.table_size_small": "{f0} members at most at one table is too small",
    "in_app.rounds_small": "{f0} round(s) is too few",
    "in_app.tables_ids": "use the ids of the panel file, or delete the row",
    "in_app.bands_adult_age": (
        "write contiguous bands from the youngest age counted, {f0}, ending with an open band, "
        'such as "18-29,30-44,45-59,60+" (or change "Youngest age counted")'
    ),
    "in_app.balance_spread": (
        "tick it among the columns to balance or among those to spread, not both"
    ),
    "in_app.held_smaller": ("give the seating of the sessions already held, or fewer rounds held"),
    "in_app.earlier_ids": (
        "give the seating of this panel's earlier sessions (the same ids as the id column)"
    ),
}
